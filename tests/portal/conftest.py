"""Fixtures of the portal tests: a factory-made public year (``public_year``) for tests
that need a few public records, not the FY2024 seed."""

from datetime import date

import pytest

from renkei.programmes.models import FiscalYearState


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
