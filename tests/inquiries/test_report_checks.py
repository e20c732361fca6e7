"""The report knows the year's 照会: its checks list recipients that have not submitted or
whose part is not approved, and issuing with such findings needs a reason."""

import pytest

from renkei.inquiries.services import approve_part, submit_part
from renkei.reports.checks import find_problems
from renkei.reports.data import build_report
from renkei.reports.models import IssuedReport
from renkei.reports.services import ReportError, issue_report


def inquiry_findings(year):
    return [str(f) for f in find_problems(build_report(year)) if f.code.startswith("inquiry_")]


def test_the_checks_list_parts_not_submitted_or_not_approved(year, users, sent, nanyo_part):
    assert len(inquiry_findings(year)) == 3
    submit_part(nanyo_part, users["member"])
    findings = inquiry_findings(year)
    assert f"照会「{sent.title}」: 南陽市の回答が承認されていません（提出済）。" in findings
    approve_part(nanyo_part, users["secretariat"])
    assert not any("南陽市" in f for f in inquiry_findings(year))
    assert len(inquiry_findings(year)) == 2


def test_issuing_with_open_parts_asks_for_a_reason(year, users, sent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ReportError, match="理由を入力してください"):
        issue_report(year, "html", user=users["secretariat"])
    assert not IssuedReport.objects.exists()
    issued = issue_report(
        year, "html", user=users["secretariat"], reason="港区の回答は次年度に反映"
    )
    assert any("照会" in f for f in issued.findings)


def test_a_draft_inquiry_is_no_finding(year, draft):
    assert inquiry_findings(year) == []
