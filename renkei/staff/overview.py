"""A year at a glance, as plain values: activities by programme and pillar, attendance
by member municipality, budget execution, what the report still lacks, recent changes."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum

from renkei.audit.models import AuditEntry
from renkei.finance.statement import Statement, statement_for
from renkei.programmes.models import Activity, Attendance, Photo, Pillar, Programme
from renkei.reports.checks import find_problems
from renkei.reports.data import build_report
from renkei.tenancy.permissions import Action, can, scope


@dataclass
class YearOverview:
    programmes: list[tuple[str, int]]
    pillars: list[tuple[str, int]]
    attendance: list[tuple[str, int]]
    statement: Statement
    report_issues: list[str]
    recent_changes: list[AuditEntry] | None = field(default=None)
    # Activities with a publication proposal (their own or a photo's), for the secretariat.
    proposals: list[Activity] | None = field(default=None)


def report_issues(fiscal_year) -> list[str]:
    """What the report is still missing, from the report checks."""
    return [str(finding) for finding in find_problems(build_report(fiscal_year))]


def publication_proposals(fiscal_year) -> list[Activity]:
    """Activities of the year whose publication (or a photo's) members have proposed and
    the secretariat has not yet decided: proposed and still not public."""
    photo_proposed = Photo.objects.filter(activity=OuterRef("pk"), publication_proposed=True,
                                          is_public=False)
    return list(Activity.objects.filter(group__programme__fiscal_year=fiscal_year)
                .filter(Q(publication_proposed=True, is_public=False) | Exists(photo_proposed))
                .order_by("group__programme__number", "group__number", "sub_number"))


def year_overview(fiscal_year, user) -> YearOverview:
    activities = scope(Activity.objects.filter(group__programme__fiscal_year=fiscal_year), user)
    ids = list(activities.values_list("pk", flat=True))
    programmes = (Programme.objects.filter(fiscal_year=fiscal_year)
                  .order_by("number").values_list("pk", "name"))
    per_programme = dict(Activity.objects.filter(pk__in=ids).values_list("group__programme")
                         .annotate(n=Count("pk")))
    pillars = (Pillar.objects.filter(project__union=fiscal_year.union).order_by("order")
               .annotate(n=Count("activity", filter=Q(activity__in=ids))).values_list("name", "n"))
    members = fiscal_year.union.members.order_by("membership__order")
    totals = dict(Attendance.objects.filter(activity__in=ids).values_list("organisation")
                  .annotate(n=Sum("count")))
    recent = None
    if can(user, Action.VIEW_HISTORY, fiscal_year):
        recent = list(scope(AuditEntry.objects.select_related("user"), user)[:10])
    return YearOverview(
        programmes=[(name, per_programme.get(pk, 0)) for pk, name in programmes],
        pillars=list(pillars),
        attendance=[(m.label, totals.get(m.pk, 0)) for m in members],
        statement=statement_for(fiscal_year),
        report_issues=report_issues(fiscal_year),
        recent_changes=recent,
        proposals=(publication_proposals(fiscal_year)
                   if can(user, Action.PUBLISH, fiscal_year) else None),
    )
