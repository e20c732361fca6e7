"""Fixtures of the 照会 tests: the FY2024 seed running, users per role, a sent inquiry
asking 南陽市, 米沢市 and 港区 for initiatives in 遠隔自治体間連携事業, their attendance at
two sessions, impressions and two questions."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from renkei.inquiries.services import InquiryData, QuestionData, create_inquiry, send_inquiry
from renkei.programmes.models import Activity, FiscalYearState
from renkei.tenancy.models import Organisation

YONEZAWA, NANYO, MINATO = "062022", "062138", "131032"


@pytest.fixture(autouse=True)
def running_year(fy2024):
    fy2024.state = FiscalYearState.RUNNING
    fy2024.save(update_fields=["state"])
    return fy2024


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def users(fy2024, make_user):
    return {
        "secretariat": make_user("secretariat"),
        "member": make_user("member", NANYO),
        "other_member": make_user("member", YONEZAWA),
        "partner": make_user("partner", MINATO),
        "auditor": make_user("auditor"),
    }


def org(code):
    return Organisation.objects.get(code=code)


def session(year, title):
    return Activity.objects.get(group__programme__fiscal_year=year, title__startswith=title)


def inquiry_data(year, **overrides) -> InquiryData:
    """The fixture's inquiry of ``year``; ``overrides`` replace any field (the defaults
    name FY2024's seed records, so another union's inquiry overrides them)."""
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
def draft(fy2024, users):
    return create_inquiry(fy2024, users["secretariat"], inquiry_data(fy2024))


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
