"""Business rules for a year's records: activities, their schedule, lecturers,
attendance, photos and impressions. Every function runs in one transaction, checks
permission through ``renkei.tenancy.permissions``, writes the change log and raises
``RenkeiError`` with a message a person can act on."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import time
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.deletion import RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.audit.models import AuditEntry
from renkei.audit.services import diff, field_label, fingerprint, record_change, snapshot
from renkei.errors import ConflictError, RenkeiError
from renkei.files import files_on_commit, store_in_place
from renkei.tenancy.models import Organisation, OrganisationKind
from renkei.tenancy.permissions import Action, can

from .attendance import (
    MUNICIPALITY_KINDS,
    TOOK_PART,
    AttendanceValue,
    attendance_value_text,
    count_of_value,
)
from .images import LARGE_EDGE, PreparedPhoto, prepare_photo, rendition
from .locks import check_unlocked
from .models import (
    Activity,
    ActivityLead,
    ActivitySection,
    Attendance,
    AttendanceComposition,
    AttendanceProposal,
    Lecturer,
    Photo,
    ProposalState,
    ScheduleDay,
    SectionKind,
    Venue,
)
from .models.activities import photo_upload_to
from .year_states import LOCKED_STATES

# Columns of an activity only the secretariat assigns (with its pillars and lead organisations).
OWNER_COLUMNS = ("organiser",)
# Columns of the secretariat's decision to publish (and a member's proposal of it), which
# a record handed in with a 照会 answer (``locks``) still takes without a reason.
PUBLICATION_COLUMNS = ("is_public", "publication_proposed")


@dataclass
class VenueData:
    """One venue of a schedule day: a name, the municipality it lies in, or both."""

    name: str = ""
    municipality: Organisation | None = None
    address: str = ""

    @property
    def is_blank(self) -> bool:
        return not (self.name.strip() or self.municipality or self.address.strip())


@dataclass
class DayData:
    """One schedule day as typed in a form, with its venues in order."""

    date: datetime.date
    end_date: datetime.date | None = None
    start_time: time | None = None
    end_time: time | None = None
    note: str = ""
    venues: list[VenueData] = field(default_factory=list)


@dataclass
class LecturerData:
    name: str
    title: str = ""
    organisation_name: str = ""


def next_number(queryset, field: str = "number") -> int:
    """The number after the highest ``field`` in ``queryset`` (1 for the first)."""
    last = queryset.order_by(f"-{field}").values_list(field, flat=True).first()
    return (last or 0) + 1


def check_year_open(fiscal_year, reason: str) -> None:
    """A closed year changes only with a stated reason (kept in the change log)."""
    if fiscal_year.state in LOCKED_STATES and not (reason or "").strip():
        raise RenkeiError(
            _("%(year)sは決算確定済みです。変更するには変更の理由を入力してください。")
            % {"year": fiscal_year}
        )


def last_change(model_label: str, object_id) -> AuditEntry | None:
    return (
        AuditEntry.objects.filter(model=model_label, object_id=str(object_id))
        .select_related("user")
        .first()
    )


def conflict(current: dict, model_label: str, object_id, version=None) -> ConflictError:
    """The error for a stale save, carrying what the other person saved."""
    entry = last_change(model_label, object_id)
    who = (entry.user.get_full_name() or entry.user.username) if entry and entry.user else ""
    their_changes = [
        (field_label(model_label, name), change[0], change[1])
        for name, change in (entry.changes.items() if entry else [])
        if isinstance(change, list) and len(change) == 2
    ]
    return ConflictError(
        _(
            "この記録は、あなたが画面を開いた後に%(who)sが変更しました。保存していません。"
            "最新の内容を確認して、もう一度入力してください。"
        )
        % {"who": who or _("他の人")},
        details={
            "current": current,
            "by": who,
            "at": entry.at if entry else None,
            "version": version,
            "changes": their_changes,
        },
    )


def require_lock_token(token, field: str = "version") -> None:
    """An edit must say which state of the record it was made on (its ``version`` or
    fingerprint): without it a save would silently overwrite someone else's change."""
    if token is None or token == "":
        raise RenkeiError(
            _(
                "画面を開いたときの記録の版（%(field)s）が送られていません。保存していません。"
                "画面を開き直してから、もう一度入力してください。"
            )
            % {"field": field},
            details={"field": field},
        )


def _locked_activity(activity: Activity, expected_version: int | None) -> Activity:
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if expected_version is not None and locked.version != expected_version:
        raise conflict(activity_state(locked), "programmes.activity", locked.pk, locked.version)
    return locked


