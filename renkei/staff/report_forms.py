"""The secretariat's form to issue a year's report (確定版) from the report page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.reports.models import ReportEdition, ReportFormat


class ReportIssueForm(forms.Form):
    """Format and edition to issue; with findings left, a confirmation and a reason (the
    service refuses a 確定版 with findings and no reason, whoever calls it)."""

    format = forms.ChoiceField(label=_("形式"), choices=ReportFormat.choices, initial="pdf")
    edition = forms.ChoiceField(label=_("版"), choices=ReportEdition.choices)
    confirm = forms.BooleanField(label=_("上の確認結果を読み、このまま発行します"), required=False)
    reason = forms.CharField(
        label=_("問題が残っていても発行する理由"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("確認で問題が見つかったときは必須です。変更履歴に残ります。"),
    )

    def __init__(self, *args, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.findings = findings
        if findings:
            self.fields["confirm"].required = True
            self.fields["reason"].required = True
            self.fields["confirm"].error_messages["required"] = _(
                "確認で見つかった問題を読んだら、チェックを入れてください。"
            )
            self.fields["reason"].error_messages["required"] = _(
                "問題が残ったまま発行する理由を入力してください。"
            )
        else:
            del self.fields["confirm"]
