"""The cost of the work in the report's appendix, in every format: a year without expense
records (as FY2024 is) says the cost is not recorded (never 0円); a year kept by record
shows each activity's cost and its cost per participant, 「不明」 where the number of
participants is unknown; the seminars' fee is spread over the sessions by the stated rule."""

import io
from datetime import date

import docx
import pytest
from openpyxl import load_workbook

from renkei.finance.costs import cost_per_participant, record_seminar_fee, spread_equally
from renkei.finance.expenses import Allocation, record_expense
from renkei.finance.models import ExpenseAllocation
from renkei.programmes.models import Activity, ActivityGroup, GroupKind, Programme
from renkei.reports.data import build_report
from renkei.reports.renderers import render
from tests.factories import budget_year

from .extract import fold, pdf_text

pytestmark = pytest.mark.django_db

NOT_RECORDED = "活動別の費用は記録されていません"


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def xlsx_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]


def every_format(report) -> dict[str, str]:
    """The appendix's text as a reader finds it in each document, folded."""
    return {
        "html": fold(render(report, "html").decode("utf-8")),
        "pdf": fold(pdf_text(render(report, "pdf"))),
        "docx": fold(docx_text(render(report, "docx"))),
        "xlsx": fold("\n".join(map(str, xlsx_cells(render(report, "xlsx"))))),
    }


def test_a_year_without_expenses_says_cost_is_not_recorded_in_every_format(year):
    report = build_report(year)  # settled amounts, no expense records
    costs = report.statistics.costs
    assert costs.recorded is False and costs.rows == []
    for fmt, text in every_format(report).items():
        assert fold(NOT_RECORDED) in text, fmt
        assert fold("活動別の費用") in text, fmt


@pytest.fixture
def costed_year(union, make_user):
    """FY2025 kept by record: a workshop with 20 participants, a visit with attendance
    unknown, three seminar sessions; 30,001 yen split over the first two, a 100,000 yen
    seminar fee spread over the sessions."""
    user = make_user("secretariat")
    year = budget_year(union)
    programme = Programme.objects.create(fiscal_year=year, number=1, name="研修事業")
    group = ActivityGroup.objects.create(programme=programme, number=1, title="研修会")
    workshop = Activity.objects.create(
        group=group, sub_number=1, title="DX研修会", kind="other", attendee_total=20
    )
    visit = Activity.objects.create(group=group, sub_number=2, title="視察", kind="other")
    series = ActivityGroup.objects.create(
        programme=programme, number=2, title="セミナー", kind=GroupKind.SEMINAR_SERIES
    )
    sessions = [
        Activity.objects.create(
            group=series,
            sub_number=n,
            title=f"セミナー第{n}回",
            kind="external_seminar",
            attendee_total=n,
        )
        for n in (1, 2, 3)
    ]
    record_expense(
        year.lines["travel"],
        user,
        spent_on=date(2025, 6, 1),
        payee="交通機関",
        amount=30_001,
        purpose="旅費",
        allocations=[Allocation(workshop, 20_000), Allocation(visit, 10_001)],
    )
    record_seminar_fee(
        year.lines["fees"],
        user,
        sessions=sessions,
        spent_on=date(2025, 7, 1),
        payee="地域活性化センター",
        amount=100_000,
        purpose="研修負担金",
    )
    year.activities = {"workshop": workshop, "visit": visit, "sessions": sessions}
    return year


def test_costs_and_cost_per_participant(costed_year):
    costs = build_report(costed_year).statistics.costs
    rows = {row.label: row for row in costs.rows}
    assert costs.recorded is True
    assert (rows["DX研修会"].cost, rows["DX研修会"].per_participant) == (20_000, 1_000)
    assert rows["視察"].cost == 10_001
    assert rows["視察"].participants == rows["視察"].per_participant == "不明"
    sessions = [row for label, row in rows.items() if label.startswith("セミナー")]
    assert [row.cost for row in sessions] == [33_334, 33_333, 33_333]
    assert [row.per_participant for row in sessions] == [33_334, 16_667, 11_111]
    assert any("130,001円" in note for note in costs.notes)  # spent, all allocated
    for fmt, text in every_format(build_report(costed_year)).items():
        assert fold("20,000") in text or "20000" in text, fmt
        assert fold("不明") in text, fmt
        assert fold("最初の回から順に1円ずつ") in text, fmt  # the stated rule
        assert fold(NOT_RECORDED) not in text, fmt


def test_seminar_fee_is_spread_equally_remainder_to_the_first_sessions(costed_year):
    sessions = costed_year.activities["sessions"]
    parts = ExpenseAllocation.objects.filter(activity__in=sessions).order_by("activity__sub_number")
    assert [p.amount for p in parts] == [33_334, 33_333, 33_333]
    assert [p.amount for p in spread_equally(5, sessions)] == [2, 2, 1]
    assert [p.amount for p in spread_equally(2, sessions)] == [1, 1]  # no 0-yen part


def test_cost_per_participant_rounds_half_up_and_keeps_unknown():
    assert cost_per_participant(3, 2) == 2  # 1.5 → 2
    assert cost_per_participant(10, 4) == 3  # 2.5 → 3
    assert cost_per_participant(10, 3) == 3
    assert cost_per_participant(10, None) is None
    assert cost_per_participant(10, 0) is None
    assert cost_per_participant(None, 5) is None
