"""Fixtures of the portal tests: a factory-made public year (``public_year``) for tests
that need a few public records, not the FY2024 seed."""

from datetime import date, time

import pytest

from renkei.programmes.models import FiscalYearState, Pillar, ScheduleDay
from renkei.programmes.services import set_leads
from renkei.tenancy.models import Organisation


@pytest.fixture
def public_year(create_two_town_union, create_portal_project, create_year, create_activity):
    """FY2024 (reported) of a union of 米沢市 and 南陽市 with its project, and public
    activities under its pillars: 交流研修 (ひと, 2 November), 港区連携自治体ワーケーション
    促進事業 (もの, 20 December), 自治体DX研修会 and 自治体GX研修会 (こと, 15 January and
    18 February 2025); the private ZEB導入セミナー. Activities by title: ``year.by_title``."""
    union = create_two_town_union()
    pillars = create_portal_project(union).by_key
    year = create_year(union, 2024, state=FiscalYearState.REPORTED)
    year.by_title = {}
    for title, kind, pillar, on, public in [
        ("交流研修", "exchange_training", "hito", date(2024, 11, 2), True),
        ("港区連携自治体ワーケーション促進事業", "other", "mono", date(2024, 12, 20), True),
        ("自治体DX研修会", "workshop", "koto", date(2025, 1, 15), True),
        ("自治体GX研修会", "workshop", "koto", date(2025, 2, 18), True),
        ("ZEB導入セミナー", "workshop", "koto", date(2025, 2, 20), False),
    ]:
        activity = create_activity(year, title=title, kind=kind, on=on, is_public=public)
        activity.pillars.add(pillars[pillar])
        year.by_title[title] = activity
    return year


@pytest.fixture
def calendar_year(public_year, create_activity, create_count):
    """``public_year`` (four public activities on one untimed day each; one private) and:
    a public 交流研修 (ひと) over two timed days, 11 March 2025 13:30 to 12 March 15:30; a
    public 港区視察 over 4–6 March in one untimed row; what 南陽市 led — a public
    伝統工芸品展示 (もの, 5 October 2024) and a public PR動画の放映 (ひと) with no
    schedule; 南陽市 also attended the 交流研修 of 2 November. By title: ``year.by_title``
    (the two-day training is 「二日の交流研修」)."""
    year = public_year
    pillars = {p.key: p for p in Pillar.objects.filter(project__union=year.union)}
    nanyo = Organisation.objects.get(code="062138")
    training = create_activity(year, title="交流研修", kind="exchange_training", is_public=True)
    ScheduleDay.objects.create(
        activity=training, date=date(2025, 3, 11), start_time=time(13, 30), end_time=time(17)
    )
    ScheduleDay.objects.create(
        activity=training, date=date(2025, 3, 12), start_time=time(9), end_time=time(15, 30)
    )
    tour = create_activity(year, title="港区視察", is_public=True)
    ScheduleDay.objects.create(activity=tour, date=date(2025, 3, 4), end_date=date(2025, 3, 6))
    crafts = create_activity(year, title="伝統工芸品展示", on=date(2024, 10, 5), is_public=True)
    video = create_activity(year, title="PR動画の放映", is_public=True)
    for activity, pillar in [(training, "hito"), (crafts, "mono"), (video, "hito")]:
        activity.pillars.add(pillars[pillar])
    set_leads(crafts, [nanyo])
    set_leads(video, [nanyo])
    create_count(year.by_title["交流研修"], nanyo, 3)
    year.by_title |= {
        "二日の交流研修": training,
        "港区視察": tour,
        "伝統工芸品展示": crafts,
        "PR動画の放映": video,
    }
    return year
