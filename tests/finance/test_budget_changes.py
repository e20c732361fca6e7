"""The budget in force (予算現額): amendments, transfers, uses of the reserve, each in the
change log; a change that would leave a line short is refused with the amount."""

import pytest
from django.core.exceptions import PermissionDenied

from renkei.audit.models import AuditEntry
from renkei.errors import RenkeiError
from renkei.finance.budget_changes import record_amendment, record_transfer
from renkei.finance.execution import execution_of, execution_of_line, line_history
from renkei.finance.expenses import record_expense
from renkei.finance.models import BudgetLine, TransferKind
from renkei.finance.services import save_budget_line
from renkei.reports.data import build_report
from tests.factories import DAY, fresh

DECISION = {"decided_on": DAY, "decided_by": "組合議会", "reason": "事業の追加"}


def test_initial_budget_is_the_budget_in_force(fy2025):
    execution = execution_of_line(fy2025.lines["travel"])
    assert (execution.initial, execution.current, execution.spent, execution.remaining) == (
        300000,
        300000,
        0,
        300000,
    )


def test_unknown_initial_budget_stays_unknown(union, create_year, create_budget_line):
    """A year recorded without budgets (as FY2024 is): nothing derived from them is a number."""
    year = create_year(union, 2024)
    create_budget_line(year, section=7, item="講師謝礼", budgeted=None, settled=120_000)
    create_budget_line(year, section=8, item="普通旅費", budgeted=None, settled=0)
    executions = execution_of(BudgetLine.objects.filter(fiscal_year=year)).values()
    assert len(executions) == 2
    for execution in executions:
        assert execution.current is None and execution.remaining is None
        assert execution.spent == execution.line.settled


def test_amendment_transfer_and_reserve_make_the_budget_in_force(fy2025, secretariat):
    lines = fy2025.lines
    record_amendment(
        fy2025,
        secretariat,
        number=1,
        amounts={lines["fees"]: 20000, lines["supplies"]: -10000},
        **DECISION,
    )
    record_transfer(
        fy2025,
        secretariat,
        kind=TransferKind.TRANSFER,
        source=lines["travel"],
        target=lines["supplies"],
        amount=50000,
        **DECISION,
    )
    record_transfer(
        fy2025,
        secretariat,
        kind=TransferKind.RESERVE,
        source=lines["reserve"],
        target=lines["fees"],
        amount=30000,
        **DECISION,
    )
    found = execution_of(BudgetLine.objects.filter(fiscal_year=fy2025))
    assert found[lines["fees"].pk].current == 100000 + 20000 + 30000
    assert found[lines["travel"].pk].current == 300000 - 50000
    assert found[lines["supplies"].pk].current == 200000 - 10000 + 50000
    assert found[lines["reserve"].pk].current == 50000 - 30000
    history = line_history(lines["supplies"])
    assert [step.amount for step in history] == [200000, -10000, 50000]
    assert [step.total for step in history] == [200000, 190000, 240000]
    assert "流用" in history[2].label and "旅費" in history[2].label


def test_every_change_is_in_the_change_log(fy2025, secretariat):
    lines = fy2025.lines
    amendment = record_amendment(
        fy2025, secretariat, number=1, amounts={lines["fees"]: 20000}, **DECISION
    )
    transfer = record_transfer(
        fy2025,
        secretariat,
        kind=TransferKind.TRANSFER,
        source=lines["travel"],
        target=lines["supplies"],
        amount=50000,
        **DECISION,
    )
    expense = record_expense(
        lines["supplies"],
        secretariat,
        spent_on=DAY,
        payee="文具店",
        amount=1200,
        purpose="コピー用紙",
    )
    for model, pk in (
        ("finance.budgetamendment", amendment.pk),
        ("finance.budgettransfer", transfer.pk),
        ("finance.expense", expense.pk),
    ):
        entry = AuditEntry.objects.get(model=model, object_id=str(pk))
        assert entry.user == secretariat and entry.union == fy2025.union
    transfer_entry = AuditEntry.objects.get(model="finance.budgettransfer")
    assert transfer_entry.reason == "事業の追加"
    assert transfer_entry.changes["予算現額 旅費「普通旅費」"] == [300000, 250000]
    assert transfer_entry.changes["予算現額 需用費「消耗品費」"] == [200000, 250000]
    settled = AuditEntry.objects.get(
        model="finance.budgetline", object_id=str(lines["supplies"].pk)
    )
    assert settled.changes == {"settled": [0, 1200]}


def test_transfer_below_zero_is_refused_by_how_much(fy2025, secretariat):
    lines = fy2025.lines
    with pytest.raises(RenkeiError, match="旅費「普通旅費」の予算現額が1円のマイナス"):
        record_transfer(
            fy2025,
            secretariat,
            kind=TransferKind.TRANSFER,
            source=lines["travel"],
            target=lines["supplies"],
            amount=300001,
            **DECISION,
        )
    assert execution_of_line(lines["travel"]).current == 300000


