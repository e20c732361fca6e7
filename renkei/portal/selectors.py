"""The portal's timeline and issued reports, over what the public may see
(``programmes.public``: the portal, the calendar feeds, the open data and the API's
anonymous reads all load through it).

The timeline is a keyset over each public activity's first
schedule day, newest first, so a page costs the same at a thousand activities as at a
million (``ScheduleDay.Meta.indexes``: (date, activity)).
Public activities with no recorded date are listed under their fiscal year
(``timeline_page``); the calendar feeds and the open-data event list need a date and
leave them out.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Max, OuterRef, Q

from renkei import wareki
from renkei.forms import ascii_int
from renkei.prepared import Prepared
from renkei.programmes.models import Activity, ScheduleDay
from renkei.programmes.public import (
    UNION_PATH,
    public_activities,
    took_part_queries,
    undated_public_activities,
    with_listing,
)
from renkei.programmes.search import query_terms

from .cards import cards

if TYPE_CHECKING:
    from renkei.reports.models import IssuedReport

SEARCH_PAGE = 20


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
        number = ascii_int(pk)
        if number is None:
            raise ValueError(text)
        return cls(date.fromisoformat(day), number)


def timeline(
    union, *, year=None, pillar=None, organisation_id=None, relation="any", cursor=None, limit=20
):
    """One page of public activities, newest first: (activities, cursor of the next page).

    Activities without a schedule day have no place on a dated timeline (nor in a calendar
    feed) and are left out; ``timeline_page`` lists them by fiscal year."""
    keys = _dated_keys(
        union,
        year=year,
        pillar=pillar,
        organisation_id=organisation_id,
        relation=relation,
        cursor=cursor,
        limit=limit,
    )
    page, more = keys[:limit], len(keys) > limit
    by_pk = with_listing(Activity.objects.filter(pk__in=[pk for pk, _d in page])).in_bulk()
    next_cursor = Cursor(page[-1][1], page[-1][0]) if more else None
    return [by_pk[pk] for pk, _d in page], next_cursor


@dataclass(frozen=True)
class TimelinePage:
    """A timeline page: its dated activities' cards (``cards.Card``), the cursor of the next page, and the
    undated public activities of the fiscal years the page closes, as (year, activities)
    newest year first."""

    activities: list
    next_cursor: Cursor | None
    undated: list


def timeline_page(
    union, *, year=None, pillar=None, organisation_id=None, relation="any", cursor=None, limit=20
) -> TimelinePage:
    """The timeline as the portal shows it: a keyset page of dated activities, and after
    each fiscal year's last dated activity that year's undated public activities (no
    schedule day recorded), filtered alike, in programme, item, number order.

    A page closes the fiscal years from its first activity's (or every later one, on the
    first page) down to, but not including, the next page's first activity's year (or
    every earlier one, on the last page), so each undated activity comes on exactly one
    page. One query more than ``timeline``, whatever the data size.

    With an ``organisation_id``, ``relation`` chooses the activities it "led", those it
    "attended" without leading them, or "any" of both."""
    filters = {
        "year": year,
        "pillar": pillar,
        "organisation_id": organisation_id,
        "relation": relation,
    }
    keys = _dated_keys(union, cursor=cursor, limit=limit, **filters)
    page, more = keys[:limit], len(keys) > limit
    upper = None if cursor is None else wareki.fiscal_year_of(page[0][1] if page else cursor.date)
    lower = wareki.fiscal_year_of(keys[limit][1]) if more else None
    undated = (
        []
        if upper is not None and lower is not None and lower >= upper
        else _undated_pks(union, after=lower, upto=upper, **filters)
    )
    by_pk = cards([pk for pk, _d in page] + undated)
    sections: dict[int, list] = {}
    for pk in undated:
        sections.setdefault(by_pk[pk].fiscal_year, []).append(by_pk[pk])
    next_cursor = Cursor(page[-1][1], page[-1][0]) if more else None
    return TimelinePage([by_pk[pk] for pk, _d in page], next_cursor, list(sections.items()))


# An organisation's relation to an activity as keyset branches: "led", "attended" (without
# leading), or "any" (either, as two branches).
_RELATION_BRANCHES = {"any": ("led", "attended"), "led": ("led",), "attended": ("only attended",)}


def _took_part_branches(organisation_id, relation, outer) -> list:
    """The conditions, one per keyset branch, for an organisation's ``relation``."""
    led, attended = took_part_queries(organisation_id, outer=outer)
    conditions = {
        "led": Exists(led),
        "attended": Exists(attended),
        "only attended": Exists(attended) & ~Exists(led),
    }
    return [conditions[name] for name in _RELATION_BRANCHES[relation]]


