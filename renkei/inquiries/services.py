"""Business rules of a 照会: the secretariat opens, sends, extends and closes it and
approves or returns each part; a recipient's staff fill in their own part and submit it.

Every function runs in one transaction, asks ``renkei.tenancy.permissions``, writes the
change log and raises ``RenkeiError`` with a message a person can act on. What a part
records of the year (initiatives, attendance) goes through ``programmes.services``.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change
from renkei.errors import RenkeiError
from renkei.programmes.locks import hold_records, release_records
from renkei.programmes.models import (
    Activity,
    ActivityGroup,
    ActivityKind,
    ActivitySection,
    SectionKind,
)
from renkei.programmes.services import (
    DayData,
    VenueData,
    create_activity,
    impressions_fingerprint,
    record_attendance,
    save_impressions,
    update_activity,
)
from renkei.tenancy.permissions import ALLOWED, Action, can, profile_of

from .models import (
    OPTIONAL_KINDS,
    Answer,
    AnswerType,
    Inquiry,
    InquiryPart,
    InquiryState,
    MailOptOut,
    NotificationKind,
    PartStatus,
    Question,
)
from .notifications import queue


@dataclass
class QuestionData:
    text: str
    answer_type: str = AnswerType.TEXT


@dataclass
class InquiryData:
    """What the secretariat types for an inquiry."""

    title: str
    deadline: date
    instructions: str = ""
    recipients: list = field(default_factory=list)
    programmes: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    asks_impressions: bool = True
    questions: list[QuestionData] = field(default_factory=list)


def _require(user, action: Action, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def inquiry_state(inquiry: Inquiry) -> dict:
    """The inquiry as plain values, for the change log."""
    return {
        "title": inquiry.title,
        "instructions": inquiry.instructions,
        "deadline": inquiry.deadline.isoformat(),
        "asks_impressions": inquiry.asks_impressions,
        "recipients": [o.label for o in inquiry.recipients.order_by("code", "name")],
        "programmes": [p.name for p in inquiry.programmes.order_by("number")],
        "activities": [a.title for a in inquiry.activities.all()],
        "questions": [
            f"{q.text}（{q.get_answer_type_display()}）" for q in inquiry.questions.all()
        ],
    }


def _check_data(fiscal_year, data: InquiryData) -> None:
    if not data.title.strip():
        raise RenkeiError(_("件名を入力してください。"), details={"field": "title"})
    foreign = [p for p in data.programmes if p.fiscal_year_id != fiscal_year.pk]
    foreign += [a for a in data.activities if a.fiscal_year.pk != fiscal_year.pk]
    if foreign:
        raise RenkeiError(
            _("%(year)sの事業・活動だけを照会できます: %(names)s")
            % {"year": fiscal_year, "names": "、".join(str(x) for x in foreign)}
        )
    for question in data.questions:
        if question.answer_type not in AnswerType.values:
            raise RenkeiError(_("質問の回答の形式が正しくありません。"))


def _apply(inquiry: Inquiry, data: InquiryData) -> None:
    inquiry.title, inquiry.deadline = data.title.strip(), data.deadline
    inquiry.instructions, inquiry.asks_impressions = data.instructions, data.asks_impressions
    inquiry.save()
    inquiry.recipients.set(data.recipients)
    inquiry.programmes.set(data.programmes)
    inquiry.activities.set(data.activities)
    inquiry.questions.all().delete()
    Question.objects.bulk_create(
        Question(inquiry=inquiry, order=n, text=q.text.strip(), answer_type=q.answer_type)
        for n, q in enumerate(data.questions, start=1)
        if q.text.strip()
    )


@transaction.atomic
def create_inquiry(fiscal_year, user, data: InquiryData) -> Inquiry:
    """Open a draft inquiry for ``fiscal_year`` (secretariat)."""
    _require(user, Action.MANAGE_INQUIRIES, fiscal_year)
    _check_data(fiscal_year, data)
    inquiry = Inquiry(fiscal_year=fiscal_year, deadline=data.deadline)
    _apply(inquiry, data)
    record_change(
        user=user,
        action=AuditEntry.Action.CREATE,
        instance=inquiry,
        union=fiscal_year.union,
        changes={k: [None, v] for k, v in inquiry_state(inquiry).items()},
    )
    return inquiry


def _locked_inquiry(inquiry: Inquiry) -> Inquiry:
    return (
        Inquiry.objects.select_for_update().select_related("fiscal_year__union").get(pk=inquiry.pk)
    )


@transaction.atomic
def update_inquiry(inquiry: Inquiry, user, data: InquiryData) -> Inquiry:
    """Change a draft inquiry; once sent only its deadline moves (``extend_inquiry``)."""
    _require(user, Action.MANAGE_INQUIRIES, inquiry)
    locked = _locked_inquiry(inquiry)
    if locked.state != InquiryState.DRAFT:
        raise RenkeiError(_("送付済みの照会は変更できません。締切の延長か締切だけができます。"))
    _check_data(locked.fiscal_year, data)
    before = inquiry_state(locked)
    _apply(locked, data)
    after = inquiry_state(locked)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        record_change(
            user=user,
            action=AuditEntry.Action.UPDATE,
            instance=locked,
            union=locked.union,
            changes=changes,
        )
    return locked


def _state_change(user, instance, old, new, union, reason="", extra=None) -> None:
    record_change(
        user=user,
        action=AuditEntry.Action.STATE,
        instance=instance,
        union=union,
        reason=reason,
        changes={_("状態"): [str(old.label), str(new.label)], **(extra or {})},
    )


@transaction.atomic
def send_inquiry(inquiry: Inquiry, user, *, today: date | None = None) -> Inquiry:
    """Send a draft: every recipient gets its part, with the inquiry's deadline."""
    _require(user, Action.MANAGE_INQUIRIES, inquiry)
    locked = _locked_inquiry(inquiry)
    if locked.state != InquiryState.DRAFT:
        raise RenkeiError(
            _("この照会はすでに%(state)sです。") % {"state": locked.get_state_display()}
        )
    recipients = list(locked.recipients.all())
    if not recipients:
        raise RenkeiError(_("照会先を1つ以上選んでください。"))
    if not (
        locked.programmes.exists()
        or locked.activities.exists()
        or locked.asks_impressions
        or locked.questions.exists()
    ):
        raise RenkeiError(_("照会する内容（取組・出席者数・感想・質問）を1つ以上選んでください。"))
    if locked.deadline < (today or timezone.localdate()):
        raise RenkeiError(_("締切日が過ぎています。締切日を変えてから送付してください。"))
    InquiryPart.objects.bulk_create(
        InquiryPart(inquiry=locked, organisation=org, deadline=locked.deadline)
        for org in recipients
    )
    for part in locked.parts.select_related("inquiry__fiscal_year"):
        queue(part, NotificationKind.SENT, f"sent:{part.pk}")
    locked.state, locked.sent_at = InquiryState.SENT, timezone.now()
    locked.save(update_fields=["state", "sent_at"])
    _state_change(user, locked, InquiryState.DRAFT, InquiryState.SENT, locked.union)
    return locked


