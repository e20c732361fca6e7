"""Forms of the 照会 screens: the secretariat's inquiry, its extension and decisions; a
recipient's attendance, impressions and answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renkei.forms import WarekiDateField, model_choice_field
from renkei.inquiries.models import OPTIONAL_KINDS, AnswerType, PartStatus
from renkei.inquiries.services import InquiryData, QuestionData, impressions_of
from renkei.programmes.models import Activity
from renkei.programmes.services import impressions_fingerprint
from renkei.tenancy.models import Organisation

from .forms import AttendanceValueField, reason_field


class ActivityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.group.programme.name} ({obj.group.number}) {obj.title}"


class InquiryForm(forms.Form):
    """What the secretariat asks, of whom and by when; up to five free questions."""

    title = forms.CharField(label=_("件名"), max_length=200)
    deadline = WarekiDateField(label=_("締切日"))
    instructions = forms.CharField(
        label=_("依頼内容・記入の注意"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    recipients = forms.ModelMultipleChoiceField(
        label=_("照会先"), queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    programmes: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("取組を照会する事業"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("照会先が実施した取組を、この事業の中に記入してもらいます。"),
    )
    activities = ActivityChoiceField(
        label=_("出席者数を照会する活動・研修"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    asks_impressions = forms.BooleanField(label=_("感想を照会する"), required=False, initial=True)

    QUESTIONS = 5

    def __init__(self, *args, fiscal_year, **kwargs):
        super().__init__(*args, **kwargs)
        union = fiscal_year.union
        partners = union.partnerships.values_list("organisation", flat=True)
        model_choice_field(self, "recipients").queryset = Organisation.objects.filter(
            pk__in=[*union.members.values_list("pk", flat=True), *partners]
        )
        model_choice_field(self, "programmes").queryset = fiscal_year.programmes.order_by("number")
        model_choice_field(self, "activities").queryset = Activity.objects.filter(
            group__programme__fiscal_year=fiscal_year
        ).select_related("group__programme")
        for n in range(1, self.QUESTIONS + 1):
            self.fields[f"question_{n}"] = forms.CharField(
                label=_("質問%(n)s") % {"n": n}, required=False, max_length=500
            )
            self.fields[f"question_{n}_type"] = forms.ChoiceField(
                label=_("質問%(n)sの回答の形式") % {"n": n},
                choices=AnswerType.choices,
                initial=AnswerType.TEXT,
            )

    def question_rows(self):
        return [
            (self[f"question_{n}"], self[f"question_{n}_type"])
            for n in range(1, self.QUESTIONS + 1)
        ]

    def main_fields(self):
        return [f for f in self if not f.name.startswith("question_")]

    def as_data(self) -> InquiryData:
        data = self.cleaned_data
        return InquiryData(
            title=data["title"],
            deadline=data["deadline"],
            instructions=data["instructions"],
            recipients=list(data["recipients"]),
            programmes=list(data["programmes"]),
            activities=list(data["activities"]),
            asks_impressions=data["asks_impressions"],
            questions=[
                QuestionData(data[f"question_{n}"], data[f"question_{n}_type"])
                for n in range(1, self.QUESTIONS + 1)
                if data[f"question_{n}"].strip()
            ],
        )


def inquiry_initial(inquiry) -> dict:
    initial = {
        "title": inquiry.title,
        "deadline": inquiry.deadline,
        "instructions": inquiry.instructions,
        "asks_impressions": inquiry.asks_impressions,
        "recipients": list(inquiry.recipients.all()),
        "programmes": list(inquiry.programmes.all()),
        "activities": list(inquiry.activities.all()),
    }
    for n, question in enumerate(inquiry.questions.all(), start=1):
        initial |= {f"question_{n}": question.text, f"question_{n}_type": question.answer_type}
    return initial


class ExtendForm(forms.Form):
    deadline = WarekiDateField(label=_("新しい締切日"))
    reason = reason_field(_("延長の理由"))


class MatrixFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状況"), required=False, choices=[("", _("すべて")), *PartStatus.choices]
    )


class PartDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("判断"), choices=[("approve", _("承認")), ("return", _("差戻し"))]
    )
    comment = forms.CharField(
        label=_("差戻しのコメント（差し戻すときは必須）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PartAttendanceForm(forms.Form):
    """The recipient's attendance at each asked activity, with the value the page showed."""

    reason = reason_field()

    def __init__(self, *args, rows, **kwargs):
        """``rows``: (activity, current value) pairs."""
        super().__init__(*args, **kwargs)
        self.rows = rows
        for activity, current in rows:
            self.fields[f"a{activity.pk}"] = AttendanceValueField(
                label=f"{activity.group.programme.name} {activity.title}",
                initial=current,
                help_text=_("人数、「参加」（人数不明）、空欄は記録なし"),
            )
            self.fields[f"seen_a{activity.pk}"] = AttendanceValueField(
                widget=forms.HiddenInput, initial=current
            )

    def visible_rows(self):
        return [self[f"a{activity.pk}"] for activity, _current in self.rows]

    def values(self) -> tuple[dict, dict]:
        data = self.cleaned_data
        return (
            {a.pk: data[f"a{a.pk}"] for a, _c in self.rows},
            {a.pk: data[f"seen_a{a.pk}"] for a, _c in self.rows},
        )


class PartAnswersForm(forms.Form):
    """One impression per asked activity (when impressions are asked), with the state it
    was shown at, and one field per question."""

    def __init__(self, *args, part, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(part.inquiry.questions.all())
        answers = {a.question_id: a for a in part.answers.all()}
        self.impressions = []
        if part.inquiry.asks_impressions:
            sections = impressions_of(part)
            for activity in part.inquiry.activities.order_by(
                "group__programme__number", "group__number", "sub_number"
            ):
                section = sections[activity.pk]
                self.impressions.append(activity.pk)
                self.fields[f"impressions_{activity.pk}"] = forms.CharField(
                    label=_("感想: %(title)s") % {"title": activity.title},
                    required=False,
                    initial=section.lead if section else "",
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
                self.fields[f"expected_impressions_{activity.pk}"] = forms.CharField(
                    required=False,
                    widget=forms.HiddenInput,
                    initial=impressions_fingerprint(section),
                )
        for question in self.questions:
            answer = answers.get(question.pk)
            # Numbers are checked by the service, which says which question was wrong.
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=question.text,
                required=False,
                max_length=5000,
                initial=answer.value if answer else "",
                widget=(
                    forms.TextInput(attrs={"inputmode": "decimal"})
                    if question.answer_type == AnswerType.NUMBER
                    else forms.Textarea(attrs={"rows": 3})
                ),
            )

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data[f"question_{q.pk}"] for q in self.questions}

    def impressions_and_expected(self) -> tuple[dict, dict]:
        """(activity id → impression, activity id → the state it was shown at) of the
        impressions the form sent (one not sent is left as it is)."""
        sent = [pk for pk in self.impressions if self.add_prefix(f"impressions_{pk}") in self.data]
        data = self.cleaned_data
        return (
            {pk: data[f"impressions_{pk}"] for pk in sent},
            {pk: data[f"expected_impressions_{pk}"] for pk in sent},
        )


class MailSettingsForm(forms.Form):
    muted = forms.MultipleChoiceField(
        label=_("受け取らないメール"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k.value, k.label) for k in OPTIONAL_KINDS],
        help_text=_("締切のお知らせは止められません。"),
    )