def _dated_keys(union, *, year, pillar, organisation_id, relation, cursor, limit) -> list:
    """(activity id, first day) of up to ``limit + 1`` public activities, newest first."""
    first, last = wareki.fiscal_year_bounds(year) if year is not None else (None, None)
    values = {
        "union": union.pk,
        "first": first,
        "last": last,
        "pillar": pillar.pk if pillar is not None else None,
        "cursor_date": cursor.date if cursor is not None else None,
        "cursor_id": cursor.activity_id if cursor is not None else None,
        "organisation": organisation_id,
    }
    # "Led or attended" as two keyset queries merged here: PostgreSQL plans an OR of two
    # EXISTS as hashed subplans that read every activity the organisation ever took part in
    # (70 ms at a million), while each EXISTS alone is probed per row.
    branches = 1 if organisation_id is None else len(_RELATION_BRANCHES[relation])
    return sorted(
        {
            key
            for branch in range(branches)
            for key in _DATED_KEYS.rows(relation, branch, limit, **values)
        },
        key=lambda k: (k[1], k[0]),
        reverse=True,
    )[: limit + 1]


def _dated_keys_query(v, relation: str, branch: int, limit: int):
    earlier = ScheduleDay.objects.filter(
        activity_id=OuterRef("activity_id"), date__lt=OuterRef("date")
    )
    days = ScheduleDay.objects.filter(
        ~Exists(earlier), activity__is_public=True, **{f"activity__{UNION_PATH}": v.union}
    )
    if v.first is not None:
        days = days.filter(date__range=(v.first, v.last))
    if v.pillar is not None:
        days = days.filter(
            Exists(
                Activity.pillars.through.objects.filter(
                    activity_id=OuterRef("activity_id"), pillar_id=v.pillar
                )
            )
        )
    if v.cursor_date is not None:
        days = days.filter(
            Q(date__lt=v.cursor_date) | Q(date=v.cursor_date, activity_id__lt=v.cursor_id)
        )
    if v.organisation is not None:
        days = days.filter(_took_part_branches(v.organisation, relation, "activity_id")[branch])
    return days.order_by("-date", "-activity_id").values_list("activity_id", "date")[: limit + 1]


def _undated_pks(union, *, after, upto, year, pillar, organisation_id, relation) -> list[int]:
    """Ids of the undated public activities of fiscal years in (after, upto] (None:
    unbounded), newest year first, then programme, item and number."""
    return [
        pk
        for (pk,) in _UNDATED.rows(
            relation,
            union=union.pk,
            year=year,
            after=after,
            upto=upto,
            pillar=pillar.pk if pillar is not None else None,
            organisation=organisation_id,
        )
    ]


def _undated_query(v, relation: str):
    fiscal_year = f"{UNION_PATH.removesuffix('__union')}__year"
    activities = undated_public_activities(v.union)
    if v.year is not None:
        activities = activities.filter(**{fiscal_year: v.year})
    if v.after is not None:
        activities = activities.filter(**{f"{fiscal_year}__gt": v.after})
    if v.upto is not None:
        activities = activities.filter(**{f"{fiscal_year}__lte": v.upto})
    if v.pillar is not None:
        activities = activities.filter(
            Exists(
                Activity.pillars.through.objects.filter(
                    activity_id=OuterRef("pk"), pillar_id=v.pillar
                )
            )
        )
    if v.organisation is not None:
        conditions = _took_part_branches(v.organisation, relation, "pk")
        either = conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1]
        activities = activities.filter(either)
    return activities.order_by(
        f"-{fiscal_year}", "group__programme__number", "group__number", "sub_number", "pk"
    ).values_list("pk")