@transaction.atomic
def extend_inquiry(inquiry: Inquiry, user, *, deadline: date, reason: str = "") -> Inquiry:
    """Move a sent inquiry's deadline later; parts with an earlier deadline follow."""
    _require(user, Action.MANAGE_INQUIRIES, inquiry)
    locked = _locked_inquiry(inquiry)
    if locked.state != InquiryState.SENT:
        raise RenkeiError(_("送付済みの照会だけ締切を延長できます。"))
    if deadline <= locked.deadline:
        raise RenkeiError(
            _("新しい締切日は今の締切日（%(old)s）より後にしてください。")
            % {"old": locked.deadline.isoformat()},
            details={"field": "deadline"},
        )
    old = locked.deadline
    locked.deadline = deadline
    locked.save(update_fields=["deadline"])
    locked.parts.filter(deadline__lt=deadline).update(deadline=deadline)
    record_change(
        user=user,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        union=locked.union,
        reason=reason,
        changes={"deadline": [old.isoformat(), deadline.isoformat()]},
    )
    return locked


@transaction.atomic
def close_inquiry(inquiry: Inquiry, user, *, reason: str = "") -> Inquiry:
    """Close a sent inquiry: no part can be changed or submitted any more."""
    _require(user, Action.MANAGE_INQUIRIES, inquiry)
    locked = _locked_inquiry(inquiry)
    if locked.state != InquiryState.SENT:
        raise RenkeiError(_("送付済みの照会だけ締め切れます。"))
    locked.state, locked.closed_at = InquiryState.CLOSED, timezone.now()
    locked.save(update_fields=["state", "closed_at"])
    _state_change(user, locked, InquiryState.SENT, InquiryState.CLOSED, locked.union, reason=reason)
    return locked


# The recipient's side ----------------------------------------------------------------


def _locked_part(part: InquiryPart) -> InquiryPart:
    return (
        InquiryPart.objects.select_for_update()
        .select_related("inquiry__fiscal_year__union", "organisation")
        .get(pk=part.pk)
    )


