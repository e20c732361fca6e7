"""The activity list's rows as plain dicts, read with ``values()``: the same JSON as
``ActivitySerializer`` (a test compares them on every FY2024 activity) at a fraction of the
cost, since a list of 50 built ~600 model instances and walked ~35,000 DRF field lookups
(22-31 ms of CPU a request, docs/benchmarks.md). The detail view keeps the serializer.

Five queries whatever the page size: the page, then pillars, lead municipalities, days and
their venues for the page's ids."""

from django.urls import reverse

from renkei.prepared import Prepared
from renkei.programmes.models import ActivityKind, ScheduleDay, Venue
from renkei.programmes.public import leads_by_activity, pillars_by_activity

PAGE_FIELDS = (
    "id",
    "title",
    "heading",
    "kind",
    "is_public",
    "group__programme__fiscal_year__year",
    "organiser_id",
    "organiser__name",
    "organiser__code",
)


def page_values(queryset):
    """The list query's columns (the queryset keeps its filters; the paginator orders and
    slices it)."""
    return queryset.values(*PAGE_FIELDS)


def _time(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def rows(page: list[dict], request) -> list[dict]:
    """The JSON rows of a page read by ``page_values``, in the page's order."""
    ids = [row["id"] for row in page]
    if not ids:
        return []
    pillars = pillars_by_activity(ids, "pillar__key")
    leads = {
        activity_id: [{"id": pk, "name": name, "code": code} for pk, name, code in found]
        for activity_id, found in leads_by_activity(
            ids, "organisation_id", "organisation__name", "organisation__code"
        ).items()
    }
    days: dict[int, list[dict]] = {}
    by_day: dict[int, dict] = {}
    entry: dict
    for day_id, activity_id, first, end, start_time, end_time, note in _DAYS.rows(ids=ids):
        by_day[day_id] = entry = {
            "date": first,
            "end_date": end,
            "start_time": _time(start_time),
            "end_time": _time(end_time),
            "note": note,
            "venues": [],
        }
        days.setdefault(activity_id, []).append(entry)
    for day_id, name, municipality in _VENUES.rows(ids=ids):
        by_day[day_id]["venues"].append(name or municipality)
    labels = {value: str(label) for value, label in ActivityKind.choices}
    # One reverse() for the path's shape; the id is the only part that changes.
    site = request.build_absolute_uri("/").removesuffix("/")
    path = reverse("portal:activity_detail", args=[0]).removesuffix("0/")
    result = []
    for row in page:
        pk, schedule = row["id"], days.get(row["id"], [])
        result.append(
            {
                "id": pk,
                "title": row["heading"] or row["title"],
                "kind": row["kind"],
                "kind_label": labels.get(row["kind"], row["kind"]),
                "fiscal_year": row["group__programme__fiscal_year__year"],
                "is_public": row["is_public"],
                "start_date": _iso(min((d["date"] for d in schedule), default=None)),
                "end_date": _iso(max((d["end_date"] or d["date"] for d in schedule), default=None)),
                "pillars": pillars.get(pk, []),
                "organiser": None
                if row["organiser_id"] is None
                else {
                    "id": row["organiser_id"],
                    "name": row["organiser__name"],
                    "code": row["organiser__code"],
                },
                "lead_municipalities": leads.get(pk, []),
                "days": [
                    {**d, "date": _iso(d["date"]), "end_date": _iso(d["end_date"])}
                    for d in schedule
                ],
                "portal_url": f"{site}{path}{pk}/" if row["is_public"] else None,
            }
        )
    return result


def _iso(value) -> str | None:
    return value.isoformat() if value else None


# Built once per process and page size (renkei/prepared.py).
_DAYS = Prepared(
    lambda v: (
        ScheduleDay.objects.filter(activity_id__in=v.ids)
        .order_by("activity_id", "date", "start_time", "pk")
        .values_list("id", "activity_id", "date", "end_date", "start_time", "end_time", "note")
    )
)
_VENUES = Prepared(
    lambda v: (
        Venue.objects.filter(day__activity_id__in=v.ids)
        .order_by("day_id", "order", "pk")
        .values_list("day_id", "name", "municipality__name")
    )
)
