"""The year's report page: the findings to confirm, the drafts, and the secretariat's
button that issues the 確定版 (with findings left: a confirmation and a reason)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from renkei.audit.models import AuditEntry
from renkei.finance.models import BudgetLine, Direction
from renkei.reports.models import IssuedReport

BUTTON = "確定版を発行する"


def page_url(year, edition=""):
    url = reverse("staff:year_report", args=[year.pk])
    return f"{url}?edition={edition}" if edition else url


@pytest.fixture
def report_year(union, create_report_year):
    """A running FY2024 the checks before issuing find nothing wrong with."""
    return create_report_year(union, 2024)


@pytest.fixture
def unbalanced(report_year):
    line = BudgetLine.objects.filter(fiscal_year=report_year, direction=Direction.INCOME).first()
    line.settled += 100
    line.save()
    return report_year


def test_the_secretariat_sees_the_button(client_as, report_year):
    page = client_as("secretariat").get(page_url(report_year)).content.decode()
    assert BUTTON in page and "確認で問題は見つかりませんでした" in page


@pytest.mark.parametrize("role", ["member", "partner", "auditor"])
def test_other_roles_see_the_findings_but_no_button(client_as, report_year, role):
    response = client_as(role).get(page_url(report_year))
    assert response.status_code == 200
    assert BUTTON not in response.content.decode()
    assert "発行前の確認" in response.content.decode()


def test_the_partner_gets_no_settlement_workbook_link(client_as, report_year):
    page = client_as("partner").get(page_url(report_year)).content.decode()
    assert "xlsx" not in page and "PDF（案）" in page


def test_the_home_and_the_year_page_lead_to_it(client_as, report_year):
    client = client_as("secretariat")
    target = reverse("staff:year_report", args=[report_year.pk])
    assert target in client.get(reverse("staff:home")).content.decode()
    assert (
        target in client.get(reverse("staff:year_detail", args=[report_year.pk])).content.decode()
    )


def test_issuing_without_findings_is_one_click(client_as, report_year, run_jobs):
    client = client_as("secretariat")
    response = client.post(page_url(report_year), {"format": "pdf", "edition": "internal"})
    assert response.status_code == 302  # to the job's page: a worker issues it
    assert not IssuedReport.objects.exists()
    run_jobs()
    issued = IssuedReport.objects.get()
    assert (issued.format, issued.edition, issued.version) == ("pdf", "internal", 1)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(issued.file.read())).pages)
    assert "【案】" not in text
    listed = client.get(page_url(report_year)).content.decode()
    assert "第1版" in listed


def test_findings_are_shown_to_confirm(client_as, unbalanced):
    page = client_as("secretariat").get(page_url(unbalanced)).content.decode()
    assert "確認で1件の問題が見つかりました" in page and "差引 100円" in page
    assert "上の確認結果を読み、このまま発行します" in page
    assert "問題が残っていても発行する理由" in page


def test_issuing_with_findings_needs_the_confirmation_and_a_reason(client_as, unbalanced):
    response = client_as("secretariat").post(
        page_url(unbalanced), {"format": "html", "edition": "internal"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "チェックを入れてください" in page and "発行する理由を入力してください" in page
    assert not IssuedReport.objects.exists()


def test_issuing_with_findings_confirmed_keeps_them_and_the_reason(client_as, unbalanced, run_jobs):
    response = client_as("secretariat").post(
        page_url(unbalanced),
        {"format": "html", "edition": "public", "confirm": "on", "reason": "監査後に修正"},
    )
    assert response.status_code == 302
    run_jobs()
    issued = IssuedReport.objects.get()
    assert issued.edition == "public" and "差引 100円" in issued.findings[0]
    entry = AuditEntry.objects.filter(model="reports.issuedreport").get()
    assert entry.reason == "監査後に修正"


def test_a_member_cannot_issue(client_as, report_year):
    response = client_as("member").post(page_url(report_year), {"format": "pdf"})
    assert response.status_code == 403
    assert not IssuedReport.objects.exists()
