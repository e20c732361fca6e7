"""Fixtures of the 照会 tests: a factory-made running FY2024 (``year``) of a union of
米沢市 and 南陽市 with 港区 as its partner, users per role, a sent inquiry asking 南陽市,
米沢市 and 港区 for initiatives in 遠隔自治体間連携事業, their attendance at two sessions,
impressions and two questions. ``running_year`` is the seed's FY2024, running, for the
demo's test (`make run`'s steps)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from renkei.inquiries.services import InquiryData, QuestionData, create_inquiry, send_inquiry
from renkei.programmes.models import Activity, ActivityGroup, FiscalYearState
from renkei.tenancy.models import Organisation

YONEZAWA, NANYO, MINATO = "062022", "062138", "131032"


@pytest.fixture
def running_year(fy2024):
    fy2024.state = FiscalYearState.RUNNING
    fy2024.save(update_fields=["state"])
    return fy2024


@pytest.fixture
def year(create_two_town_union, create_year, create_programme, create_activity, create_count):
    """FY2024, running. Programme 1, 遠隔自治体間連携事業: item 1 holds the sessions
    旅先納税セミナー and ZEB導入セミナー (南陽市 sent 1 to ZEB), item 3 the members'
    initiatives; programme 2 holds 交流研修, which no inquiry asks about."""
    year = create_year(create_two_town_union(), 2024, state=FiscalYearState.RUNNING)
    remote = create_programme(year, name="遠隔自治体間連携事業", group_title="研修会")
    for number, title in [(2, "交流会"), (3, "構成市町の取組")]:
        ActivityGroup.objects.create(programme=remote, number=number, title=title)
    sessions = remote.first_group
    create_activity(group=sessions, title="旅先納税セミナー", kind="workshop", on=date(2024, 9, 5))
    zeb = create_activity(
        group=sessions, title="ZEB導入セミナー", kind="workshop", on=date(2024, 10, 8)
    )
    create_count(zeb, org(NANYO), 1)
    create_activity(year, title="交流研修", kind="exchange_training", on=date(2024, 11, 2))
    return year


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def users(year, create_user):
    union = year.union
    return {
        "secretariat": create_user("secretariat", union=union),
        "member": create_user("member", org(NANYO), union=union),
        "other_member": create_user("member", org(YONEZAWA), union=union),
        "partner": create_user("partner", org(MINATO), union=union),
        "auditor": create_user("auditor", union=union),
    }


def org(code):
    return Organisation.objects.get(code=code)


def session(year, title):
    return Activity.objects.get(group__programme__fiscal_year=year, title__startswith=title)


def inquiry_data(year, **overrides) -> InquiryData:
    """The fixture's inquiry of ``year``; ``overrides`` replace any field (the defaults
    name the records of the ``year`` fixture, so another union's inquiry overrides them)."""
    defaults = {
        "title": lambda: "令和6年度 広域連携事業の実績照会",
        "deadline": lambda: timezone.localdate() + timedelta(days=14),
        "instructions": lambda: "各団体の取組と出席者数を記入してください。",
        "recipients": lambda: [org(NANYO), org(YONEZAWA), org(MINATO)],
        "programmes": lambda: [year.programmes.get(number=1)],
        "activities": lambda: [session(year, "旅先納税"), session(year, "ZEB導入")],
        "asks_impressions": lambda: True,
        "questions": lambda: [
            QuestionData("来年度の参加予定人数", "number"),
            QuestionData("事務局への要望", "text"),
        ],
    }
    return InquiryData(
        **{key: overrides[key] if key in overrides else make() for key, make in defaults.items()}
    )


@pytest.fixture
def draft(year, users):
    return create_inquiry(year, users["secretariat"], inquiry_data(year))


@pytest.fixture
def sent(draft, users):
    return send_inquiry(draft, users["secretariat"])


@pytest.fixture
def nanyo_part(sent):
    return sent.parts.get(organisation__code=NANYO)


@pytest.fixture
def yonezawa_part(sent):
    return sent.parts.get(organisation__code=YONEZAWA)


def today_plus(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
