"""The report data function: a union's fiscal year turned into plain values.

``build_report(fiscal_year, edition)`` runs a fixed number of queries whatever the number
of activities, and returns a ``ReportData`` that every renderer and the checks use. The
public edition (``ReportEdition.PUBLIC``) is made only of published activities (and the
items and programmes that have one), published photos and impressions from organisations
that took part; the internal edition of every record.
"""

from dataclasses import asdict

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from renkei import wareki
from renkei.finance.execution import execution_of
from renkei.finance.models import BudgetLine, Direction
from renkei.finance.statement import statement_of
from renkei.inquiries.models import InquiryPart, InquiryState
from renkei.programmes.attendance import KnownAttendance, known_attendance
from renkei.programmes.models import (
    Activity,
    ActivityGroup,
    Attendance,
    FiscalYear,
    GroupKind,
    NarrativeSection,
    PartnershipProject,
    Photo,
    Programme,
    ScheduleDay,
    Venue,
    prefetch_leads,
)
from renkei.tenancy.codes import prefecture_name

from . import formatting as fmt
from .activities import activity_detail, activity_facts, attendance_text
from .content import (
    DetailPage,
    InquiryPartFacts,
    MoneyLine,
    Narrative,
    OverviewGroup,
    OverviewRow,
    Pillar,
    ProgrammeOverview,
    Project,
    ReportData,
    SeminarBlock,
    SeminarRow,
    SeminarTable,
    Settlement,
    TocEntry,
)
from .costs import cost_table
from .models import ReportEdition
from .statistics import statistics


class Context:
    """What the builders share: the union's members, region and home prefecture."""

    def __init__(self, fiscal_year: FiscalYear, edition: str = "internal"):
        self.public = edition == ReportEdition.PUBLIC
        union = fiscal_year.union
        self.union = union
        self.members = list(union.members_in_order())
        self.member_ids = [org.pk for org in self.members]
        codes = [org.code for org in self.members if org.code]
        self.home_prefecture = prefecture_name(codes[0]) if codes else ""
        self.region = union.region_name
        self._attendance: dict[int, KnownAttendance] = {}

    def attendance(self, activity) -> KnownAttendance:
        """What the records know of the activity's attendance, names as printed (read
        once per activity: the pages, the statistics and the checks all ask)."""
        if activity.pk not in self._attendance:
            self._attendance[activity.pk] = known_attendance(
                activity,
                member_ids=set(self.member_ids),
                label=lambda org: fmt.clean_text(org.label),
            )
        return self._attendance[activity.pk]

    def sections(self, activity) -> list:
        """The activity's content sections in this edition."""
        if self.public:
            return activity.sections_from_participants()
        return list(activity.sections.all())

    def leads(self, activity) -> list[str]:
        """Lead municipalities in the order they were entered (as the reference prints
        ⑥ 「（飯豊町、小国町）」, not in 規約 order)."""
        return [fmt.clean_text(org.label) for org in activity.leads()]


def _programmes(fiscal_year: FiscalYear, public: bool) -> list[Programme]:
    """The year's programmes, items and activities; in the public edition only published
    activities with their published photos, and the items and programmes that have one."""
    activities = Activity.objects.all()
    photos = Photo.objects.all()
    groups = ActivityGroup.objects.all()
    programmes = Programme.objects.filter(fiscal_year=fiscal_year)
    if public:
        activities = activities.filter(is_public=True)
        photos = photos.filter(is_public=True)
        groups = groups.filter(activities__is_public=True).distinct()
        programmes = programmes.filter(groups__activities__is_public=True).distinct()
    activities = (
        # The union behind each activity: its attendance reads it (which organisation is ours).
        activities.select_related("group__programme__fiscal_year__union", "organiser")
        .prefetch_related(  # type: ignore[type-var]  # django-stubs: Prefetch of a custom queryset
            Prefetch(
                "days",
                queryset=ScheduleDay.objects.prefetch_related(
                    Prefetch("venues", queryset=Venue.objects.select_related("municipality"))  # type: ignore[arg-type]
                ),
            ),
            "lecturers",
            "sections",
            Prefetch("photos", queryset=photos),
            prefetch_leads(),
            Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
            "compositions",
        )
        .order_by("group__number", "sub_number")
    )
    return list(
        programmes.order_by("number").prefetch_related(  # type: ignore[type-var]
            Prefetch("groups", queryset=groups), Prefetch("groups__activities", queryset=activities)
        )
    )


