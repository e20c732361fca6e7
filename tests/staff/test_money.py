"""The secretariat's budget through the year on the staff screens: an amendment with a
和暦 date, a transfer of 50,000 yen from 旅費 to 需用費, expenses (one split over two
activities), a refused overspend, the execution table, a line's history, closing with a
confirmation page and reopening with a reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.audit.models import AuditEntry
from renkei.finance.budget_changes import record_transfer
from renkei.finance.models import BudgetTransfer, Expense, TransferKind
from renkei.programmes.models import Activity, ActivityGroup, FiscalYearState, Programme
from tests.factories import DAY, budget_year, fresh


@pytest.fixture
def year(union):
    return budget_year(union)


@pytest.fixture
def activities(year):
    group = ActivityGroup.objects.create(
        programme=Programme.objects.create(fiscal_year=year, number=1, name="交流事業"),
        number=1,
        title="研修",
    )
    return [
        Activity.objects.create(group=group, sub_number=n, title=title, kind="other")
        for n, title in enumerate(("視察研修", "交流会"), start=1)
    ]


def url(name, *args):
    return reverse(f"staff:{name}", args=args)


def decision(**extra):
    return {
        "decided_on": "令和7年6月2日",
        "decided_by": "組合議会",
        "reason": "事業の追加",
        **extra,
    }


def expense(line, amount, **extra):
    return {
        "line": line.pk,
        "spent_on": "R7.7.1",
        "payee": "置賜文具店",
        "amount": amount,
        "purpose": "消耗品",
        **extra,
    }


def test_the_year_through_the_staff_screens(client_as, year, activities):
    client = client_as("secretariat")
    lines = year.lines
    response = client.post(
        url("amendment_create", year.pk),
        decision(
            number=1, **{f"line_{lines['fees'].pk}": 20000, f"line_{lines['income'].pk}": 20000}
        ),
    )
    assert response.status_code == 302, response.content.decode()
    response = client.post(
        url("transfer_create", year.pk),
        decision(
            kind="transfer", source=lines["travel"].pk, target=lines["supplies"].pk, amount=50000
        ),
    )
    assert response.status_code == 302
    assert BudgetTransfer.objects.get().decided_on.isoformat() == "2025-06-02"
    split = {
        "activity_1": activities[0].pk,
        "share_1": 60000,
        "activity_2": activities[1].pk,
        "share_2": 40000,
    }
    assert (
        client.post(
            url("expense_create", year.pk), expense(lines["supplies"], 100000, **split)
        ).status_code
        == 302
    )
    assert (
        client.post(url("expense_create", year.pk), expense(lines["supplies"], 100000)).status_code
        == 302
    )
    response = client.post(url("expense_create", year.pk), expense(lines["supplies"], 60000))
    text = response.content.decode()
    assert response.status_code == 400
    assert "10,000円超える" in text and "旅費「普通旅費」（残額 250,000円）" in text
    assert Expense.objects.count() == 2 and fresh(lines["supplies"]).settled == 200000
    page = client.get(url("budget") + "?year=2025").content.decode()
    assert "予算現額" in page and "250,000" in page  # 需用費: 200,000 + 50,000
    history = client.get(url("budget_line_history", lines["supplies"].pk)).content.decode()
    assert "流用" in history and "旅費" in history and "令和7年6月2日" in history
    assert "視察研修 60,000" in history and "交流会 40,000" in history


def test_a_split_that_does_not_add_up_is_refused(client_as, year, activities):
    response = client_as("secretariat").post(
        url("expense_create", year.pk),
        expense(
            year.lines["supplies"],
            1000,
            activity_1=activities[0].pk,
            share_1=600,
            activity_2=activities[1].pk,
            share_2=300,
        ),
    )
    assert response.status_code == 400 and "100円違います" in response.content.decode()
    assert not Expense.objects.exists()


def test_members_see_no_execution(client_as, year):
    assert "予算現額" not in client_as("member").get(url("budget") + "?year=2025").content.decode()
    assert "予算現額" in client_as("auditor").get(url("budget") + "?year=2025").content.decode()


def test_closing_asks_for_confirmation_then_reopens_with_a_reason(
    client_as, union, create_year, create_settlement
):
    closing = create_year(union, 2024, state=FiscalYearState.RUNNING)
    create_settlement(closing)  # both sides 3,018,451 yen
    client = client_as("secretariat")
    page = client.get(url("year_close", closing.pk)).content.decode()
    assert "3,018,451" in page and "確認事項" in page
    assert client.post(url("year_close", closing.pk)).status_code == 302  # no confirmation
    closing.refresh_from_db()
    assert closing.state == FiscalYearState.RUNNING
    client.post(url("year_close", closing.pk), {"confirm": "yes"})
    closing.refresh_from_db()
    assert closing.state == FiscalYearState.CLOSED
    response = client.post(url("year_reopen", closing.pk), {"reason": ""})
    assert response.status_code == 400
    client.post(url("year_reopen", closing.pk), {"reason": "支出の訂正"})
    closing.refresh_from_db()
    assert closing.state == FiscalYearState.RUNNING
    assert AuditEntry.objects.filter(model="programmes.fiscalyear", reason="支出の訂正").exists()


def test_a_year_without_lines_is_refused_on_the_page(client_as, year):
    year.budget_lines.all().delete()
    response = client_as("secretariat").post(
        url("year_close", year.pk), {"confirm": "yes"}, follow=True
    )
    assert "行がないため" in response.content.decode()


def test_an_expense_with_its_voucher(client_as, year, committed):
    client = client_as("secretariat")
    pdf = SimpleUploadedFile("請求書.pdf", b"%PDF-1.4\ntrailer<<>>\n%%EOF\n")
    with committed():
        response = client.post(
            url("expense_create", year.pk), expense(year.lines["supplies"], 5500, voucher=pdf)
        )
    assert response.status_code == 302
    history = client.get(url("budget_line_history", year.lines["supplies"].pk)).content.decode()
    assert "請求書.pdf" in history
    voucher = Expense.objects.get().vouchers.get()
    assert client.get(url("voucher_download", voucher.pk)).status_code == 200


def test_the_execution_table_costs_the_same_queries_for_more_changes(client_as, staff, year):
    client = client_as("secretariat")
    page = url("budget") + "?year=2025"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    before = queries()
    for _ in range(5):
        record_transfer(
            year,
            staff["secretariat"],
            kind=TransferKind.TRANSFER,
            source=year.lines["travel"],
            target=year.lines["supplies"],
            amount=1,
            decided_on=DAY,
            decided_by="管理者",
            reason="試験",
        )
    assert queries() == before
