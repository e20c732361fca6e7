"""The 照会 cycle in headless Chromium, checked with axe-core: 南陽市 staff open the 照会,
add their initiative 「白金ミートフェスティバル」出展 with a date, a place and a photo, enter
their attendance and submit; the secretariat returns it with a comment; 南陽市 resubmit;
the secretariat approves, and once it publishes the activity, the portal shows it."""

import re

import pytest
from playwright.sync_api import expect

from renkei.inquiries.models import PartStatus
from renkei.inquiries.services import create_inquiry, send_inquiry
from renkei.programmes.models import Activity
from renkei.reports.data import build_report
from tests.browser import axe_violations, screenshot, sign_in
from tests.inquiries.conftest import inquiry_data

from .conftest import NANYO
from .helpers import inquiry_programme, jpeg_with_gps_and_date, url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "港区内商店会開催イベント 「白金ミートフェスティバル」出展"


def check_page(page, name):
    screenshot(page, name)
    assert axe_violations(page) == [], name


def test_the_inquiry_cycle_in_the_browser(live_server, page, staff, year, tmp_path):
    programme = inquiry_programme(year)
    secretariat, nanyo = staff["secretariat"], staff["other_member"]
    data = inquiry_data(year, programmes=[programme])
    inquiry = send_inquiry(create_inquiry(year, secretariat, data), secretariat)
    part = inquiry.parts.get(organisation__code=NANYO)

    sign_in(page, live_server, nanyo)
    page.get_by_role("link", name="照会", exact=True).click()
    check_page(page, "inquiry-list-member")
    page.get_by_role("link", name=inquiry.title).click()
    check_page(page, "inquiry-part")
    page.get_by_role("link", name="「今年度実施した取組」に取組を追加").click()
    page.get_by_label("名称").fill(TITLE)
    page.get_by_label("種別").select_option(label="イベント出展")
    page.locator("#id_days-0-date").fill("令和6年10月5日")
    page.locator("#id_days-0-venue_name_1").fill("白金北里通り商店会")
    check_page(page, "inquiry-initiative-new")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("取組を追加しました")).to_be_visible()
    page.get_by_role("link", name="写真を追加").click()
    photo = tmp_path / "shirokane.jpg"
    photo.write_bytes(jpeg_with_gps_and_date())
    page.get_by_label("写真").set_input_files(str(photo))
    page.get_by_label("代替テキスト").fill("南陽市のブースで牛肉を焼く職員")
    page.get_by_role("button", name="登録").click()
    expect(page.get_by_role("img", name="南陽市のブースで牛肉を焼く職員")).to_be_visible()

    page.goto(live_server.url + url("part_detail", part.pk))
    page.get_by_label(re.compile("旅先納税")).first.fill("2")
    page.get_by_role("button", name="出席者数を保存").click()
    expect(page.get_by_text("出席者数を保存しました。")).to_be_visible()
    page.get_by_role("textbox", name="感想: 旅先納税").fill(
        "多くの来場者に南陽市を知ってもらえました。"
    )
    page.get_by_role("button", name="回答を保存").click()
    page.get_by_role("button", name="提出", exact=True).click()
    expect(page.get_by_text("提出しました")).to_be_visible()
    check_page(page, "inquiry-part-submitted")

    sign_in(page, live_server, secretariat)
    page.goto(live_server.url + url("inquiry_detail", inquiry.pk))
    check_page(page, "inquiry-matrix")
    page.get_by_role("link", name="南陽市").click()
    page.get_by_label(re.compile("差戻しのコメント")).fill("写真のキャプションを付けてください。")
    page.get_by_role("button", name="差戻し").click()
    expect(page.get_by_text("南陽市の回答を差し戻しました。")).to_be_visible()

    sign_in(page, live_server, nanyo)
    page.goto(live_server.url + url("part_detail", part.pk))
    expect(page.get_by_text("写真のキャプションを付けてください。")).to_be_visible()
    page.get_by_role("button", name="提出", exact=True).click()
    expect(page.get_by_text("提出しました")).to_be_visible()

    sign_in(page, live_server, secretariat)
    page.goto(live_server.url + url("part_detail", part.pk))
    page.get_by_role("button", name="承認").click()
    expect(page.get_by_text("南陽市の回答を承認しました。")).to_be_visible()
    part.refresh_from_db()
    assert part.status == PartStatus.APPROVED

    activity = Activity.objects.get(title=TITLE)
    assert [o.code for o in activity.leads()] == [NANYO]
    report = build_report(year)
    assert any(f.label and "白金ミートフェスティバル" in f.label for f in report.facts)
    page.goto(live_server.url + url("activity_edit", activity.pk))
    page.locator("summary", has_text="人数と公開").click()  # a folded section of the form
    page.get_by_label("公開する").check()
    page.get_by_role("button", name="保存").click()
    page.goto(f"{live_server.url}/activities/{activity.pk}/")
    expect(page.get_by_role("heading", name=re.compile("白金ミートフェスティバル"))).to_be_visible()
