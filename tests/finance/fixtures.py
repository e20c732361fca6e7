"""A year with a budget, kept by record: shared by the finance and staff tests."""

from datetime import date

from renkei.finance.models import BudgetLine, Direction, ExpenditureSection
from renkei.finance.sections import ensure_sections
from renkei.programmes.models import FiscalYear, FiscalYearState

DAY = date(2025, 6, 1)


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
