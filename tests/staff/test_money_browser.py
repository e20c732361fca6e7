"""The year's money in headless Chromium, as issue 13's "Done when" describes it: the
secretariat enters a budget, an amendment, a transfer of 50,000 yen from 旅費 to 需用費,
three expenses with a voucher each (one split over two activities), sees a refused
overspend, records the revenue, closes the year and downloads the examination-form
決算書, whose text read back from the PDF shows the expected 予算現額, 支出済額 and 不用額.
The year comes from factories (not FY2024); each new page is checked at 1280 and 390 px
with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from renkei.finance.models import BudgetLine, ExpenditureSection, Expense, Voucher
from renkei.finance.sections import ensure_sections
from renkei.programmes.models import (
    Activity,
    ActivityGroup,
    FiscalYear,
    FiscalYearState,
    Programme,
)
from tests.browser import check_at_both_widths, sign_in
from tests.reports.extract import pdf_layout_text, row_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def year(union):
    """An empty running FY2025 of the union with two activities."""
    ensure_sections(ExpenditureSection)
    year = FiscalYear.objects.create(union=union, year=2025, state=FiscalYearState.RUNNING)
    group = ActivityGroup.objects.create(
        programme=Programme.objects.create(fiscal_year=year, number=1, name="交流事業"),
        number=1,
        title="研修",
    )
    for n, title in enumerate(("視察研修", "交流会"), start=1):
        Activity.objects.create(group=group, sub_number=n, title=title, kind="other")
    return year


def checked(page, name):
    assert check_at_both_widths(page, name) == []


def add_line(page, base, year, direction, section, item, budgeted):
    page.goto(f"{base}/staff/years/{year.pk}/budget/new/")
    page.locator("#id_direction").select_option(label=direction)
    if section:
        page.locator("#id_section").select_option(label=section)
    page.locator("#id_item").fill(item)
    page.locator("#id_budgeted").fill(str(budgeted))
    page.locator("#id_settled").fill("0")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("予算・決算の行を保存しました。")).to_be_visible()


def decide(page, reason):
    page.locator("#id_decided_on").fill("令和7年6月2日")
    page.locator("#id_decided_by").fill("組合議会")
    page.locator("#id_reason").fill(reason)


def spend(page, line, amount, voucher_dir, name, split=()):
    page.get_by_role("link", name="支出を記録").click()
    page.locator("#id_line").select_option(label=line)
    page.locator("#id_spent_on").fill("令和7年7月1日")
    page.locator("#id_payee").fill("置賜文具店")
    page.locator("#id_amount").fill(str(amount))
    page.locator("#id_purpose").fill("研修の準備")
    voucher = voucher_dir / f"{name}.pdf"
    voucher.write_bytes(PDF)
    page.locator("#id_voucher").set_input_files(str(voucher))
    for n, (activity, share) in enumerate(split, start=1):
        page.locator(f"#id_activity_{n}").select_option(label=activity)
        page.locator(f"#id_share_{n}").fill(str(share))
    page.get_by_role("button", name="登録").click()


def test_the_year_of_money_in_the_browser(live_server, page, staff, year, tmp_path, worker_process):
    base = live_server.url
    sign_in(page, live_server, staff["secretariat"])

    # The budget (当初予算): income 500,000; 報償費 100,000, 旅費 200,000, 需用費 100,000.
    add_line(page, base, year, "収入", None, "分担金", 500000)
    add_line(page, base, year, "支出", "07 報償費", "講師謝礼", 100000)
    add_line(page, base, year, "支出", "08 旅費", "普通旅費", 200000)
    add_line(page, base, year, "支出", "10 需用費", "消耗品費", 100000)
    page.goto(f"{base}/staff/budget/?year=2025")
    checked(page, "money-budget")

    # An amendment: +20,000 on 需用費 and on the income.
    page.get_by_role("link", name="補正予算を登録").click()
    page.locator("#id_number").fill("1")
    decide(page, "研修の追加")
    lines = {line.item: line.pk for line in BudgetLine.objects.filter(fiscal_year=year)}
    page.locator(f"#id_line_{lines['消耗品費']}").fill("20000")
    page.locator(f"#id_line_{lines['分担金']}").fill("20000")
    checked(page, "money-amendment")
    page.get_by_role("button", name="登録").click()
    expect(page.get_by_text("補正予算を登録しました。")).to_be_visible()

    # A transfer of 50,000 yen from 旅費 to 需用費.
    page.get_by_role("link", name="流用・予備費充用を登録").click()
    page.locator("#id_kind").select_option(label="流用")
    page.locator("#id_source").select_option(label="旅費 普通旅費")
    page.locator("#id_target").select_option(label="需用費 消耗品費")
    page.locator("#id_amount").fill("50000")
    decide(page, "消耗品の不足")
    page.locator("#id_decided_by").fill("管理者")
    page.get_by_role("button", name="登録").click()
    expect(page.get_by_text("流用・予備費充用を登録しました。")).to_be_visible()

    # Three expenses with a voucher each, one split over the two activities.
    spend(
        page,
        "需用費 消耗品費",
        60000,
        tmp_path,
        "supplies",
        [("視察研修", 40000), ("交流会", 20000)],
    )
    expect(page.get_by_text("支出を登録しました。")).to_be_visible()
    spend(page, "旅費 普通旅費", 80000, tmp_path, "travel")
    expect(page.get_by_text("支出を登録しました。")).to_be_visible()
    spend(page, "報償費 講師謝礼", 50000, tmp_path, "fees")
    expect(page.get_by_text("支出を登録しました。")).to_be_visible()
    assert Voucher.objects.filter(expense__line__fiscal_year=year).count() == 3

    # An overspend is refused: 需用費 has 170,000 in force and 60,000 spent.
    spend(page, "需用費 消耗品費", 120000, tmp_path, "over")
    expect(page.get_by_text(re.compile("10,000円超えるため、記録していません"))).to_be_visible()
    checked(page, "money-overspend")
    assert Expense.objects.filter(line__fiscal_year=year).count() == 3

    # The revenue: 190,000 assessed and received, so the year balances.
    income = BudgetLine.objects.get(fiscal_year=year, item="分担金")
    page.goto(f"{base}/staff/budget/?year=2025")
    for kind in ("調定", "収入"):
        page.get_by_role("link", name="収入の記録と決算書").click()
        page.get_by_role("link", name="調定・収入・不納欠損を記録").click()
        page.locator("#id_line").select_option(value=str(income.pk))
        page.locator("#id_kind").select_option(label=kind)
        page.locator("#id_recorded_on").fill("令和7年5月20日")
        page.locator("#id_payer").fill("構成市町")
        page.locator("#id_amount").fill("190000")
        page.get_by_role("button", name="登録").click()
        expect(page.get_by_text("調定・収入・不納欠損を登録しました。")).to_be_visible()

    # Close the year on the confirmation page.
    page.get_by_role("link", name="決算を確定する（確認画面へ）").click()
    checked(page, "money-close")
    page.get_by_role("button", name="この内容で決算を確定する").click()
    expect(page.get_by_text("決算を確定しました")).to_be_visible()
    year.refresh_from_db()
    assert year.state == FiscalYearState.CLOSED

    # Download the examination-form 決算書 and read it back.
    page.get_by_role("link", name="収入の記録と決算書").click()
    checked(page, "money-revenue")
    page.get_by_role("link", name="決算書（PDF）").click()
    page.get_by_role("button", name="作成する").click()  # asks a worker for it
    worker_process("--interval", "0.2", "--worker-id", "money-browser-test")
    with page.expect_download(timeout=120_000) as download:  # job.js shows the page again
        page.get_by_role("link", name="ファイルを受け取る").click(timeout=120_000)
    assert download.value.suggested_filename == "examination-2025.pdf"
    with open(download.value.path(), "rb") as stream:
        text = pdf_layout_text(stream.read())
    assert "この年度の決算は確定していません" not in text
    # 予算現額, 支出済額, 翌年度繰越額, 不用額
    assert row_of(text, "報償費", "講師謝礼")[-4:] == ["100,000", "50,000", "0", "50,000"]
    assert row_of(text, "旅費", "普通旅費")[-4:] == ["150,000", "80,000", "0", "70,000"]
    assert row_of(text, "需用費", "消耗品費")[-4:] == ["170,000", "60,000", "0", "110,000"]
    assert row_of(text, "歳出合計")[-4:] == ["420,000", "190,000", "0", "230,000"]
    # 予算現額, 調定額, 収入済額, 不納欠損額, 収入未済額
    assert row_of(text, "分担金")[-5:] == ["520,000", "190,000", "190,000", "0", "0"]
