"""Budget and settlement: fixing a line, the closed-year lock with a stated reason,
optimistic locking on lines."""

import pytest

from renkei.audit.models import AuditEntry
from renkei.programmes.models import FiscalYearState

from .helpers import attendance_post


def line_form(line, **overrides):
    data = {
        "version": line.version,
        "direction": line.direction,
        "section": line.section_id or "",
        "section_label": line.section_label,
        "item": line.item,
        "budgeted": line.budgeted if line.budgeted is not None else "",
        "settled": line.settled,
        "note": line.note,
        "order": line.order,
        "reason": "",
    }
    return {**data, **overrides}


@pytest.fixture
def travel(year, create_settlement):
    """The travel line (1,643,460 yen) of a balanced settlement totalling 3,018,451."""
    return create_settlement(year)["travel"]


def test_budget_page_shows_totals(client_as, travel):
    text = client_as("auditor").get("/staff/budget/?year=2024").content.decode()
    assert "3,018,451" in text and "1,643,460" in text
    assert "編集" not in text  # read-only for the auditor


def test_secretariat_fixes_a_line(client_as, travel):
    client = client_as("secretariat")
    response = client.post(
        f"/staff/budget/lines/{travel.pk}/", line_form(travel, settled=1643000, note="精算で修正")
    )
    assert response.status_code == 302
    travel.refresh_from_db()
    assert travel.settled == 1643000 and travel.version == 2
    entry = AuditEntry.objects.get(model="finance.budgetline", object_id=str(travel.pk))
    assert entry.changes["settled"] == [1643460, 1643000]
    text = client.get("/staff/budget/?year=2024").content.decode()
    assert "差引" in text and "460" in text


def test_stale_line_is_refused(client_as, travel):
    client = client_as("secretariat")
    stale = line_form(travel, settled=1)
    client.post(f"/staff/budget/lines/{travel.pk}/", line_form(travel, settled=2))
    response = client.post(f"/staff/budget/lines/{travel.pk}/", stale)
    assert "保存していません" in response.content.decode()
    travel.refresh_from_db()
    assert travel.settled == 2


def test_closing_needs_balance_then_locks_the_year(client_as, year, travel):
    client = client_as("secretariat")
    client.post(f"/staff/budget/lines/{travel.pk}/", line_form(travel, settled=1))
    response = client.post(f"/staff/years/{year.pk}/close/", {"confirm": "yes"}, follow=True)
    assert "一致しません" in response.content.decode()
    year.refresh_from_db()
    assert year.state == FiscalYearState.RUNNING
    travel.refresh_from_db()
    client.post(f"/staff/budget/lines/{travel.pk}/", line_form(travel, settled=1643460))
    client.post(f"/staff/years/{year.pk}/close/", {"confirm": "yes"})
    year.refresh_from_db()
    assert year.state == FiscalYearState.CLOSED
    travel.refresh_from_db()
    response = client.post(f"/staff/budget/lines/{travel.pk}/", line_form(travel, settled=5))
    assert "変更の理由を入力してください" in response.content.decode()
    travel.refresh_from_db()
    assert travel.settled == 1643460
    response = client.post(
        f"/staff/budget/lines/{travel.pk}/",
        line_form(travel, settled=1643461, reason="監査での指摘により訂正"),
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(model="finance.budgetline", object_id=str(travel.pk)).first()
    assert entry.reason == "監査での指摘により訂正"
    assert AuditEntry.objects.filter(model="programmes.fiscalyear", action="state").exists()


def test_closed_year_locks_activities_too(client_as, year, training):
    year.state = FiscalYearState.CLOSED
    year.save()
    org = training.attendances.first().organisation_id  # took part, no count
    response = client_as("secretariat").post(
        f"/staff/activities/{training.pk}/attendance/", attendance_post(training, {org: 99})
    )
    assert "変更の理由" in response.content.decode()
    assert not training.attendances.filter(count=99).exists()
