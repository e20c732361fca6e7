"""Querysets of the activity screens: filtered lists with a fixed number of queries."""

import unicodedata

from django.db.models import Exists, Prefetch, Q
from django.utils.translation import gettext as _

from renkei.programmes.models import (
    Activity,
    Attendance,
    Photo,
    Pillar,
    Programme,
    Venue,
    prefetch_leads,
)
from renkei.programmes.public import took_part_queries
from renkei.tenancy.models import MUNICIPAL_KINDS, Organisation


def activity_list(user, fiscal_year, filters: dict):
    """The activities of a year the user may see, filtered; prefetches what a row shows."""
    queryset = Activity.objects.filter(group__programme__fiscal_year=fiscal_year).restrict(user)
    if filters.get("programme"):
        queryset = queryset.filter(group__programme=filters["programme"])
    if filters.get("pillar"):
        queryset = queryset.filter(pillars=filters["pillar"])
    if filters.get("municipality"):
        org = filters["municipality"]
        led, attended = took_part_queries(org.pk, outer="pk")
        queryset = queryset.filter(
            Q(Exists(led)) | Q(Exists(attended)) | Q(days__venues__municipality=org)
        )
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    text = unicodedata.normalize("NFKC", filters.get("q") or "").strip()
    for word in text.split():
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(theme__icontains=word)
            | Q(description__icontains=word)
            | Q(purpose__icontains=word)
        )
    ids = queryset.values("pk")
    return (
        Activity.objects.filter(pk__in=ids)
        .select_related("group__programme__fiscal_year__union", "organiser")
        .prefetch_related(
            "pillars",
            prefetch_leads(),
            "days",
            "compositions",
            "group__programme__fiscal_year__union__membership_set",
            Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
        )
        .order_by("group__programme__number", "group__number", "sub_number")
    )


def filter_choices(user, fiscal_year) -> dict:
    union = fiscal_year.union
    return {
        "programmes": Programme.objects.filter(fiscal_year=fiscal_year)
        .select_related("fiscal_year")  # each choice is labelled with its year
        .restrict(user),
        "pillars": Pillar.objects.filter(project__union=union).order_by("order"),
        "municipalities": union.members_in_order(),
    }


def activity_detail_queryset():
    return Activity.objects.select_related(
        "group__programme__fiscal_year__union__organisation",
        "organiser",
    ).prefetch_related(
        "pillars",
        prefetch_leads(),
        "lecturers",
        "days__venues__municipality",
        "sections",
        Prefetch(
            "photos", queryset=Photo.objects.select_related("organisation").order_by("order", "pk")
        ),
        Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
        "compositions",
        "group__programme__fiscal_year__union__membership_set",
    )


def venue_municipalities(union, activity) -> list[tuple[str, list[Organisation]]]:
    """The municipalities a venue may lie in, grouped for a select: the union's members
    in 規約 order, its partner municipalities, and any other place the activity's venues
    already name (a seminar held in 綾瀬市 keeps it)."""
    members = list(union.members_in_order())
    partners = list(
        Organisation.objects.filter(partnership__union=union, kind__in=MUNICIPAL_KINDS)
        .exclude(pk__in=[o.pk for o in members])
        .distinct()
        .order_by("code")
    )
    offered = [o.pk for o in members + partners]
    current = []
    if activity.pk is not None:
        used = Venue.objects.filter(day__activity=activity).values("municipality")
        current = list(
            Organisation.objects.filter(pk__in=used).exclude(pk__in=offered).order_by("code")
        )
    return [
        (_("構成市町"), members),
        (_("連携自治体"), partners),
        (_("この活動の会場（その他）"), current),
    ]
