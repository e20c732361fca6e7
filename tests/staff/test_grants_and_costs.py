"""Grants on the staff screens (application and result amounts, the change log,
refusals) and the cost of the work: the year's table and the seminars' fee spread over
the sessions through the screen."""

from datetime import date

import pytest
from django.urls import reverse

from renkei.audit.models import AuditEntry
from renkei.finance.grants import GrantValues, save_grant
from renkei.finance.models import Expense, ExpenseAllocation, Grant
from renkei.programmes.models import Activity, ActivityGroup, GroupKind, Programme
from tests.factories import budget_year

GRANT = {
    "grantor": "山形県市町村振興協会",
    "purpose": "市町村振興共同事業等助成金",
    "applied_on": "R6.4.10",
    "applied_amount": "3,000,000".replace(",", ""),
    "decided_on": "",
    "granted_amount": "",
    "note": "",
}


def url(name, *args):
    return reverse(f"staff:{name}", args=args)


def test_grant_recorded_then_decided_with_its_history(client_as, year):
    client = client_as("secretariat")
    assert client.post(url("grant_create", year.pk), GRANT).status_code == 302
    grant = Grant.objects.get()
    assert (grant.applied_amount, grant.granted_amount) == (3_000_000, None)
    page = client.get(url("grant_list", year.pk)).content.decode()
    assert "3,000,000" in page and "未決定" in page  # unknown stays unknown, not 0
    decided = {**GRANT, "decided_on": "R6.6.1", "granted_amount": "2800000", "version": "1"}
    assert client.post(url("grant_edit", grant.pk), decided).status_code == 302
    grant.refresh_from_db()
    assert (grant.granted_amount, grant.decided_on) == (2_800_000, date(2024, 6, 1))
    entries = AuditEntry.objects.filter(model="finance.grant", object_id=str(grant.pk))
    assert entries.count() == 2
    update = entries.get(action=AuditEntry.Action.UPDATE)
    assert update.changes["granted_amount"] == [None, 2_800_000]
    page = client.get(url("grant_edit", grant.pk)).content.decode()
    assert "2,800,000" in page or "2800000" in page
    assert "変更履歴" in page


def test_grant_bad_input_is_refused_and_saves_nothing(client_as, year):
    client = client_as("secretariat")
    half = {**GRANT, "granted_amount": "100"}  # an amount without its decision date
    response = client.post(url("grant_create", year.pk), half)
    assert response.status_code == 400
    assert "交付決定日と交付決定額は両方入力" in response.content.decode()
    negative = {**GRANT, "applied_amount": "-1"}
    assert client.post(url("grant_create", year.pk), negative).status_code == 400
    assert not Grant.objects.exists()


def test_stale_grant_edit_is_refused(client_as, year, staff):
    grant = save_grant(
        year,
        staff["secretariat"],
        GrantValues("県", "助成", date(2024, 4, 1), 100),
    )
    save_grant(
        year,
        staff["secretariat"],
        GrantValues("県", "助成", date(2024, 4, 1), 200),
        grant=grant,
        version=1,
    )
    stale = {**GRANT, "version": "1"}
    response = client_as("secretariat").post(url("grant_edit", grant.pk), stale)
    assert response.status_code == 400
    assert "他の人が先に更新しました" in response.content.decode()
    grant.refresh_from_db()
    assert grant.applied_amount == 200


def test_grant_deleted_with_a_reason(client_as, year, staff):
    grant = save_grant(year, staff["secretariat"], GrantValues("県", "助成", date(2024, 4, 1), 1))
    client = client_as("secretariat")
    assert client.post(url("grant_delete", grant.pk), {"reason": ""}).status_code == 400
    assert Grant.objects.exists()
    assert client.post(url("grant_delete", grant.pk), {"reason": "重複"}).status_code == 302
    assert not Grant.objects.exists()
    assert AuditEntry.objects.get(action=AuditEntry.Action.DELETE).reason == "重複"


@pytest.fixture
def seminar_year(union):
    year = budget_year(union)
    programme = Programme.objects.create(fiscal_year=year, number=1, name="研修事業")
    series = ActivityGroup.objects.create(
        programme=programme, number=1, title="セミナー", kind=GroupKind.SEMINAR_SERIES
    )
    year.sessions = [
        Activity.objects.create(
            group=series, sub_number=n, title=f"第{n}回", kind="external_seminar"
        )
        for n in (1, 2, 3)
    ]
    year.series = series
    return year


def test_seminar_fee_through_the_screen(client_as, seminar_year):
    client = client_as("secretariat")
    data = {
        "line": seminar_year.lines["fees"].pk,
        "spent_on": "R7.7.1",
        "payee": "地域活性化センター",
        "amount": "100000",
        "purpose": "研修負担金",
        "group": seminar_year.series.pk,
    }
    response = client.post(url("seminar_fee_create", seminar_year.pk), data)
    assert response.status_code == 302
    parts = ExpenseAllocation.objects.order_by("activity__sub_number")
    assert [p.amount for p in parts] == [33_334, 33_333, 33_333]
    page = client.get(url("year_costs", seminar_year.pk)).content.decode()
    assert "33,334" in page and "不明" in page  # attendance unknown: per person unknown
    over = {**data, "amount": "1"}  # the line has nothing left
    response = client.post(url("seminar_fee_create", seminar_year.pk), over)
    assert response.status_code == 400
    assert "超えるため、記録していません" in response.content.decode()
    assert Expense.objects.count() == 1


def test_cost_screen_of_a_settled_year_without_expenses_says_not_recorded(
    client_as, year, create_settlement
):
    create_settlement(year)  # settled lines, as FY2024's, but no expense recorded
    page = client_as("member").get(url("year_costs", year.pk)).content.decode()
    assert "活動別の費用は記録されていません" in page
    assert "0円" not in page