def venue_text(venue: Venue) -> str:
    """A venue for the change log: its name, municipality and address, so a change of
    any of them shows."""
    place = " ".join(part for part in (str(venue.municipality or ""), venue.address) if part)
    if venue.name and place:
        return f"{venue.name}（{place}）"
    return venue.name or place


def activity_state(activity: Activity) -> dict:
    """The activity's fields, schedule and lecturers as plain values (for diff and conflicts)."""
    data = snapshot(activity)
    data.pop("version", None)
    data["days"] = [
        f"{d.date.isoformat()}"
        f"{'~' + d.end_date.isoformat() if d.end_date else ''} "
        f"{d.start_time or ''}-{d.end_time or ''} {d.note} "
        f"[{'、'.join(venue_text(v) for v in d.venues.all())}]".strip()
        for d in activity.days.all()
    ]
    data["lecturers"] = [str(lecturer) for lecturer in activity.lecturers.all()]
    # In order, by name: a reorder is a change, and the history reads 飯豊町、小国町.
    data["lead_organisations"] = [org.label for org in activity.leads()]
    return data


def _may_edit(user, activity) -> bool:
    return can(user, Action.EDIT_YEAR, activity) or can(user, Action.CONTRIBUTE, activity)


def _replace_schedule(activity, days: list[DayData], lecturers: list[LecturerData]) -> None:
    seen = set()
    for day in days:
        if day.date in seen:
            raise RenkeiError(_("同じ日付の日程が2つあります: %(date)s") % {"date": day.date})
        seen.add(day.date)
        if day.end_date and day.end_date < day.date:
            raise RenkeiError(_("日程の終了日が開始日より前です。"))
        if day.start_time and day.end_time and day.end_time < day.start_time:
            raise RenkeiError(_("日程の終了時刻が開始時刻より前です。"))
        for venue in day.venues:
            if not venue.is_blank and not (venue.name.strip() or venue.municipality):
                raise RenkeiError(
                    _("会場名か所在自治体のどちらかを入力してください: %(date)s")
                    % {"date": day.date}
                )
    activity.days.all().delete()
    activity.lecturers.all().delete()
    for day in days:
        row = ScheduleDay.objects.create(
            activity=activity,
            date=day.date,
            end_date=day.end_date,
            start_time=day.start_time,
            end_time=day.end_time,
            note=day.note,
        )
        Venue.objects.bulk_create(
            Venue(
                day=row,
                order=i,
                name=venue.name.strip(),
                municipality=venue.municipality,
                address=venue.address.strip(),
            )
            for i, venue in enumerate((v for v in day.venues if not v.is_blank), start=1)
        )
    Lecturer.objects.bulk_create(
        Lecturer(
            activity=activity,
            order=i,
            name=lec.name,
            title=lec.title,
            organisation_name=lec.organisation_name,
        )
        for i, lec in enumerate(lecturers)
        if lec.name.strip()
    )


def _check_publication(user, activity, fields: dict) -> dict:
    """Publication is the secretariat's decision (Action.PUBLISH): anyone else changing
    ``is_public`` is refused; members propose it (``publication_proposed``). Publishing
    answers the proposal, so it is cleared."""
    wanted = fields.get("is_public", activity.is_public)
    if wanted != activity.is_public and not can(user, Action.PUBLISH, activity):
        raise PermissionDenied(_("公開するかどうかは事務局が決めます。公開を提案してください。"))
    if wanted and not activity.is_public:
        fields = {**fields, "publication_proposed": False}
    return fields


def set_leads(activity, organisations) -> None:
    """Make ``organisations`` the activity's lead municipalities, in the order given (a
    repeated one counts once, where it first appears)."""
    ordered = list(dict.fromkeys(organisations))
    activity.lead_links.all().delete()
    ActivityLead.objects.bulk_create(
        ActivityLead(activity=activity, organisation=org, order=n)
        for n, org in enumerate(ordered, start=1)
    )


def _apply(activity, fields: dict, pillars, lead_organisations) -> None:
    """Set the activity's columns, pillars and (an ordered list of) lead organisations."""
    for name, value in fields.items():
        setattr(activity, name, value)
    if activity.visitor_count is None:
        activity.visitors_approximate = False
    activity.save()
    if pillars is not None:
        activity.pillars.set(pillars)
    if lead_organisations is not None:
        set_leads(activity, lead_organisations)


def _may_lead(user, grant, lead_organisations) -> bool:
    """Member or partner staff adding an activity their own organisation leads, under a
    grant the permission table accepts."""
    return (
        grant is not None
        and can(user, Action.LEAD_ACTIVITY, grant)
        and [org.pk for org in lead_organisations or []] == [grant.organisation_id]
    )


