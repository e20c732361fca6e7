"""Forms of the staff screens. Dates are typed as 和暦 or ISO (WarekiDateField)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.utils import ErrorDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from renkei.audit.models import AuditEntry
from renkei.errors import RenkeiError
from renkei.finance.models import BudgetLine, ExpenditureSection
from renkei.finance.services import LINE_FIELDS
from renkei.forms import (
    WarekiDateField,
    ascii_int,
    choice_field,
    cleaned_data_of,
    model_choice_field,
)
from renkei.programmes.attendance import TOOK_PART, attendance_value_text, parse_attendance_value
from renkei.programmes.images import prepare_photo
from renkei.programmes.models import Activity, ActivityKind, Pillar, Programme
from renkei.programmes.services import LOCKED_STATES, DayData, LecturerData, VenueData
from renkei.tenancy.models import Organisation, Role
from renkei.tenancy.services import normalise_username
from renkei.tenancy.signin import ThrottledSignInFormMixin

from . import pending_photos
from .history_queries import user_name

REASON_HELP = _("決算確定後の変更では必須です。変更履歴に残ります。")
REASON_REQUIRED = _("決算確定後の年度です。変更の理由を入力してください。")


def reason_field(label=None) -> forms.CharField:
    """Why a record changed: required by the services once the year is closed, kept in
    the change log."""
    return forms.CharField(
        label=label or _("変更の理由"), required=False, help_text=REASON_HELP, max_length=300
    )


def require_reason_when_closed(form, fiscal_year) -> None:
    """In a closed or reported year the services refuse a change without a reason: the
    form says so before it is sent (（必須）) and reports a missing one at the field."""
    if fiscal_year is not None and fiscal_year.state in LOCKED_STATES:
        field = form.fields["reason"]
        field.required = True
        field.error_messages["required"] = REASON_REQUIRED


# What a clerk can do in the long texts (rendered as Markdown), without the word.
FORMATTING_HELP = _(
    "行頭に「## 」を付けた行は見出しに、「- 」を付けた行は箇条書きになります。"
    "空行で段落を分けます。"
)

# Where a record stands among its siblings (the models call the column 順序).
ORDER_LABEL = _("並び順")
ORDER_HELP = _("表や報告書で上から何番目に出すか。番号の小さいものから並びます。")

LOCK_MISSING = _(
    "画面を開いたときの記録の版が送られていません。保存していません。"
    "画面を開き直してから、もう一度入力してください。"
)


def lock_field(field_class=forms.IntegerField, **kwargs) -> forms.Field:
    """The state an edit form was loaded at (a record's version or fingerprint), sent back
    hidden. Required on every edit: without it a save would overwrite someone else's
    change unseen. A form for a new record sets ``required = False``."""
    return field_class(
        label=_("記録の版"),
        widget=forms.HiddenInput,
        error_messages={"required": LOCK_MISSING, "invalid": LOCK_MISSING},
        **kwargs,
    )


class SignInForm(ThrottledSignInFormMixin, AuthenticationForm):
    """Django's sign-in behind the one throttle (``tenancy.signin``)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("ユーザー名またはパスワードが違います。"),
    }