def test_transfer_below_spending_is_refused_by_how_much(fy2025, secretariat):
    lines = fy2025.lines
    record_expense(
        lines["travel"], secretariat, spent_on=DAY, payee="JR東日本", amount=280000, purpose="出張"
    )
    with pytest.raises(RenkeiError, match="支出済額（280,000円）を30,000円下回ります"):
        record_transfer(
            fy2025,
            secretariat,
            kind=TransferKind.TRANSFER,
            source=lines["travel"],
            target=lines["supplies"],
            amount=50000,
            **DECISION,
        )
    assert execution_of_line(lines["supplies"]).current == 200000


def test_reserve_rules(fy2025, secretariat):
    lines = fy2025.lines
    with pytest.raises(RenkeiError, match="予備費充用として"):
        record_transfer(
            fy2025,
            secretariat,
            kind=TransferKind.TRANSFER,
            source=lines["reserve"],
            target=lines["fees"],
            amount=1,
            **DECISION,
        )
    with pytest.raises(RenkeiError, match="予備費の行を選んで"):
        record_transfer(
            fy2025,
            secretariat,
            kind=TransferKind.RESERVE,
            source=lines["travel"],
            target=lines["fees"],
            amount=1,
            **DECISION,
        )
    with pytest.raises(RenkeiError, match="直接支出できません"):
        record_expense(
            lines["reserve"], secretariat, spent_on=DAY, payee="x", amount=1, purpose="x"
        )


def test_lines_of_another_year_are_refused(fy2025, union, create_year, secretariat):
    other = BudgetLine.objects.create(
        fiscal_year=create_year(union, 2024),
        direction="expenditure",
        section=fy2025.lines["fees"].section,
        item="講師謝礼",
        settled=1,
    )
    with pytest.raises(RenkeiError, match="同じ年度"):
        record_transfer(
            fy2025,
            secretariat,
            kind=TransferKind.TRANSFER,
            source=other,
            target=fy2025.lines["fees"],
            amount=1,
            **DECISION,
        )


def test_amendment_needs_a_known_initial_budget_and_a_new_number(fy2025, secretariat):
    fees = fy2025.lines["fees"]
    record_amendment(fy2025, secretariat, number=1, amounts={fees: 1}, **DECISION)
    with pytest.raises(RenkeiError, match="第1号補正はすでに"):
        record_amendment(fy2025, secretariat, number=1, amounts={fees: 1}, **DECISION)
    fees.budgeted = None
    BudgetLine.objects.filter(pk=fees.pk).update(budgeted=None)
    with pytest.raises(RenkeiError, match="当初予算額が入力されていません"):
        record_amendment(fy2025, secretariat, number=2, amounts={fees: 1}, **DECISION)


def test_a_member_may_not_change_the_budget(fy2025, make_user):
    member = make_user("member", "062022")
    with pytest.raises(PermissionDenied):
        record_amendment(fy2025, member, number=1, amounts={fy2025.lines["fees"]: 1}, **DECISION)


def test_closed_year_takes_no_budget_change(fy2025, secretariat):
    fy2025.state = "closed"
    fy2025.save()
    with pytest.raises(RenkeiError, match="再開"):
        record_amendment(
            fy2025, secretariat, number=1, amounts={fy2025.lines["fees"]: 1}, **DECISION
        )


def test_initial_budget_may_not_fall_below_spending(fy2025, secretariat):
    fees = fy2025.lines["fees"]
    record_expense(fees, secretariat, spent_on=DAY, payee="講師", amount=90000, purpose="謝礼")
    fees = fresh(fees)
    with pytest.raises(RenkeiError, match="10,000円下回ります"):
        save_budget_line(
            fees, secretariat, fields={"budgeted": 80000}, expected_version=fees.version
        )
    with pytest.raises(RenkeiError, match="支出の記録の合計"):
        save_budget_line(fees, secretariat, fields={"settled": 1}, expected_version=fees.version)


def test_income_received_may_exceed_its_reduced_budget(fy2025, secretariat):
    income = fy2025.lines["income"]
    BudgetLine.objects.filter(pk=income.pk).update(settled=640000)
    record_amendment(fy2025, secretariat, number=1, amounts={income: -50000}, **DECISION)
    assert execution_of_line(fresh(income)).current == 600000


def test_the_report_prints_the_budget_in_force(fy2025, secretariat):
    record_transfer(
        fy2025,
        secretariat,
        kind=TransferKind.TRANSFER,
        source=fy2025.lines["travel"],
        target=fy2025.lines["supplies"],
        amount=50000,
        **DECISION,
    )
    budgets = {line.item: line.budgeted for line in build_report(fy2025).settlement.expenditure}
    assert budgets["消耗品費"] == 250000 and budgets["普通旅費"] == 250000


def test_a_line_kept_by_line_may_settle_beyond_its_budget(fy2025, secretariat):
    """Lines without expense records (FY2024's) keep whatever settled amount is typed."""
    travel = fy2025.lines["travel"]
    save_budget_line(
        travel, secretariat, fields={"settled": 310000}, expected_version=travel.version
    )
    assert fresh(travel).settled == 310000


def test_the_reserve_has_no_section(fy2025, secretariat):
    reserve = fy2025.lines["reserve"]
    with pytest.raises(RenkeiError, match="節を空欄"):
        save_budget_line(
            reserve,
            secretariat,
            fields={"section": fy2025.lines["fees"].section},
            expected_version=reserve.version,
        )
