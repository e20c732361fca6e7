"""Forms of the year's structure: the fiscal year, programmes, items and the report's prose.

Each edit form carries the record's fingerprint as loaded (``expected``) and a reason
(required once the year is closed); the services in renkei.programmes.structure save."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from renkei import wareki
from renkei.audit.services import fingerprint
from renkei.forms import cleaned_data_of, model_choice_field
from renkei.programmes.models import (
    ActivityGroup,
    FiscalYear,
    NarrativeSection,
    Plan,
    Programme,
)
from renkei.programmes.year_states import OPEN_STATES
from renkei.tenancy.models import Organisation

from .forms import FORMATTING_HELP, ORDER_HELP, ORDER_LABEL, lock_field, reason_field


class StructureForm(forms.ModelForm):
    """A record of the year's structure, with the fingerprint it was shown at."""

    expected = lock_field(forms.CharField, max_length=64)
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected"].required = self.instance.pk is not None
        if self.instance.pk:
            self.initial.setdefault("expected", fingerprint(self.instance))

    def clean(self):
        super().clean()
        data = cleaned_data_of(self)
        for name, value in data.items():  # browsers send text areas with CRLF line ends
            if isinstance(value, str):
                data[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        return data

    def _post_clean(self):
        pass  # the service validates and saves; the instance is not touched here

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("expected", "reason")}


class FiscalYearForm(StructureForm):
    class Meta:
        model = FiscalYear
        fields = ["plan", "report_title"]

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "plan").queryset = Plan.objects.filter(union=union)


class ProgrammeForm(StructureForm):
    class Meta:
        model = Programme
        fields = ["number", "name"]
        help_texts = {"number": _("報告書の「1」「2」…の番号です。")}


class GroupForm(StructureForm):
    class Meta:
        model = ActivityGroup
        fields = ["number", "title", "short_title", "kind", "provider", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Providers are often bodies outside the union (a training institute): the shared
        # catalogue of organisations, in kana order.
        model_choice_field(self, "provider").queryset = Organisation.objects.order_by(
            "kana", "name"
        )


class NarrativeForm(StructureForm):
    class Meta:
        model = NarrativeSection
        fields = ["key", "title", "body", "order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
        labels = {"order": ORDER_LABEL}
        help_texts = {"order": ORDER_HELP, "body": FORMATTING_HELP}


class NewYearForm(forms.Form):
    """Open a fiscal year: typed as 2025, 令和7年度 or R7."""

    year = forms.CharField(label=_("年度"), max_length=20, help_text=_("例: 2025、令和7年度、R7"))
    plan = forms.ModelChoiceField(label=_("計画"), queryset=Plan.objects.none(), required=False)
    copy_from = forms.ModelChoiceField(
        label=_("事業と項目を引き継ぐ年度"),
        queryset=FiscalYear.objects.none(),
        required=False,
        empty_label=_("引き継がない"),
        help_text=_("事業名・項目名・番号だけを写します。活動・金額・文章は写しません。"),
    )

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "plan").queryset = Plan.objects.filter(union=union)
        model_choice_field(self, "copy_from").queryset = FiscalYear.objects.filter(
            union=union
        ).order_by("-year")

    def clean_year(self) -> int:
        text = self.cleaned_data["year"]
        try:
            return wareki.parse_fiscal_year(text)
        except ValueError as error:
            raise ValidationError(str(error)) from error


class YearStateForm(forms.Form):
    state = forms.ChoiceField(label=_("状態"), choices=[(s.value, s.label) for s in OPEN_STATES])