@transaction.atomic
def create_activity(
    group,
    user,
    *,
    fields: dict,
    pillars=None,
    lead_organisations=None,
    days: Sequence[DayData] = (),
    lecturers: Sequence[LecturerData] = (),
    reason: str = "",
    led_under=None,
) -> Activity:
    """Add an activity to a programme's group, numbered after the last one: the
    secretariat, or (``led_under``: a record of a higher layer granting it, an inquiry's
    open part whose caller checked the programme is asked) its organisation's staff, with
    that organisation as the only lead (``Action.LEAD_ACTIVITY``)."""
    if not (can(user, Action.EDIT_YEAR, group) or _may_lead(user, led_under, lead_organisations)):
        raise PermissionDenied
    check_year_open(group.programme.fiscal_year, reason)
    activity = Activity(group=group, sub_number=next_number(group.activities, "sub_number"))
    fields = _check_publication(user, activity, fields)
    _apply(activity, fields, pillars, lead_organisations)
    _replace_schedule(activity, list(days), list(lecturers))
    record_change(
        user=user,
        action=AuditEntry.Action.CREATE,
        instance=activity,
        union=group.programme.fiscal_year.union,
        reason=reason,
        changes=diff({}, activity_state(activity)),
    )
    return activity


def _log_activity_update(locked: Activity, user, changes: dict, reason: str) -> None:
    """A saved change of an activity: its version goes up (a form loaded before is stale)
    and the change log records what changed."""
    locked.version += 1
    Activity.objects.filter(pk=locked.pk).update(version=locked.version)
    record_change(
        user=user,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        union=locked.union,
        changes=changes,
        reason=reason,
    )


@transaction.atomic
def update_activity(
    activity,
    user,
    *,
    expected_version: int,
    fields: dict,
    pillars=None,
    lead_organisations=None,
    days: list[DayData] | None = None,
    lecturers: list[LecturerData] | None = None,
    reason: str = "",
) -> Activity:
    """Save an edited activity, refusing a stale form (someone saved in between)."""
    if not _may_edit(user, activity):
        raise PermissionDenied
    require_lock_token(expected_version)
    locked = _locked_activity(activity, expected_version)
    check_year_open(locked.fiscal_year, reason)
    before = activity_state(locked)
    if not can(user, Action.EDIT_YEAR, locked):
        pillars = lead_organisations = None  # contributors cannot re-assign ownership
        fields = {k: v for k, v in fields.items() if k not in OWNER_COLUMNS}
    fields = _check_publication(user, locked, fields)
    _apply(locked, fields, pillars, lead_organisations)
    if days is not None:
        _replace_schedule(
            locked,
            days,
            lecturers
            if lecturers is not None
            else [
                LecturerData(lec.name, lec.title, lec.organisation_name)
                for lec in locked.lecturers.all()
            ],
        )
    changes = diff(before, activity_state(locked))
    if set(changes) - set(PUBLICATION_COLUMNS):  # publishing is not a change of an answer
        check_unlocked(user, locked, whole=True, reason=reason)
    if changes:
        _log_activity_update(locked, user, changes, reason)
    return locked


@transaction.atomic
def delete_activity(activity, user, *, expected_version: int | None, reason: str = "") -> None:
    """Remove an activity with its schedule, lecturers, attendance, sections and photos
    (secretariat). The change log keeps what it was; the activities after it in its item
    move up one number (③ becomes ②), as the report numbers them; its open-data ID stays
    retired, never reused."""
    if not can(user, Action.EDIT_YEAR, activity):
        raise PermissionDenied
    require_lock_token(expected_version)
    locked = _locked_activity(activity, expected_version)
    check_year_open(locked.fiscal_year, reason)
    check_unlocked(user, locked, whole=True, reason=reason)
    state = activity_state(locked)
    state["attendances"] = [
        f"{a.organisation.label} {attendance_value_text(_value_of(a))}"
        for a in locked.attendances.select_related("organisation")
    ]
    state["photos"] = [_photo_label(p) for p in locked.photos.all()]
    files = [(p.image.storage, photo_file_names(p.image.name)) for p in locked.photos.all()]
    group, number, union = locked.group, locked.sub_number, locked.union
    record_change(
        user=user,
        action=AuditEntry.Action.DELETE,
        instance=locked,
        union=union,
        reason=reason,
        changes=diff(state, {}),
    )
    try:
        locked.delete()
    except RestrictedError as error:  # records of a higher app (expenses paid for it)
        raise RenkeiError(
            _(
                "この活動には支出の内訳など他の記録が結び付いているため削除できません"
                "（%(records)s）。先にそれらを直してください。"
            )
            % {
                "records": "、".join(
                    sorted({str(o._meta.verbose_name) for o in error.restricted_objects})
                )
            }
        ) from error
    for later in group.activities.filter(sub_number__gt=number).order_by("sub_number"):
        Activity.objects.filter(pk=later.pk).update(sub_number=later.sub_number - 1)
    for storage, names in files:
        transaction.on_commit(partial(_delete_files, storage, names))


