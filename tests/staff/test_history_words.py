"""The change history speaks Japanese (issue 14, item 1): every value as a person would say
it (choices' labels, 公開/非公開, names instead of ids, 和暦 dates), internal fields left
out, schedules compared day by day, and one date style on the home page and the history."""

import re
from datetime import date, time

import pytest
from django.apps import apps
from django.db import models

from renkei.audit.models import AuditEntry
from renkei.audit.services import fingerprint, record_change
from renkei.finance.models import BudgetLine, Direction
from renkei.finance.services import save_budget_line
from renkei.programmes import services
from renkei.programmes.models import FiscalYearState, Plan
from renkei.programmes.structure import save_record
from renkei.reports.year_cycle import set_fiscal_year_state
from renkei.staff.history_queries import changes_of
from renkei.tenancy.models import Organisation, Role
from renkei.tenancy.services import create_staff_user, deactivate_user

from .conftest import MINATO, NANYO, YONEZAWA

HISTORY = "/staff/history/"


def changes_text(html: str) -> str:
    """The 変更内容 cells of a rendered history, one line per change."""
    cells = re.findall(r'<ul class="changes">(.*?)</ul>', html, re.S)
    items = [
        re.sub(r"<[^>]+>", "", item)
        for cell in cells
        for item in re.findall(r"<li>(.*?)</li>", cell, re.S)
    ]
    return "\n".join(items)


def choice_codes() -> set[str]:
    """Every stored choice code of the project's models (in_person, planning, partner…)."""
    codes = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for code, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(code, str) and re.fullmatch(r"[a-z][a-z_]{2,}", code):
                    codes.add(code)
    return codes


def numeric_labels() -> set[str]:
    """Labels of plain number fields, where digits are the value, not an id."""
    labels = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.IntegerField | models.DecimalField)
                and not field.is_relation
                and not isinstance(field, models.AutoField)
            ):
                labels.add(str(field.verbose_name))
    return labels


@pytest.fixture
def everything_changed(year, staff, create_programme, create_project, create_budget_line):
    """Every audited field of the main records changed through the services."""
    clerk = staff["secretariat"]
    group = create_programme(year).first_group
    orgs = {code: Organisation.objects.get(code=code) for code in (YONEZAWA, NANYO, MINATO)}
    pillars = list(create_project(year.union).pillar.values())[:2]
    day_one = services.DayData(
        date(2024, 12, 2),
        start_time=time(10),
        end_time=time(12),
        venues=[services.VenueData("伝国の杜")],
    )
    day_two = services.DayData(date(2024, 12, 3), note="午後のみ")
    made = services.create_activity(
        group,
        clerk,
        fields={
            "title": "冬の交流研修",
            "kind": "exchange_training",
            "delivery_mode": "in_person",
            "is_public": True,
            "organiser": orgs[YONEZAWA],
        },
        pillars=pillars[:1],
        lead_organisations=[orgs[YONEZAWA]],
        days=[day_one, day_two],
        lecturers=[services.LecturerData("山田太郎", "教授")],
    )
    made.refresh_from_db()
    services.update_activity(
        made,
        clerk,
        expected_version=made.version,
        fields={
            "title": "冬の交流研修（改）",
            "kind": "workshop",
            "delivery_mode": "hybrid",
            "is_public": False,
            "visitor_count": 40,
            "visitors_approximate": True,
            "organiser": orgs[NANYO],
        },
        pillars=pillars,
        lead_organisations=[orgs[NANYO], orgs[YONEZAWA]],
        days=[
            day_one,
            services.DayData(date(2024, 12, 3), note="午前のみ"),
            services.DayData(
                date(2024, 12, 4), venues=[services.VenueData("置賜総合文化センター")]
            ),
        ],
        lecturers=[services.LecturerData("山田太郎", "名誉教授")],
    )
    services.record_attendance(
        made,
        clerk,
        counts={orgs[YONEZAWA].pk: 5, orgs[NANYO].pk: 3},
        seen={orgs[YONEZAWA].pk: None, orgs[NANYO].pk: None},
    )
    set_fiscal_year_state(year, clerk, state=FiscalYearState.PLANNING)
    year.refresh_from_db()
    plan = Plan.objects.create(
        union=year.union,
        name="第二次置賜定住自立圏共生ビジョン",
        first_fiscal_year=2024,
        last_fiscal_year=2028,
    )
    save_record(
        year,
        clerk,
        fields={"plan": plan, "report_title": "連携事業報告書"},
        expected=fingerprint(year),
    )
    line = create_budget_line(year, settled=250000)
    other_section = type(line.section).objects.exclude(pk=line.section_id).first()
    save_budget_line(
        line,
        clerk,
        expected_version=line.version,
        fields={"settled": line.settled + 100, "note": "精算", "section": other_section},
    )
    save_budget_line(
        BudgetLine(fiscal_year=year),
        clerk,
        fields={"direction": Direction.INCOME, "item": "負担金", "budgeted": 1000, "settled": 1000},
    )
    partner = create_staff_user(
        username="minato-2",
        password="pass-for-tests-2024",
        union=year.union,
        organisation=orgs[MINATO],
        role=Role.PARTNER,
        actor=clerk,
    )
    deactivate_user(clerk, partner.staff_profile)
    return {"activity": made, "plan": plan, "line": line}


