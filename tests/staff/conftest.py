"""Fixtures of the staff screen tests: a union made by the factories with one user per role
(``staff``, ``client_as``); over the FY2024 seed (``users``, ``client_for``) only for the
reference tests (``pytest.mark.reference``)."""

from datetime import date

import pytest
from django.core.cache import caches

from renkei.programmes.models import FiscalYearState
from renkei.programmes.services import set_leads
from renkei.tenancy.models import Organisation

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


@pytest.fixture
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


# --- the same roles over a union made by the factories (tests.factories) ------------------


@pytest.fixture
def union(create_member_union):
    """A union with 置賜's members' codes, 港区 and 地域活性化センター as partners."""
    return create_member_union(slug="okitama")


@pytest.fixture
def year(union, create_year):
    """The union's FY2024, running, with nothing in it."""
    return create_year(union, 2024, state=FiscalYearState.RUNNING)


@pytest.fixture
def staff(union, create_user):
    """One user per role, as ``users``: the secretariat, 米沢市 and 南陽市 staff, 港区
    staff, an auditor."""
    org = {o.code: o for o in union.members.all()} | {
        p.organisation.code: p.organisation for p in union.partnerships.all()
    }
    return {
        "secretariat": create_user("secretariat", union=union),
        "member": create_user("member", org[YONEZAWA], union=union),
        "other_member": create_user("member", org[NANYO], union=union),
        "partner": create_user("partner", org[MINATO], union=union),
        "auditor": create_user("auditor", union=union),
    }


@pytest.fixture
def client_as(client, staff):
    """``client_as("member")``: the test client signed in as ``staff[role]``."""

    def sign_in(role):
        client.force_login(staff[role])
        return client

    return sign_in


@pytest.fixture
def training(year, union, create_activity, create_attendance):
    """A 交流研修 as FY2024 recorded it: 22 attendees, members 3 cities and 4 towns;
    南陽市, 小国町, 港区, 地域活性化センター and the union's own staff took part, no
    counts (米沢市 has no row)."""
    took_part = Organisation.objects.filter(
        name__in=["南陽市", "小国町", "港区", "一般財団法人地域活性化センター"]
    )
    return create_attendance(
        create_activity(year, title="交流研修", kind="exchange_training", is_public=True),
        dict.fromkeys([*took_part, union.organisation]),
        total=22,
        by_kind={"city": 3, "town": 4},
    )


@pytest.fixture
def initiative(year, create_programme, create_activity):
    """米沢市's own partnership initiative (as FY2024's 「札の辻スクエア3階」 exhibition),
    not yet published, on one day: 米沢市 leads it."""
    group = create_programme(year, group_title="連携の取組").first_group
    led = create_activity(group=group, title="札の辻スクエア3階での展示", on=date(2024, 11, 2))
    set_leads(led, [Organisation.objects.get(code=YONEZAWA)])
    return led


@pytest.fixture
def gx(year, create_activity, create_attendance):
    """A 自治体GX研修会 as FY2024 recorded it: 16 attendees, 1 city and 5 towns; five towns took part, no counts."""
    towns = ["高畠町", "川西町", "白鷹町", "小国町", "飯豊町"]
    return create_attendance(
        create_activity(year, title="自治体GX研修会", kind="workshop"),
        dict.fromkeys(Organisation.objects.filter(name__in=towns)),
        total=16,
        by_kind={"city": 1, "town": 5},
    )