def attendance_label(organisation: Organisation) -> str:
    return _("出席者数（%(org)s）") % {"org": organisation.label}


def _value_of(row: Attendance | None) -> AttendanceValue:
    return None if row is None else row.value


def _log_value(value: AttendanceValue):
    """A value as the change log keeps it: a count, 「参加（人数不明）」 or None."""
    return _("参加（人数不明）") if value == TOOK_PART else value


def _set_value(activity, organisation, row: Attendance | None, value: AttendanceValue) -> None:
    if value is None:
        if row is not None:
            row.delete()
        return
    count = count_of_value(value)
    if row is not None:
        Attendance.objects.filter(pk=row.pk).update(count=count)
    else:
        Attendance.objects.create(activity=activity, organisation=organisation, count=count)


def _checked_value(value, organisation) -> AttendanceValue:
    if value is None or value == TOOK_PART:
        return value
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RenkeiError(
            _("人数は0以上の整数か「参加」で入力してください（%(org)s）。")
            % {"org": organisation.label}
        )
    return value


@dataclass
class AttendanceSaved:
    """What a save did: changes applied, or (a member in a closed year) proposals made."""

    changes: dict = field(default_factory=dict)
    proposals: list = field(default_factory=list)


def changes_wait_for_approval(user, fiscal_year) -> bool:
    """Whether the user's attendance changes in ``fiscal_year`` become proposals: a
    closed or reported year, and the user is not the secretariat."""
    return fiscal_year.state in LOCKED_STATES and not can(user, Action.EDIT_YEAR, fiscal_year)


@transaction.atomic
def record_attendance(
    activity, user, *, counts: dict, seen: dict, reason: str = ""
) -> AttendanceSaved:
    """Set attendance per organisation: ``counts`` maps organisation id to a value
    (``attendance.AttendanceValue``: a count, ``TOOK_PART`` for "took part, number
    unknown", None for no record). ``seen`` holds the values the form showed: a row changed
    by someone else since then is refused, and nothing is saved.

    In a closed or reported year only the secretariat changes the records; a member's or
    the partner's change waits as a proposal for its approval
    (``decide_attendance_proposal``)."""
    locked = _locked_activity(activity, None)  # serialises concurrent attendance saves
    year = locked.fiscal_year
    check_year_open(year, reason)
    proposing = changes_wait_for_approval(user, year)
    existing = {a.organisation_id: a for a in locked.attendances.select_related("organisation")}
    organisations = Organisation.objects.in_bulk(list(counts))
    saved, stale = AttendanceSaved(), {}
    values = {}
    for org_id, value in counts.items():
        org = organisations[org_id]
        value = _checked_value(value, org)
        if _value_of(existing.get(org_id)) == value:
            continue
        if not can(user, Action.CONTRIBUTE, Attendance(activity=locked, organisation=org)):
            raise PermissionDenied
        values[org_id] = value
    check_unlocked(user, locked, values, reason=reason)  # records handed in (照会)
    for org_id, value in values.items():
        row = existing.get(org_id)
        current = _value_of(row)
        org = organisations[org_id]
        if seen.get(org_id) != current:
            stale[org.label] = _log_value(current)
            continue
        if proposing:
            saved.proposals.append(_propose(locked, org, value, user, reason))
        else:
            saved.changes[attendance_label(org)] = [_log_value(current), _log_value(value)]
            _set_value(locked, org, row, value)
    if stale:
        raise conflict(stale, "programmes.activity", locked.pk)
    if saved.changes:
        record_change(
            user=user,
            action=AuditEntry.Action.UPDATE,
            instance=locked,
            union=locked.union,
            changes=saved.changes,
            reason=reason,
        )
    return saved


def _propose(
    activity, organisation, value: AttendanceValue, user, reason: str
) -> AttendanceProposal:
    """One organisation's change waiting for the secretariat (replacing its earlier
    pending proposal for the same activity)."""
    AttendanceProposal.objects.filter(
        activity=activity, organisation=organisation, state=ProposalState.PENDING
    ).delete()
    proposal = AttendanceProposal.objects.create(
        activity=activity,
        organisation=organisation,
        removes=value is None,
        count=value if isinstance(value, int) else None,
        reason=reason,
        proposed_by=user,
    )
    record_change(
        user=user,
        action=AuditEntry.Action.CREATE,
        instance=proposal,
        union=activity.union,
        reason=reason,
        changes={
            attendance_label(organisation): [
                _log_value(
                    _value_of(activity.attendances.filter(organisation=organisation).first())
                ),
                _log_value(value),
            ],
            _("状態"): [None, str(ProposalState.PENDING.label)],
        },
    )
    return proposal


