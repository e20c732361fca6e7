"""What the public may see, in one place: the portal, the calendar feeds, the open data
and the API's anonymous reads all load through these functions.

A record is public only when the secretariat marked it so (``Activity.is_public``,
``Photo.is_public``). The timeline is a keyset over each public activity's first
schedule day, newest first, so a page costs the same at a thousand activities as at a
million (portal migration 0001 indexes ``programmes_scheduleday (date, activity_id)``).
Public activities with no recorded date are listed under their fiscal year
(``timeline_page``); the calendar feeds and the open-data event list need a date and
leave them out.
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
        "compositions",
        Prefetch("photos", queryset=Photo.objects.filter(is_public=True), to_attr="public_photos"),
    )


def took_part_queries(organisation_id, outer="activity_id") -> tuple:
    """Whether an organisation led, and whether it attended, the activity of an
    ``OuterRef(outer)`` (two subqueries for ``Exists``)."""
    led = Activity.lead_organisations.through.objects.filter(
        activity_id=OuterRef(outer), organisation_id=organisation_id)
    attended = Attendance.objects.took_part().filter(activity_id=OuterRef(outer),
                                                     organisation_id=organisation_id)
    return led, attended


def unknown_participation(union, organisation):
    """Public activities a member of ``organisation``'s kind took part in without being
    named (「置賜3市4町」): whether this municipality was one of them is not known. Those
    it led or is recorded for are not among them."""
    return (public_activities(union)
            .filter(compositions__kind=organisation.kind)
            .exclude(lead_organisations=organisation)
            .exclude(attendances__organisation=organisation)
            .select_related("group__programme__fiscal_year__union")
            .prefetch_related(
                Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
                "compositions")
            .distinct().order_by("-group__programme__fiscal_year__year", "group__number", "sub_number"))


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

    Activities without a schedule day have no place on a dated timeline (nor in a calendar
    feed) and are left out; ``timeline_page`` lists them by fiscal year."""
    keys = _dated_keys(union, year=year, pillar=pillar, organisation_id=organisation_id,
                       cursor=cursor, limit=limit)
    page, more = keys[:limit], len(keys) > limit
    by_pk = with_listing(Activity.objects.filter(pk__in=[pk for pk, _d in page])).in_bulk()
    next_cursor = Cursor(page[-1][1], page[-1][0]) if more else None
    return [by_pk[pk] for pk, _d in page], next_cursor


@dataclass(frozen=True)
class TimelinePage:
    """A timeline page: its dated activities, the cursor of the next page, and the
    undated public activities of the fiscal years the page closes, as (year, activities)
    newest year first."""

    activities: list
    next_cursor: Cursor | None
    undated: list


def timeline_page(union, *, year=None, pillar=None, organisation_id=None, cursor=None,
                  limit=20) -> TimelinePage:
    """The timeline as the portal shows it: a keyset page of dated activities, and after
    each fiscal year's last dated activity that year's undated public activities (no
    schedule day recorded), filtered alike, in programme, item, number order.

    A page closes the fiscal years from its first activity's (or every later one, on the
    first page) down to, but not including, the next page's first activity's year (or
    every earlier one, on the last page), so each undated activity comes on exactly one
    page. One query more than ``timeline``, whatever the data size."""
    filters = {"year": year, "pillar": pillar, "organisation_id": organisation_id}
    keys = _dated_keys(union, cursor=cursor, limit=limit, **filters)
    page, more = keys[:limit], len(keys) > limit
    upper = None if cursor is None else wareki.fiscal_year_of(page[0][1] if page else cursor.date)
    lower = wareki.fiscal_year_of(keys[limit][1]) if more else None
    undated = ([] if upper is not None and lower is not None and lower >= upper
               else _undated_pks(union, after=lower, upto=upper, **filters))
    by_pk = with_listing(Activity.objects.filter(
        pk__in=[pk for pk, _d in page] + undated)).in_bulk()
    sections: dict[int, list] = {}
    for pk in undated:
        activity = by_pk[pk]
        sections.setdefault(activity.group.programme.fiscal_year.year, []).append(activity)
    next_cursor = Cursor(page[-1][1], page[-1][0]) if more else None
    return TimelinePage([by_pk[pk] for pk, _d in page], next_cursor, list(sections.items()))


def _dated_keys(union, *, year, pillar, organisation_id, cursor, limit) -> list:
    """(activity id, first day) of up to ``limit + 1`` public activities, newest first."""
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
    return sorted({key for branch in branches for key in
                   branch.order_by("-date", "-activity_id").values_list("activity_id", "date")
                   [: limit + 1]}, key=lambda k: (k[1], k[0]), reverse=True)[: limit + 1]


def undated_public_activities(union):
    """The union's public activities with no schedule day recorded (no date to list them
    by in a calendar feed or the open-data event list)."""
    return public_activities(union).filter(
        ~Exists(ScheduleDay.objects.filter(activity_id=OuterRef("pk"))))


def _undated_pks(union, *, after, upto, year, pillar, organisation_id) -> list[int]:
    """Ids of the undated public activities of fiscal years in (after, upto] (None:
    unbounded), newest year first, then programme, item and number."""
    fiscal_year = f"{UNION_PATH.removesuffix('__union')}__year"
    activities = undated_public_activities(union)
    if year is not None:
        activities = activities.filter(**{fiscal_year: year})
    if after is not None:
        activities = activities.filter(**{f"{fiscal_year}__gt": after})
    if upto is not None:
        activities = activities.filter(**{f"{fiscal_year}__lte": upto})
    if pillar is not None:
        activities = activities.filter(Exists(Activity.pillars.through.objects.filter(
            activity_id=OuterRef("pk"), pillar_id=pillar.pk)))
    if organisation_id is not None:
        led, attended = took_part_queries(organisation_id, outer="pk")
        activities = activities.filter(Exists(led) | Exists(attended))
    return list(activities.order_by(f"-{fiscal_year}", "group__programme__number",
                                    "group__number", "sub_number", "pk")
                .values_list("pk", flat=True))


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