def refusal(part: InquiryPart) -> str:
    """Why a recipient cannot change its part now."""
    if part.inquiry.state == InquiryState.CLOSED:
        return _("この照会は締め切られました。変更が必要なときは事務局に連絡してください。")
    if part.status == PartStatus.APPROVED:
        return _("この回答は承認済みです。変更が必要なときは事務局に連絡してください。")
    return _("この回答は提出済みです。変更が必要なときは事務局に差戻しを依頼してください。")


def answerable_part(part: InquiryPart, user) -> InquiryPart:
    """The part locked for a change by its recipient's staff: another organisation's part
    is refused (403); the recipient's own submitted or approved part, or one of a closed
    inquiry, is refused with the reason (``RenkeiError``)."""
    locked = _locked_part(part)
    if can(user, Action.ANSWER_INQUIRY, locked):
        return locked
    profile = profile_of(user)
    mine = (
        profile is not None
        and profile.organisation_id == locked.organisation_id
        and profile.union_id == locked.inquiry.union.pk
        and Action.ANSWER_INQUIRY in ALLOWED[profile.role]
    )
    if mine and not locked.accepts_answers:
        raise RenkeiError(refusal(locked))
    raise PermissionDenied


def _started(part: InquiryPart, user) -> None:
    """The first change of a part moves it from 未着手 to 作成中."""
    if part.status == PartStatus.NOT_STARTED:
        part.status = PartStatus.IN_PROGRESS
        part.save(update_fields=["status"])
        _state_change(
            user, part, PartStatus.NOT_STARTED, PartStatus.IN_PROGRESS, part.inquiry.union
        )


@transaction.atomic
def create_initiative(
    part: InquiryPart, user, *, group, fields: dict, days=(), lecturers=(), reason: str = ""
):
    """An initiative the recipient led, added to an item (``group``) of a programme the
    inquiry asks about, with the recipient as its lead."""
    locked = answerable_part(part, user)
    if not locked.inquiry.programmes.filter(pk=group.programme_id).exists():
        raise RenkeiError(
            _("この照会は「%(programme)s」の取組を照会していません。")
            % {"programme": group.programme.name}
        )
    activity = create_activity(
        group,
        user,
        fields=fields,
        lead_organisations=[locked.organisation],
        days=days,
        lecturers=lecturers,
        reason=reason,
        led_under=locked,
    )
    _started(locked, user)
    return activity


@transaction.atomic
def save_part_attendance(part: InquiryPart, user, *, values: dict, seen: dict, reason: str = ""):
    """The recipient's own attendance at the asked activities: ``values`` maps activity id
    to a value (a count, ``TOOK_PART`` or None), ``seen`` to what the form showed."""
    locked = answerable_part(part, user)
    asked = {a.pk: a for a in locked.inquiry.activities.all()}
    unknown = set(values) - set(asked)
    if unknown:
        raise RenkeiError(_("この照会で出席者数を照会していない活動が含まれています。"))
    org = locked.organisation_id
    changed = False
    for activity_id, value in values.items():
        saved = record_attendance(
            asked[activity_id],
            user,
            counts={org: value},
            seen={org: seen.get(activity_id)},
            reason=reason,
        )
        changed = changed or bool(saved.changes or saved.proposals)
    if changed:
        _started(locked, user)
    return locked


