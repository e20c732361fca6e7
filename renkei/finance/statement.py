"""The settlement statement (収支決算書) computed from a year's budget lines."""

from dataclasses import dataclass

from .models import BudgetLine, Direction


@dataclass(frozen=True)
class Statement:
    """Totals of a year's income and expenditure, budgeted and settled, in yen."""

    income_settled: int
    expenditure_settled: int
    income_budgeted: int | None
    expenditure_budgeted: int | None

    @property
    def difference(self) -> int:
        """差引: settled income less settled expenditure (0 when balanced)."""
        return self.income_settled - self.expenditure_settled

    @property
    def balanced(self) -> bool:
        return self.difference == 0


def _sum_budgeted(lines: list[BudgetLine]) -> int | None:
    amounts = [line.budgeted for line in lines if line.budgeted is not None]
    return sum(amounts) if amounts else None


def statement_for(fiscal_year) -> Statement:
    """The statement of one fiscal year (one query)."""
    return statement_of(BudgetLine.objects.filter(fiscal_year=fiscal_year))


def statement_of(lines) -> Statement:
    """The statement of a year's budget lines already read (the report's 収支決算書 uses the
    lines it prints)."""
    lines = list(lines)
    income = [line for line in lines if line.direction == Direction.INCOME]
    expenditure = [line for line in lines if line.direction == Direction.EXPENDITURE]
    return Statement(
        income_settled=sum(line.settled for line in income),
        expenditure_settled=sum(line.settled for line in expenditure),
        income_budgeted=_sum_budgeted(income),
        expenditure_budgeted=_sum_budgeted(expenditure),
    )
