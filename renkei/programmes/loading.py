"""Loading a union's year from a structured data file (the FY2024 seed is one).

The file names organisations by key and refers to them by that key everywhere else.
This module loads the records of tenancy and programmes; the budget is the finance
app's (``finance.loading``) and ``operations.seed.load_year_file`` loads both in one
transaction (a lower app may not import a higher one).
Loading is idempotent: an organisation is found by its code (or name when it has no
code) before one is created, and a fiscal year that already exists is left as it is
— the records may have been edited since — and reported as skipped.
"""

import json
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from renkei.tenancy.models import Membership, Organisation, Partnership, Union

from .models import (
    Activity,
    ActivityGroup,
    ActivitySection,
    Attendance,
    AttendanceComposition,
    DeliveryMode,
    FiscalYear,
    Lecturer,
    NarrativeSection,
    PartnershipProject,
    Pillar,
    PillarLine,
    Plan,
    Programme,
    ScheduleDay,
    Venue,
)
from .services import set_leads

FY2024_PATH = Path(__file__).parent / "data" / "fy2024.json"


@dataclass
class LoadResult:
    union: Union
    fiscal_year: FiscalYear
    created: bool


def read_year_file(path: Path = FY2024_PATH) -> dict:
    """The data of a year file, as JSON values."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_year_records(data: dict) -> LoadResult:
    """Load the organisations, union, plans, project and the year's programmes of a year
    file's data (call inside the caller's transaction). A year that exists is left alone."""
    orgs: dict[str, Organisation] = {}
    for spec in data["organisations"]:
        orgs[spec["key"]] = _organisation(spec, orgs)
    union = _union(data["union"], orgs)
    plans = {spec["key"]: _plan(union, spec) for spec in data["plans"]}
    project, pillars = _project(union, data["project"], orgs)
    year_spec = data["fiscal_year"]
    existing = FiscalYear.objects.filter(union=union, year=year_spec["year"]).first()
    if existing:
        return LoadResult(union, existing, created=False)
    fiscal_year = _fiscal_year(union, year_spec, plans, orgs, pillars)
    return LoadResult(union, fiscal_year, created=True)


def loaded_year(path: Path = FY2024_PATH) -> FiscalYear | None:
    """The fiscal year a data file loads (its union's slug and year), if it is loaded."""
    data = read_year_file(path)
    return (
        FiscalYear.objects.select_related("union")
        .filter(union__slug=data["union"]["slug"], year=data["fiscal_year"]["year"])
        .first()
    )


def _organisation(spec: dict, orgs: dict) -> Organisation:
    lookup = {"code": spec["code"]} if spec.get("code") else {"name": spec["name"], "code": None}
    organisation, created = Organisation.objects.get_or_create(
        **lookup,
        defaults={
            "name": spec["name"],
            "short_name": spec.get("short_name", ""),
            "kana": spec.get("kana", ""),
            "kind": spec["kind"],
            "parent": orgs.get(spec.get("parent")),
        },
    )
    if created:
        organisation.full_clean()
    return organisation


def _union(spec: dict, orgs: dict) -> Union:
    union, _ = Union.objects.get_or_create(
        organisation=orgs[spec["organisation"]],
        defaults={
            "slug": spec["slug"],
            "region_name": spec["region_name"],
            "address": spec.get("address", ""),
            **{key: spec.get(key, "") for key in ("contact_section", "phone", "email")},
        },
    )
    for order, key in enumerate(spec["members"], start=1):
        Membership.objects.get_or_create(
            union=union, organisation=orgs[key], defaults={"order": order}
        )
    for partner in spec.get("partnerships", []):
        Partnership.objects.get_or_create(
            union=union,
            organisation=orgs[partner["organisation"]],
            role=partner["role"],
            defaults={"basis": partner.get("basis", ""), "since_fiscal_year": partner.get("since")},
        )
    return union


def _plan(union: Union, spec: dict) -> Plan:
    plan, _ = Plan.objects.get_or_create(
        union=union,
        name=spec["name"],
        defaults={
            "first_fiscal_year": spec["first"],
            "last_fiscal_year": spec["last"],
            "adopted_in": spec.get("adopted_in", ""),
        },
    )
    return plan


def _project(union: Union, spec: dict, orgs: dict) -> tuple[PartnershipProject, dict]:
    project, created = PartnershipProject.objects.get_or_create(
        union=union,
        name=spec["name"],
        defaults={
            "partner": orgs[spec["partner"]],
            "since_fiscal_year": spec["since"],
            "concept": spec["concept"],
            "image_text": spec.get("image_text", ""),
        },
    )
    if created:
        for order, pillar_spec in enumerate(spec["pillars"], start=1):
            pillar = Pillar.objects.create(
                project=project, key=pillar_spec["key"], name=pillar_spec["name"], order=order
            )
            PillarLine.objects.bulk_create(
                PillarLine(pillar=pillar, text=text, order=n)
                for n, text in enumerate(pillar_spec["lines"], start=1)
            )
    return project, {pillar.key: pillar for pillar in project.pillars.all()}


def _fiscal_year(union, spec, plans, orgs, pillars) -> FiscalYear:
    fiscal_year = FiscalYear.objects.create(
        union=union, year=spec["year"], plan=plans.get(spec.get("plan")), state=spec["state"]
    )
    for order, narrative in enumerate(spec.get("narratives", []), start=1):
        NarrativeSection.objects.create(
            fiscal_year=fiscal_year,
            key=narrative["key"],
            title=narrative["title"],
            body="\n\n".join(narrative["paragraphs"]),
            order=order,
        )
    for programme_spec in spec["programmes"]:
        programme = Programme.objects.create(
            fiscal_year=fiscal_year, number=programme_spec["number"], name=programme_spec["name"]
        )
        for group_spec in programme_spec["groups"]:
            group = ActivityGroup.objects.create(
                programme=programme,
                number=group_spec["number"],
                title=group_spec["title"],
                short_title=group_spec.get("short_title", ""),
                kind=group_spec.get("kind", "general"),
                provider=orgs.get(group_spec.get("provider")),
                note=group_spec.get("note", ""),
            )
            for number, activity_spec in enumerate(group_spec["activities"], start=1):
                _activity(group, number, activity_spec, orgs, pillars)
    return fiscal_year


def _activity(group, number, spec, orgs, pillars) -> Activity:
    is_seminar = group.kind == "seminar_series"
    activity = Activity(
        group=group,
        sub_number=number,
        title=spec["title"],
        heading=spec.get("heading", ""),
        theme=spec.get("theme", ""),
        kind=spec.get("kind", "external_seminar" if is_seminar else "other"),
        organiser=orgs.get(spec.get("organiser")) or (group.provider if is_seminar else None),
        delivery_mode=spec.get("mode", DeliveryMode.IN_PERSON),
        place_summary=spec.get("place_summary", ""),
        purpose=spec.get("purpose", ""),
        description=spec.get("description", ""),
        attendee_total=spec.get("attendee_total"),
        visitor_count=spec.get("visitor_count"),
        visitors_approximate=spec.get("visitors_approximate", False),
        is_public=spec.get("is_public", False),
    )
    activity.full_clean(exclude=["group"])
    activity.save()
    activity.pillars.set(pillars[key] for key in spec.get("pillars", []))
    set_leads(activity, [orgs[key] for key in spec.get("leads", [])])  # in the file's order
    days = spec.get("days", [])
    if "date" in spec:  # a seminar session: one span of days at one place
        venues = [{"municipality": spec["place"]}] if spec.get("place") else []
        days = [{"date": spec["date"], "end_date": spec.get("end_date"), "venues": venues}]
    for day_spec in days:
        day = ScheduleDay.objects.create(
            activity=activity,
            date=date.fromisoformat(day_spec["date"]),
            end_date=date.fromisoformat(day_spec["end_date"]) if day_spec.get("end_date") else None,
            start_time=time.fromisoformat(day_spec["start"]) if day_spec.get("start") else None,
            end_time=time.fromisoformat(day_spec["end"]) if day_spec.get("end") else None,
            note=day_spec.get("note", ""),
        )
        for order, venue in enumerate(day_spec.get("venues", []), start=1):
            Venue.objects.create(
                day=day,
                name=venue.get("name", ""),
                municipality=orgs.get(venue.get("municipality")),
                order=order,
            )
    for order, lecturer in enumerate(spec.get("lecturers", []), start=1):
        Lecturer.objects.create(
            activity=activity,
            name=lecturer["name"],
            title=lecturer["title"],
            organisation_name=lecturer["organisation"],
            order=order,
        )
    Attendance.objects.bulk_create(
        Attendance(activity=activity, organisation=orgs[key], count=count)
        for key, count in spec.get("attendance", {}).items()
    )
    AttendanceComposition.objects.bulk_create(
        AttendanceComposition(activity=activity, kind=kind, number=number)
        for kind, number in spec.get("members_by_kind", {}).items()
    )
    for order, section in enumerate(spec.get("sections", []), start=1):
        ActivitySection.objects.create(
            activity=activity,
            kind=section.get("kind", "section"),
            heading=section.get("heading", ""),
            lead=section.get("lead", ""),
            bullets="\n".join(section.get("bullets", [])),
            order=order,
        )
    return activity