@transaction.atomic
def decide_attendance_proposal(
    proposal, user, *, approve: bool, comment: str = ""
) -> AttendanceProposal:
    """The secretariat approves a proposed change (it becomes the record, logged with the
    proposer's reason) or rejects it with a comment the proposer sees."""
    locked = (
        AttendanceProposal.objects.select_for_update()
        .select_related("organisation", "activity")
        .get(pk=proposal.pk)
    )
    if not can(user, Action.EDIT_YEAR, locked.activity):
        raise PermissionDenied
    if locked.state != ProposalState.PENDING:
        raise RenkeiError(
            _("この提案はすでに%(state)sです。") % {"state": locked.get_state_display()}
        )
    if not approve and not comment.strip():
        raise RenkeiError(
            _("却下する理由を入力してください（提案した団体に表示します）。"),
            details={"field": "comment"},
        )
    activity = _locked_activity(locked.activity, None)
    organisation = locked.organisation
    row = activity.attendances.filter(organisation=organisation).first()
    current = _value_of(row)
    if approve:
        _set_value(activity, organisation, row, locked.value)
        record_change(
            user=user,
            action=AuditEntry.Action.UPDATE,
            instance=activity,
            union=activity.union,
            changes={
                attendance_label(organisation): [_log_value(current), _log_value(locked.value)]
            },
            reason=_("%(org)sの提案を承認: %(reason)s")
            % {"org": organisation.label, "reason": locked.reason},
        )
    locked.state = ProposalState.APPROVED if approve else ProposalState.REJECTED
    locked.decided_by, locked.decided_at, locked.comment = user, timezone.now(), comment.strip()
    locked.save(update_fields=["state", "decided_by", "decided_at", "comment"])
    record_change(
        user=user,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        union=activity.union,
        reason=comment.strip(),
        changes={_("状態"): [str(ProposalState.PENDING.label), str(locked.get_state_display())]},
    )
    return locked


def composition_label(kind: str) -> str:
    return _("出席した構成市町の数（%(kind)s）") % {"kind": OrganisationKind(kind).label}


@transaction.atomic
@dataclass
class NewPhoto:
    """A photo that comes with a new activity (``create_activity_with_records``)."""

    upload: object  # as ``add_photo`` takes it
    caption: str
    alt_text: str


@transaction.atomic
def create_activity_with_records(
    group,
    user,
    *,
    counts: dict,
    seen: dict,
    photos: Sequence[NewPhoto] = (),
    photo_organisation=None,
    **activity,
) -> Activity:
    """A new activity with its first attendance and photos, or nothing: the entry form's
    one save. ``activity`` are ``create_activity``'s arguments; the attendance is
    ``record_attendance``'s, the photos ``add_photo``'s (sent by ``photo_organisation``),
    all with the activity's reason."""
    saved = create_activity(group, user, **activity)
    reason = activity.get("reason", "")
    record_attendance(saved, user, counts=counts, seen=seen, reason=reason)
    for photo in photos:
        add_photo(
            saved,
            user,
            organisation=photo_organisation,
            upload=photo.upload,
            caption=photo.caption,
            alt_text=photo.alt_text,
            reason=reason,
        )
    return saved


@transaction.atomic
def record_attendance_of_many(
    user, sheets: Iterable[tuple[Activity, dict, dict]], *, reason: str = ""
) -> AttendanceSaved:
    """``record_attendance`` for several activities at once — each ``(activity, counts,
    seen)`` — all or nothing: one refused activity (a stale value, a held 照会 answer, a
    closed year without a reason) saves none."""
    saved = AttendanceSaved()
    for activity, counts, seen in sheets:
        one = record_attendance(activity, user, counts=counts, seen=seen, reason=reason)
        saved.changes |= one.changes
        saved.proposals += one.proposals
    return saved


