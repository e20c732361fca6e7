"""Forms of the members' shares and the grants: the sharing rule, the members'
populations (typed or imported) and a grant. They read the fields; the finance services
decide."""

import unicodedata
from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei import wareki
from renkei.errors import RenkeiError
from renkei.finance.grants import GrantValues
from renkei.finance.shares import PopulationEntry
from renkei.forms import WarekiDateField, ascii_int, cleaned_data_of, model_choice_field
from renkei.tenancy.models import Organisation

from .money_forms import ExpenseForm, LineChoiceField, amount_field
from .spreadsheet_imports import ParsedRow


class SharingRuleForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("名称"),
        max_length=100,
        help_text=gettext_lazy("例: 広域連携事業費分担金"),
    )
    total = amount_field(gettext_lazy("負担総額（円）"), min_value=0)
    equal_weight = forms.IntegerField(
        label=gettext_lazy("均等割の割合"),
        min_value=0,
        max_value=10**6,
        help_text=gettext_lazy("例: 均等割30%・人口割70%なら 30 と 70"),
    )
    population_weight = forms.IntegerField(
        label=gettext_lazy("人口割の割合"), min_value=0, max_value=10**6
    )
    due_on = WarekiDateField(label=gettext_lazy("納期限"), required=False)

    def clean(self):
        super().clean()
        data = cleaned_data_of(self)
        if data.get("equal_weight") == 0 and data.get("population_weight") == 0:
            self.add_error(
                "population_weight",
                _("均等割と人口割の割合の少なくとも一方を1以上にしてください。"),
            )
        return data


class PopulationForm(forms.Form):
    """One row per member (in 規約 order): population, source and reference date."""

    def __init__(self, *args, members, figures, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for org in self.members:
            figure = figures.get(org.pk)
            self.fields[f"population_{org.pk}"] = forms.IntegerField(
                label=_("%(org)s の人口（人）") % {"org": org.label},
                min_value=0,
                max_value=10**9,
                required=False,
                initial=figure.population if figure else None,
            )
            self.fields[f"source_{org.pk}"] = forms.CharField(
                label=_("%(org)s の出典") % {"org": org.label},
                max_length=200,
                required=False,
                initial=figure.source if figure else "",
            )
            self.fields[f"date_{org.pk}"] = WarekiDateField(
                label=_("%(org)s の基準日") % {"org": org.label},
                required=False,
                initial=figure.reference_date if figure else None,
            )

    def clean(self):
        super().clean()
        data = cleaned_data_of(self)
        for org in self.members:
            values = [data.get(f"{name}_{org.pk}") for name in ("population", "source", "date")]
            filled = [value not in (None, "") for value in values]
            if any(filled) and not all(filled):
                self.add_error(
                    f"population_{org.pk}",
                    _("%(org)s: 人口・出典・基準日をそろえて入力してください。")
                    % {"org": org.label},
                )
        return data

    def entries(self) -> list[PopulationEntry]:
        return [
            PopulationEntry(
                org,
                self.cleaned_data[f"population_{org.pk}"],
                self.cleaned_data[f"source_{org.pk}"],
                self.cleaned_data[f"date_{org.pk}"],
            )
            for org in self.members
            if self.cleaned_data.get(f"population_{org.pk}") is not None
        ]


class PopulationImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("ファイル（.xlsx または .csv）"),
        help_text=gettext_lazy("列: 団体コード または 団体名、人口、出典、基準日"),
    )


POPULATION_COLUMNS = ("団体コード", "団体名", "人口", "出典", "基準日")


