"""Two expenses at once on one line, each within what is left but not both: the year's
row lock makes the second wait and see the first, so one is refused (run it on
PostgreSQL too: ``scripts/with_postgres.py python -m pytest tests/finance``)."""

import pytest

from renkei.errors import RenkeiError
from renkei.finance.execution import execution_of_line
from renkei.finance.expenses import record_expense
from renkei.finance.models import Expense
from tests.conftest import at_once
from tests.factories import DAY, fresh

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_expenses_never_overspend(fy2025, secretariat):
    supplies = fy2025.lines["supplies"]  # 200,000 yen

    def attempt(index):
        try:
            record_expense(
                supplies,
                secretariat,
                spent_on=DAY,
                payee=f"業者{index}",
                amount=120000,
                purpose="備品",
            )
            return "recorded"
        except RenkeiError as error:
            return error.message

    outcomes = at_once(4, attempt)
    assert outcomes.count("recorded") == 1, outcomes
    assert all("超える" in outcome for outcome in outcomes if outcome != "recorded")
    assert fresh(supplies).settled == 120000 == sum(e.amount for e in Expense.objects.all())
    assert execution_of_line(fresh(supplies)).remaining == 80000


def test_simultaneous_receipts_never_exceed_what_is_assessed(fy2025, secretariat):
    from renkei.finance.models import RevenueKind, RevenueRecord
    from renkei.finance.revenue import record_revenue

    income = fy2025.lines["income"]
    record_revenue(
        income,
        secretariat,
        kind=RevenueKind.ASSESSED,
        recorded_on=DAY,
        payer="米沢市",
        amount=200000,
    )

    def attempt(index):
        try:
            record_revenue(
                income,
                secretariat,
                kind=RevenueKind.RECEIVED,
                recorded_on=DAY,
                payer=f"市町{index}",
                amount=120000,
            )
            return "recorded"
        except RenkeiError as error:
            return error.message

    outcomes = at_once(4, attempt)
    assert outcomes.count("recorded") == 1, outcomes
    assert all("先に調定を記録" in outcome for outcome in outcomes if outcome != "recorded")
    received = RevenueRecord.objects.filter(kind=RevenueKind.RECEIVED)
    assert fresh(income).settled == 120000 == sum(r.amount for r in received)
