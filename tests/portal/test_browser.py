"""The portal in a real Chromium: every page renders, has no serious or critical axe-core
violation (WCAG 2.1 A/AA), and works with JavaScript switched off."""

import pytest

from tests.browser import axe_violations, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def portal_urls(public_year):
    activity = public_year.by_title["交流研修"]
    return {
        "portal-home": "/",
        "portal-timeline": "/activities/",
        "portal-timeline-filtered": "/activities/?year=2024&pillar=hito",
        "portal-activity": f"/activities/{activity.pk}/",
        "portal-municipality": "/municipalities/062138/",
        "portal-reports": "/annual-reports/",
        "portal-opendata": "/opendata/",
        "portal-accessibility": "/accessibility/",
        "portal-bad-query": "/activities/?year=R6",
    }


def test_portal_pages_are_accessible(page, live_server, portal_urls):
    for name, url in portal_urls.items():
        response = page.goto(live_server.url + url)
        assert response.status in (200, 400), (name, response.status)
        assert page.title().endswith("おきたま×みなと")
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == [], name
        screenshot(page, name)


def test_filters_work_without_javascript(browser, live_server, portal_urls):
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/activities/")
    page.select_option("#f-pillar", "koto")
    page.get_by_role("button", name="絞り込む").click()
    assert "pillar=koto" in page.url
    assert page.get_by_role("link", name="自治体DX研修会").count() == 1
    assert page.get_by_role("link", name="交流研修").count() == 0
    page.get_by_role("link", name="自治体DX研修会").click()
    assert page.locator("h1").inner_text() == "自治体DX研修会（令和6年度）"
    context.close()


def test_keyboard_user_can_skip_to_content(page, live_server, portal_urls):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "本文へ移動"