def test_every_changed_field_reads_in_words(client_as, everything_changed):
    html = client_as("secretariat").get(HISTORY).content.decode()
    text = changes_text(html)
    assert text, "the history shows the changes"
    chosen = "\n".join(line for line in text.splitlines() if not line.startswith("ユーザー名"))
    for code in choice_codes():  # (user names are typed, not chosen)
        assert not re.search(rf"\b{code}\b", chosen), f"choice code {code!r} shown"
    assert "True" not in text and "False" not in text
    allowed = numeric_labels()
    for line in text.splitlines():
        label, _, values = line.partition(": ")
        for value in re.split(r" → |、", values):
            if re.fullmatch(r"\d+", value.strip()):
                assert label.strip() in allowed or label.startswith("出席者数"), line
    for internal in (
        "（削除済み）",
        "version",
        "updated_at",
        "created_at",
        "fy2024.json",
        "ID:",
        "username",
        "union:",
    ):
        assert internal not in text
    # what a person reads instead
    for words in (
        "交流研修 → 研修会（主催）",
        "対面 → 対面及びオンライン",
        "公開 → 非公開",
        "計画中",
        "連携先職員",
        "第二次置賜定住自立圏共生ビジョン",
        "有効 → 無効",
        "米沢市 → 南陽市",
        "実施市町: 米沢市 → 南陽市、米沢市",
        "講師: 教授 山田太郎 氏 → 名誉教授 山田太郎 氏",
    ):
        assert words in text, words


def test_schedule_is_compared_day_by_day(client_as, everything_changed):
    entry = AuditEntry.objects.filter(
        model="programmes.activity", action="update", changes__has_key="days"
    ).latest("pk")
    days = {c.label: (c.old, c.new) for c in changes_of(entry) if c.label.startswith("日程")}
    assert days == {
        "日程（令和6年12月3日）": ("令和6年12月3日 午後のみ", "令和6年12月3日 午前のみ"),
        "日程（令和6年12月4日）": ("—", "令和6年12月4日 / 置賜総合文化センター"),
    }
    text = changes_text(client_as("secretariat").get(HISTORY).content.decode())
    assert "[" not in text and "…" not in text
    created = AuditEntry.objects.filter(model="programmes.activity", action="create").latest("pk")
    assert [c.new for c in changes_of(created) if c.label.startswith("日程")] == [
        "令和6年12月2日 10:00〜12:00 / 伝国の杜",
        "令和6年12月3日 午後のみ",
    ]


def test_ids_become_names_and_deleted_records_say_so(year, staff):
    plan = Plan.objects.create(
        union=year.union, name="消える計画", first_fiscal_year=2024, last_fiscal_year=2025
    )
    gone = record_change(
        user=staff["secretariat"],
        action="update",
        instance=year,
        union=year.union,
        changes={"plan": [None, plan.pk], "union": year.union_id},
    )
    assert [(c.label, c.old, c.new) for c in changes_of(gone)] == [
        ("組合", None, "置賜広域行政事務組合"),
        ("計画", "—", "消える計画"),
    ]
    plan.delete()
    assert [c.new for c in changes_of(gone)][1] == "（削除済み）"


def test_photo_paths_are_not_shown(year, staff, create_activity):
    activity = create_activity(year)
    made = record_change(
        user=staff["secretariat"],
        action="update",
        instance=activity,
        union=year.union,
        changes={
            "写真の追加": [None, "交流会の様子（photos/2024/abc123.jpg）"],
            "写真の削除": ["photos/2024/x.jpg", None],
        },
    )
    assert sorted((c.label, c.old, c.new) for c in changes_of(made)) == [
        ("写真の削除", "説明のない写真", "—"),
        ("写真の追加", "—", "交流会の様子"),
    ]


def test_home_and_history_write_dates_alike(client_as, everything_changed):
    client = client_as("secretariat")
    home = client.get("/staff/").content.decode()
    history = client.get(HISTORY).content.decode()
    assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", home)
    stamp = re.search(r"令和\d+年\d+月\d+日 \d{2}:\d{2}", history).group(0)
    assert stamp in home


def test_an_id_never_names_another_unions_record(year, other_union, staff):
    theirs = Plan.objects.create(
        union=other_union, name="他組合の計画", first_fiscal_year=2024, last_fiscal_year=2025
    )
    ours = record_change(
        user=staff["secretariat"],
        action="update",
        instance=year,
        union=year.union,
        changes={"plan": [None, theirs.pk]},
    )
    assert [c.new for c in changes_of(ours)] == ["（削除済み）"]


def test_names_cost_one_query_per_kind_however_many_entries(client_as, year, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plans = [
        Plan.objects.create(
            union=year.union, name=f"計画{i}", first_fiscal_year=2024, last_fiscal_year=2025
        )
        for i in range(30)
    ]
    client = client_as("auditor")
    counts = []
    for batch in (plans[:1], plans[1:]):
        for plan in batch:
            record_change(
                user=staff["secretariat"],
                action="update",
                instance=year,
                union=year.union,
                changes={"plan": [None, plan.pk]},
            )
        with CaptureQueriesContext(connection) as queries:
            text = client.get(HISTORY).content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "計画29" in text and "計画0" in text


def test_a_new_unions_own_creation_reads_in_words(client, create_union, create_user):
    """The entry ``add_union`` writes is in the new union's history: its members by name
    (the codes it recorded read as （削除済み）), its organisation by name, not ``name:``."""
    union = create_union(
        "置賜広域行政事務組合", members=[("062022", "米沢市"), ("062138", "南陽市")]
    )
    client.force_login(create_user("secretariat", union=union))
    text = changes_text(client.get(HISTORY).content.decode())
    assert "構成団体: 米沢市、南陽市" in text
    assert "団体: 置賜広域行政事務組合" in text
    assert "（削除済み）" not in text and "name:" not in text