def _narratives(fiscal_year: FiscalYear) -> dict[str, Narrative]:
    return {
        n.key: Narrative(fmt.clean_text(n.title), [fmt.clean_text(p) for p in n.paragraphs])
        for n in NarrativeSection.objects.filter(fiscal_year=fiscal_year).order_by("order")
    }


def _overview_group(group, ctx: Context) -> OverviewGroup:
    label = fmt.clean_text(f"({group.number}){group.title}")
    activities = list(group.activities.all())
    several = len(activities) > 1
    if (
        not several
        and activities
        and fmt.clean_text(activities[0].title) in (group.title, group.short_title)
    ):
        # An item that is its one activity (自治体DX研修会) is named, as the reference does.
        return OverviewGroup(label=label)
    if (
        group.kind != GroupKind.SEMINAR_SERIES
        and activities
        and all(a.days.all() for a in activities)
    ):
        rows = [
            OverviewRow(
                item=fmt.clean_text(a.title),
                dates=fmt.short_dates(list(a.days.all()), spaced=False),
                place=fmt.clean_text(a.place_summary)
                or " ".join(
                    fmt.place_lines(list(a.days.all()), a.delivery_mode, ctx.home_prefecture)
                ),
            )
            for a in activities
        ]
        return OverviewGroup(label=label, rows=rows)
    entries = []
    for a in activities:
        title = fmt.clean_text(a.title)
        leads = ctx.leads(a)
        entries.append(
            (a.circled_number if several else "")
            + title
            + (f"（{'、'.join(leads)}）" if leads else "")
        )
    return OverviewGroup(label=label, entries=entries)


def _seminar_table(number: int, group, ctx: Context) -> SeminarTable:
    sessions = list(group.activities.all())
    rows = [
        SeminarRow(
            title=fmt.clean_text(s.title),
            dates=fmt.short_dates(list(s.days.all()), spaced=True),
            place=fmt.clean_text(s.place_summary)
            or " ".join(fmt.place_lines(list(s.days.all()), s.delivery_mode, ctx.home_prefecture)),
            attendees=attendance_text(s, ctx, short=True),
        )
        for s in sessions
    ]
    return SeminarTable(
        label=f"({number}){fmt.clean_text(group.heading)}",
        note=fmt.clean_text(group.note),
        show_place=not all(s.delivery_mode == "online" for s in sessions),
        rows=rows,
    )


def _pages(programmes, narratives, ctx: Context) -> list[DetailPage]:
    pages: list[DetailPage] = []
    for programme in programmes:
        block = None
        for group in programme.groups.all():
            if group.kind == GroupKind.SEMINAR_SERIES:
                if block is None:
                    narrative = narratives.get("external_training")
                    block = SeminarBlock(
                        anchor=f"seminars-{programme.number}",
                        heading=narrative.title if narrative else _("広域連携外部研修"),
                        overview=narrative.paragraphs if narrative else [],
                        tables=[],
                    )
                    pages.append(DetailPage(kind="seminars", seminars=block))
                block.tables.append(_seminar_table(len(block.tables) + 1, group, ctx))
                continue
            for activity in group.activities.all():
                detail = activity_detail(activity, ctx, anchor=f"activity-{len(pages) + 1}")
                if detail is not None:
                    pages.append(DetailPage(kind="activity", activity=detail))
    return pages


def _settlement(fiscal_year: FiscalYear) -> Settlement:
    lines = list(
        BudgetLine.objects.filter(fiscal_year=fiscal_year)
        .select_related("section")
        .order_by("order", "id")
    )

    # The budget printed is the budget in force (予算現額: 当初 + 補正 + 流用 + 充用);
    # for a year without changes it is the initial budget, unknown stays unknown.
    in_force = execution_of(lines)

    def plain(line) -> MoneyLine:
        return MoneyLine(
            section=fmt.clean_text(line.label),
            item=fmt.clean_text(line.item),
            budgeted=in_force[line.pk].current,
            settled=line.settled,
            note=fmt.clean_text(line.note),
        )

    income = [plain(x) for x in lines if x.direction == Direction.INCOME]
    spent = [plain(x) for x in lines if x.direction == Direction.EXPENDITURE]
    statement = statement_of(lines)  # the totals are finance's, never recomputed here
    return Settlement(
        income=income,
        expenditure=spent,
        income_total=statement.income_settled,
        expenditure_total=statement.expenditure_settled,
        income_budgeted=statement.income_budgeted,
        expenditure_budgeted=statement.expenditure_budgeted,
        show_budget=any(r.budgeted is not None for r in income + spent),
    )


