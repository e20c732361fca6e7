"""What the public may see, in one place: the portal, the calendar feeds, the open data
and the API's anonymous reads all load through these functions.

A record is public only when the secretariat marked it so (``Activity.is_public``,
``Photo.is_public``). The rule is the programmes app's, below every audience app that
shows it (docs/adr/0009-layers.md).
"""

from django.db.models import Exists, Max, OuterRef, Prefetch
from django.urls import reverse

from renkei.prepared import Prepared
from renkei.tenancy.models import Organisation

from .models import (
    Activity,
    ActivityLead,
    Attendance,
    FiscalYear,
    PartnershipProject,
    Photo,
    ScheduleDay,
    Venue,
    prefetch_leads,
)

UNION_PATH = "group__programme__fiscal_year__union"


def portal_project(union, *, lines: bool = True) -> PartnershipProject | None:
    """The union's partnership project with its pillars (and their lines, which only the
    home page shows: ``lines=False`` saves that query)."""
    return (
        PartnershipProject.objects.filter(union=union)
        .select_related("partner")
        .prefetch_related("pillars__lines" if lines else "pillars")
        .order_by("pk")
        .first()
    )


def public_activities(union):
    """The union's public activities (no prefetching; callers add what they show)."""
    return Activity.objects.filter(is_public=True, **{UNION_PATH: union})


def last_public_update(union):
    """When a public activity of the union last changed (None: none is public): the
    update date of a public page that shows no activity of its own."""
    return public_activities(union).aggregate(at=Max("updated_at"))["at"]


def public_photos(union):
    """Photos the public may see: published, of a published activity of the union."""
    return Photo.objects.filter(
        is_public=True, activity__is_public=True, **{f"activity__{UNION_PATH}": union}
    )


def members(union) -> list[Organisation]:
    return list(union.members_in_order())


def with_listing(queryset):
    """What a list row shows: group, pillars, schedule with venues, lead municipalities."""
    venues = Prefetch("venues", queryset=Venue.objects.select_related("municipality"))
    # django-stubs cannot infer a Prefetch's type variables through a custom queryset class.
    days = Prefetch("days", queryset=ScheduleDay.objects.prefetch_related(venues))  # type: ignore[arg-type]
    return queryset.select_related("group__programme__fiscal_year", "organiser").prefetch_related(
        "pillars", prefetch_leads(), days
    )


def with_detail(queryset):
    """A detail page: the listing plus lecturers, attendance, content and public photos."""
    return with_listing(queryset).prefetch_related(
        "lecturers",
        "sections",
        Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
        "compositions",
        Prefetch("photos", queryset=Photo.objects.filter(is_public=True), to_attr="public_photos"),
    )


def took_part_queries(organisation_id=None, outer="activity_id", *, code=None) -> tuple:
    """Whether an organisation (by id, or by its local government ``code``) led, and
    whether it took part in, the activity of an ``OuterRef(outer)``: two subqueries for
    ``Exists``. The one statement of "took part in" for the portal, the API and the staff
    screens (attendance counts only when it says the organisation took part)."""
    who = {"organisation_id": organisation_id} if code is None else {"organisation__code": code}
    led = Activity.lead_organisations.through.objects.filter(activity_id=OuterRef(outer), **who)
    attended = Attendance.objects.took_part().filter(activity_id=OuterRef(outer), **who)
    return led, attended


def unknown_participation(union, organisation):
    """Public activities a member of ``organisation``'s kind took part in without being
    named (「置賜3市4町」): whether this municipality was one of them is not known. Those
    it led or is recorded for are not among them."""
    return (
        public_activities(union)
        .filter(compositions__kind=organisation.kind)
        .exclude(lead_organisations=organisation)
        .exclude(attendances__organisation=organisation)
        .select_related("group__programme__fiscal_year__union")
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
            "compositions",
        )
        .distinct()
        .order_by("-group__programme__fiscal_year__year", "group__number", "sub_number")
    )


def undated_public_activities(union):
    """The union's public activities with no schedule day recorded (no date to list them
    by in a calendar feed or the open-data event list)."""
    return public_activities(union).filter(
        ~Exists(ScheduleDay.objects.filter(activity_id=OuterRef("pk")))
    )


def span(activity) -> tuple:
    """First day, last day (counting multi-day rows), and the first and last ScheduleDay."""
    days = sorted(activity.days.all(), key=lambda d: d.date)
    if not days:
        return None, None, None, None
    last = max(days, key=lambda d: d.last_date)
    return days[0].date, last.last_date, days[0], last


def fiscal_years_with_public(union) -> list[int]:
    """Years offered in the timeline filter (newest first)."""
    return list(
        FiscalYear.objects.filter(union=union).order_by("-year").values_list("year", flat=True)
    )


def page_url(request, activity) -> str:
    """The absolute URL of an activity's public page (the portal serves it)."""
    return request.build_absolute_uri(reverse("portal:activity_detail", args=[activity.pk]))


def pillars_by_activity(ids, field: str = "pillar__name") -> dict[int, list]:
    """Each activity's pillars (their ``field``) in the project's pillar order, by
    activity id: one query for a page of list rows or cards read as values."""
    found: dict[int, list] = {}
    for activity_id, value in _PILLARS.rows(field, ids=list(ids)):
        found.setdefault(activity_id, []).append(value)
    return found


_PILLARS = Prepared(
    lambda v, field: (
        Activity.pillars.through.objects.filter(activity_id__in=v.ids)
        .order_by("pillar__project_id", "pillar__order", "pillar_id")
        .values_list("activity_id", field)
    )
)


def leads_by_activity(ids, *fields: str) -> dict[int, list[tuple]]:
    """Each activity's lead organisations (their ``fields``, e.g. "organisation__name") in
    the order entered, by activity id: one query."""
    found: dict[int, list[tuple]] = {}
    for activity_id, *values in _LEADS.rows(fields, ids=list(ids)):
        found.setdefault(activity_id, []).append(tuple(values))
    return found


_LEADS = Prepared(
    lambda v, fields: (
        ActivityLead.objects.filter(activity_id__in=v.ids)
        .order_by("activity_id", "order", "pk")
        .values_list("activity_id", *fields)
    )
)
