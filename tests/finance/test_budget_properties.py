"""Property (Hypothesis): for any sequence of amendments, transfers and uses of the
reserve, each line's 予算現額 is 当初 + 補正 + 流用 + 充用 as summed independently here,
transfers conserve the total, and a refused change leaves every line as it was."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renkei.errors import RenkeiError
from renkei.finance.budget_changes import record_amendment, record_transfer
from renkei.finance.execution import execution_of, line_history
from renkei.finance.models import BudgetLine, TransferKind

NAMES = ("fees", "travel", "supplies", "reserve")
ORDINARY = ("fees", "travel", "supplies")
DECISION = {"decided_on": date(2025, 6, 1), "decided_by": "組合議会", "reason": "補正"}

amendment = st.tuples(
    st.just("amend"),
    st.sampled_from(NAMES),
    st.integers(min_value=-400_000, max_value=400_000).filter(bool),
)
transfer = st.tuples(
    st.just("transfer"),
    st.sampled_from(ORDINARY),
    st.sampled_from(ORDINARY),
    st.integers(min_value=1, max_value=400_000),
)
reserve = st.tuples(
    st.just("reserve"), st.sampled_from(ORDINARY), st.integers(min_value=1, max_value=100_000)
)
changes = st.lists(st.one_of(amendment, transfer, reserve), max_size=12)


def apply(year, user, change, number):
    """Apply one change through the services; returns the expected deltas per line."""
    lines = year.lines
    kind = change[0]
    if kind == "amend":
        _, name, amount = change
        record_amendment(year, user, number=number, amounts={lines[name]: amount}, **DECISION)
        return {name: ("amended", amount)}
    if kind == "transfer":
        _, source, target, amount = change
        record_transfer(
            year,
            user,
            kind=TransferKind.TRANSFER,
            source=lines[source],
            target=lines[target],
            amount=amount,
            **DECISION,
        )
        return {source: ("transferred", -amount), target: ("transferred", amount)}
    _, target, amount = change
    record_transfer(
        year,
        user,
        kind=TransferKind.RESERVE,
        source=lines["reserve"],
        target=lines[target],
        amount=amount,
        **DECISION,
    )
    return {"reserve": ("reserve", -amount), target: ("reserve", amount)}


@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sequence=changes)
def test_budget_in_force_is_initial_plus_changes(fy2025, secretariat, sequence):
    expected = {name: {"amended": 0, "transferred": 0, "reserve": 0} for name in NAMES}
    number = 1 + max([0, *fy2025.budget_amendments.values_list("number", flat=True)])
    before = execution_of(BudgetLine.objects.filter(fiscal_year=fy2025))
    for name in NAMES:  # this example starts from what earlier examples left
        e = before[fy2025.lines[name].pk]
        expected[name] = {"amended": e.amended, "transferred": e.transferred, "reserve": e.reserve}
    for change in sequence:
        if change[0] == "transfer" and change[1] == change[2]:
            continue
        totals_before = sum(
            e.current for e in execution_of(BudgetLine.objects.filter(fiscal_year=fy2025)).values()
        )
        try:
            deltas = apply(fy2025, secretariat, change, number)
        except RenkeiError as refused:  # a refusal is one outcome of a random sequence
            assert "マイナス" in refused.message  # noqa: PT017 — nothing is spent: only a negative budget
            deltas = {}
        else:
            number += change[0] == "amend"
        for name, (field, amount) in deltas.items():
            expected[name][field] += amount
        found = execution_of(BudgetLine.objects.filter(fiscal_year=fy2025))
        if change[0] != "amend":  # a transfer moves budget, it neither adds nor removes
            assert sum(e.current for e in found.values()) == totals_before
        for name in NAMES:
            line = fy2025.lines[name]
            e, want = found[line.pk], expected[name]
            assert (e.amended, e.transferred, e.reserve) == (
                want["amended"],
                want["transferred"],
                want["reserve"],
            )
            assert (
                e.current == line.budgeted + want["amended"] + want["transferred"] + want["reserve"]
            )
            assert e.current >= 0
    found = execution_of(BudgetLine.objects.filter(fiscal_year=fy2025))
    for name in NAMES:  # the history tells how each line's budget in force came about
        line = fy2025.lines[name]
        assert line_history(line)[-1].total == found[line.pk].current
