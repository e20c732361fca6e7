"""The real flows in headless Chromium: member staff record seminar attendance, upload a
photo and edit an activity; the secretariat fixes a settlement line, closes the year and
downloads the report; a concurrent edit in a second browser is refused. Every main page
is screenshotted and checked with axe-core (no serious or critical violations)."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from renkei.finance.models import BudgetLine, Direction
from renkei.programmes.models import FiscalYearState, Photo
from tests.browser import axe_violations, screenshot, sign_in

from .helpers import jpeg_with_gps_and_date

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def year(union, create_report_year):
    """The union's running FY2024 as the checks before issuing want it (a balanced
    settlement of 100,000 yen, 事業概要 and まとめ, a public 交流研修): the ``training``
    and ``initiative`` fixtures add theirs to it."""
    return create_report_year(union, 2024)


def check_page(page, name):
    screenshot(page, name)
    assert axe_violations(page) == [], name


def test_member_staff_flow(live_server, page, staff, year, initiative, create_activity, tmp_path):
    seminar = create_activity(
        year, title="旅先納税", kind="external_seminar", on=date(2024, 8, 20), is_public=True
    )
    sign_in(page, live_server, staff["member"])
    expect(page.get_by_role("heading", name=re.compile("令和6年度"))).to_be_visible()
    check_page(page, "staff-home")

    page.get_by_role("link", name="研修の受講者数").click()
    page.get_by_label("旅先納税").fill("2")
    check_page(page, "staff-seminars")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("受講者数を保存しました。")).to_be_visible()
    assert seminar.attendances.get().count == 2

    exhibition = initiative  # 米沢市 leads it
    page.goto(f"{live_server.url}/staff/activities/{exhibition.pk}/photos/new/")
    photo = tmp_path / "benibana.jpg"
    photo.write_bytes(jpeg_with_gps_and_date())
    page.get_by_label("写真").set_input_files(str(photo))
    page.get_by_label("キャプション").fill("紅花のフラワーアレンジメント")
    page.get_by_label("代替テキスト").fill("紅花を使った花の展示台")
    check_page(page, "staff-photo-upload")
    page.get_by_role("button", name="登録").click()
    expect(page.get_by_role("img", name="紅花を使った花の展示台")).to_be_visible()
    assert Photo.objects.get(activity=exhibition).taken_on.isoformat() == "2024-11-02"
    check_page(page, "staff-activity-detail")

    page.get_by_role("link", name="写真「紅花のフラワーアレンジメント」を編集").press("Enter")
    page.get_by_label("キャプション").fill("紅花のアレンジメント")
    check_page(page, "staff-photo-edit")
    page.get_by_role("button", name="保存").press("Enter")
    expect(page.get_by_text("写真の説明を保存しました。")).to_be_visible()
    page.get_by_role("link", name="写真「紅花のアレンジメント」を削除").press("Enter")
    expect(page.get_by_text("削除すると元に戻せません")).to_be_visible()
    check_page(page, "staff-photo-delete")
    page.get_by_role("link", name="やめる").click()
    assert Photo.objects.get(activity=exhibition).caption == "紅花のアレンジメント"

    page.get_by_role("link", name="活動を編集").click()
    page.get_by_label("テーマ").fill("紅花の魅力を港区へ届ける")
    page.locator("#id_days-0-date").fill("令和6年11月2日")
    check_page(page, "staff-activity-edit")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("紅花の魅力を港区へ届ける").first).to_be_visible()
    expect(page.get_by_text("令和6年11月2日").first).to_be_visible()

    page.goto(f"{live_server.url}/staff/activities/?year=2024&q=研修")
    check_page(page, "staff-activity-list")


def test_attendance_grid_updates_live(live_server, page, staff, training):
    """Typing on the grid asks the server what the save would print (the one phrase rule):
    飯豊町's count joins the counted sum without changing the recorded total or the phrase
    (it is one of the 4町 already); 「参加」 for 米沢市 adds no count."""
    sign_in(page, live_server, staff["secretariat"])
    page.goto(f"{live_server.url}/staff/activities/{training.pk}/attendance/")
    phrase = page.locator("#attendance-phrase")
    expect(phrase).to_have_text("置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名")
    expect(page.locator("#attendance-unattributed")).to_have_text("22名")
    page.get_by_label("飯豊町").fill("1")
    expect(page.locator("#attendance-counted")).to_have_text("1名")
    expect(page.locator("#attendance-unattributed")).to_have_text("21名")
    expect(phrase).to_have_text("置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名")
    page.get_by_label("出席した構成市町の数（町）").fill("5")
    expect(phrase).to_have_text("置賜3市5町、港区、地域活性化センター職員及び本組合職員 22名")
    page.get_by_label("米沢市").fill("たくさん")
    expect(page.locator("#attendance-summary")).to_contain_text("人数は0以上の整数か「参加」")
    page.get_by_label("米沢市").fill("参加")
    expect(page.locator("#attendance-counted")).to_have_text("1名")
    check_page(page, "staff-attendance")
    page.locator("#attendance-form").get_by_role("button", name="保存").click()
    expect(page.get_by_text("出席者数を保存しました。")).to_be_visible()
    assert dict(
        training.attendances.filter(organisation__name__in=["飯豊町", "米沢市"]).values_list(
            "organisation__name", "count"
        )
    ) == {"飯豊町": 1, "米沢市": None}


def test_secretariat_settles_and_closes_the_year(
    live_server, page, staff, year, create_budget_line, worker_process
):
    # Income 1,843,460 settled; 講師謝礼 100,000 and 普通旅費 1,743,460 — typed 1,740,000.
    BudgetLine.objects.filter(fiscal_year=year, direction=Direction.INCOME).update(
        budgeted=1900000, settled=1843460
    )
    create_budget_line(year, section=8, item="普通旅費", budgeted=1800000, settled=1740000)
    sign_in(page, live_server, staff["secretariat"])
    page.get_by_role("link", name="予算・決算").click()
    check_page(page, "staff-budget")
    page.get_by_role("link", name=re.compile("普通旅費.*を編集")).click()
    page.get_by_label("決算額（円）").fill("1743460")
    expect(page.locator("#statement-difference")).to_have_text("0円")
    check_page(page, "staff-budget-line")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="決算を確定する（確認画面へ）").click()
    expect(page.get_by_text("1,843,460").first).to_be_visible()  # the totals before closing
    check_page(page, "staff-year-close")
    page.get_by_role("button", name="この内容で決算を確定する").click()
    expect(page.get_by_text("決算を確定しました")).to_be_visible()
    year.refresh_from_db()
    assert year.state == FiscalYearState.CLOSED
    page.get_by_role("link", name="ホーム").click()
    check_page(page, "staff-home-closed")
    page.get_by_role("button", name="PDF", exact=True).click()  # asks a worker for it
    expect(page.get_by_role("status")).to_have_text("順番待ち")
    check_page(page, "staff-report-job")
    worker_process("--interval", "0.2", "--worker-id", "browser-test")
    with page.expect_download(timeout=120_000) as download:  # job.js shows the page again
        page.get_by_role("link", name="報告書を受け取る").click(timeout=120_000)
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as stream:
        assert stream.read(5) == b"%PDF-"


def test_concurrent_edit_is_refused_and_nothing_lost(live_server, browser, staff, initiative):
    exhibition = initiative  # 米沢市 leads it: its staff may edit it
    edit = f"{live_server.url}/staff/activities/{exhibition.pk}/edit/"
    pages = []
    for role in ("secretariat", "member"):
        context = browser.new_context(locale="ja-JP", viewport={"width": 1024, "height": 1366})
        page = context.new_page()
        sign_in(page, live_server, staff[role])
        page.goto(edit)
        pages.append(page)
    first, second = pages
    first.get_by_label("テーマ").fill("事務局の変更")
    second.get_by_label("テーマ").fill("米沢市の変更")
    first.get_by_role("button", name="保存").click()
    first.wait_for_url(re.compile(r"/activities/\d+/$"))
    second.get_by_role("button", name="保存").click()
    expect(second.get_by_role("alert").filter(has_text="保存できませんでした")).to_be_visible()
    expect(second.get_by_text("事務局の変更").first).to_be_visible()
    assert second.get_by_label("テーマ").input_value() == "米沢市の変更"
    check_page(second, "staff-conflict")
    exhibition.refresh_from_db()
    assert exhibition.theme == "事務局の変更"
    second.get_by_role("button", name="保存").click()  # deliberate second save, after seeing it
    second.wait_for_url(re.compile(r"/activities/\d+/$"))
    exhibition.refresh_from_db()
    assert exhibition.theme == "米沢市の変更"
    for page in pages:
        page.context.close()


def test_secretariat_keeps_the_year_structure(live_server, page, staff, year, create_programme):
    create_programme(year, name="研修事業", group_title="外部研修")
    sign_in(page, live_server, staff["secretariat"])
    page.get_by_role("link", name="年度と事業").click()
    check_page(page, "staff-years")
    page.get_by_role("link", name="令和6年度（2024年度）").click()
    check_page(page, "staff-year-detail")
    page.get_by_role("link", name="事業「研修事業」に項目を追加").click()
    page.get_by_label("項目名").fill("防災研修会")
    check_page(page, "staff-item-new")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("cell", name="防災研修会", exact=True)).to_be_visible()
    page.get_by_role("link", name="「まとめ」を編集").click()
    page.get_by_label("本文").press("Control+End")
    page.get_by_label("本文").type("来年度も続ける。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("来年度も続ける。")).to_be_visible()
    assert year.narratives.get(key="summary").body.endswith("来年度も続ける。")
    page.get_by_role("link", name="変更履歴").click()
    page.get_by_label("キーワード（記録・理由）").fill("まとめ")
    page.get_by_role("button", name="絞り込む").click()
    expect(page.get_by_text("来年度も続ける。").first).to_be_visible()
    check_page(page, "staff-history")
