"""A year at a glance, as plain values: activities by programme and pillar, attendance
by member municipality, budget execution, what the report still lacks, recent changes."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from renkei.audit.models import AuditEntry
from renkei.finance.statement import Statement, statement_for
from renkei.programmes.attendance import TOOK_PART, known_attendance
from renkei.programmes.models import (
    Activity,
    Attendance,
    AttendanceProposal,
    Photo,
    Pillar,
    Programme,
    ProposalState,
)
from renkei.reports.checks import INQUIRY_CODES, Finding, find_problems
from renkei.reports.data import build_report
from renkei.tenancy.permissions import Action, can


@dataclass(frozen=True)
class MemberAttendance:
    """One member municipality's attendance over the year, as the records know it."""

    label: str
    counted: int | None  # people of its counts; None: no count recorded anywhere
    counted_activities: int  # activities it has a count for
    uncounted: int  # activities it took part in without a count


@dataclass(frozen=True)
class YearAttendance:
    members: list[MemberAttendance]
    # People of known totals no organisation is credited with (内訳不明), summed over the
    # activities whose total is known; and how many activities' totals are not known.
    unattributed: int
    unknown_totals: int


@dataclass
class YearOverview:
    programmes: list[tuple[str, int]]
    pillars: list[tuple[str, int]]
    attendance: YearAttendance
    statement: Statement | None  # None: the user may not read the budget (the partner)
    report_issues: list[str]
    recent_changes: list[AuditEntry] | None = field(default=None)
    # Activities with a publication proposal (their own or a photo's), for the secretariat.
    proposals: list[Activity] | None = field(default=None)
    # Members' attendance changes to a closed year waiting for the secretariat (its count).
    attendance_proposals: int | None = field(default=None)


def findings_for(user, fiscal_year, edition: str = "internal") -> list[Finding]:
    """The report checks' findings the user may read: other organisations' 照会 parts are
    the secretariat's to see (members and the partner see only their own part, and that
    on their home's own work), so their findings are left out for the others."""
    findings = find_problems(build_report(fiscal_year, edition))
    if can(user, Action.MANAGE_INQUIRIES, fiscal_year):
        return findings
    return [f for f in findings if f.code not in INQUIRY_CODES]


def report_issues(fiscal_year, user=None) -> list[str]:
    """What the report is still missing, from the report checks (all of them without a
    user: the secretariat's closing page)."""
    if user is None:
        return [str(finding) for finding in find_problems(build_report(fiscal_year))]
    return [str(finding) for finding in findings_for(user, fiscal_year)]


def publication_proposals(fiscal_year) -> list[Activity]:
    """Activities of the year whose publication (or a photo's) members have proposed and
    the secretariat has not yet decided: proposed and still not public."""
    photo_proposed = Photo.objects.filter(
        activity=OuterRef("pk"), publication_proposed=True, is_public=False
    )
    return list(
        Activity.objects.filter(group__programme__fiscal_year=fiscal_year)
        .filter(Q(publication_proposed=True, is_public=False) | Exists(photo_proposed))
        .order_by("group__programme__number", "group__number", "sub_number")
    )


def year_attendance(activities, members) -> YearAttendance:
    """Attendance by member municipality: only the counts the records hold, the
    activities each took part in without a count, and what no one is credited with
    (内訳不明) — never a member's share of a total the records do not split."""
    member_ids = {m.pk for m in members}
    known = [known_attendance(a, member_ids=member_ids) for a in activities]
    rows = []
    for member in members:
        values = [k.count_for(member.pk) for k in known]
        counts = [v for v in values if isinstance(v, int) and v > 0]
        rows.append(
            MemberAttendance(
                label=member.label,
                counted=sum(counts) if counts else None,
                counted_activities=len(counts),
                uncounted=values.count(TOOK_PART),
            )
        )
    return YearAttendance(
        members=rows,
        unattributed=sum(k.unattributed for k in known if k.unattributed is not None),
        unknown_totals=sum(1 for k in known if k.is_recorded and k.total is None),
    )


def year_overview(fiscal_year, user) -> YearOverview:
    activities = Activity.objects.filter(group__programme__fiscal_year=fiscal_year).restrict(user)
    ids = list(activities.values_list("pk", flat=True))
    programmes = (
        Programme.objects.filter(fiscal_year=fiscal_year)
        .order_by("number")
        .values_list("pk", "name")
    )
    per_programme = dict(
        Activity.objects.filter(pk__in=ids).values_list("group__programme").annotate(n=Count("pk"))
    )
    pillars = (
        Pillar.objects.filter(project__union=fiscal_year.union)
        .order_by("order")
        .annotate(n=Count("activity", filter=Q(activity__in=ids)))
        .values_list("name", "n")
    )
    members = fiscal_year.union.members_in_order()
    attended = (
        Activity.objects.filter(pk__in=ids)
        .select_related("group__programme__fiscal_year__union")
        .prefetch_related(
            "compositions",
            Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
        )
    )
    recent = None
    if can(user, Action.VIEW_HISTORY, fiscal_year):
        recent = list(AuditEntry.objects.select_related("user").restrict(user)[:10])
    return YearOverview(
        programmes=[(name, per_programme.get(pk, 0)) for pk, name in programmes],
        pillars=list(pillars),
        attendance=year_attendance(attended, list(members)),
        statement=statement_for(fiscal_year)
        if can(user, Action.VIEW_BUDGET, fiscal_year)
        else None,
        report_issues=report_issues(fiscal_year, user),
        recent_changes=recent,
        proposals=(
            publication_proposals(fiscal_year) if can(user, Action.PUBLISH, fiscal_year) else None
        ),
        attendance_proposals=(
            AttendanceProposal.objects.filter(state=ProposalState.PENDING).restrict(user).count()
            if can(user, Action.EDIT_YEAR, fiscal_year)
            else None
        ),
    )
