"""Test data from factories (Indico's ``create_event`` fixtures): each fixture returns a
callable with defaults, so a test states only what matters to it and never loads the
whole FY2024 seed to find one record. The seed (``fy2024``) is for the reference tests:
the report's content, the figures of the real year.

Registered for every test by ``tests/conftest.py`` (``pytest_plugins``)."""

from datetime import date
from itertools import count

import pytest

from renkei.finance.models import BudgetLine, Direction, ExpenditureSection
from renkei.finance.sections import ensure_sections
from renkei.programmes.models import (
    Activity,
    ActivityGroup,
    Attendance,
    FiscalYear,
    FiscalYearState,
    Programme,
    ScheduleDay,
    Venue,
    prefetch_leads,
)
from renkei.programmes.services import set_leads

DAY = date(2025, 6, 1)


@pytest.fixture
def create_union(db):
    """``create_union(members=[("293610", "川西町")])``: a union as an operator adds one
    (``add_union``), with a first secretariat user ``<slug>-jimukyoku``."""
    from renkei.tenancy.services import add_union

    numbers = count(1)

    def create(name=None, *, slug=None, members=(("293610", "川西町"),), region_name="テスト"):
        number = next(numbers)
        slug = slug or f"union-{number}"
        invitation = add_union(
            None,
            name=name or f"テスト広域連合{number}",
            slug=slug,
            region_name=region_name,
            members=list(members),
            secretariat_username=f"{slug}-jimukyoku",
        )
        return invitation.user.staff_profile.union

    return create


@pytest.fixture
def create_user(db):
    """``create_user("member", organisation, union=union)``: a user who can sign in with
    ``PASSWORD``; ``organisation`` None is the union's own organisation."""
    from renkei.tenancy.services import create_staff_user
    from tests.conftest import PASSWORD

    numbers = count(1)

    def create(role, organisation=None, *, union, username=None):
        org = organisation or union.organisation
        return create_staff_user(
            username=username or f"{role}-{next(numbers)}-{union.slug}",
            password=PASSWORD,
            union=union,
            organisation=org,
            role=role,
        )

    return create


@pytest.fixture
def create_year(db):
    """``create_year(union, 2024, state=...)``: a fiscal year with nothing in it."""

    def create(union, year=2024, *, state=FiscalYearState.PLANNING, **fields):
        return FiscalYear.objects.create(union=union, year=year, state=state, **fields)

    return create


@pytest.fixture
def create_programme(db):
    """``create_programme(year)``: the year's next programme (事業) with one item (項目);
    the item is ``programme.first_group``."""

    def create(year, *, name="交流事業", group_title="交流の項目", kind="other"):
        programme = Programme.objects.create(
            fiscal_year=year, number=year.programmes.count() + 1, name=name
        )
        programme.first_group = ActivityGroup.objects.create(
            programme=programme, number=1, title=group_title, kind=kind
        )
        return programme

    return create


@pytest.fixture
def create_activity(create_programme):
    """``create_activity(year, title=..., on=date(...))``: an activity in a new programme
    of ``year`` (or in ``group``), with one schedule day when ``on`` is given."""

    def create(year=None, *, group=None, title="交流の活動", kind="other", on=None, **fields):
        group = group or create_programme(year).first_group
        activity = Activity.objects.create(
            group=group,
            sub_number=group.activities.count() + 1,
            title=title,
            kind=kind,
            **fields,
        )
        if on is not None:
            ScheduleDay.objects.create(activity=activity, date=on)
        return activity

    return create


def budget_year(union):
    """FY2025 of ``union``, running, with an initial budget (当初予算): income
    650,000 yen; 報償費 100,000, 旅費 300,000, 需用費 200,000, 予備費 50,000; the lines
    are ``year.lines``."""
    ensure_sections(ExpenditureSection)
    year = FiscalYear.objects.create(union=union, year=2025, state=FiscalYearState.RUNNING)
    sections = {s.number: s for s in ExpenditureSection.for_year(2025)}

    def line(order, number, item, budgeted):
        return BudgetLine.objects.create(
            fiscal_year=year,
            direction=Direction.EXPENDITURE,
            section=sections[number],
            item=item,
            budgeted=budgeted,
            order=order,
        )

    year.lines = {
        "income": BudgetLine.objects.create(
            fiscal_year=year, direction=Direction.INCOME, item="分担金", budgeted=650000, order=1
        ),
        "fees": line(1, 7, "講師謝礼", 100000),
        "travel": line(2, 8, "普通旅費", 300000),
        "supplies": line(3, 10, "消耗品費", 200000),
        "reserve": BudgetLine.objects.create(
            fiscal_year=year,
            direction=Direction.EXPENDITURE,
            item="予備費",
            budgeted=50000,
            is_reserve=True,
            order=9,
        ),
    }
    return year


