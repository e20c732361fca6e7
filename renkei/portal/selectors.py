"""What the public may see, in one place: the portal, the calendar feeds, the open data
and the API's anonymous reads all load through these functions.

A record is public only when the secretariat marked it so (``Activity.is_public``,
``Photo.is_public``). The timeline is a keyset over each public activity's first
schedule day, newest first, so a page costs the same at a thousand activities as at a
million (portal migration 0001 indexes ``programmes_scheduleday (date, activity_id)``).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q

from renkei import wareki
from renkei.forms import ascii_int
from renkei.programmes.models import (
    Activity,
    Attendance,
    PartnershipProject,
    Photo,
    ScheduleDay,
    Venue,
    prefetch_leads,
)
from renkei.tenancy.models import Organisation, Union

UNION_PATH = "group__programme__fiscal_year__union"


def portal_union() -> Union | None:
    """The union whose portal this installation serves: ``RENKEI_PORTAL_UNION`` (a slug),
    else the first union."""
    slug = getattr(settings, "RENKEI_PORTAL_UNION", "")
    unions = Union.objects.select_related("organisation")
    return unions.filter(slug=slug).first() if slug else unions.order_by("pk").first()


def portal_project(union) -> PartnershipProject | None:
    return (PartnershipProject.objects.filter(union=union).select_related("partner")
            .prefetch_related("pillars__lines").order_by("pk").first())


def public_activities(union):
    """The union's public activities (no prefetching; callers add what they show)."""
    return Activity.objects.filter(is_public=True, **{UNION_PATH: union})


def public_photos(union):
    """Photos the public may see: published, of a published activity of the union."""
    return Photo.objects.filter(is_public=True, activity__is_public=True,
                                **{f"activity__{UNION_PATH}": union})


def members(union) -> list[Organisation]:
    return [m.organisation for m in union.membership_set.select_related("organisation")]


def with_listing(queryset):
    """What a list row shows: group, pillars, schedule with venues, lead municipalities."""
    return queryset.select_related("group__programme__fiscal_year", "organiser").prefetch_related(
        "pillars", prefetch_leads(),
        Prefetch("days", queryset=ScheduleDay.objects.prefetch_related(
            Prefetch("venues", queryset=Venue.objects.select_related("municipality")))),
    )


def with_detail(queryset):
    """A detail page: the listing plus lecturers, attendance, content and public photos."""
    return with_listing(queryset).prefetch_related(
        "lecturers", "sections",
        Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
        Prefetch("photos", queryset=Photo.objects.filter(is_public=True), to_attr="public_photos"),
    )


def took_part_queries(organisation_id) -> tuple:
    """Whether an organisation led, and whether it attended, the activity of an
    ``OuterRef("activity_id")`` (two subqueries for ``Exists``)."""
    led = Activity.lead_organisations.through.objects.filter(
        activity_id=OuterRef("activity_id"), organisation_id=organisation_id)
    attended = Attendance.objects.filter(activity_id=OuterRef("activity_id"),
                                         organisation_id=organisation_id)
    return led, attended


@dataclass(frozen=True)
class Cursor:
    """Where a timeline page starts: strictly before (date, activity id)."""

    date: date
    activity_id: int

    def __str__(self) -> str:
        return f"{self.date.isoformat()}_{self.activity_id}"

    @classmethod
    def parse(cls, text: str) -> "Cursor":
        """Raises ValueError for anything but ``YYYY-MM-DD_<id>``."""
        day, _sep, pk = text.partition("_")
        if ascii_int(pk) is None:
            raise ValueError(text)
        return cls(date.fromisoformat(day), ascii_int(pk))


def timeline(union, *, year=None, pillar=None, organisation_id=None, cursor=None, limit=20):
    """One page of public activities, newest first: (activities, cursor of the next page).

    Activities without a schedule day have no place on a timeline and are left out."""
    earlier = ScheduleDay.objects.filter(activity_id=OuterRef("activity_id"),
                                         date__lt=OuterRef("date"))
    days = ScheduleDay.objects.filter(
        ~Exists(earlier), activity__is_public=True, **{f"activity__{UNION_PATH}": union})
    if year is not None:
        days = days.filter(date__range=wareki.fiscal_year_bounds(year))
    if pillar is not None:
        days = days.filter(Exists(Activity.pillars.through.objects.filter(
            activity_id=OuterRef("activity_id"), pillar_id=pillar.pk)))
    if cursor is not None:
        days = days.filter(Q(date__lt=cursor.date)
                           | Q(date=cursor.date, activity_id__lt=cursor.activity_id))
    if organisation_id is None:
        branches = [days]
    else:
        # "Led or attended" as two keyset queries merged here: PostgreSQL plans an OR of
        # two EXISTS as hashed subplans that read every activity the organisation ever
        # took part in (70 ms at a million), while each EXISTS alone is probed per row.
        branches = [days.filter(Exists(query)) for query in took_part_queries(organisation_id)]
    keys = sorted({key for branch in branches for key in
                   branch.order_by("-date", "-activity_id").values_list("activity_id", "date")
                   [: limit + 1]}, key=lambda k: (k[1], k[0]), reverse=True)[: limit + 1]
    page, more = keys[:limit], len(keys) > limit
    by_pk = with_listing(Activity.objects.filter(pk__in=[pk for pk, _d in page])).in_bulk()
    next_cursor = Cursor(page[-1][1], page[-1][0]) if more else None
    return [by_pk[pk] for pk, _d in page], next_cursor


def span(activity) -> tuple:
    """First day, last day (counting multi-day rows), and the first and last ScheduleDay."""
    days = sorted(activity.days.all(), key=lambda d: d.date)
    if not days:
        return None, None, None, None
    last = max(days, key=lambda d: d.last_date)
    return days[0].date, last.last_date, days[0], last


def fiscal_years_with_public(union) -> list[int]:
    """Years offered in the timeline filter (newest first)."""
    from renkei.programmes.models import FiscalYear

    return list(FiscalYear.objects.filter(union=union).order_by("-year")
                .values_list("year", flat=True))


def issued_reports_queryset(union):
    """The union's issued annual reports offered to the public: only the public edition
    (published activities and photos); the internal edition is for signed-in staff."""
    from renkei.reports.models import IssuedReport, ReportEdition

    return IssuedReport.objects.filter(
        fiscal_year__union=union, edition=ReportEdition.PUBLIC).select_related("fiscal_year")


def issued_reports(union) -> list:
    """The latest version of each issued report, per year and format, newest year first."""
    latest = {}
    for report in issued_reports_queryset(union).order_by("-fiscal_year__year", "format",
                                                          "-version"):
        latest.setdefault((report.fiscal_year.year, report.format), report)
    return list(latest.values())
