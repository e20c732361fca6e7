"""Fixtures of the staff screen tests: the FY2024 seed, one signed-in client per role."""

import pytest
from django.core.cache import caches

from renkei.programmes.models import Activity, FiscalYearState

YONEZAWA, NANYO, MINATO = "062022", "062138", "131032"


@pytest.fixture(autouse=True)
def fresh_cache(db):
    """Empty the page cache around each test (sign-in counts live in the database, which
    each test starts afresh)."""
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def running_year(fy2024):
    """The seed's FY2024 is settled (closed); the staff flows start while it is running.
    (Loading it also puts back the sections (節) a browser test's flush removed.)"""
    fy2024.state = FiscalYearState.RUNNING
    fy2024.save(update_fields=["state"])
    return fy2024


@pytest.fixture
def users(fy2024, make_user):
    """One user per role: the secretariat, 米沢市 and 南陽市 staff, 港区 staff, an auditor."""
    return {
        "secretariat": make_user("secretariat"),
        "member": make_user("member", YONEZAWA),
        "other_member": make_user("member", NANYO),
        "partner": make_user("partner", MINATO),
        "auditor": make_user("auditor"),
    }


@pytest.fixture
def client_for(client, users):
    def sign_in(role):
        client.force_login(users[role])
        return client

    return sign_in


@pytest.fixture
def initiatives_unpublished(fy2024):
    """FY2024's seven partnership initiatives (①–⑦) as the secretariat found them before
    publishing them (the seed publishes them): the members' own unpublished records."""
    Activity.objects.filter(
        group__programme__fiscal_year=fy2024, group__programme__number=1, group__number=3
    ).update(is_public=False)
    return fy2024


def activity(year, title):
    return Activity.objects.get(group__programme__fiscal_year=year, title__startswith=title)