def fresh(line):
    return BudgetLine.objects.get(pk=line.pk)


def copy_public_activities(copies: int) -> None:
    """More public activities like the seed's, for query-count tests: ``copies`` copies of
    each public activity, in new sub-numbers of its group."""
    originals = list(
        Activity.objects.filter(is_public=True).prefetch_related(
            "days__venues", "pillars", prefetch_leads(), "attendances"
        )
    )
    for i in range(1, copies + 1):
        for original in originals:
            copy = Activity.objects.get(pk=original.pk)
            copy.pk = None
            copy.sub_number = 100 + i * 10 + original.group.activities.count() % 10
            while Activity.objects.filter(group=copy.group, sub_number=copy.sub_number).exists():
                copy.sub_number += 1
            copy.save()
            copy.pillars.set(original.pillars.all())
            set_leads(copy, original.leads())
            for day in original.days.all():
                new_day = ScheduleDay.objects.create(
                    activity=copy,
                    date=day.date,
                    end_date=day.end_date,
                    start_time=day.start_time,
                    end_time=day.end_time,
                    note=day.note,
                )
                Venue.objects.bulk_create(
                    Venue(day=new_day, name=v.name, municipality=v.municipality, order=v.order)
                    for v in day.venues.all()
                )
            Attendance.objects.bulk_create(
                Attendance(activity=copy, organisation=a.organisation, count=a.count)
                for a in original.attendances.all()
            )


# 置賜's members as its 規約 lists them: their codes, names and order (cities, then towns).
OKITAMA_MEMBERS = (
    ("062022", "米沢市"),
    ("062090", "長井市"),
    ("062138", "南陽市"),
    ("063819", "高畠町"),
    ("063827", "川西町"),
    ("064025", "白鷹町"),
    ("064017", "小国町"),
    ("064033", "飯豊町"),
)


@pytest.fixture
def create_member_union(create_union):
    """``create_member_union()``: a union named as 置賜's, with its eight members (their
    codes, in 規約 order: 3 cities, 5 towns), region 置賜, 港区 (131032) as its remote partner and
    地域活性化センター as a supporting organisation — what the staff tests name, without
    the FY2024 seed's programmes, budget and prose."""
    from renkei.tenancy.models import Organisation, OrganisationKind, PartnerRole, Partnership
    from renkei.tenancy.services import member_organisation

    def create(name="置賜広域行政事務組合", **fields):
        union = create_union(name, members=OKITAMA_MEMBERS, region_name="置賜", **fields)
        jcrd, _ = Organisation.objects.get_or_create(
            name="一般財団法人地域活性化センター",
            defaults={"short_name": "地域活性化センター", "kind": OrganisationKind.FOUNDATION},
        )
        Partnership.objects.create(
            union=union,
            organisation=member_organisation("131032", "港区"),
            role=PartnerRole.REMOTE_PARTNER,
        )
        Partnership.objects.create(union=union, organisation=jcrd, role=PartnerRole.SUPPORT)
        return union

    return create


@pytest.fixture
def create_attendance(db):
    """``create_attendance(activity, {organisation: count}, total=22, by_kind={"city": 3})``:
    who attended as the records hold it — a count, or None for 「参加」 (took part, count
    unknown) — with the recorded total and members counted by kind (市・町)."""
    from renkei.programmes.models import AttendanceComposition

    def create(activity, counts=None, *, total=None, by_kind=None):
        Attendance.objects.bulk_create(
            Attendance(activity=activity, organisation=organisation, count=count)
            for organisation, count in (counts or {}).items()
        )
        AttendanceComposition.objects.bulk_create(
            AttendanceComposition(activity=activity, kind=kind, number=number)
            for kind, number in (by_kind or {}).items()
        )
        if total is not None:
            Activity.objects.filter(pk=activity.pk).update(attendee_total=total)
            activity.attendee_total = total
        return activity

    return create