def _folded(text: str) -> str:
    """A name as the import reads cells (NFKC, no surrounding spaces)."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_populations(rows: list[dict], members) -> list[ParsedRow]:
    """Rows of a population sheet: the member by its code (6 or 5 digits) or name,
    the population, its source and reference date; a message per refused cell."""
    by_code = {}
    by_name = {}
    for org in members:
        if org.code:
            by_code[org.code] = org
            by_code[org.code[:5]] = org
        by_name[_folded(org.name)] = org
        by_name[_folded(org.label)] = org
    parsed = []
    for number, row in enumerate(rows, start=2):
        errors = []
        code, name = row.get("団体コード", ""), row.get("団体名", "")
        org = by_code.get(code) if code else by_name.get(name)
        if org is None:
            errors.append(
                _("構成団体「%(v)s」が見つかりません。") % {"v": (code or name or "")[:30]}
            )
        text = row.get("人口", "").replace(",", "").replace("人", "")
        population = ascii_int(text) if len(text) <= 10 else None
        if population is None:
            errors.append(_("人口「%(v)s」は0以上の整数ではありません。") % {"v": text[:30]})
        source = row.get("出典", "")[:200]
        if not source:
            errors.append(_("出典が空です。"))
        reference_date = None
        try:
            reference_date = wareki.parse_date(row.get("基準日", ""))
        except (wareki.WarekiError, ValueError):
            errors.append(
                _("基準日「%(v)s」を日付として読めません。") % {"v": row.get("基準日", "")[:30]}
            )
        values = {
            "organisation": org,
            "population": population,
            "source": source,
            "reference_date": reference_date,
        }
        parsed.append(ParsedRow(number, values, errors))
    return parsed


def population_rows(parsed: list[ParsedRow]) -> list[dict]:
    """Checked population rows as a job keeps them (plain values: the member's id, the
    date in ISO form)."""
    return [
        {
            "number": row.number,
            "organisation": row.values["organisation"].pk,
            "population": row.values["population"],
            "source": row.values["source"],
            "reference_date": row.values["reference_date"].isoformat(),
        }
        for row in parsed
    ]


def populations_to_import(rows: list[dict]) -> list[PopulationEntry]:
    """``population_rows`` back as the service's entries; a member removed meanwhile is
    refused with its row."""
    members = Organisation.objects.in_bulk([row["organisation"] for row in rows])
    entries = []
    for row in rows:
        member = members.get(row["organisation"])
        if member is None:
            raise RenkeiError(_("%(row)s行目の構成団体が見つかりません。") % {"row": row["number"]})
        entries.append(
            PopulationEntry(
                member,
                row["population"],
                row["source"],
                date.fromisoformat(row["reference_date"]),
            )
        )
    return entries


class GrantForm(forms.Form):
    grantor = forms.CharField(label=gettext_lazy("交付団体"), max_length=200)
    purpose = forms.CharField(label=gettext_lazy("名称・目的"), max_length=300)
    applied_on = WarekiDateField(label=gettext_lazy("申請日"))
    applied_amount = amount_field(gettext_lazy("申請額（円）"), min_value=0)
    decided_on = WarekiDateField(label=gettext_lazy("交付決定日"), required=False)
    granted_amount = amount_field(gettext_lazy("交付決定額（円）"), required=False, min_value=0)
    note = forms.CharField(label=gettext_lazy("備考"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def values(self) -> GrantValues:
        data = self.cleaned_data
        return GrantValues(
            grantor=data["grantor"],
            purpose=data["purpose"],
            applied_on=data["applied_on"],
            applied_amount=data["applied_amount"],
            decided_on=data.get("decided_on"),
            granted_amount=data.get("granted_amount"),
            note=data.get("note", ""),
        )


class DeleteForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("削除の理由"), max_length=300)


class SeminarFeeForm(forms.Form):
    """The seminars' fee (研修負担金): one payment, spread over the sessions of a series
    or, without one, of every external seminar of the year."""

    line = LineChoiceField(label=gettext_lazy("予算の行（節・項目）"), queryset=None)
    spent_on = ExpenseForm.base_fields["spent_on"]
    payee = ExpenseForm.base_fields["payee"]
    amount = ExpenseForm.base_fields["amount"]
    purpose = ExpenseForm.base_fields["purpose"]
    voucher = ExpenseForm.base_fields["voucher"]
    group: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("配分する研修"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("この年度のすべての外部研修"),
        help_text=gettext_lazy(
            "各回に均等に配分し、割り切れない円は最初の回から順に1円ずつ加えます。"
        ),
    )

    def __init__(self, *args, lines, groups, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "line").queryset = lines
        model_choice_field(self, "group").queryset = groups

    def expense(self) -> dict:
        fields = {
            name: self.cleaned_data[name] for name in ("spent_on", "payee", "amount", "purpose")
        }
        voucher = self.cleaned_data.get("voucher")
        return {**fields, "vouchers": [voucher] if voucher else []}
