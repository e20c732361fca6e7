"""The citizen's tasks in a real Chromium, at 1280 px and 390 px, axe-core clean: home →
a pillar → an activity with its photo → a town → the calendar → the search."""

import pytest

from tests.browser import check_at_both_widths

from .helpers import stored_photo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_citizen_walks_the_portal(page, live_server, public_year):
    training = public_year.by_title["交流研修"]
    photo = stored_photo(training, is_public=True, size=(2400, 1600))

    page.goto(live_server.url + "/")
    assert page.get_by_text("このページの更新日").count() == 1
    assert check_at_both_widths(page, "citizen-1-home") == []

    page.get_by_role("link", name="「ひと」の活動").click()
    assert "pillar=hito" in page.url
    assert check_at_both_widths(page, "citizen-2-pillar") == []

    page.get_by_role("link", name="交流研修（令和6年度）").click()
    image = page.locator(f'img[src="/photos/{photo.pk}/thumb/"]')
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 320  # not broken
    assert check_at_both_widths(page, "citizen-3-activity-with-photo") == []
    with page.expect_response(f"**/photos/{photo.pk}/large/") as large:
        image.click()
    assert large.value.status == 200 and large.value.headers["content-type"] == "image/jpeg"
    page.go_back()

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="南陽市").click()
    assert page.get_by_role("heading", name="南陽市が実施した取組").count() == 1
    assert "062138" not in page.locator("main").inner_text()
    assert check_at_both_widths(page, "citizen-4-town") == []

    page.get_by_role("link", name="カレンダー", exact=True).click()
    page.goto(live_server.url + "/calendar/?month=2025-03")
    assert page.get_by_role("heading", name="カレンダーアプリで購読する").count() == 1
    assert page.locator('a[href^="webcal://"]').count() > 1
    assert check_at_both_widths(page, "citizen-5-calendar") == []

    page.get_by_role("link", name="検索", exact=True).click()
    page.get_by_label("探す言葉").fill("ﾜｰｹｰｼｮﾝ")
    page.get_by_role("button", name="検索").click()
    assert page.get_by_role("link", name="港区連携自治体ワーケーション促進事業").count() == 1
    assert check_at_both_widths(page, "citizen-6-search") == []
