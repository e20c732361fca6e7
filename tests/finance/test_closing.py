"""Closing the year (決算確定): refused without lines or out of balance, reopened by the
secretariat with a reason (logged), never once reported."""

import pytest
from django.core.exceptions import PermissionDenied

from renkei.audit.models import AuditEntry
from renkei.errors import RenkeiError
from renkei.finance.models import BudgetLine
from renkei.programmes.models import FiscalYear, FiscalYearState
from renkei.reports.year_cycle import close_fiscal_year, reopen_fiscal_year


def test_a_year_without_lines_is_not_closed(union, secretariat):
    empty = FiscalYear.objects.create(union=union, year=2026, state=FiscalYearState.RUNNING)
    with pytest.raises(RenkeiError, match="行がないため"):
        close_fiscal_year(empty, secretariat)
    empty.refresh_from_db()
    assert empty.state == FiscalYearState.RUNNING


def test_an_unbalanced_year_is_not_closed(fy2025, secretariat):
    # Income settled 0, expenditure 0 would balance: settle the income only.
    BudgetLine.objects.filter(pk=fy2025.lines["income"].pk).update(settled=1000)
    with pytest.raises(RenkeiError, match="差引 1,000円"):
        close_fiscal_year(fy2025, secretariat)


def test_close_then_reopen_with_a_reason(union, create_report_year, secretariat):
    fy2024 = create_report_year(union, 2024)  # running, balanced
    close_fiscal_year(fy2024, secretariat)
    with pytest.raises(RenkeiError, match="理由"):
        reopen_fiscal_year(fy2024, secretariat, reason=" ")
    reopen_fiscal_year(fy2024, secretariat, reason="監査委員の指摘で支出を訂正")
    fy2024.refresh_from_db()
    assert fy2024.state == FiscalYearState.RUNNING
    entry = AuditEntry.objects.filter(
        model="programmes.fiscalyear", object_id=str(fy2024.pk)
    ).first()
    assert entry.reason == "監査委員の指摘で支出を訂正"
    assert entry.changes == {"state": ["closed", "running"]}
    with pytest.raises(RenkeiError, match="決算確定されていません"):
        reopen_fiscal_year(fy2024, secretariat, reason="再度")


def test_a_reported_year_is_not_reopened(union, create_year, secretariat):
    fy2024 = create_year(union, 2024, state=FiscalYearState.REPORTED)
    with pytest.raises(RenkeiError, match="報告書を発行済み"):
        reopen_fiscal_year(fy2024, secretariat, reason="訂正")


def test_only_the_secretariat_reopens(union, create_year, create_user):
    fy2024 = create_year(union, 2024, state=FiscalYearState.CLOSED)
    with pytest.raises(PermissionDenied):
        reopen_fiscal_year(fy2024, create_user("auditor", union=union), reason="訂正")
