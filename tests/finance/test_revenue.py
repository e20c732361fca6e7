"""Revenue records: 調定額, 収入済額 and 不納欠損額 are sums of records; 収入未済額 follows and
is never negative; the line's settled amount is what was received; all logged."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from renkei.audit.models import AuditEntry
from renkei.errors import RenkeiError
from renkei.finance.expenses import record_expense
from renkei.finance.models import RevenueKind, RevenueRecord
from renkei.finance.revenue import (
    delete_revenue,
    record_carryover,
    record_revenue,
    revenue_of,
)
from renkei.finance.services import delete_budget_line, save_budget_line
from tests.factories import DAY, fresh


def revenue(line, user, kind, amount, payer="米沢市", on=DAY):
    return record_revenue(line, user, kind=kind, recorded_on=on, payer=payer, amount=amount)


def test_sums_and_outstanding(fy2025, secretariat):
    income = fy2025.lines["income"]
    revenue(income, secretariat, RevenueKind.ASSESSED, 400000)
    revenue(income, secretariat, RevenueKind.ASSESSED, 250000, payer="南陽市")
    revenue(income, secretariat, RevenueKind.RECEIVED, 400000)
    revenue(income, secretariat, RevenueKind.RECEIVED, 200000, payer="南陽市")
    revenue(income, secretariat, RevenueKind.WRITTEN_OFF, 10000, payer="南陽市")
    line = fresh(income)
    result = revenue_of([line])[line.pk]
    assert (result.assessed, result.received, result.written_off) == (650000, 600000, 10000)
    assert result.outstanding == 40000
    assert line.settled == 600000  # the statement reads what was received
    assert AuditEntry.objects.filter(model="finance.revenuerecord").count() == 5


def test_receipt_beyond_assessed_is_refused_and_saves_nothing(fy2025, secretariat):
    income = fy2025.lines["income"]
    revenue(income, secretariat, RevenueKind.ASSESSED, 100000)
    with pytest.raises(RenkeiError) as refused:
        revenue(income, secretariat, RevenueKind.RECEIVED, 100001)
    assert "1円超えます" in refused.value.message
    assert "先に調定を記録" in refused.value.message
    assert RevenueRecord.objects.filter(kind=RevenueKind.RECEIVED).count() == 0
    assert fresh(income).settled == 0


def test_deleting_an_assessment_below_receipts_is_refused(fy2025, secretariat):
    income = fy2025.lines["income"]
    assessed = revenue(income, secretariat, RevenueKind.ASSESSED, 100000)
    received = revenue(income, secretariat, RevenueKind.RECEIVED, 100000)
    with pytest.raises(RenkeiError):
        delete_revenue(assessed, secretariat, reason="誤り")
    delete_revenue(received, secretariat, reason="二重計上")
    assert fresh(income).settled == 0
    delete_revenue(assessed, secretariat, reason="誤り")
    assert not RevenueRecord.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", 0, "1円以上"),
        ("payer", " ", "納入者"),
        ("recorded_on", date(2027, 1, 1), "出納整理期間"),
        ("kind", "gift", "種類"),
    ],
)
def test_bad_fields_are_refused(fy2025, secretariat, field, value, message):
    fields = {
        "kind": RevenueKind.ASSESSED,
        "recorded_on": DAY,
        "payer": "米沢市",
        "amount": 1000,
        field: value,
    }
    with pytest.raises(RenkeiError) as refused:
        record_revenue(fy2025.lines["income"], secretariat, **fields)
    assert message in refused.value.message


def test_revenue_goes_on_income_lines_only(fy2025, secretariat):
    with pytest.raises(RenkeiError):
        revenue(fy2025.lines["supplies"], secretariat, RevenueKind.ASSESSED, 1000)


def test_a_typed_settled_amount_is_not_silently_replaced(fy2025, secretariat):
    income = fy2025.lines["income"]
    save_budget_line(income, secretariat, fields={"settled": 5000}, expected_version=income.version)
    with pytest.raises(RenkeiError) as refused:
        revenue(fresh(income), secretariat, RevenueKind.ASSESSED, 1000)
    assert "行ごとに入力" in refused.value.message


def test_a_line_kept_by_record_keeps_its_settled_amount(fy2025, secretariat):
    income = fy2025.lines["income"]
    revenue(income, secretariat, RevenueKind.ASSESSED, 1000)
    revenue(income, secretariat, RevenueKind.RECEIVED, 1000)
    line = fresh(income)
    with pytest.raises(RenkeiError) as refused:
        save_budget_line(line, secretariat, fields={"settled": 9999}, expected_version=line.version)
    assert "収入の記録の合計" in refused.value.message
    with pytest.raises(RenkeiError, match="収支の別は変えられません"):
        save_budget_line(
            line,
            secretariat,
            fields={"direction": "expenditure", "section": fy2025.lines["supplies"].section},
            expected_version=line.version,
        )
    with pytest.raises(RenkeiError, match="収入の記録がある行は削除できません"):
        delete_budget_line(line, secretariat, expected_version=line.version)


def test_members_and_auditors_may_not_record(fy2025, make_user):
    for role in ("member", "auditor"):
        with pytest.raises(PermissionDenied):
            revenue(fy2025.lines["income"], make_user(role), RevenueKind.ASSESSED, 1000)


def test_carryover_within_what_is_left(fy2025, secretariat):
    travel = fy2025.lines["travel"]
    with pytest.raises(RenkeiError) as refused:
        record_carryover(travel, secretariat, amount=300001, reason="繰越明許")
    assert "1円超えます" in refused.value.message
    record_carryover(travel, secretariat, amount=120000, reason="繰越明許")
    assert fresh(travel).carryover.amount == 120000
    record_carryover(travel, secretariat, amount=0, reason="取消し")
    assert not hasattr(fresh(travel), "carryover")
    with pytest.raises(RenkeiError):
        record_carryover(fy2025.lines["income"], secretariat, amount=1, reason="誤り")


def test_what_is_carried_over_is_not_spent_this_year(fy2025, secretariat):
    travel = fy2025.lines["travel"]  # 300,000 left
    record_carryover(travel, secretariat, amount=120000, reason="繰越明許")

    def spend(amount):
        return record_expense(
            fresh(travel),
            secretariat,
            spent_on=DAY,
            payee="交通事業者",
            amount=amount,
            purpose="旅費",
        )

    with pytest.raises(RenkeiError) as refused:
        spend(180001)
    assert "1円超える" in refused.value.message
    spend(180000)
    with pytest.raises(RenkeiError):  # nothing left to carry beyond what is carried
        record_carryover(fresh(travel), secretariat, amount=120001, reason="繰越明許")
    record_carryover(fresh(travel), secretariat, amount=120000, reason="理由を書き直す")