@pytest.fixture
def create_project(db):
    """``create_project(union)``: a partnership project with 港区 (the union's remote
    partner) and its three pillars ひと・もの・こと; ``project.pillar[key]``."""
    from renkei.programmes.models import PartnershipProject, Pillar
    from renkei.tenancy.models import Organisation

    def create(union, *, name="連携プロジェクト", partner_code="131032"):
        project = PartnershipProject.objects.create(
            union=union,
            name=name,
            partner=Organisation.objects.get(code=partner_code),
            since_fiscal_year=2019,
            concept="互いの地域を知る",
        )
        project.pillar = {
            key: Pillar.objects.create(project=project, key=key, name=label, order=order)
            for order, (key, label) in enumerate(
                [("hito", "ひと"), ("mono", "もの"), ("koto", "こと")], start=1
            )
        }
        return project

    return create


@pytest.fixture
def create_budget_line(db):
    """``create_budget_line(year, settled=1643460)``: an expenditure line of ``year`` under
    節 ``section`` (8 旅費 by default), the sections put in place first."""

    def create(year, *, section=8, item="普通旅費", budgeted=300000, settled=0, **fields):
        ensure_sections(ExpenditureSection)
        return BudgetLine.objects.create(
            fiscal_year=year,
            direction=Direction.EXPENDITURE,
            section=ExpenditureSection.for_year(year.year).get(number=section),
            item=item,
            budgeted=budgeted,
            settled=settled,
            order=year.budget_lines.count() + 1,
            **fields,
        )

    return create


YONEZAWA, NANYO, OGUNI, MINATO = "062022", "062138", "064017", "131032"


def partnership_union(slug="renkei-test"):
    """A union outside any fixture (for records made once per class): members 米沢市,
    南陽市 and 小国町 in that order; 港区, with its branch 芝地区総合支所, as the remote
    partner of a project whose pillars are ひと・もの・こと (``union.pillars`` by key:
    hito, mono, koto); 地域活性化センター, a seminar provider (``union.provider``)."""
    from renkei.programmes.models import PartnershipProject, Pillar
    from renkei.tenancy.models import Organisation, OrganisationKind, Partnership
    from renkei.tenancy.services import add_union

    union = add_union(
        None,
        name="置賜テスト広域連合",
        slug=slug,
        region_name="置賜",
        members=[(YONEZAWA, "米沢市"), (NANYO, "南陽市"), (OGUNI, "小国町")],
        secretariat_username=f"{slug}-jimukyoku",
    ).user.staff_profile.union
    minato = Organisation.objects.filter(code=MINATO).first() or Organisation.objects.create(
        name="港区", kind=OrganisationKind.SPECIAL_WARD, code=MINATO
    )
    union.branch = Organisation.objects.create(
        name="芝地区総合支所", kind=OrganisationKind.BRANCH_OFFICE, parent=minato
    )
    union.provider = Organisation.objects.create(
        name="地域活性化センター", kind=OrganisationKind.FOUNDATION
    )
    Partnership.objects.create(union=union, organisation=minato, role="remote_partner")
    project = PartnershipProject.objects.create(
        union=union, name="開港プロジェクト", partner=minato, since_fiscal_year=2019, concept="交流"
    )
    union.pillars = {
        key: Pillar.objects.create(project=project, key=key, name=name, order=n)
        for n, (key, name) in enumerate((("hito", "ひと"), ("mono", "もの"), ("koto", "こと")))
    }
    return union


@pytest.fixture
def create_two_town_union(create_union):
    """``create_two_town_union()``: a union whose members are 米沢市 and 南陽市 (置賜's
    codes, in that order) with 港区 as a remote partner (遠隔連携自治体); slug ``okitama``
    unless given, so file names read as the seed's."""
    from renkei.tenancy.models import PartnerRole, Partnership
    from renkei.tenancy.services import member_organisation

    def create(name="置賜テスト組合", *, slug="okitama"):
        union = create_union(
            name, slug=slug, region_name="置賜", members=[(YONEZAWA, "米沢市"), (NANYO, "南陽市")]
        )
        Partnership.objects.create(
            union=union,
            organisation=member_organisation(MINATO, "港区"),
            role=PartnerRole.REMOTE_PARTNER,
        )
        return union

    return create


