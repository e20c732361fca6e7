"""The examination-form 決算書 read back from PDF, Word and Excel: 予算現額, 調定額,
収入済額, 不納欠損額, 収入未済額, 支出済額, 翌年度繰越額, 不用額 per line and in total;
an unknown amount is 「—」 with a note, never 0; a year recorded without a budget (as
FY2024 is) says it has none and keeps its settled amounts."""

import io

import docx
import pytest
from openpyxl import load_workbook

from renkei.finance.budget_changes import record_amendment, record_transfer
from renkei.finance.examination import examination_for
from renkei.finance.expenses import record_expense
from renkei.finance.models import BudgetLine, Direction, RevenueKind, TransferKind
from renkei.finance.revenue import record_carryover, record_revenue
from renkei.finance.statement import statement_for
from renkei.reports.renderers import document_formats, render_document
from tests.factories import DAY, budget_year

from .extract import pdf_layout_text, row_of


def docx_rows(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def xlsx_rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def settled_year(union, users):
    """FY2025 with an amendment, a transfer, spending, revenue and a carry-over."""
    user = users["secretariat"]
    year = budget_year(union)
    lines = year.lines
    record_amendment(
        year,
        user,
        number=1,
        decided_on=DAY,
        decided_by="組合議会",
        reason="研修の追加",
        amounts={lines["supplies"]: 20000, lines["income"]: 20000},
    )
    record_transfer(
        year,
        user,
        kind=TransferKind.TRANSFER,
        source=lines["travel"],
        target=lines["supplies"],
        amount=50000,
        decided_on=DAY,
        decided_by="管理者",
        reason="消耗品の不足",
    )
    for line, amount in ((lines["supplies"], 230000), (lines["travel"], 100000)):
        record_expense(line, user, spent_on=DAY, payee="置賜文具", amount=amount, purpose="研修")
    record_carryover(lines["travel"], user, amount=30000, reason="繰越明許費")
    for kind, amount in (
        (RevenueKind.ASSESSED, 670000),
        (RevenueKind.RECEIVED, 330000),
        (RevenueKind.WRITTEN_OFF, 5000),
    ):
        record_revenue(
            lines["income"], user, kind=kind, recorded_on=DAY, payer="構成市町", amount=amount
        )
    return year


def test_the_figures(settled_year):
    exam = examination_for(settled_year)
    (income,) = exam.revenue
    assert (income.current, income.assessed, income.received) == (670000, 670000, 330000)
    assert (income.written_off, income.outstanding) == (5000, 335000)
    rows = {row.item: row for row in exam.expenditure}
    supplies, travel = rows["消耗品費"], rows["普通旅費"]
    assert (supplies.current, supplies.spent, supplies.carried, supplies.unused) == (
        270000,
        230000,
        0,
        40000,
    )
    assert (travel.current, travel.spent, travel.carried, travel.unused) == (
        250000,
        100000,
        30000,
        120000,
    )
    total = exam.expenditure_total
    assert (total.current, total.spent, total.carried, total.unused) == (
        670000,
        330000,
        30000,
        310000,
    )
    assert exam.difference == 0
    assert exam.notes == []


def test_pdf_word_and_excel_read_back(settled_year):
    exam = examination_for(settled_year)
    assert set(document_formats("examination")) == {"pdf", "docx", "xlsx"}

    text = pdf_layout_text(render_document("examination", exam, "pdf"))
    assert "令和7年度 歳入歳出決算書" in text
    assert row_of(text, "旅費", "普通旅費")[-4:] == ["250,000", "100,000", "30,000", "120,000"]
    assert row_of(text, "需用費", "消耗品費")[-4:] == ["270,000", "230,000", "0", "40,000"]
    assert row_of(text, "歳出合計")[-4:] == ["670,000", "330,000", "30,000", "310,000"]
    assert row_of(text, "分担金")[-5:] == ["670,000", "670,000", "330,000", "5,000", "335,000"]

    rows = docx_rows(render_document("examination", exam, "docx"))
    assert ["旅費", "普通旅費", "250,000", "100,000", "30,000", "120,000"] in rows
    assert ["", "分担金", "670,000", "670,000", "330,000", "5,000", "335,000"] in rows

    rows = xlsx_rows(render_document("examination", exam, "xlsx"))
    assert ["旅費", "普通旅費", 250000, 100000, 30000, 120000, None] in rows
    assert ["歳出合計", None, 670000, 330000, 30000, 310000, None] in rows


def test_an_unknown_budget_prints_as_unknown_never_zero(settled_year):
    BudgetLine.objects.create(
        fiscal_year=settled_year,
        direction=Direction.EXPENDITURE,
        section=settled_year.lines["travel"].section,
        item="特別旅費",
        budgeted=None,
        settled=0,
        order=5,
    )
    exam = examination_for(settled_year)
    assert exam.expenditure_total.current is None
    assert exam.expenditure_total.unused is None
    text = pdf_layout_text(render_document("examination", exam, "pdf"))
    assert row_of(text, "特別旅費")[-4:] == ["—", "0", "0", "—"]
    assert row_of(text, "歳出合計")[-4:] == ["—", "330,000", "30,000", "—"]
    assert "当初予算が記録されていない行" in text.replace("\n", "")
    rows = xlsx_rows(render_document("examination", exam, "xlsx"))
    assert ["旅費", "特別旅費", "—", 0, 0, "—", None] in rows


@pytest.fixture
def unbudgeted_year(union, create_year, create_budget_line):
    """FY2024 as a settled year was recorded before Renkei (the seed's is): settled amounts
    on every line, no budget (当初予算) on any."""
    year = create_year(union, 2024)
    BudgetLine.objects.create(
        fiscal_year=year,
        direction=Direction.INCOME,
        item="広域連携事業費分担金",
        budgeted=None,
        settled=250_000,
        order=1,
    )
    create_budget_line(year, section=7, item="講師謝礼", budgeted=None, settled=100_000)
    create_budget_line(year, section=8, item="普通旅費", budgeted=None, settled=137_654)
    return year


def test_a_year_without_budget_says_so_and_keeps_its_settled_amounts(unbudgeted_year):
    assert statement_for(unbudgeted_year).expenditure_settled == 237_654
    before = list(
        BudgetLine.objects.filter(fiscal_year=unbudgeted_year).values_list("pk", "settled")
    )
    statement = statement_for(unbudgeted_year)
    exam = examination_for(unbudgeted_year)
    assert exam.revenue_total.received == statement.income_settled
    assert exam.expenditure_total.spent == statement.expenditure_settled
    assert all(row.current is None and row.unused is None for row in exam.expenditure)
    assert all(row.assessed is None and row.outstanding is None for row in exam.revenue)
    for fmt in ("pdf", "docx"):
        data = render_document("examination", exam, fmt)
        if fmt == "pdf":
            text = pdf_layout_text(data).replace("\n", "")
        else:
            text = "".join("".join(row) for row in docx_rows(data)) + "".join(
                p.text for p in docx.Document(io.BytesIO(data)).paragraphs
            )
        assert "予算（当初予算）は記録されていません" in text
        assert f"{statement.expenditure_settled:,}" in text
    rows = xlsx_rows(render_document("examination", exam, "xlsx"))
    budget_cells = [row[2] for row in rows if row[0] and row[2] is not None and row[1]]
    assert budget_cells and all(cell in ("—", "予算現額") for cell in budget_cells)
    assert (
        list(BudgetLine.objects.filter(fiscal_year=unbudgeted_year).values_list("pk", "settled"))
        == before
    )