class ActivityFilterForm(forms.Form):
    """The activity list's filters; every field is optional."""

    q = forms.CharField(label=_("キーワード"), required=False)
    programme = forms.ModelChoiceField(
        label=_("事業"), queryset=Programme.objects.none(), required=False, empty_label=_("すべて")
    )
    pillar = forms.ModelChoiceField(
        label=_("柱"), queryset=Pillar.objects.none(), required=False, empty_label=_("すべて")
    )
    municipality = forms.ModelChoiceField(
        label=_("市町"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("すべて"),
    )
    kind = forms.ChoiceField(
        label=_("種別"), required=False, choices=[("", _("すべて")), *ActivityKind.choices]
    )

    def __init__(self, *args, programmes, pillars, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "programme").queryset = programmes
        model_choice_field(self, "pillar").queryset = pillars
        model_choice_field(self, "municipality").queryset = municipalities


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_name(obj)


class HistoryFilterForm(forms.Form):
    """The change history's filters; every field is optional, dates as 和暦 or ISO."""

    date_from = WarekiDateField(label=_("期間（から）"), required=False)
    date_to = WarekiDateField(label=_("期間（まで）"), required=False)
    user = UserChoiceField(
        label=_("利用者"), queryset=None, required=False, empty_label=_("すべて")
    )
    model = forms.ChoiceField(label=_("記録の種類"), required=False)
    action = forms.ChoiceField(label=_("操作"), required=False)
    q = forms.CharField(label=_("キーワード（記録・理由）"), required=False)

    def __init__(self, *args, users, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "user").queryset = users
        choice_field(self, "model").choices = [("", _("すべて")), *kinds]
        choice_field(self, "action").choices = [("", _("すべて")), *AuditEntry.Action.choices]

    def clean(self):
        super().clean()
        data = cleaned_data_of(self)
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise ValidationError(_("期間の終わりが始まりより前になっています。"))
        return data


class ActivityForm(forms.ModelForm):
    """The activity's own fields, with the version it was loaded at and a reason."""

    version = lock_field(min_value=0)
    reason = reason_field()

    class Meta:
        model = Activity
        fields = [
            "title",
            "heading",
            "theme",
            "kind",
            "pillars",
            "organiser",
            "lead_organisations",
            "delivery_mode",
            "place_summary",
            "purpose",
            "description",
            "attendee_total",
            "visitor_count",
            "visitors_approximate",
            "is_public",
            "publication_proposed",
        ]
        widgets = {
            "pillars": forms.CheckboxSelectMultiple,
            "lead_organisations": forms.CheckboxSelectMultiple,
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {"description": FORMATTING_HELP}

    OWNER_FIELDS = ("pillars", "organiser", "lead_organisations")

    def __init__(self, *args, union, may_reassign: bool, may_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = self.instance.pk is not None
        model_choice_field(self, "pillars").queryset = Pillar.objects.filter(project__union=union)
        self._order_leads(union)
        if not may_reassign:
            for name in self.OWNER_FIELDS:
                self.fields[name].disabled = True
        if may_publish:
            self.fields["publication_proposed"].label = _("公開の提案（構成市町・連携先から）")
        else:  # the secretariat publishes; the others propose it
            del self.fields["is_public"]
            self.fields["publication_proposed"].help_text = _(
                "公開ポータルと報告書（公開版）への掲載を事務局に提案します。"
            )

    SECTIONS = (
        (
            _("基本"),
            (
                "title",
                "heading",
                "theme",
                "kind",
                "pillars",
                "organiser",
                "lead_organisations",
                "delivery_mode",
                "place_summary",
            ),
        ),
        (_("目的と内容"), ("purpose", "description")),
        (
            _("人数と公開"),
            (
                "attendee_total",
                "visitor_count",
                "visitors_approximate",
                "is_public",
                "publication_proposed",
            ),
        ),
    )

    def sections(self) -> list[tuple]:
        """(title, bound fields, whether one has an error) of the form's parts, in order;
        the page folds each into a section that opens when it has an error."""
        result = []
        for title, names in self.SECTIONS:
            fields = [self[name] for name in names if name in self.fields]
            result.append((title, fields, any(f.errors for f in fields)))
        return result

    def _order_leads(self, union) -> None:
        """Lead municipalities are offered with the chosen ones first, in their stored
        order, then the other members in 規約 order; the checked ones are saved in the
        order the browser sends them (the page's order), so the stored order stays and a
        newly checked one comes last (to move one to the end: uncheck, save, check)."""
        field = model_choice_field(self, "lead_organisations")
        field.queryset = union.members_in_order()
        chosen = self.instance.leads() if self.instance.pk else []
        offered = chosen + [org for org in field.queryset if org not in chosen]
        field.choices = [(org.pk, field.label_from_instance(org)) for org in offered]

    def clean_lead_organisations(self) -> list:
        chosen = self.cleaned_data["lead_organisations"]
        name = self.add_prefix("lead_organisations")
        posted = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name)
        posted = posted if isinstance(posted, list | tuple) else [posted]
        position = {str(value): n for n, value in reversed(list(enumerate(posted)))}
        return sorted(chosen, key=lambda org: position.get(str(org.pk), len(position)))

    def service_fields(self) -> dict:
        """The activity's own columns (the organiser among them); pillars and lead
        organisations are many-to-many and go to the service separately."""
        skip = {"version", "reason", "pillars", "lead_organisations"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class DayForm(forms.Form):
    """One schedule day with a fixed number of venue slots (name, municipality, address):
    enough for the day's venues and one more, without JavaScript."""

    date = WarekiDateField(label=_("日付"))
    end_date = WarekiDateField(label=_("終了日"), required=False)
    start_time = forms.TimeField(
        label=_("開始時刻"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("終了時刻"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    note = forms.CharField(label=_("備考"), required=False, max_length=100)

    VENUE_PREFIX = "venue_"

    def __init__(self, *args, municipalities=(), venue_slots: int = 3, **kwargs):
        """``municipalities``: (group label, organisations) pairs offered for a venue."""
        super().__init__(*args, **kwargs)
        self.municipalities = {str(o.pk): o for _group, orgs in municipalities for o in orgs}
        choices = [
            ("", _("（選択しない）")),
            *(
                (group, [(str(o.pk), o.name) for o in orgs])
                for group, orgs in municipalities
                if orgs
            ),
        ]
        self.venue_numbers = range(1, venue_slots + 1)
        for n in self.venue_numbers:
            self.fields[f"venue_name_{n}"] = forms.CharField(
                label=_("会場%(n)sの会場名") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"venue_municipality_{n}"] = forms.ChoiceField(
                label=_("会場%(n)sの所在自治体") % {"n": n},
                required=False,
                choices=choices,
                error_messages={
                    "invalid_choice": _("一覧にない自治体です。一覧から選んでください。")
                },
            )
            self.fields[f"venue_address_{n}"] = forms.CharField(
                label=_("会場%(n)sの住所") % {"n": n}, required=False, max_length=200
            )

    def schedule_fields(self):
        """The day's own fields; the venue table and the formset's delete box come after."""
        return [f for f in self if not f.name.startswith(self.VENUE_PREFIX) and f.name != "DELETE"]

    def venue_rows(self):
        """(number, name, municipality, address) bound fields of each venue slot."""
        return [
            (
                n,
                self[f"venue_name_{n}"],
                self[f"venue_municipality_{n}"],
                self[f"venue_address_{n}"],
            )
            for n in self.venue_numbers
        ]

    def clean(self):
        super().clean()
        data = cleaned_data_of(self)
        start, end = data.get("date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError(_("終了日が日付より前です。"))
        for n in self.venue_numbers:
            if (
                data.get(f"venue_address_{n}", "").strip()
                and not data.get(f"venue_name_{n}", "").strip()
                and not data.get(f"venue_municipality_{n}")
            ):
                self.add_error(
                    f"venue_name_{n}", _("会場名か所在自治体のどちらかを入力してください。")
                )
        return data

    def as_data(self) -> DayData:
        data = self.cleaned_data
        venues = [
            VenueData(
                name=data[f"venue_name_{n}"].strip(),
                municipality=self.municipalities.get(data[f"venue_municipality_{n}"]),
                address=data[f"venue_address_{n}"].strip(),
            )
            for n in self.venue_numbers
        ]
        return DayData(
            date=data["date"],
            end_date=data["end_date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            note=data["note"],
            venues=[v for v in venues if not v.is_blank],
        )


class LecturerForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=100)
    title = forms.CharField(label=_("役職"), required=False, max_length=100)
    organisation_name = forms.CharField(label=_("所属"), required=False, max_length=200)

    def as_data(self) -> LecturerData:
        data = self.cleaned_data
        return LecturerData(data["name"], data["title"], data["organisation_name"])


DayFormSet = forms.formset_factory(DayForm, extra=1, can_delete=True)
LecturerFormSet = forms.formset_factory(LecturerForm, extra=1, can_delete=True)


MAX_VENUE_SLOTS = 20


def adds_rows(request) -> bool:
    """Whether a form was sent by 「日を追加」 or 「会場を追加」 (the page without its
    script): shown again with the row added, nothing checked or saved."""
    return request.method == "POST" and ("add_day" in request.POST or "add_venue" in request.POST)


def with_added_day(data):
    """The posted data, with one more day in the days formset after 「日を追加」."""
    data = data.copy()
    if "add_day" in data:
        total = ascii_int(data.get("days-TOTAL_FORMS")) or 0
        data["days-TOTAL_FORMS"] = str(min(total + 1, 100))
    return data


def posted_venue_slots(request, default: int) -> int:
    """Venue rows per day: as many as the page had (its script adds some), one more
    after 「会場を追加」, at least three; ``default`` for a page not yet sent."""
    if request.method != "POST":
        return default
    shown = ascii_int(request.POST.get("venue_slots")) or default
    wanted = shown + 1 if "add_venue" in request.POST else shown
    return max(3, min(wanted, MAX_VENUE_SLOTS))


def hold_errors(form) -> None:
    """Show a bound form or formset again without checking it: a page that only adds a
    row (「日を追加」 without the script) keeps what was typed and reports nothing before
    the person saves."""
    if isinstance(form, forms.BaseFormSet):
        # The formset's caches of its errors (Django's own ``full_clean`` fills them),
        # which django-stubs does not declare.
        form._errors, form._non_form_errors = [], form.error_class()  # type: ignore[attr-defined]
        for each in form.forms:
            hold_errors(each)
        return
    form._errors, form.cleaned_data = ErrorDict(renderer=form.renderer), {}


def formset_rows(formset) -> list:
    """The filled, not-deleted rows of a valid formset, as service data."""
    return [
        f.as_data() for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def day_initial(activity) -> list[dict]:
    rows = []
    for d in activity.days.all():
        row = {
            "date": d.date,
            "end_date": d.end_date,
            "start_time": d.start_time,
            "end_time": d.end_time,
            "note": d.note,
        }
        for n, venue in enumerate(d.venues.all(), start=1):
            row |= {
                f"venue_name_{n}": venue.name,
                f"venue_address_{n}": venue.address,
                f"venue_municipality_{n}": str(venue.municipality_id or ""),
            }
        rows.append(row)
    return rows


def venue_slots(activity) -> int:
    """Venue slots per day: one more than the busiest day has, at least three."""
    if activity.pk is None:
        return 3
    busiest = max((len(d.venues.all()) for d in activity.days.all()), default=0)
    return max(busiest + 1, 3)


def lecturer_initial(activity) -> list[dict]:
    return [
        {"name": lec.name, "title": lec.title, "organisation_name": lec.organisation_name}
        for lec in activity.lecturers.all()
    ]


class AttendanceValueField(forms.CharField):
    """One organisation's attendance as people type it: a count, 「参加」 (took part, the
    number unknown) or empty (no record); ``attendance.parse_attendance_value`` reads it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value is None or isinstance(value, int) or value == TOOK_PART:
            return attendance_value_text(value)
        return value

    def to_python(self, value):
        if value == TOOK_PART or isinstance(value, int):  # a disabled row's initial value
            return value
        try:
            return parse_attendance_value(super().to_python(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error


class CountsForm(forms.Form):
    """A grid of attendance values keyed by id (organisations or activities): a count,
    「参加」 or empty, each with the value the page showed (``seen_<id>``) so a concurrent
    change is detected."""

    reason = reason_field()

    def __init__(self, *args, rows, **kwargs):
        """``rows``: (key, label, current value or None, editable) in display order."""
        super().__init__(*args, **kwargs)
        self.rows = rows
        for key, label, current, editable in rows:
            self.fields[f"count_{key}"] = AttendanceValueField(
                label=label,
                initial=current,
                disabled=not editable,  # the page explains the values once, above the grid
                # a text input: 「参加」 must be typable (a numeric keypad, inputmode
                # "numeric", has no way to it on a phone; a datalist's popup swallowed the
                # next click in Chromium)
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "text",
                        "class": "count",
                        "size": 6,
                        "maxlength": 20,
                        "autocomplete": "off",
                    }
                ),
            )
            self.fields[f"seen_{key}"] = AttendanceValueField(
                initial=current, widget=forms.HiddenInput, disabled=not editable
            )

    def clean(self):
        """Every editable row must send back the value the page showed (``seen_<id>``,
        empty for "none"): a row without it would overwrite someone else's count unseen."""
        data = super().clean()
        for key, _label, _current, editable in self.rows:
            if editable and f"count_{key}" in self.data and f"seen_{key}" not in self.data:
                self.add_error(f"count_{key}", LOCK_MISSING)
        return data

    def counts(self) -> tuple[dict, dict]:
        """(new values, seen values) of the editable rows the form sent (a row not sent
        is left as it is, never taken for an emptied one)."""
        editable = [
            key
            for key, _label, _current, can_edit in self.rows
            if can_edit and self.add_prefix(f"count_{key}") in self.data
        ]
        data = self.cleaned_data
        return (
            {k: data.get(f"count_{k}") for k in editable},
            {k: data.get(f"seen_{k}") for k in editable},
        )

    def grid(self):
        for key, label, _current, _editable in self.rows:
            yield label, self[f"count_{key}"], self[f"seen_{key}"]


class AttendanceTotalsForm(forms.Form):
    """What the source says of the whole (secretariat): the total and how many member
    municipalities of each kind took part, named or not, with the values the page showed."""

    total = forms.IntegerField(
        label=_("出席者数（合計）"),
        required=False,
        min_value=0,
        help_text=_("資料にある合計。分からなければ空欄。"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    seen_total = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = reason_field()

    def __init__(self, *args, kinds, **kwargs):
        """``kinds``: (municipality kind, label, how many members of it the union has)."""
        super().__init__(*args, **kwargs)
        self.kinds = [kind for kind, _label, _available in kinds]
        for kind, label, available in kinds:
            self.fields[f"kind_{kind}"] = forms.IntegerField(
                label=_("出席した構成市町の数（%(kind)s）") % {"kind": label},
                required=False,
                min_value=0,
                max_value=available,
                help_text=_(
                    "名前が分かっていてもいなくても、参加した%(kind)sの数（構成市町の%(kind)sは%(n)s団体）。"
                )
                % {"kind": label, "n": available},
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"seen_{kind}"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput
            )

    def clean(self):
        data = super().clean()
        if any(
            name.startswith("seen_") and self.add_prefix(name) not in self.data
            for name in self.fields
        ):
            raise ValidationError(LOCK_MISSING)
        return data

    def totals(self) -> dict:
        """Keyword arguments of ``record_attendance_totals``."""
        data = self.cleaned_data
        return {
            "total": data["total"],
            "seen_total": data["seen_total"],
            "composition": {kind: data[f"kind_{kind}"] or 0 for kind in self.kinds},
            "seen_composition": {kind: data[f"seen_{kind}"] or 0 for kind in self.kinds},
            "reason": data["reason"],
        }


def attendance_totals_initial(known, kinds) -> dict:
    """The totals form's values (and their seen copies) from the records."""
    composition = dict(known.composition)
    initial = {"total": known.recorded_total, "seen_total": known.recorded_total}
    for kind, _label, _available in kinds:
        initial[f"kind_{kind}"] = initial[f"seen_{kind}"] = composition.get(kind)
    return initial


class ProposalDecisionForm(forms.Form):
    """The secretariat's answer to one attendance proposal."""

    comment = forms.CharField(
        label=_("コメント（却下するときは必須）"),
        required=False,
        max_length=500,
        widget=forms.TextInput,
    )


class PhotoForm(forms.Form):
    image = forms.ImageField(
        label=_("写真"), help_text=_("JPEG・PNG・WebP、20MBまで。位置情報は削除します。")
    )
    caption = forms.CharField(label=_("キャプション"), max_length=200, required=False)
    alt_text = forms.CharField(
        label=_("代替テキスト"),
        max_length=300,
        help_text=_("写真を見られない人のために、何が写っているかを書きます。"),
    )
    is_public = forms.BooleanField(
        label=_("公開する"),
        required=False,
        help_text=_(
            "公開ポータルと報告書（公開版）に載せます。チェックしなければ非公開で登録します。"
        ),
    )
    reason = reason_field()

    def __init__(self, *args, may_publish: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish:  # only the secretariat publishes; others propose afterwards
            del self.fields["is_public"]


class PhotoEditForm(forms.Form):
    """A photo's caption and alternative text; publishing is the secretariat's."""

    caption = forms.CharField(label=_("キャプション"), max_length=200, required=False)
    alt_text = forms.CharField(
        label=_("代替テキスト"),
        max_length=300,
        help_text=_("写真を見られない人のために、何が写っているかを書きます。"),
    )
    is_public = forms.BooleanField(
        label=_("公開する"),
        required=False,
        help_text=_("公開ポータルに表示します（事務局のみ変更できます）。"),
    )
    publication_proposed = forms.BooleanField(
        label=_("公開を提案"),
        required=False,
        help_text=_("公開ポータルと報告書（公開版）への掲載を事務局に提案します。"),
    )
    expected = lock_field(forms.CharField, max_length=64)
    reason = reason_field()

    def __init__(self, *args, may_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_public"].disabled = not may_publish


class DeleteForm(forms.Form):
    """Deleting a versioned record (activity, budget line): the version the page showed,
    and a reason, needed once the year is closed."""

    version = lock_field(min_value=0)
    reason = reason_field(_("削除の理由"))


class PhotoChangeForm(forms.Form):
    """Deleting or moving a photo: only a reason, needed once the year is closed."""

    reason = reason_field()


class ImpressionsForm(forms.Form):
    text = forms.CharField(
        label=_("感想"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=format_lazy("{} {}", FORMATTING_HELP, _("空にすると削除します。")),
    )
    expected = lock_field(forms.CharField, max_length=64)
    reason = reason_field()


class BudgetLineForm(forms.ModelForm):
    version = lock_field(min_value=0)
    reason = reason_field()

    class Meta:
        model = BudgetLine
        fields = list(LINE_FIELDS)
        widgets = {
            "budgeted": forms.NumberInput(attrs={"inputmode": "numeric", "class": "amount"}),
            "settled": forms.NumberInput(attrs={"inputmode": "numeric", "class": "amount"}),
            "order": forms.NumberInput(attrs={"inputmode": "numeric", "class": "amount"}),
        }
        labels = {"order": ORDER_LABEL}
        help_texts = {"order": ORDER_HELP}

    def __init__(self, *args, fiscal_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = self.instance.pk is not None
        model_choice_field(self, "section").queryset = ExpenditureSection.for_year(fiscal_year.year)

    def _post_clean(self):
        pass  # the service validates and saves; the model is not touched here

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "reason")}


class InviteForm(forms.Form):
    username = forms.CharField(
        label=_("ユーザー名"),
        max_length=150,
        help_text=_("半角の英字・数字と . _ @ + - が使えます。"),
    )
    display_name = forms.CharField(label=_("氏名"), max_length=150, required=False)
    email = forms.EmailField(label=_("メールアドレス"), required=False)
    organisation = forms.ModelChoiceField(label=_("所属団体"), queryset=Organisation.objects.none())
    # least powerful first, and chosen unless the secretariat picks another on purpose
    role = forms.ChoiceField(
        label=_("役割"),
        choices=[(r, Role(r).label) for r in (Role.AUDITOR, Role.PARTNER, Role.MEMBER)]
        + [(Role.SECRETARIAT, Role.SECRETARIAT.label)],
        initial=Role.AUDITOR,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = organisations

    def clean_username(self) -> str:
        try:
            return normalise_username(self.cleaned_data["username"])
        except RenkeiError as error:
            raise ValidationError(error.message) from error


class SpreadsheetForm(forms.Form):
    file = forms.FileField(label=_("ファイル（.xlsx または .csv）"))


def counts_form_after_conflict(data, rows) -> CountsForm:
    """The refused input kept, with the counts now saved as the new baseline: saving
    again after reading the other person's change overwrites it deliberately."""
    data = data.copy()
    for key, _label, current, editable in rows:
        if editable:
            data[f"seen_{key}"] = attendance_value_text(current)
    form = CountsForm(data, rows=rows)
    form.is_valid()
    return form


ALT_TEXT_MISSING = _("写真に何が写っているかを書いてください（代替テキスト）。")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFilesField(forms.FileField):
    """A file input taking several files; the form reads and checks them itself (each as
    ``add_photo`` would), so the field only renders the input."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return None


class NewPhotosForm(forms.Form):
    """Photos entered with a new activity: files chosen now (several at once) and those
    kept from an earlier try of the same form, each with its caption and alternative text.

    Binding the form checks each chosen file as ``add_photo`` does (``prepare_photo``) and
    keeps the good ones as pending files (``pending_photos``), so a form that comes back
    with an error still holds them; a file that is not a usable photo is reported by name
    and dropped. Rows are numbered kept ones first, then the new files in their order (the
    page's script adds the new files' caption and text fields under those numbers)."""

    def __init__(self, data=None, files=None, *, user, **kwargs):
        super().__init__(data, files, **kwargs)
        # Added here, not declared on the class, where its name would hide ``self.files``
        # (the uploaded files) from a reader and from the type checker.
        self.fields["files"] = MultipleFilesField(
            label=_("写真（複数選べます）"),
            required=False,
            help_text=_("JPEG・PNG・WebP、1枚20MBまで。位置情報は削除します。"),
            widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        )
        self.user = user
        self.rows: list = []  # pending_photos.PendingPhoto per row
        self.file_errors: list[str] = []
        if self.is_bound:
            self._keep_rows()
        for n, pending in enumerate(self.rows):
            number = {"n": n + 1, "name": pending.name}
            self.fields[f"photo_{n}_token"] = forms.CharField(widget=forms.HiddenInput)
            self.fields[f"photo_{n}_caption"] = forms.CharField(
                label=_("写真%(n)s（%(name)s）のキャプション") % number,
                max_length=200,
                required=False,
            )
            self.fields[f"photo_{n}_alt_text"] = forms.CharField(
                label=_("写真%(n)s（%(name)s）の代替テキスト") % number,
                max_length=300,
                required=False,  # unless the photo is kept (``clean``)
                help_text=_("写真を見られない人のために、何が写っているかを書きます。"),
            )
            self.fields[f"photo_{n}_drop"] = forms.BooleanField(
                label=_("写真%(n)s（%(name)s）を登録しない") % number, required=False
            )

    def _keep_rows(self) -> None:
        old, new = self.data, {}
        posted = 0
        while self.add_prefix(f"photo_{posted}_token") in old:
            posted += 1
        sources: list[tuple[int, str, UploadedFile | None]] = [
            (n, old[self.add_prefix(f"photo_{n}_token")], None) for n in range(posted)
        ]
        uploads = self.files.getlist(self.add_prefix("files")) if self.files else []
        sources += [(posted + k, "", upload) for k, upload in enumerate(uploads)]
        for old_n, token, upload in sources:
            try:
                if upload is not None:
                    pending = pending_photos.keep(prepare_photo(upload), self.user)
                else:
                    pending = pending_photos.describe(token, self.user)
            except RenkeiError as error:
                name = upload.name if upload is not None else ""
                self.file_errors.append(f"{name}: {error.message}" if name else error.message)
                continue
            n = len(self.rows)
            self.rows.append(pending)
            new[self.add_prefix(f"photo_{n}_token")] = pending.token
            for part in ("caption", "alt_text", "drop"):
                value = old.get(self.add_prefix(f"photo_{old_n}_{part}"))
                if value is not None:
                    new[self.add_prefix(f"photo_{n}_{part}")] = value
        data = old.copy()  # type: ignore[attr-defined]  # a bound form's data: QueryDict or dict
        for key in list(data):
            if key.startswith(self.add_prefix("photo_")):
                del data[key]
        data.update(new)
        self.data = data

    def clean(self):
        super().clean()
        data = cleaned_data_of(self)
        for message in self.file_errors:
            self.add_error(None, message)
        for n in range(len(self.rows)):
            if not data.get(f"photo_{n}_drop") and not data.get(f"photo_{n}_alt_text", "").strip():
                self.add_error(f"photo_{n}_alt_text", ALT_TEXT_MISSING)
        return data

    def row_fields(self):
        """(caption, alternative text, drop, token) bound fields of each kept photo."""
        return [
            (
                self[f"photo_{n}_caption"],
                self[f"photo_{n}_alt_text"],
                self[f"photo_{n}_drop"],
                self[f"photo_{n}_token"],
            )
            for n in range(len(self.rows))
        ]

    def entries(self) -> list[tuple]:
        """(token, caption, alternative text) of each photo to add, of a valid form."""
        data = self.cleaned_data
        return [
            (data[f"photo_{n}_token"], data[f"photo_{n}_caption"], data[f"photo_{n}_alt_text"])
            for n in range(len(self.rows))
            if not data[f"photo_{n}_drop"]
        ]