def record_attendance_totals(
    activity,
    user,
    *,
    total: int | None,
    composition: dict,
    seen_total: int | None,
    seen_composition: dict,
    reason: str = "",
) -> dict:
    """The secretariat records what the source says of the whole: the total
    (``attendee_total``) and how many member municipalities of each kind took part
    (``composition``: kind → number, 0 or missing for none), named or not. The values the
    form showed (``seen_*``) guard against overwriting someone else's change. Returns the
    changes."""
    if not can(user, Action.EDIT_YEAR, activity):
        raise PermissionDenied
    locked = _locked_activity(activity, None)
    check_year_open(locked.fiscal_year, reason)
    current = {c.kind: c for c in locked.compositions.all()}
    now = {kind: c.number for kind, c in current.items()}
    if locked.attendee_total != seen_total or any(
        now.get(kind, 0) != (seen_composition.get(kind) or 0) for kind in MUNICIPALITY_KINDS
    ):
        raise conflict(
            {composition_label(k): n for k, n in now.items()}
            | {field_label("programmes.activity", "attendee_total"): locked.attendee_total},
            "programmes.activity",
            locked.pk,
            locked.version,
        )
    if total is not None and (isinstance(total, bool) or total < 0):
        raise RenkeiError(
            _("出席者数（合計）は0以上で入力してください。"), details={"field": "total"}
        )
    members = locked.union.members.values_list("kind", flat=True)
    changes = {}
    for kind in MUNICIPALITY_KINDS:
        number = composition.get(kind) or 0
        if number < 0:
            raise RenkeiError(_("団体数は0以上で入力してください。"), details={"field": kind})
        available = sum(1 for k in members if k == kind)
        if number > available:
            raise RenkeiError(
                _("構成市町の%(kind)sは%(available)s団体です。%(number)s団体とは記録できません。")
                % {"kind": OrganisationKind(kind).label, "available": available, "number": number},
                details={"field": kind},
            )
        if number == now.get(kind, 0):
            continue
        changes[composition_label(kind)] = [now.get(kind), number or None]
        if number and kind in current:
            AttendanceComposition.objects.filter(pk=current[kind].pk).update(number=number)
        elif number:
            AttendanceComposition.objects.create(activity=locked, kind=kind, number=number)
        else:
            current[kind].delete()
    if total != locked.attendee_total:
        changes[field_label("programmes.activity", "attendee_total")] = [
            locked.attendee_total,
            total,
        ]
        locked.attendee_total = total
        Activity.objects.filter(pk=locked.pk).update(attendee_total=total)
    if changes:
        _log_activity_update(locked, user, changes, reason)
    return changes


def add_photo(
    activity,
    user,
    *,
    organisation,
    upload,
    caption: str,
    alt_text: str,
    taken_on=None,
    is_public: bool = False,
    reason: str = "",
) -> Photo:
    """Attach a photo to an activity, with its thumbnail and large view. A photo is
    stored unpublished unless ``is_public`` asks to publish it at once, which only those
    who may publish it (Action.PUBLISH: the secretariat) may. ``upload`` is the file as it
    arrived (checked, bounded and re-encoded here by ``images.prepare_photo``: no EXIF, no
    GPS position, nothing appended kept) or a ``PreparedPhoto`` an entry point already
    made to report errors in its form. ``taken_on`` overrides the date read from the file.

    The image is stored as photos/<activity>/<photo id>-<name>.jpg, its thumbnail beside
    it; both take their names only when the photo's row is committed (``renkei.files``)."""
    photo = Photo(
        activity=activity,
        organisation=organisation,
        caption=caption,
        alt_text=alt_text,
        is_public=is_public,
    )
    if not can(user, Action.CONTRIBUTE, photo) and not can(user, Action.EDIT_YEAR, activity):
        raise PermissionDenied
    if is_public and not can(user, Action.PUBLISH, photo):
        raise PermissionDenied(_("公開するかどうかは事務局が決めます。公開を提案してください。"))
    _check_alt_text(alt_text)
    prepared = upload if isinstance(upload, PreparedPhoto) else prepare_photo(upload)
    storage = photo.image.storage
    with files_on_commit(storage) as store, transaction.atomic():
        check_year_open(activity.fiscal_year, reason)
        check_unlocked(user, activity, [organisation.pk], reason=reason)
        photo.taken_on = taken_on or prepared.taken_on
        photo.order = next_number(activity.photos, "order")
        photo.save()
        photo.image.name = photo_upload_to(
            photo, storage.get_valid_name(f"{photo.pk}-{prepared.name}")
        )
        photo.save(update_fields=["image"])
        store(photo.image.name, prepared.data)
        store(thumbnail_name(photo.image.name), prepared.thumbnail)
        if prepared.large:
            store(rendition_name(photo.image.name, "large"), prepared.large)
        record_change(
            user=user,
            action=AuditEntry.Action.CREATE,
            instance=activity,
            union=activity.union,
            reason=reason,
            changes={_("写真の追加"): [None, f"{caption}（{photo.image.name}）"]},
        )
    return photo


RENDITION_FOLDERS = {"thumb": "thumbs", "large": "large"}  # size → folder beside the photo
PHOTO_SIZES = (*RENDITION_FOLDERS, "full")


