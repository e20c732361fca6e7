"""Which organisations an attendance grid shows, which rows the user may change, and what
the records (or the form's values, before saving) say of the whole: the phrase, the
recorded total beside the counted sum, 内訳不明 and the warnings."""

import copy
import dataclasses
from dataclasses import dataclass

from django.utils.translation import gettext as _

from renkei.programmes.attendance import (
    MUNICIPALITY_KINDS,
    AttendanceValue,
    KnownAttendance,
    count_of_value,
    known_attendance,
)
from renkei.programmes.models import Attendance, AttendanceProposal, ProposalState
from renkei.tenancy.models import OrganisationKind
from renkei.tenancy.permissions import Action, can


def grid_organisations(activity) -> list:
    """The union's members in 規約 order, then the union itself, its partners and any
    other organisation already recorded."""
    return organisations_of(activity.union, [activity])


def organisations_of(union, activities) -> list:
    """The columns of an attendance grid over ``activities`` (their attendances
    prefetched with their organisation): the union's members in 規約 order, then the union
    itself, its partners and any other organisation recorded on one of them."""
    members = list(union.members_in_order())
    others = [union.organisation]
    others += [p.organisation for p in union.partnerships.select_related("organisation")]
    others += [
        a.organisation for activity in activities if activity.pk for a in activity.attendances.all()
    ]
    seen, result = set(), []
    for org in members + others:
        if org.pk not in seen:
            seen.add(org.pk)
            result.append(org)
    return result


def saved_values(activity) -> dict[int, AttendanceValue]:
    """Organisation id → the value recorded now (a count or TOOK_PART), from the
    prefetched attendances: what the forms show and send back as ``seen``."""
    if activity.pk is None:
        return {}
    return {a.organisation_id: a.value for a in activity.attendances.all()}


def attendance_rows(activity, user) -> list[tuple]:
    """(organisation id, label, current value, editable) for a CountsForm."""
    current = saved_values(activity)
    member_ids = set(activity.union.members.values_list("pk", flat=True))
    rows = []
    for org in grid_organisations(activity):
        editable = can(user, Action.CONTRIBUTE, Attendance(activity=activity, organisation=org))
        label = org.label
        if org.pk == activity.union.organisation_id and org.pk not in member_ids:
            label = _("%(org)s（本組合）") % {"org": org.label}
        rows.append((org.pk, label, current.get(org.pk), editable))
    return rows


def municipality_kinds(union) -> list[tuple[str, str, int]]:
    """(kind, label, how many members of that kind) for each kind the union's members
    have, in the phrase's order (市, 区, 町, 村)."""
    kinds = list(union.members.values_list("kind", flat=True))
    return [
        (kind, str(OrganisationKind(kind).label), kinds.count(kind))
        for kind in MUNICIPALITY_KINDS
        if kind in kinds
    ]


def known_attendance_with(activity, values: dict, organisations) -> KnownAttendance:
    """What the records would say with ``values`` (organisation id → value) saved: the
    same ``known_attendance`` over the prefetched rows with the values put in place."""
    rows = {a.organisation_id: a for a in activity.attendances.all()}
    by_id = {org.pk: org for org in organisations}
    for org_id, value in values.items():
        if value is None:
            rows.pop(org_id, None)
        else:
            rows[org_id] = Attendance(
                activity=activity,
                organisation=by_id[org_id],
                count=count_of_value(value),
            )
    preview = copy.copy(activity)
    preview._prefetched_objects_cache = {
        **getattr(activity, "_prefetched_objects_cache", {}),
        "attendances": list(rows.values()),
    }
    return known_attendance(preview)


def with_totals(known: KnownAttendance, *, total, composition: dict) -> KnownAttendance:
    """``known`` with another recorded total and members by kind (the totals form's)."""
    ordered = tuple(
        (kind, composition[kind]) for kind in MUNICIPALITY_KINDS if composition.get(kind)
    )
    return dataclasses.replace(known, recorded_total=total, composition=ordered)


@dataclass(frozen=True)
class AttendanceSummary:
    """What an attendance page shows of the whole, as plain values."""

    phrase: str
    recorded_total: int | None
    total: int | None
    counted: int
    unattributed: int | None
    unnamed_members: int
    warnings: tuple[str, ...]
    is_recorded: bool


def attendance_summary(known: KnownAttendance, region_name: str) -> AttendanceSummary:
    warnings = []
    if known.exceeds_total:
        warnings.append(
            _(
                "団体別の人数の合計（%(counted)s名）が出席者数（合計）の%(total)s名を"
                "超えています。どちらかが誤っています。"
            )
            % {"counted": known.counted, "total": known.recorded_total}
        )
    if known.composition_exceeded:
        warnings.append(
            _(
                "名前のある構成市町が、出席した構成市町の数より多くなっています。"
                "出席した構成市町の数を直してください。"
            )
        )
    return AttendanceSummary(
        phrase=known.phrase(region_name),
        recorded_total=known.recorded_total,
        total=known.total,
        counted=known.counted,
        unattributed=known.unattributed,
        unnamed_members=known.unnamed_members,
        warnings=tuple(warnings),
        is_recorded=known.is_recorded,
    )


def own_proposals(activities, user) -> list[AttendanceProposal]:
    """The user's proposals for these activities still pending or rejected (with the
    secretariat's comment), newest first."""
    return list(
        AttendanceProposal.objects.filter(
            activity__in=activities,
            proposed_by=user,
            state__in=(ProposalState.PENDING, ProposalState.REJECTED),
        )
        .select_related("organisation", "activity")
        .order_by("-proposed_at", "-pk")
    )


def pending_proposals(activity) -> list[AttendanceProposal]:
    """Every pending proposal for this activity, oldest first."""
    return list(
        AttendanceProposal.objects.filter(activity=activity, state=ProposalState.PENDING)
        .select_related("organisation", "proposed_by")
        .order_by("proposed_at", "pk")
    )