def _project(fiscal_year: FiscalYear) -> Project | None:
    project = (
        PartnershipProject.objects.filter(
            union=fiscal_year.union, since_fiscal_year__lte=fiscal_year.year
        )
        .prefetch_related("pillars__lines")
        .order_by("since_fiscal_year", "id")
        .first()
    )
    if project is None:
        return None
    return Project(
        name=fmt.clean_text(project.name),
        concept=[fmt.clean_text(p) for p in project.concept.split("\n\n") if p.strip()],
        image_lines=[fmt.clean_text(x) for x in project.image_text.splitlines() if x.strip()],
        pillars=[
            Pillar(fmt.clean_text(p.name), [fmt.clean_text(x.text) for x in p.lines.all()])
            for p in project.pillars.all()
        ],
    )


def _toc(overview, programmes, pages, settlement, project, summary) -> list[TocEntry]:
    toc = []
    if overview:
        toc.append(TocEntry("overview", overview.title))
    if programmes:
        toc.append(TocEntry("programmes", _("事業一覧")))
    for page in pages:
        item = page.activity or page.seminars
        toc.append(TocEntry(item.anchor, item.heading))
    toc.append(TocEntry("settlement", _("収支決算書")))
    if project:
        toc.append(TocEntry("project", project.name))
    if summary:
        toc.append(TocEntry("summary", summary.title))
    toc.append(TocEntry("statistics", _("参考資料 構成市町の参加状況")))
    return toc


def build_report(fiscal_year: FiscalYear, edition: str = ReportEdition.INTERNAL) -> ReportData:
    """The annual report's content for one union's fiscal year, as plain values, in
    ``edition`` (``ReportEdition``: the public one holds only what is published)."""
    edition = ReportEdition(edition)
    fiscal_year = FiscalYear.objects.select_related("union__organisation").get(pk=fiscal_year.pk)
    ctx = Context(fiscal_year, edition)
    narratives = _narratives(fiscal_year)
    programmes = _programmes(fiscal_year, ctx.public)
    activities = [a for p in programmes for g in p.groups.all() for a in g.activities.all()]
    overview_tables = [
        ProgrammeOverview(fmt.clean_text(p.name), [_overview_group(g, ctx) for g in p.groups.all()])
        for p in programmes
    ]
    pages = _pages(programmes, narratives, ctx)
    settlement = _settlement(fiscal_year)
    project = _project(fiscal_year)
    overview, summary = narratives.get("overview"), narratives.get("summary")
    first, last = wareki.fiscal_year_bounds(fiscal_year.year)
    return ReportData(
        union_name=fmt.clean_text(fiscal_year.union),
        union_slug=fiscal_year.union.slug,
        year=fiscal_year.year,
        year_label=wareki.format_fiscal_year(fiscal_year.year),
        title=fmt.clean_text(fiscal_year.title),
        period=wareki.format_range(first, last),
        first_day=first.isoformat(),
        last_day=last.isoformat(),
        overview=overview,
        programmes=overview_tables,
        pages=pages,
        settlement=settlement,
        project=project,
        summary=summary,
        statistics=statistics(
            activities, settlement, ctx, cost_table(activities, fiscal_year, ctx.attendance)
        ),
        facts=[activity_facts(a, ctx) for a in activities],
        toc=_toc(overview, overview_tables, pages, settlement, project, summary),
        edition=edition.value,
        inquiry_parts=_inquiry_parts(fiscal_year),
        empty_items=[
            fmt.clean_text(f"{p.name} ({g.number}){g.title}")
            for p in programmes
            for g in p.groups.all()
            if not g.activities.all() and g.kind != GroupKind.SEMINAR_SERIES  # checked as tables
        ],
    )


def _inquiry_parts(fiscal_year) -> list[InquiryPartFacts]:
    """The parts of the year's sent (or closed) 照会, recipients in code order."""
    parts = (
        InquiryPart.objects.filter(inquiry__fiscal_year=fiscal_year)
        .exclude(inquiry__state=InquiryState.DRAFT)
        .select_related("inquiry", "organisation")
        .order_by("inquiry__pk", "organisation__code")
    )
    return [
        InquiryPartFacts(
            fmt.clean_text(p.inquiry.title),
            p.organisation.label,
            p.status,
            str(p.get_status_display()),
        )
        for p in parts
    ]


def report_json(report: ReportData) -> dict:
    """The plain values as JSON-ready data (stored with an issued report)."""
    return asdict(report)