def rendition_name(image_name: str, size: str) -> str:
    """Where a photo's smaller size ("thumb", "large") is stored, beside the photo."""
    folder, _sep, name = image_name.rpartition("/")
    return f"{folder}/{RENDITION_FOLDERS[size]}/{name}"


def thumbnail_name(image_name: str) -> str:
    """Where a photo's thumbnail is stored, beside the photo."""
    return rendition_name(image_name, "thumb")


def photo_file_names(image_name: str) -> list[str]:
    """Every file a stored photo owns: the photo and its smaller sizes."""
    return [image_name, *(rendition_name(image_name, size) for size in RENDITION_FOLDERS)]


def open_photo(photo: Photo, size: str):
    """The stored image of ``photo`` in ``size`` ("thumb", "large" or "full"), opened for
    reading, or None when there is no such size or file. The staff screens and the portal
    serve photos through this (after their own checks); MEDIA_ROOT is never served
    directly. A large view missing (a photo stored before large views were made at
    upload) is made from the photo now and kept beside it."""
    if size not in PHOTO_SIZES or not photo.image.name:
        return None
    storage = photo.image.storage
    name = photo.image.name if size == "full" else rendition_name(photo.image.name, size)
    if size == "large" and not storage.exists(name) and storage.exists(photo.image.name):
        _store_large_view(storage, photo.image.name, name)
    if not storage.exists(name):
        return None
    return storage.open(name, "rb")


def _store_large_view(storage, image_name: str, name: str) -> None:
    with storage.open(image_name, "rb") as stored:
        store_in_place(storage, name, rendition(stored, LARGE_EDGE))


def impressions_fingerprint(section: ActivitySection | None) -> str:
    """What an impressions form was loaded at: the section's fingerprint, or "new"."""
    return fingerprint(section) if section is not None else "new"


@transaction.atomic
def save_impressions(activity, user, *, organisation, text: str, expected: str, reason: str = ""):
    """Write (or clear) one organisation's impressions (感想) of an activity. ``expected``
    is ``impressions_fingerprint`` as the form showed them: a change since is refused."""
    require_lock_token(expected, "expected")
    _locked_activity(activity, None)  # serialises saves of the activity's impressions
    section = ActivitySection.objects.filter(
        activity=activity, kind=SectionKind.IMPRESSIONS, organisation=organisation
    ).first()
    if impressions_fingerprint(section) != expected:
        raise conflict(
            {_("感想"): section.lead if section else None},
            "programmes.activity",
            activity.pk,
            impressions_fingerprint(section),
        )
    probe = section or ActivitySection(
        activity=activity, kind=SectionKind.IMPRESSIONS, organisation=organisation
    )
    if not can(user, Action.CONTRIBUTE, probe) and not can(user, Action.EDIT_YEAR, activity):
        raise PermissionDenied
    check_year_open(activity.fiscal_year, reason)
    check_unlocked(user, activity, [organisation.pk], reason=reason)
    if text.strip() and organisation.pk not in activity.participant_ids():
        raise RenkeiError(
            _(
                "%(org)sはこの活動に参加していません（出席者数の記録も、実施・主催もありません）。"
                "感想は参加した団体だけが記入できます。"
            )
            % {"org": organisation.label}
        )
    old = section.lead if section else None
    if not text.strip():
        if section:
            section.delete()
    else:
        probe.lead = text
        if probe.pk is None:
            probe.order = 100 + activity.sections.count()
            probe.heading = _("%(org)sの感想") % {"org": organisation.label}
        probe.save()
    new = text if text.strip() else None
    if old != new:
        record_change(
            user=user,
            action=AuditEntry.Action.UPDATE,
            instance=activity,
            union=activity.union,
            reason=reason,
            changes={_("感想（%(org)s）") % {"org": organisation.label}: [old, new]},
        )
    return probe


def _check_alt_text(alt_text: str) -> None:
    if not alt_text.strip():
        raise RenkeiError(_("代替テキスト（写真に何が写っているか）を入力してください。"))


def _locked_photo(photo: Photo, user) -> Photo:
    """The photo, locked for the change, once the user may change it: the secretariat any
    photo of the union, member and partner staff those their organisation uploaded."""
    if not can(user, Action.CONTRIBUTE, photo):
        raise PermissionDenied
    return (
        Photo.objects.select_for_update()
        .select_related("activity__group__programme__fiscal_year__union")
        .get(pk=photo.pk)
    )


def _photo_label(photo: Photo) -> str:
    return f"{photo.caption}（{photo.image.name}）" if photo.caption else photo.image.name


