"""Issue 14 items 4 and 5 in a real Chromium at 1280 px and 390 px, axe-core clean: the
member's and the partner's homes open with their own work, other organisations' rows
say so, a forbidden and a missing page are Japanese pages that say what to do, and the
secretariat confirms the findings and issues the 確定版 with the button."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from renkei.finance.models import BudgetLine, Direction
from renkei.inquiries.services import create_inquiry, send_inquiry
from renkei.reports.models import IssuedReport
from tests.browser import check_at_both_widths, sign_in
from tests.inquiries.conftest import inquiry_data, org

from .conftest import MINATO, NANYO, YONEZAWA
from .helpers import inquiry_programme

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


@pytest.fixture
def sent(year, staff):
    data = inquiry_data(
        year,
        programmes=[inquiry_programme(year)],
        recipients=[org(NANYO), org(YONEZAWA), org(MINATO)],
    )
    return send_inquiry(create_inquiry(year, staff["secretariat"], data), staff["secretariat"])


def test_member_home_at_both_widths(live_server, page, staff, sent):
    sign_in(page, live_server, staff["member"])
    own = page.locator(".own-work")
    expect(own.get_by_role("heading", name="米沢市の作業")).to_be_visible()
    expect(own.get_by_role("link", name=sent.title)).to_be_visible()
    expect(own.get_by_text("未着手")).to_be_visible()
    expect(page.get_by_role("navigation", name="メインメニュー")).to_contain_text("予算・決算")
    assert check_at_both_widths(page, "role-member-home") == []
    own.get_by_role("link", name=sent.title).click()
    expect(page).to_have_url(re.compile(r"/staff/inquiry-parts/\d+/$"))


def test_partner_home_at_both_widths(live_server, page, staff, sent):
    sign_in(page, live_server, staff["partner"])
    own = page.locator(".own-work")
    expect(own.get_by_role("heading", name="港区の作業")).to_be_visible()
    expect(own.get_by_role("link", name=sent.title)).to_be_visible()
    nav = page.get_by_role("navigation", name="メインメニュー")
    expect(nav).not_to_contain_text("予算・決算")
    expect(nav).not_to_contain_text("研修の受講者数")
    expect(page.get_by_role("heading", name=re.compile("予算の執行状況"))).to_have_count(0)
    assert check_at_both_widths(page, "role-partner-home") == []


def test_member_sees_other_organisations_rows_marked(live_server, page, staff, training):
    sign_in(page, live_server, staff["member"])  # 米沢市: no row; 南陽市 took part
    page.goto(f"{live_server.url}/staff/activities/{training.pk}/attendance/")
    other = page.locator("tr.row--others", has_text="南陽市")
    expect(other.get_by_text("他の団体（入力は各団体）")).to_be_visible()
    expect(page.locator("tr", has_text="米沢市").get_by_text("他の団体")).to_have_count(0)
    assert check_at_both_widths(page, "role-member-attendance-others") == []


def test_forbidden_and_missing_pages_at_both_widths(live_server, page, staff, year):
    sign_in(page, live_server, staff["member"])
    response = page.goto(f"{live_server.url}/staff/users/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="このページを開く権限がありません")).to_be_visible()
    expect(page.get_by_role("link", name="ホームに戻る")).to_be_visible()
    assert check_at_both_widths(page, "error-403") == []
    response = page.goto(f"{live_server.url}/staff/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="ページが見つかりません")).to_be_visible()
    assert check_at_both_widths(page, "error-404") == []


def test_secretariat_confirms_findings_and_issues(live_server, page, staff, year, worker_process):
    line = BudgetLine.objects.filter(fiscal_year=year, direction=Direction.INCOME).first()
    line.settled += 100
    line.save()
    sign_in(page, live_server, staff["secretariat"])
    page.get_by_role("link", name="報告書の確認と確定版の発行").click()
    expect(page.locator("#findings")).to_contain_text("差引 100円")
    assert check_at_both_widths(page, "report-page-findings") == []
    page.get_by_label("形式").select_option("html")
    page.get_by_role("button", name="確定版を発行する").click()
    expect(page.locator(".field-errors", has_text="チェックを入れてください")).to_be_visible()
    assert check_at_both_widths(page, "report-page-refused") == []
    page.get_by_label("上の確認結果を読み、このまま発行します").check()
    page.get_by_label("問題が残っていても発行する理由").fill("監査の指摘を受けて次の版で直す")
    page.get_by_role("button", name="確定版を発行する").click()  # asks a worker to issue it
    expect(page.get_by_role("status")).to_have_text("順番待ち")
    worker_process("--interval", "0.2", "--worker-id", "role-browser-test")
    expect(page.get_by_role("link", name="報告書を受け取る")).to_be_visible(timeout=120_000)
    page.goto(live_server.url + reverse("staff:year_report", args=[year.pk]))
    expect(page.get_by_role("link", name="第1版")).to_be_visible()
    assert IssuedReport.objects.get().format == "html"
    assert check_at_both_widths(page, "report-page-issued") == []


def test_the_change_history_at_both_widths(live_server, page, staff, initiative):
    """Issue 14 item 1 seen in the browser: a change of an activity's kind, publication and
    schedule reads as a person would say it, at 1280 px and 390 px, axe clean."""
    exhibition = initiative
    sign_in(page, live_server, staff["secretariat"])
    page.goto(f"{live_server.url}/staff/activities/{exhibition.pk}/edit/")
    page.get_by_label("テーマ").fill("履歴の表示を確かめる")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("保存しました。")).to_be_visible()
    page.goto(f"{live_server.url}/staff/history/")
    changes = page.locator("ul.changes").first
    expect(changes).to_contain_text("履歴の表示を確かめる")
    text = page.locator("main").inner_text()
    assert not re.search(r"\b(True|False|in_person|exchange_training)\b", text)
    assert check_at_both_widths(page, "history") == []


def test_small_things_at_both_widths(live_server, page, staff, year, initiative, settings):
    """Issue 14 item 8 seen in the browser: the invitation starts at the least powerful
    role and shows the link with a copy button; in a closed year 変更の理由 says （必須）
    and a missing reason is reported at the field, linked from the summary."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sign_in(page, live_server, staff["secretariat"])
    page.goto(f"{live_server.url}/staff/users/")
    expect(page.get_by_label("役割")).to_have_value("auditor")
    page.get_by_label("ユーザー名").fill("sato")
    page.get_by_label("氏名").fill("佐藤 花子")
    page.get_by_label("メールアドレス").fill("sato@example.jp")
    page.get_by_label("所属団体").select_option(label="置賜広域行政事務組合")
    page.get_by_role("button", name="登録してリンクを作る").click()
    expect(page.locator("#invite-link")).to_contain_text("/staff/password/set/")
    expect(page.get_by_role("button", name="リンクをコピー")).to_be_visible()
    assert check_at_both_widths(page, "small-things-invitation") == []

    year.state = "closed"
    year.save(update_fields=["state"])
    exhibition = initiative
    page.goto(f"{live_server.url}/staff/activities/{exhibition.pk}/edit/")
    expect(page.locator("label[for=id_reason]")).to_contain_text("（必須）")
    page.get_by_label("テーマ").fill("理由なしの変更")
    page.get_by_role("button", name="保存").click()
    summary_link = page.locator("a[href='#id_reason']").first
    expect(summary_link).to_be_visible()
    expect(page.locator("#id_reason_error, #id_reason ~ .field-errors").first).to_be_visible()
    assert check_at_both_widths(page, "small-things-reason") == []