def _parsed_number(raw, question: Question):
    text = str(raw if raw is not None else "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) >= Decimal(10) ** 12:
        raise RenkeiError(
            _("「%(question)s」には数値を入力してください。") % {"question": question.text},
            details={"field": f"question_{question.pk}"},
        )
    return value.quantize(Decimal("0.01"))


def impressions_of(part: InquiryPart) -> dict:
    """Activity id → the recipient's 感想 section of each asked activity (or None)."""
    sections = {
        section.activity_id: section
        for section in ActivitySection.objects.filter(
            activity__in=part.inquiry.activities.all(),
            organisation=part.organisation_id,
            kind=SectionKind.IMPRESSIONS,
        )
    }
    return {a.pk: sections.get(a.pk) for a in part.inquiry.activities.all()}


def _save_impressions(locked: InquiryPart, user, texts: dict, expected: dict) -> bool:
    """One impression per asked activity, each the organisation's 感想 of that activity
    (``programmes.save_impressions``: the activity page and the report read the same
    record). Unchanged ones are left alone."""
    if texts and not locked.inquiry.asks_impressions:
        raise RenkeiError(_("この照会は感想を照会していません。"))
    asked = {a.pk: a for a in locked.inquiry.activities.all()}
    if set(texts) - set(asked):
        raise RenkeiError(_("この照会で感想を照会していない活動が含まれています。"))
    current = impressions_of(locked)
    changed = False
    for activity_id, text in texts.items():
        text = (text or "").strip()
        section = current[activity_id]
        if text == (section.lead if section else ""):
            continue
        save_impressions(
            asked[activity_id],
            user,
            organisation=locked.organisation,
            text=text,
            expected=expected.get(activity_id) or impressions_fingerprint(None),
        )
        changed = True
    return changed


@transaction.atomic
def save_part_answers(
    part: InquiryPart, user, *, answers: dict, impressions: dict | None = None, expected=None
):
    """The recipient's impressions of the asked activities (activity id → text, with
    ``expected``: activity id → ``impressions_fingerprint`` as the form showed them) and
    its answers (question id → text or number as typed)."""
    locked = answerable_part(part, user)
    questions = {q.pk: q for q in locked.inquiry.questions.all()}
    if set(answers) - set(questions):
        raise RenkeiError(_("この照会にない質問への回答が含まれています。"))
    existing = {a.question_id: a for a in locked.answers.all()}
    changes = {}
    for question_id, raw in answers.items():
        question = questions[question_id]
        answer = existing.get(question_id) or Answer(part=locked, question=question)
        old = answer.value if answer.pk else None
        if question.answer_type == AnswerType.NUMBER:
            answer.number, answer.text = _parsed_number(raw, question), ""
        else:
            answer.text, answer.number = str(raw or "").strip(), None
        new = answer.value
        if (old or None) != (new or None):
            changes[question.text] = [_plain(old), _plain(new)]
            answer.save()
    if changes:
        record_change(
            user=user,
            action=AuditEntry.Action.UPDATE,
            instance=locked,
            union=locked.inquiry.union,
            changes=changes,
        )
    if _save_impressions(locked, user, impressions or {}, expected or {}) or changes:
        _started(locked, user)
    return locked


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def _holder(part: InquiryPart) -> str:
    return f"inquiries.inquirypart:{part.pk}"


def initiatives_of(part: InquiryPart):
    """The activities the recipient led within the programmes its inquiry asks about."""
    return Activity.objects.filter(
        group__programme__in=part.inquiry.programmes.all(),
        lead_links__organisation=part.organisation_id,
    ).distinct()


def _hold(part: InquiryPart) -> None:
    """Hold what the part answered (its initiatives, its attendance, impressions and
    photos on the asked activities) in every entry point of ``programmes``, until the
    secretariat returns the part."""
    hold_records(
        _holder(part),
        _("照会「%(title)s」への回答（%(status)s）")
        % {"title": part.inquiry.title, "status": part.get_status_display()},
        part.organisation,
        activities=part.inquiry.activities.all(),
        initiatives=initiatives_of(part),
    )


@transaction.atomic
def submit_part(part: InquiryPart, user) -> InquiryPart:
    """The recipient hands its part in; it is locked for them until returned, in the
    照会's screens and wherever else its records can be changed (``_hold``)."""
    locked = answerable_part(part, user)
    old = PartStatus(locked.status)
    locked.status, locked.submitted_at, locked.submitted_by = (
        PartStatus.SUBMITTED,
        timezone.now(),
        user,
    )
    locked.save(update_fields=["status", "submitted_at", "submitted_by"])
    _hold(locked)
    _state_change(user, locked, old, PartStatus.SUBMITTED, locked.inquiry.union)
    return locked


# The secretariat's decisions -----------------------------------------------------------


@transaction.atomic
def approve_part(part: InquiryPart, user) -> InquiryPart:
    """The secretariat accepts a submitted part."""
    _require(user, Action.MANAGE_INQUIRIES, part)
    locked = _locked_part(part)
    if locked.status != PartStatus.SUBMITTED:
        raise RenkeiError(
            _("提出済みの回答だけ承認できます（今は%(status)s）。")
            % {"status": locked.get_status_display()}
        )
    locked.status, locked.decided_at, locked.decided_by = PartStatus.APPROVED, timezone.now(), user
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    _hold(locked)
    _state_change(user, locked, PartStatus.SUBMITTED, PartStatus.APPROVED, locked.inquiry.union)
    queue(locked, NotificationKind.APPROVED, f"approved:{locked.pk}")
    return locked


@transaction.atomic
def return_part(part: InquiryPart, user, *, comment: str) -> InquiryPart:
    """The secretariat sends a submitted (or approved) part back with a comment the
    recipient sees; they change it and submit it again."""
    _require(user, Action.MANAGE_INQUIRIES, part)
    comment = (comment or "").strip()
    if not comment:
        raise RenkeiError(
            _("差し戻す理由を入力してください（照会先に表示します）。"),
            details={"field": "comment"},
        )
    locked = _locked_part(part)
    if locked.inquiry.state != InquiryState.SENT:
        raise RenkeiError(_("締め切った照会の回答は差し戻せません。"))
    if locked.status not in (PartStatus.SUBMITTED, PartStatus.APPROVED):
        raise RenkeiError(
            _("提出済み・承認済みの回答だけ差し戻せます（今は%(status)s）。")
            % {"status": locked.get_status_display()}
        )
    old = PartStatus(locked.status)
    locked.status, locked.return_comment = PartStatus.RETURNED, comment
    locked.decided_at, locked.decided_by = timezone.now(), user
    locked.save(update_fields=["status", "return_comment", "decided_at", "decided_by"])
    release_records(_holder(locked))
    _state_change(user, locked, old, PartStatus.RETURNED, locked.inquiry.union, reason=comment)
    queue(
        locked, NotificationKind.RETURNED, f"returned:{locked.pk}:{locked.decided_at.isoformat()}"
    )
    return locked


@dataclass
class InitiativeRow:
    """An initiative as a workbook row gives it: a new one (``activity`` None) in the
    asked item ``group``, or a change of one the recipient led (``version`` as it was
    downloaded). ``when`` and ``venue`` replace the schedule with one day when
    ``schedule_changed``; otherwise the schedule stays as it is."""

    group: int
    title: str
    when: date
    venue: str = ""
    description: str = ""
    activity: int | None = None
    version: int | None = None
    schedule_changed: bool = True


def save_part_initiatives(part: InquiryPart, user, rows: list[InitiativeRow]) -> list[Activity]:
    """New initiatives (led by the recipient, kind 「その他」 until someone chooses one on
    the activity's page) and changes of those it led, through the same services as the
    screens (``create_initiative``, ``programmes.update_activity``)."""
    locked = answerable_part(part, user)
    led = {a.pk: a for a in initiatives_of(locked)}
    groups = ActivityGroup.objects.select_related("programme__fiscal_year__union").in_bulk(
        {row.group for row in rows}
    )
    saved = []
    for row in rows:
        days = [DayData(row.when, venues=[VenueData(name=row.venue)] if row.venue else [])]
        fields = {"title": row.title, "description": row.description}
        if row.activity is None:
            saved.append(
                create_initiative(
                    locked,
                    user,
                    group=groups[row.group],
                    fields=fields | {"kind": ActivityKind.OTHER},
                    days=days,
                )
            )
            continue
        if row.activity not in led or row.version is None:
            raise RenkeiError(_("この照会の取組ではない活動が含まれています。"))
        saved.append(
            update_activity(
                led[row.activity],
                user,
                expected_version=row.version,
                fields=fields,
                days=days if row.schedule_changed else None,
            )
        )
    if saved:
        _started(locked, user)
    return saved


@transaction.atomic
def save_part(
    part: InquiryPart,
    user,
    *,
    attendance: dict,
    seen: dict,
    answers: dict,
    impressions: dict | None = None,
    expected: dict | None = None,
    initiatives: list[InitiativeRow] | None = None,
) -> InquiryPart:
    """A whole part at once (a workbook filled offline): the initiatives, attendance,
    impressions and answers are all saved, or, on the first refusal, none. Attendance
    before impressions: an impression needs the organisation to have taken part."""
    if initiatives:
        save_part_initiatives(part, user, list(initiatives))
    if attendance:
        save_part_attendance(part, user, values=attendance, seen=seen)
    return save_part_answers(
        part, user, answers=answers, impressions=impressions, expected=expected
    )


@transaction.atomic
def set_muted_mail(user, kinds) -> list[str]:
    """The kinds of 照会 mail ``user`` does not want; deadline reminders cannot be muted."""
    if profile_of(user) is None:
        raise PermissionDenied
    wanted = set(kinds)
    if not wanted <= set(OPTIONAL_KINDS):
        raise RenkeiError(_("締切のお知らせは止められません。"))
    MailOptOut.objects.filter(user=user).exclude(kind__in=wanted).delete()
    MailOptOut.objects.bulk_create(
        [MailOptOut(user=user, kind=k) for k in wanted], ignore_conflicts=True
    )
    return sorted(wanted)
