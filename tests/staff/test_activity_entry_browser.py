"""The clerk enters a two-day 交流研修 with venues, a lecturer, attendance and two photos
in headless Chromium, in at most three page loads (issue 14, item 2); the form is folded
into sections and far shorter than the 5,000 px it was. Screenshots and axe-core at
1280 and 390 px."""

import re

import pytest
from playwright.sync_api import expect

from renkei.programmes.attendance import TOOK_PART
from renkei.programmes.models import Activity, Attendance, Photo
from tests.browser import check_at_both_widths, screenshot, sign_in

from .conftest import NANYO, YONEZAWA
from .helpers import jpeg_with_gps_and_date

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def group(year, create_programme):
    """An item (項目) of the union's running FY2024 to add activities to."""
    return create_programme(year, name="遠隔自治体間連携事業", group_title="交流研修").first_group


TITLE = "置賜・港区 交流研修"


def page_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def test_clerk_enters_a_two_day_exchange_in_three_page_loads(
    live_server, page, staff, group, tmp_path
):
    photos = []
    for name in ("kaijo.jpg", "ikenkoukan.jpg"):
        path = tmp_path / name
        path.write_bytes(jpeg_with_gps_and_date())
        photos.append(str(path))
    sign_in(page, live_server, staff["secretariat"])

    loads = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))

    page.goto(f"{live_server.url}/staff/activities/?year=2024")  # 1
    page.get_by_label("活動を追加する事業と項目").select_option(value=str(group.pk))
    check_at_both_widths_clean(page, "activity-list-add")
    page.get_by_role("button", name="活動を追加").click()  # 2
    expect(page.get_by_role("heading", name=re.compile("活動の追加"))).to_be_visible()
    assert page_height(page) < 2500, page_height(page)  # it was over 5,000 px
    check_at_both_widths_clean(page, "activity-new")

    page.locator("#id_title").fill(TITLE)
    page.get_by_label("種別").select_option(label="交流研修")
    page.locator("#id_days-0-date").fill("令和6年8月1日")
    page.locator("#id_days-0-venue_name_1").fill("米沢市役所")
    page.get_by_role("button", name="1日目の会場を追加").click()
    page.locator("#id_days-0-venue_name_4").fill("上杉神社")
    page.get_by_role("button", name="日を追加").click()
    page.locator("#id_days-1-date").fill("令和6年8月2日")
    page.locator("#id_days-1-venue_name_1").fill("南陽市文化会館")

    open_section(page, "講師")
    page.locator("#id_lecturers-0-name").fill("箕浦 龍一")

    open_section(page, "団体ごとの出席者数")
    attendance = page.locator("#section-attendance")
    attendance.get_by_label("米沢市", exact=True).fill("12")
    attendance.get_by_label("南陽市", exact=True).fill("参加")

    open_section(page, "写真")
    page.get_by_label("写真（複数選べます）").set_input_files(photos)
    page.get_by_label("写真1（kaijo.jpg）の代替テキスト").fill("米沢市役所での開会")
    page.get_by_label("写真2（ikenkoukan.jpg）の代替テキスト").fill("意見交換の様子")
    check_at_both_widths_clean(page, "activity-new-filled")

    page.get_by_role("button", name="保存", exact=True).click()  # 3
    expect(page.get_by_text("保存しました。")).to_be_visible()
    expect(page.get_by_role("img", name="意見交換の様子")).to_be_visible()
    check_at_both_widths_clean(page, "activity-new-saved")
    assert len(loads) <= 3, loads

    made = Activity.objects.get(title=TITLE)
    assert made.kind == "exchange_training"
    days = list(made.days.all())
    assert [d.date.isoformat() for d in days] == ["2024-08-01", "2024-08-02"]
    assert [v.name for v in days[0].venues.all()] == ["米沢市役所", "上杉神社"]
    assert made.lecturers.get().name == "箕浦 龍一"
    values = {a.organisation.code: a.value for a in Attendance.objects.filter(activity=made)}
    assert values == {YONEZAWA: 12, NANYO: TOOK_PART}
    assert Photo.objects.filter(activity=made).count() == 2


def open_section(page, title):
    page.locator("details.form-section > summary").get_by_text(title, exact=True).click()


def check_at_both_widths_clean(page, name):
    assert check_at_both_widths(page, name) == [], name


def test_without_script_add_day_and_a_kept_photo(live_server, browser, staff, group, tmp_path):
    """The same form with JavaScript off: 日を追加 comes back with 2日目, and a photo
    chosen before an error is still there after it."""
    context = browser.new_context(
        locale="ja-JP", viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        sign_in(page, live_server, staff["secretariat"])
        page.goto(f"{live_server.url}/staff/activities/new/?group={group.pk}")
        page.locator("#id_days-0-date").fill("令和6年8月1日")
        page.get_by_role("button", name="日を追加").click()
        expect(page.locator("#id_days-1-date")).to_be_visible()
        expect(page.locator("#id_days-0-date")).to_have_value("令和6年8月1日")
        page.locator("#id_days-1-date").fill("令和6年8月2日")
        photo = tmp_path / "kaijo.jpg"
        photo.write_bytes(jpeg_with_gps_and_date())
        page.get_by_label("写真（複数選べます）").set_input_files(str(photo))
        page.get_by_role("button", name="保存", exact=True).click()  # no title, no alt text
        expect(page.get_by_text("預かっています")).to_be_visible()
        screenshot(page, "activity-new-error-no-script")  # axe needs scripts: not here
        page.locator("#id_title").fill(TITLE)
        page.get_by_label("種別").select_option(label="交流研修")
        page.get_by_label("写真1（kaijo.jpg）の代替テキスト").fill("米沢市役所での開会")
        page.get_by_role("button", name="保存", exact=True).click()
        expect(page.get_by_text("保存しました。")).to_be_visible()
        made = Activity.objects.get(title=TITLE)
        assert made.days.count() == 2 and made.photos.get().alt_text == "米沢市役所での開会"
    finally:
        context.close()
