"""Spending through the year: an overspend is refused with the amount over and the
transfer that would allow it; split allocations sum exactly; FY2024 stays as typed."""

from datetime import date

import pytest

from renkei.errors import RenkeiError
from renkei.finance.budget_changes import record_transfer
from renkei.finance.execution import execution_of_line
from renkei.finance.expenses import Allocation, delete_expense, record_expense
from renkei.finance.models import BudgetLine, Expense, TransferKind
from renkei.finance.services import delete_budget_line
from renkei.programmes.models import Activity, ActivityGroup, Programme
from renkei.programmes.services import delete_activity
from tests.factories import DAY, fresh


@pytest.fixture
def activities(fy2025):
    group = ActivityGroup.objects.create(
        programme=Programme.objects.create(fiscal_year=fy2025, number=1, name="交流事業"),
        number=1,
        title="研修",
    )
    return [
        Activity.objects.create(group=group, sub_number=number, title=title, kind="other")
        for number, title in enumerate(("視察研修", "交流会"), start=1)
    ]


def spend(line, user, amount, **extra):
    return record_expense(
        line, user, spent_on=DAY, payee="株式会社置賜文具", amount=amount, purpose="消耗品", **extra
    )


def test_spending_adds_up_on_the_line(fy2025, secretariat):
    supplies = fy2025.lines["supplies"]
    spend(supplies, secretariat, 1500)
    spend(supplies, secretariat, 2500)
    execution = execution_of_line(fresh(supplies))
    assert (execution.spent, execution.remaining) == (4000, 196000)
    assert fresh(supplies).settled == sum(
        Expense.objects.filter(line=supplies).values_list("amount", flat=True)
    )


def test_overspend_is_refused_with_the_amount_and_the_transfer(fy2025, secretariat):
    supplies = fy2025.lines["supplies"]
    spend(supplies, secretariat, 150000)
    with pytest.raises(RenkeiError) as refused:
        spend(supplies, secretariat, 80000)
    message = refused.value.message
    assert "30,000円超える" in message
    assert "旅費「普通旅費」（残額 300,000円）" in message  # the line with room, by its 節
    assert "予備費「予備費」（残額 50,000円）" in message
    assert "講師謝礼" in message  # 100,000 left: enough too
    assert refused.value.details == {"over": 30000}
    assert fresh(supplies).settled == 150000
    record_transfer(
        fy2025,
        secretariat,
        kind=TransferKind.TRANSFER,
        source=fy2025.lines["travel"],
        target=supplies,
        amount=30000,
        decided_on=DAY,
        decided_by="管理者",
        reason="用紙の値上がり",
    )
    spend(supplies, secretariat, 80000)
    assert execution_of_line(fresh(supplies)).remaining == 0


def test_overspend_with_no_room_anywhere_asks_for_an_amendment(fy2025, secretariat):
    with pytest.raises(RenkeiError, match="補正予算が必要です"):
        spend(fy2025.lines["travel"], secretariat, 10_000_000)


def test_split_over_activities_sums_exactly(fy2025, secretariat, activities):
    supplies = fy2025.lines["supplies"]
    with pytest.raises(RenkeiError, match="1円違います"):
        spend(
            supplies,
            secretariat,
            10000,
            allocations=[Allocation(activities[0], 6000), Allocation(activities[1], 3999)],
        )
    assert not Expense.objects.exists()
    expense = spend(
        supplies,
        secretariat,
        10000,
        allocations=[Allocation(activities[0], 6000), Allocation(activities[1], 4000)],
    )
    assert sorted(expense.allocations.values_list("amount", flat=True)) == [4000, 6000]
    with pytest.raises(RenkeiError, match="2回"):
        spend(
            supplies,
            secretariat,
            2,
            allocations=[Allocation(activities[0], 1), Allocation(activities[0], 1)],
        )


def test_allocations_name_activities_of_the_year(
    fy2025, union, create_year, create_activity, secretariat
):
    other = create_activity(create_year(union, 2024))
    with pytest.raises(RenkeiError, match="同じ年度の活動"):
        spend(fy2025.lines["supplies"], secretariat, 5, allocations=[Allocation(other, 5)])


def test_fy2024_settled_amounts_stay_as_typed(fy2025, secretariat):
    """A line whose settled amount was typed (as FY2024's were loaded) takes no expenses."""
    travel = fy2025.lines["travel"]
    BudgetLine.objects.filter(pk=travel.pk).update(settled=1643460)
    with pytest.raises(RenkeiError, match="行ごとに入力されています"):
        record_expense(
            travel, secretariat, spent_on=date(2025, 6, 1), payee="JR", amount=1, purpose="出張"
        )
    assert fresh(travel).settled == 1643460 and not Expense.objects.exists()


def test_date_outside_the_year_and_its_closing_period(fy2025, secretariat):
    supplies = fy2025.lines["supplies"]
    record_expense(
        supplies,
        secretariat,
        spent_on=date(2026, 5, 31),
        payee="a",
        amount=1,
        purpose="出納整理期間",
    )
    with pytest.raises(RenkeiError, match="出納整理期間"):
        record_expense(
            supplies, secretariat, spent_on=date(2026, 6, 1), payee="a", amount=1, purpose="x"
        )


def test_deleting_an_expense_gives_back_the_room(fy2025, secretariat):
    supplies = fy2025.lines["supplies"]
    expense = spend(supplies, secretariat, 200000)
    with pytest.raises(RenkeiError, match="理由"):
        delete_expense(expense, secretariat, reason="")
    delete_expense(expense, secretariat, reason="二重計上")
    assert fresh(supplies).settled == 0 and execution_of_line(fresh(supplies)).remaining == 200000


def test_overspend_covered_only_by_several_lines_together(fy2025, secretariat):
    with pytest.raises(RenkeiError, match="合わせて320,000円以上") as refused:
        spend(fy2025.lines["travel"], secretariat, 620000)
    assert "需用費「消耗品費」（残額 200,000円）" in refused.value.message


def test_an_activity_paid_for_is_not_deleted_with_a_500(fy2025, secretariat, activities):
    spend(fy2025.lines["supplies"], secretariat, 10, allocations=[Allocation(activities[0], 10)])
    with pytest.raises(RenkeiError, match="支出の活動別内訳"):
        delete_activity(activities[0], secretariat, expected_version=activities[0].version)
    assert Activity.objects.filter(pk=activities[0].pk).exists()
    delete_activity(activities[1], secretariat, expected_version=activities[1].version)


def test_a_line_with_records_is_not_deleted(fy2025, secretariat):
    supplies = fy2025.lines["supplies"]
    spend(supplies, secretariat, 10)
    with pytest.raises(RenkeiError, match="削除できません"):
        delete_budget_line(fresh(supplies), secretariat, expected_version=fresh(supplies).version)


def test_the_year_goes_with_all_its_money_records(fy2025, secretariat, activities):
    """An operator removing a year (or a union) in the admin is not stopped by them."""
    lines = fy2025.lines
    record_transfer(
        fy2025,
        secretariat,
        kind=TransferKind.RESERVE,
        source=lines["reserve"],
        target=lines["supplies"],
        amount=10,
        decided_on=DAY,
        decided_by="管理者",
        reason="急な修繕",
    )
    spend(lines["supplies"], secretariat, 10, allocations=[Allocation(activities[0], 10)])
    fy2025.delete()
    assert not Expense.objects.exists() and not BudgetLine.objects.filter(pk=lines["supplies"].pk)