@transaction.atomic
def update_photo(
    photo,
    user,
    *,
    caption: str,
    alt_text: str,
    expected: str,
    is_public: bool | None = None,
    publication_proposed: bool | None = None,
    reason: str = "",
) -> Photo:
    """Change a photo's caption and alternative text; only the secretariat publishes a
    photo (``is_public``, Action.PUBLISH), since the public portal and the report's public
    edition show it; its contributors may propose it (``publication_proposed``, cleared
    when it is published). ``expected`` is the photo's fingerprint when the form was
    opened: a photo changed since is refused."""
    locked = _locked_photo(photo, user)
    require_lock_token(expected, "expected")
    if fingerprint(locked) != expected:
        raise conflict(
            {
                _("キャプション"): locked.caption,
                _("代替テキスト"): locked.alt_text,
                _("公開"): locked.is_public,
            },
            "programmes.photo",
            locked.pk,
            fingerprint(locked),
        )
    publish = is_public is not None and is_public != locked.is_public
    if publish and not can(user, Action.PUBLISH, locked):
        raise PermissionDenied(_("公開するかどうかは事務局が決めます。公開を提案してください。"))
    _check_alt_text(alt_text)
    check_year_open(locked.activity.fiscal_year, reason)
    check_unlocked(user, locked.activity, [locked.organisation_id], reason=reason)
    proposed = locked.publication_proposed if publication_proposed is None else publication_proposed
    new = {
        "caption": caption,
        "alt_text": alt_text,
        "is_public": is_public if publish else locked.is_public,
        "publication_proposed": False if publish and is_public else proposed,
    }
    labels = {
        "caption": _("キャプション"),
        "alt_text": _("代替テキスト"),
        "is_public": _("公開"),
        "publication_proposed": _("公開の提案"),
    }
    changes = {}
    for name, value in new.items():
        if getattr(locked, name) != value:
            label = _("写真（%(name)s）の%(field)s") % {
                "name": locked.image.name,
                "field": labels[name],
            }
            changes[label] = [getattr(locked, name), value]
            setattr(locked, name, value)
    if changes:
        locked.save(update_fields=list(new))
        record_change(
            user=user,
            action=AuditEntry.Action.UPDATE,
            instance=locked.activity,
            union=locked.activity.union,
            reason=reason,
            changes=changes,
        )
    return locked


@transaction.atomic
def delete_photo(photo, user, *, reason: str = "") -> None:
    """Remove a photo; its image and thumbnail leave storage once the deletion is committed
    (a rolled-back deletion keeps its files)."""
    locked = _locked_photo(photo, user)
    activity = locked.activity
    check_year_open(activity.fiscal_year, reason)
    check_unlocked(user, activity, [locked.organisation_id], reason=reason)
    storage, names = locked.image.storage, photo_file_names(locked.image.name)
    label = _photo_label(locked)
    locked.delete()
    record_change(
        user=user,
        action=AuditEntry.Action.UPDATE,
        instance=activity,
        union=activity.union,
        reason=reason,
        changes={_("写真の削除"): [label, None]},
    )
    transaction.on_commit(lambda: _delete_files(storage, names))


def _delete_files(storage, names) -> None:
    for name in names:
        if name:
            storage.delete(name)


@transaction.atomic
def move_photo(photo, user, *, step: int, reason: str = "") -> None:
    """Swap a photo with its neighbour: ``step`` -1 moves it earlier, +1 later. The
    activity's photos are renumbered 1, 2, 3 … on the way, so equal orders cannot stall it."""
    if not can(user, Action.CONTRIBUTE, photo):
        raise PermissionDenied
    activity = _locked_activity(photo.activity, None)  # serialises moves of its photos
    check_year_open(activity.fiscal_year, reason)
    check_unlocked(user, activity, [photo.organisation_id], reason=reason)
    photos = list(activity.photos.order_by("order", "pk"))
    index = next((i for i, p in enumerate(photos) if p.pk == photo.pk), None)
    if index is None:
        raise RenkeiError(_("この写真は削除されています。"))
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(photos):
        raise RenkeiError(_("この写真はこれ以上移動できません。"))
    before = [_photo_label(p) for p in photos]
    photos[index], photos[target] = photos[target], photos[index]
    moved = [p for order, p in enumerate(photos, start=1) if p.order != order]
    for order, p in enumerate(photos, start=1):
        p.order = order
    Photo.objects.bulk_update(moved, ["order"])
    record_change(
        user=user,
        action=AuditEntry.Action.UPDATE,
        instance=activity,
        union=activity.union,
        reason=reason,
        changes={_("写真の順序"): [before, [_photo_label(p) for p in photos]]},
    )
