"""Forms of the budget's changes and the year's spending: an amendment (補正予算), a
transfer or use of the reserve (流用・予備費充用), an expense with its split over
activities. They read the fields; the finance services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.finance.expenses import Allocation
from renkei.finance.models import TransferKind
from renkei.forms import WarekiDateField, cleaned_data_of, model_choice_field

SPLIT_ROWS = 3


def amount_field(label, *, required=True, min_value=1) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=10**15,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "amount"}),
    )


class DecisionForm(forms.Form):
    """Who decided a change, when and why."""

    decided_on = WarekiDateField(label=_("決定日（議決日）"))
    decided_by = forms.CharField(
        label=_("決定者"), max_length=100, help_text=_("例: 組合議会、管理者")
    )
    reason = forms.CharField(label=_("理由"), max_length=300)

    def decision(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("decided_on", "decided_by", "reason")}


class AmendmentForm(DecisionForm):
    """A supplementary budget: its number and the amount per line (negative reduces)."""

    number = forms.IntegerField(label=_("補正の号数"), min_value=1, max_value=999)
    field_order = ["number", "decided_on", "decided_by", "reason"]

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = amount_field(
                _("%(label)s %(item)s の補正額（円）") % {"label": line.label, "item": line.item},
                required=False,
                min_value=-(10**15),
            )

    def amounts(self) -> dict:
        return {
            line: self.cleaned_data[f"line_{line.pk}"]
            for line in self.lines
            if self.cleaned_data.get(f"line_{line.pk}")
        }


class LineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, line) -> str:
        return f"{line.label} {line.item}"


class TransferForm(DecisionForm):
    kind = forms.ChoiceField(label=_("種類"), choices=TransferKind.choices)
    source = LineChoiceField(label=_("流用元（充用元）"), queryset=None)
    target = LineChoiceField(label=_("流用先（充用先）"), queryset=None)
    amount = amount_field(_("金額（円）"))
    field_order = ["kind", "source", "target", "amount", "decided_on", "decided_by", "reason"]

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "source").queryset = lines
        model_choice_field(self, "target").queryset = lines.filter(is_reserve=False)


class ExpenseForm(forms.Form):
    """An expense and, optionally, the activities it paid for with the part of each."""

    line = LineChoiceField(label=_("予算の行（節・項目）"), queryset=None)
    spent_on = WarekiDateField(label=_("支出日"))
    payee = forms.CharField(label=_("支払先"), max_length=200)
    amount = amount_field(_("金額（円）"))
    purpose = forms.CharField(label=_("目的・内容"), max_length=300)
    voucher = forms.FileField(label=_("証憑（PDF・JPEG・PNG・WebP、10MBまで）"), required=False)

    def __init__(self, *args, lines, activities, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "line").queryset = lines
        for row in range(1, SPLIT_ROWS + 1):
            self.fields[f"activity_{row}"] = forms.ModelChoiceField(
                label=_("活動 %(n)s") % {"n": row}, queryset=activities, required=False
            )
            self.fields[f"share_{row}"] = amount_field(
                _("活動 %(n)s の金額（円）") % {"n": row}, required=False
            )

    def clean(self):
        super().clean()
        data = cleaned_data_of(self)
        for row in range(1, SPLIT_ROWS + 1):
            if bool(data.get(f"activity_{row}")) != bool(data.get(f"share_{row}")):
                self.add_error(f"share_{row}", _("活動と金額を組にして入力してください。"))
        return data

    def allocations(self) -> list[Allocation]:
        return [
            Allocation(self.cleaned_data[f"activity_{row}"], self.cleaned_data[f"share_{row}"])
            for row in range(1, SPLIT_ROWS + 1)
            if self.cleaned_data.get(f"activity_{row}")
        ]

    def expense(self) -> dict:
        fields = {
            name: self.cleaned_data[name] for name in ("spent_on", "payee", "amount", "purpose")
        }
        voucher = self.cleaned_data.get("voucher")
        return {**fields, "vouchers": [voucher] if voucher else []}


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("再開の理由"), max_length=300)
