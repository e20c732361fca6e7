"""Forms of revenue records (調定・収入・不納欠損) and the carry-over of a line (翌年度繰越額).
They read the fields; the finance services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.finance.models import RevenueKind
from renkei.forms import WarekiDateField, model_choice_field
from renkei.staff.money_forms import LineChoiceField, amount_field


class RevenueForm(forms.Form):
    line = LineChoiceField(label=_("収入の行"), queryset=None)
    kind = forms.ChoiceField(label=_("種類"), choices=RevenueKind.choices)
    recorded_on = WarekiDateField(label=_("日付"))
    payer = forms.CharField(label=_("納入者"), max_length=200)
    amount = amount_field(_("金額（円）"))
    note = forms.CharField(label=_("備考"), max_length=300, required=False)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "line").queryset = lines

    def revenue(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("kind", "recorded_on", "payer", "amount", "note")
        }


class CarryoverForm(forms.Form):
    amount = amount_field(_("翌年度繰越額（円）"), min_value=0)
    reason = forms.CharField(
        label=_("理由"), max_length=300, help_text=_("例: 繰越明許費（組合議会議決）")
    )