# Built once per process and shape (renkei/prepared.py): building these queries was most
# of the CPU a timeline page cost.
_DATED_KEYS = Prepared(_dated_keys_query)
_UNDATED = Prepared(_undated_query)


def issued_reports_queryset(union):
    """The union's issued annual reports offered to the public: only the public edition
    (published activities and photos); the internal edition is for signed-in staff."""
    from renkei.reports.models import IssuedReport, ReportEdition

    return IssuedReport.objects.filter(
        fiscal_year__union=union, edition=ReportEdition.PUBLIC
    ).select_related("fiscal_year")


def issued_reports(union) -> list:
    """The latest version of each issued report, per year and format, newest year first."""
    latest: dict[tuple[int, str], IssuedReport] = {}
    for report in issued_reports_queryset(union).order_by(
        "-fiscal_year__year", "format", "-version"
    ):
        latest.setdefault((report.fiscal_year.year, report.format), report)
    return list(latest.values())


def public_counts_by_pillar(union) -> dict[int, int]:
    """How many public activities each pillar has (pillar id → count; none: absent)."""
    rows = (
        public_activities(union)
        .filter(pillars__isnull=False)
        .values("pillars")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["pillars"]: row["n"] for row in rows}


@dataclass(frozen=True)
class Month:
    """A calendar month of public activities: its days that have any, each with the
    activities held that day (a multi-day activity under each of its days in the
    month), and the nearest months before and after with public activities."""

    first: date
    days: list  # (date, [activities]) in date order
    previous: date | None
    following: date | None


def month(union, year: int, month_number: int) -> Month:
    """The public activities of one month, by day. Four queries whatever the size."""
    first = date(year, month_number, 1)
    last = date(year, month_number, calendar.monthrange(year, month_number)[1])
    days = ScheduleDay.objects.filter(
        activity__is_public=True, **{f"activity__{UNION_PATH}": union}
    )
    rows = list(
        days.filter(
            Q(date__range=(first, last)) | Q(date__lt=first, end_date__gte=first)
        ).values_list("activity_id", "date", "end_date")
    )
    by_pk = with_listing(Activity.objects.filter(pk__in={pk for pk, _d, _e in rows})).in_bulk()
    by_day: dict[date, list] = {}
    for pk, start, end in sorted(rows, key=lambda r: (r[1], r[0])):
        for ordinal in range(
            max(start, first).toordinal(), min(end or start, last).toordinal() + 1
        ):
            listed = by_day.setdefault(date.fromordinal(ordinal), [])
            if by_pk[pk] not in listed:
                listed.append(by_pk[pk])
    before = days.filter(date__lt=first).aggregate(at=Max("date"))["at"]
    after = days.filter(date__gt=last).order_by("date").values_list("date", flat=True).first()
    return Month(
        first,
        sorted(by_day.items()),
        before.replace(day=1) if before else None,
        after.replace(day=1) if after else None,
    )


@dataclass(frozen=True)
class SearchResult:
    """One page of matches: the activities, whether more follow, the page number."""

    activities: list
    has_next: bool
    number: int


def search(union, query: str, page: int = 1) -> SearchResult:
    """Public activities whose searched text contains every word of ``query``, folded
    alike (``programmes.search``), newest fiscal year first. Two queries per page."""
    terms = query_terms(query)
    if not terms:
        return SearchResult([], False, page)
    matches = public_activities(union)
    for term in terms:
        matches = matches.filter(search_text__contains=term)
    start = (page - 1) * SEARCH_PAGE
    pks = list(
        matches.order_by(
            f"-{UNION_PATH.removesuffix('__union')}__year",
            "group__programme__number",
            "group__number",
            "sub_number",
        ).values_list("pk", flat=True)[start : start + SEARCH_PAGE + 1]
    )
    by_pk = with_listing(Activity.objects.filter(pk__in=pks[:SEARCH_PAGE])).in_bulk()
    return SearchResult([by_pk[pk] for pk in pks[:SEARCH_PAGE]], len(pks) > SEARCH_PAGE, page)
