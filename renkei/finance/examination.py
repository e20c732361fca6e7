"""The settlement in the examination form (決算書, as the 監査委員 examine it): per line

- revenue: 予算現額, 調定額, 収入済額, 不納欠損額, 収入未済額;
- expenditure: 予算現額, 支出済額, 翌年度繰越額, 不用額 (= 予算現額 − 支出済額 − 翌年度繰越額);

with totals. The data knows a line's 節 (expenditure) or its 区分 (revenue) and item, not
款 and 項, so the rows are 区分・節 and 項目. An amount that is not known (a line without an
initial budget; 調定額 of a revenue line kept by line) is None here and printed as 「—」
with a note by the renderers, never as 0; a total with an unknown part is unknown. The
renderers (``renkei.reports.renderers.examination``) only lay this out.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei import wareki
from renkei.programmes.services import LOCKED_STATES

from .execution import execution_of
from .models import BudgetLine, Direction
from .revenue import revenue_of


@dataclass(frozen=True)
class RevenueRow:
    label: str
    item: str
    current: int | None  # 予算現額
    assessed: int | None  # 調定額
    received: int  # 収入済額
    written_off: int | None  # 不納欠損額
    outstanding: int | None  # 収入未済額
    note: str = ""


@dataclass(frozen=True)
class ExpenditureRow:
    label: str
    item: str
    current: int | None  # 予算現額
    spent: int  # 支出済額
    carried: int  # 翌年度繰越額
    unused: int | None  # 不用額
    note: str = ""


def _total(values) -> int | None:
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


@dataclass(frozen=True)
class Examination:
    union_name: str
    year_label: str  # 令和6年度
    title: str
    closed: bool
    revenue: list[RevenueRow]
    expenditure: list[ExpenditureRow]
    notes: list[str]

    @property
    def revenue_total(self) -> RevenueRow:
        rows = self.revenue
        return RevenueRow(
            _("歳入合計"),
            "",
            _total(r.current for r in rows),
            _total(r.assessed for r in rows),
            sum(r.received for r in rows),
            _total(r.written_off for r in rows),
            _total(r.outstanding for r in rows),
        )

    @property
    def expenditure_total(self) -> ExpenditureRow:
        rows = self.expenditure
        return ExpenditureRow(
            _("歳出合計"),
            "",
            _total(r.current for r in rows),
            sum(r.spent for r in rows),
            sum(r.carried for r in rows),
            _total(r.unused for r in rows),
        )

    @property
    def difference(self) -> int:
        """歳入歳出差引残額: received less spent."""
        return self.revenue_total.received - self.expenditure_total.spent


UNKNOWN_BUDGET = gettext_lazy(
    "当初予算が記録されていない行の予算現額・不用額は「—」（不明）で示します。"
)
UNKNOWN_ASSESSED = gettext_lazy(
    "調定・不納欠損の記録がない収入の行（決算額を行ごとに入力した行）の調定額・"
    "不納欠損額・収入未済額は「—」（不明）で示します。"
)
NO_BUDGET = gettext_lazy(
    "この年度の予算（当初予算）は記録されていません。予算現額と不用額は不明のため、"
    "数字では示しません。収入済額・支出済額は記録された決算額です。"
)


def examination_for(fiscal_year) -> Examination:
    """The examination-form settlement of one year (a few queries)."""
    lines = list(
        BudgetLine.objects.filter(fiscal_year=fiscal_year)
        .select_related("section")
        .order_by("direction", "order", "pk")
    )
    income = [line for line in lines if line.direction == Direction.INCOME]
    expenditure = [line for line in lines if line.direction == Direction.EXPENDITURE]
    executions = execution_of(lines)
    revenues = revenue_of(income)
    revenue_rows: list[RevenueRow] = []
    for line in income:
        execution, revenue = executions[line.pk], revenues[line.pk]
        revenue_rows.append(
            RevenueRow(
                line.label,
                line.item,
                execution.current,
                revenue.assessed,
                revenue.received,
                revenue.written_off,
                revenue.outstanding,
                line.note,
            )
        )
    expenditure_rows: list[ExpenditureRow] = []
    for line in expenditure:
        execution = executions[line.pk]
        amount = execution.carried
        current = execution.current
        expenditure_rows.append(
            ExpenditureRow(
                line.label,
                line.item,
                current,
                line.settled,
                amount,
                None if current is None else current - line.settled - amount,
                line.note,
            )
        )
    notes = []
    if lines and all(line.budgeted is None for line in lines):
        notes.append(NO_BUDGET)
    elif any(row.current is None for row in revenue_rows) or any(
        row.current is None for row in expenditure_rows
    ):
        notes.append(UNKNOWN_BUDGET)
    if any(row.assessed is None for row in revenue_rows):
        notes.append(UNKNOWN_ASSESSED)
    year_label = wareki.format_fiscal_year(fiscal_year.year)
    return Examination(
        union_name=fiscal_year.union.organisation.name,
        year_label=year_label,
        title=_("%(year)s 歳入歳出決算書") % {"year": year_label},
        closed=fiscal_year.state in LOCKED_STATES,
        revenue=revenue_rows,
        expenditure=expenditure_rows,
        notes=[str(note) for note in notes],
    )