@pytest.fixture
def create_staff(create_user):
    """``create_staff(union)``: one user per role, as ``tests/staff``'s ``users``: the
    secretariat, 米沢市 staff (member), 南陽市 staff (other_member), 港区 staff (partner),
    an auditor. The union is one of ``create_two_town_union``'s."""
    from renkei.tenancy.models import Organisation

    def create(union):
        def org(code):
            return Organisation.objects.get(code=code)

        return {
            "secretariat": create_user("secretariat", union=union),
            "member": create_user("member", org(YONEZAWA), union=union),
            "other_member": create_user("member", org(NANYO), union=union),
            "partner": create_user("partner", org(MINATO), union=union),
            "auditor": create_user("auditor", union=union),
        }

    return create


@pytest.fixture
def create_count(db):
    """``create_count(activity, organisation, 12)``: a recorded count; None is
    「参加」 (took part, number unknown)."""

    def create(activity, organisation, count=None):
        return Attendance.objects.create(activity=activity, organisation=organisation, count=count)

    return create


@pytest.fixture
def create_report_year(create_year, create_activity, create_count):
    """``create_report_year(union, 2024)``: a year the checks before issuing find nothing
    wrong with: a balanced settlement (分担金 and 報償費, 100,000 yen each), 事業概要 and
    まとめ, and one public 交流研修 on 2 November at 札の辻スクエア with a lecturer and
    22 of the union's first member; the activity is ``year.activity``."""
    from renkei.programmes.models import Lecturer, NarrativeSection

    def create(union, year=2024, *, state=FiscalYearState.RUNNING):
        fiscal_year = create_year(union, year, state=state)
        ensure_sections(ExpenditureSection)
        section = ExpenditureSection.for_year(year).get(number=7)
        for order, (direction, item, fields) in enumerate(
            [
                (Direction.INCOME, "分担金", {}),
                (Direction.EXPENDITURE, "講師謝礼", {"section": section}),
            ],
            start=1,
        ):
            BudgetLine.objects.create(
                fiscal_year=fiscal_year,
                direction=direction,
                item=item,
                budgeted=100000,
                settled=100000,
                order=order,
                **fields,
            )
        for order, (key, title) in enumerate([("overview", "事業概要"), ("summary", "まとめ")]):
            NarrativeSection.objects.create(
                fiscal_year=fiscal_year, key=key, title=title, body=f"{title}の本文。", order=order
            )
        activity = create_activity(
            fiscal_year,
            title="交流研修",
            kind="exchange_training",
            on=date(year, 11, 2),
            attendee_total=22,
            is_public=True,
        )
        Venue.objects.create(day=activity.days.get(), name="札の辻スクエア")
        Lecturer.objects.create(activity=activity, name="箕浦 龍一")
        create_count(activity, union.members_in_order()[0], 22)
        fiscal_year.activity = activity
        return fiscal_year

    return create


@pytest.fixture
def create_portal_project(db):
    """``create_portal_project(union)``: the partnership project the portal is built around
    (おきたま×みなと開港プロジェクト with 港区 since FY2022), its pillars ひと, もの and
    こと (keys hito, mono, koto) with one line each; the pillars are ``project.by_key``."""
    from renkei.programmes.models import PartnershipProject, Pillar, PillarLine
    from renkei.tenancy.models import Organisation

    def create(union, *, name="おきたま×みなと開港プロジェクト"):
        project = PartnershipProject.objects.create(
            union=union,
            name=name,
            partner=Organisation.objects.get(code=MINATO),
            since_fiscal_year=2022,
            concept="置賜と港区をつなぐ。",
        )
        project.by_key = {}
        for order, (key, pillar_name, line) in enumerate(
            [
                ("hito", "ひと", "職員の交流"),
                ("mono", "もの", "物産の紹介"),
                ("koto", "こと", "観光の発信"),
            ]
        ):
            pillar = Pillar.objects.create(project=project, key=key, name=pillar_name, order=order)
            PillarLine.objects.create(pillar=pillar, text=line, order=1)
            project.by_key[key] = pillar
        return project

    return create


