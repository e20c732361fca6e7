"""A year's life cycle (renkei/reports/year_cycle.py over programmes/year_states.py): every
move of the table from every state, who may make it, and no other way to move a year."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from renkei.audit.models import AuditEntry
from renkei.errors import RenkeiError
from renkei.programmes.models import FiscalYear, FiscalYearState
from renkei.programmes.year_states import TRANSITIONS, move_year
from renkei.reports.year_cycle import close_fiscal_year, set_fiscal_year_state
from tests.conftest import PASSWORD

MOVES = [
    pytest.param(name, state, id=f"{name}-from-{state}")
    for name in TRANSITIONS
    for state in FiscalYearState.values
]


@pytest.fixture
def union(create_union):
    return create_union()


@pytest.fixture
def year(union, create_year):
    return create_year(union)


@pytest.fixture
def secretariat(union, create_user):
    return create_user("secretariat", union=union)


@pytest.mark.parametrize(("name", "state"), MOVES)
def test_each_move_is_made_from_its_sources_and_refused_from_any_other_state(
    year, secretariat, name, state
):
    step = TRANSITIONS[name]
    FiscalYear.objects.filter(pk=year.pk).update(state=state)
    year.refresh_from_db()
    if state in step.sources:
        move_year(year, secretariat, name, reason="監査委員の指摘")
        entry = AuditEntry.objects.filter(model="programmes.fiscalyear").latest("pk")
        assert entry.changes["state"] == [state, step.target]
    else:
        with pytest.raises(RenkeiError):
            move_year(year, secretariat, name, reason="監査委員の指摘")
    year.refresh_from_db()
    assert year.state == (step.target if state in step.sources else state)


@pytest.mark.parametrize("role", ["member", "partner", "auditor"])
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_no_move_without_its_permission(year, union, create_user, name, role):
    FiscalYear.objects.filter(pk=year.pk).update(state=TRANSITIONS[name].sources[0])
    year.refresh_from_db()
    user = create_user(role, union.members.get(), union=union)
    with pytest.raises(PermissionDenied):
        move_year(year, user, name, reason="理由")
    assert FiscalYear.objects.get(pk=year.pk).state == TRANSITIONS[name].sources[0]


def test_a_reopen_without_a_reason_is_refused(year, secretariat):
    FiscalYear.objects.filter(pk=year.pk).update(state=FiscalYearState.CLOSED)
    with pytest.raises(RenkeiError, match="再開する理由"):
        move_year(year, secretariat, "reopen", reason="  ")
    assert FiscalYear.objects.get(pk=year.pk).state == FiscalYearState.CLOSED


def test_choosing_the_state_the_year_is_in_changes_nothing(year, secretariat):
    before = AuditEntry.objects.count()
    set_fiscal_year_state(year, secretariat, state=FiscalYearState.PLANNING)
    assert AuditEntry.objects.count() == before
    with pytest.raises(RenkeiError, match="ここでは変更できません"):
        set_fiscal_year_state(year, secretariat, state=FiscalYearState.CLOSED)


def test_a_year_without_budget_lines_is_not_closed(year, secretariat):
    with pytest.raises(RenkeiError, match="予算・決算の行がない"):
        close_fiscal_year(year, secretariat)
    assert FiscalYear.objects.get(pk=year.pk).state == FiscalYearState.PLANNING


def test_the_admin_shows_the_state_but_does_not_move_it(client, operator, year):
    """The admin is no back door around the cycle (the settlement's check, the reason)."""
    client.login(username=operator.username, password=PASSWORD)
    page = client.get(reverse("admin:programmes_fiscalyear_change", args=[year.pk]))
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()
