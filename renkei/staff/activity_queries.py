"""Querysets of the activity screens: filtered lists with a fixed number of queries."""

import unicodedata

from django.db.models import Prefetch, Q

from renkei.programmes.models import Activity, Attendance, Pillar, Programme
from renkei.tenancy.permissions import scope


def activity_list(user, fiscal_year, filters: dict):
    """The activities of a year the user may see, filtered; prefetches what a row shows."""
    queryset = scope(Activity.objects.filter(group__programme__fiscal_year=fiscal_year), user)
    if filters.get("programme"):
        queryset = queryset.filter(group__programme=filters["programme"])
    if filters.get("pillar"):
        queryset = queryset.filter(pillars=filters["pillar"])
    if filters.get("municipality"):
        org = filters["municipality"]
        queryset = queryset.filter(Q(lead_organisations=org) | Q(attendances__organisation=org)
                                   | Q(days__venues__municipality=org))
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    text = unicodedata.normalize("NFKC", filters.get("q") or "").strip()
    for word in text.split():
        queryset = queryset.filter(Q(title__icontains=word) | Q(theme__icontains=word)
                                   | Q(description__icontains=word)
                                   | Q(purpose__icontains=word))
    ids = queryset.values("pk")
    return (
        Activity.objects.filter(pk__in=ids)
        .select_related("group__programme", "organiser")
        .prefetch_related(
            "pillars", "lead_organisations", "days",
            Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
        )
        .order_by("group__programme__number", "group__number", "sub_number")
    )


def filter_choices(user, fiscal_year) -> dict:
    union = fiscal_year.union
    return {
        "programmes": scope(Programme.objects.filter(fiscal_year=fiscal_year), user),
        "pillars": Pillar.objects.filter(project__union=union).order_by("order"),
        "municipalities": union.members.order_by("membership__order"),
    }


def activity_detail_queryset():
    return Activity.objects.select_related(
        "group__programme__fiscal_year__union__organisation", "organiser",
    ).prefetch_related(
        "pillars", "lead_organisations", "lecturers", "days__venues__municipality", "sections",
        "photos", Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
        "group__programme__fiscal_year__union__membership_set",
    )