@pytest.fixture
def create_settlement(create_budget_line):
    """``create_settlement(year)``: a balanced settlement (決算) of ``year``: income 分担金
    2,500,000 and 繰越金 518,451 yen; expenditure 講師謝礼 (節 7) 1,374,991 and 普通旅費
    (節 8) 1,643,460; both sides total 3,018,451, a figure no single line holds. Returns
    the lines by key: income, carried, fees, travel."""

    def create(year):
        income = {
            key: BudgetLine.objects.create(
                fiscal_year=year,
                direction=Direction.INCOME,
                item=item,
                budgeted=settled,
                settled=settled,
                order=order,
            )
            for order, (key, item, settled) in enumerate(
                [("income", "分担金", 2500000), ("carried", "繰越金", 518451)], start=1
            )
        }
        return income | {
            "fees": create_budget_line(
                year, section=7, item="講師謝礼", budgeted=1400000, settled=1374991
            ),
            "travel": create_budget_line(year, budgeted=1700000, settled=1643460),
        }

    return create


@pytest.fixture
def create_inquiry_year(create_programme, create_activity):
    """``create_inquiry_year(year)``: what ``tests.inquiries.conftest.inquiry_data``'s
    defaults name, added to ``year`` as FY2024 lays them out: programme 1
    遠隔自治体間連携事業 with a 交流研修 in item 1 and, in item 3 今年度実施した取組
    (``year.initiatives``), room for the members' initiatives; programme 2 研修事業, whose
    item 1 is a seminar series holding the external seminars 旅先納税 and ZEB導入セミナー
    (``year.sessions``, in that order), nobody's attendance recorded."""

    def create(year, *, provider=None):
        remote = create_programme(
            year, name="遠隔自治体間連携事業", group_title="開港プロジェクト交流研修"
        )
        create_activity(group=remote.first_group, title="交流研修", kind="exchange_training")
        ActivityGroup.objects.create(programme=remote, number=2, title="芝地区交流事業")
        year.initiatives = ActivityGroup.objects.create(
            programme=remote, number=3, title="今年度実施した取組"
        )
        seminars = create_programme(
            year, name="研修事業", group_title="広域連携外部研修", kind="seminar_series"
        ).first_group
        if provider is not None:
            seminars.provider = provider
            seminars.save(update_fields=["provider"])
        year.sessions = [
            create_activity(group=seminars, title=title, kind="external_seminar")
            for title in ("旅先納税", "ZEB導入セミナー")
        ]
        return year

    return create


@pytest.fixture
def create_long_report_year(create_report_year, create_programme, create_activity):
    """``create_long_report_year(union, 2024)``: ``create_report_year``'s year with
    ``programmes`` more programmes of six workshops each, every workshop with a date, a
    place, a lecturer, a total of 12 (「1市」) and a paragraph of 内容. The report gives
    each activity a page: one programme makes 15 pages (for marks on every page, a PDF
    laid out in parts, page images), and the checks before issuing find nothing. The
    workshops are ``year.workshops``."""
    from renkei.programmes.models import AttendanceComposition, Lecturer

    paragraph = "研修の内容と参加者の感想を記録した段落。" * 12

    def create(union, year=2024, *, programmes=1, state=FiscalYearState.RUNNING):
        fiscal_year = create_report_year(union, year, state=state)
        fiscal_year.workshops = []
        for p in range(1, programmes + 1):
            group = create_programme(
                fiscal_year, name=f"研修事業{p}", group_title="研修会"
            ).first_group
            for n in range(1, 7):
                workshop = create_activity(
                    group=group,
                    title=f"研修会{p}-{n}",
                    kind="workshop",
                    on=date(year, 5 + n, 10 + p),
                    attendee_total=12,
                    description=paragraph,
                )
                Venue.objects.create(day=workshop.days.get(), name="置賜総合文化センター")
                Lecturer.objects.create(activity=workshop, name=f"講師 {p}-{n}")
                AttendanceComposition.objects.create(activity=workshop, kind="city", number=1)
                fiscal_year.workshops.append(workshop)
        return fiscal_year

    return create


