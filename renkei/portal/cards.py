"""What an activity's card on a public page shows, as plain values: the one input of
the ``activity_card`` tag (``portal_tags``).

The timeline and the municipality pages read their cards with ``cards()`` (``values()``,
four queries for a page) instead of building ~12 model instances per activity; the
other pages turn the model instances they already hold into cards with ``card_of()``.
Both give the same card (tested on the FY2024 records)."""

from dataclasses import dataclass
from datetime import date, datetime

from renkei import wareki
from renkei.prepared import Prepared
from renkei.programmes.models import Activity, ActivityKind, ScheduleDay
from renkei.programmes.public import leads_by_activity, pillars_by_activity, span


@dataclass(frozen=True)
class Card:
    pk: int
    title: str
    fiscal_year: int
    when: str  # 令和7年3月11日(火)～12日(水); empty without a schedule day
    place: str
    kind_label: str
    pillars: tuple[str, ...]
    leads: tuple[str, ...]
    updated_at: datetime


def _when(first: date | None, last: date | None) -> str:
    return wareki.format_range(first, last, weekday=True) if first and last else ""


def _place(names: list[str], summary: str) -> str:
    return "、".join(dict.fromkeys(names)) or summary


def card_of(activity) -> Card:
    """The card of an activity loaded with ``public.with_listing``."""
    first, last, _f, _l = span(activity)
    return Card(
        pk=activity.pk,
        title=activity.display_heading,
        fiscal_year=activity.group.programme.fiscal_year.year,
        when=_when(first, last),
        place=_place(
            [v.name or str(v.municipality) for d in activity.days.all() for v in d.venues.all()],
            activity.place_summary,
        ),
        kind_label=activity.get_kind_display(),
        pillars=tuple(p.name for p in activity.pillars.all()),
        leads=tuple(o.name for o in activity.leads()),
        updated_at=activity.updated_at,
    )


def cards(pks: list[int]) -> dict[int, Card]:
    """The cards of these activities by id (four queries whatever their number)."""
    if not pks:
        return {}
    pillars = pillars_by_activity(pks)
    leads = {
        activity_id: [name for (name,) in found]
        for activity_id, found in leads_by_activity(pks, "organisation__name").items()
    }
    # Days and their venues in one query (a day without a venue comes once, venue None);
    # within an activity, venues in day, then venue order, as ``card_of`` lists them.
    days: dict[int, list[tuple]] = {}
    places: dict[int, list[str]] = {}
    for activity_id, first, end, venue, name, municipality in _DAYS.rows(ids=pks):
        days.setdefault(activity_id, []).append((first, end or first))
        if venue is not None:
            places.setdefault(activity_id, []).append(name or str(municipality))
    labels = {value: str(label) for value, label in ActivityKind.choices}
    result = {}
    for pk, title, heading, kind, place_summary, updated_at, year in _ACTIVITIES.rows(ids=pks):
        schedule = days.get(pk, [])
        result[pk] = Card(
            pk=pk,
            title=heading or title,
            fiscal_year=year,
            when=_when(
                min((d[0] for d in schedule), default=None),
                max((d[1] for d in schedule), default=None),
            ),
            place=_place(places.get(pk, []), place_summary),
            kind_label=labels.get(kind, kind),
            pillars=tuple(pillars.get(pk, ())),
            leads=tuple(leads.get(pk, ())),
            updated_at=updated_at,
        )
    return result


# Built once per process and page size (renkei/prepared.py): most of a timeline render
# went into building these same queries.
_DAYS = Prepared(
    lambda v: (
        ScheduleDay.objects.filter(activity_id__in=v.ids)
        .order_by("activity_id", "date", "start_time", "pk", "venues__order", "venues__pk")
        .values_list(
            "activity_id",
            "date",
            "end_date",
            "venues__pk",
            "venues__name",
            "venues__municipality__name",
        )
    )
)
_ACTIVITIES = Prepared(
    lambda v: Activity.objects.filter(pk__in=v.ids).values_list(
        "id",
        "title",
        "heading",
        "kind",
        "place_summary",
        "updated_at",
        "group__programme__fiscal_year__year",
    )
)