@pytest.fixture
def create_busy_year(
    create_two_town_union,
    create_year,
    create_project,
    create_programme,
    create_activity,
    create_attendance,
    create_budget_line,
):
    """``create_busy_year()``: FY2024 (running) of a ``create_two_town_union`` union
    (米沢市, 南陽市; 港区 its partner) with records of every kind the screens, the portal
    and the API show — for tests that go over everything (the fuzz tests), not the real
    year. Programme 1 遠隔自治体間連携事業: item 1 研修会 with 旅先納税セミナー (public,
    online) and ZEB導入セミナー (private), items 2 and 3 empty; programme 2 交流事業:
    交流研修 (public, pillar ひと, led by both members, two days at two venues, a
    lecturer, counts, 「参加」 and a composition; ``year.training``) and 物産展 (public,
    pillars もの・こと, led by 米沢市; ``year.exhibition``). Budget: 分担金, 報償費,
    旅費 and 予備費, settled; 事業概要 and まとめ; the project is ``year.project``; the
    year sits under a plan (R1–R10)."""
    from datetime import time

    from renkei.programmes.models import Lecturer, NarrativeSection, Plan
    from renkei.tenancy.models import Organisation

    def create(union=None, year=2024, *, state=FiscalYearState.RUNNING):
        union = union or create_two_town_union()
        plan = Plan.objects.create(
            union=union, name="広域連携推進計画", first_fiscal_year=2019, last_fiscal_year=2028
        )
        fiscal_year = create_year(union, year, state=state, plan=plan)
        yonezawa, nanyo, minato = (
            Organisation.objects.get(code=code) for code in (YONEZAWA, NANYO, MINATO)
        )
        fiscal_year.project = project = create_project(union)
        remote = create_programme(fiscal_year, name="遠隔自治体間連携事業", group_title="研修会")
        for number, title in [(2, "交流会"), (3, "構成市町の取組")]:
            ActivityGroup.objects.create(programme=remote, number=number, title=title)
        tax = create_activity(
            group=remote.first_group,
            title="旅先納税セミナー",
            kind="workshop",
            on=date(year, 9, 5),
            delivery_mode="online",
            is_public=True,
            attendee_total=8,
        )
        create_attendance(tax, {yonezawa: 3, nanyo: 5})
        zeb = create_activity(
            group=remote.first_group, title="ZEB導入セミナー", kind="workshop", on=date(year, 10, 8)
        )
        create_attendance(zeb, {nanyo: 1})
        training = create_activity(
            fiscal_year,
            title="交流研修",
            kind="exchange_training",
            on=date(year, 11, 2),
            attendee_total=22,
            is_public=True,
            purpose="職員の交流",
            description="二日間の研修",
        )
        exchange = training.group.programme
        exchange.name = "交流事業"
        exchange.save(update_fields=["name"])
        second = ScheduleDay.objects.create(
            activity=training, date=date(year, 11, 3), start_time=time(10), end_time=time(16)
        )
        Venue.objects.create(day=training.days.first(), name="札の辻スクエア", municipality=minato)
        Venue.objects.create(day=second, name="エコプラザ", municipality=minato, order=1)
        Lecturer.objects.create(activity=training, name="箕浦 龍一", title="シニアフェロー")
        training.pillars.set([project.pillar["hito"]])
        set_leads(training, [yonezawa, nanyo])
        create_attendance(training, {yonezawa: 12, nanyo: None, minato: 5}, by_kind={"city": 2})
        exhibition = create_activity(
            group=training.group,
            title="物産展",
            kind="exhibition",
            on=date(year, 12, 7),
            is_public=True,
            visitor_count=300,
            visitors_approximate=True,
        )
        Venue.objects.create(day=exhibition.days.get(), name="港区役所ロビー", municipality=minato)
        exhibition.pillars.set([project.pillar["mono"], project.pillar["koto"]])
        set_leads(exhibition, [yonezawa])
        create_attendance(exhibition, {yonezawa: 2})
        BudgetLine.objects.create(
            fiscal_year=fiscal_year,
            direction=Direction.INCOME,
            item="分担金",
            budgeted=650000,
            settled=600000,
            order=1,
        )
        create_budget_line(fiscal_year, section=7, item="講師謝礼", budgeted=100000, settled=80000)
        create_budget_line(fiscal_year, budgeted=300000, settled=250000)
        BudgetLine.objects.create(
            fiscal_year=fiscal_year,
            direction=Direction.EXPENDITURE,
            item="予備費",
            budgeted=50000,
            is_reserve=True,
            order=9,
        )
        for order, (key, title) in enumerate([("overview", "事業概要"), ("summary", "まとめ")]):
            NarrativeSection.objects.create(
                fiscal_year=fiscal_year, key=key, title=title, body=f"{title}の本文。", order=order
            )
        fiscal_year.training, fiscal_year.exhibition = training, exhibition
        return fiscal_year

    return create
