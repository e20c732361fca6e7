"""`renkei verify_reports`: every issued version's file, hash and union; orphans and gaps."""

import io

import pytest
from django.core.management import CommandError, call_command

from renkei.audit.models import AuditEntry
from renkei.reports.models import IssuedReport
from renkei.reports.services import issue_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def issued(year, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return {fmt: issue_report(year, fmt) for fmt in ("pdf", "docx", "html", "xlsx")}


def verify(*args) -> tuple[str, bool]:
    out = io.StringIO()
    try:
        call_command("verify_reports", *args, stdout=out, stderr=io.StringIO())
    except CommandError:
        return out.getvalue(), False
    return out.getvalue(), True


def test_a_sound_archive_passes_in_every_format(issued):
    output, ok = verify()
    assert ok, output
    assert "発行済み報告書 4 件を点検し、問題 0 件" in output


def test_missing_tampered_and_foreign_files_are_listed(issued, other_union, media):
    (media / issued["html"].file.name).unlink()
    pdf = media / issued["pdf"].file.name
    pdf.write_bytes(pdf.read_bytes() + b"%")
    # A version of the other union stored with this union's bytes and their hash.
    foreign = IssuedReport(
        fiscal_year=other_union.fiscal_years.get(),
        format="docx",
        version=1,
        sha256=issued["docx"].sha256,
        size=issued["docx"].size,
        data={},
    )
    foreign.file.name = issued["docx"].file.name
    foreign.save()

    output, ok = verify()
    assert not ok
    assert "okitama-fy2024-report-v1.html）: ファイルがありません" in output
    assert "okitama-fy2024-report-v1.pdf）: SHA-256 が記録と一致しません" in output
    assert "自らの組合名「テスト広域連合」が本文にありません" in output
    assert "他の組合の名前が含まれています（置賜テスト組合）" in output
    assert "xlsx" not in output


def test_orphan_files_and_photos_without_files_are_listed(issued, media, year, jpeg):
    from renkei.programmes.models import Activity, Photo

    orphan = media / "reports/okitama/2024/okitama-fy2024-report-v9.pdf"
    orphan.write_bytes(b"%PDF")
    (media / "staging").mkdir(exist_ok=True)
    (media / "staging/abc-left.pdf").write_bytes(b"%PDF")
    activity = Activity.objects.filter(is_public=True).first()
    Photo.objects.create(activity=activity, order=99, image="photos/1/gone.jpg", caption="x")

    output, ok = verify()
    assert not ok
    assert (
        "reports/okitama/2024/okitama-fy2024-report-v9.pdf: どの記録にも属さないファイル" in output
    )
    assert "staging/abc-left.pdf: どの記録にも属さないファイル" in output
    assert "photos/1/gone.jpg: 写真の記録はありますがファイルがありません" in output


def test_supersede_issues_a_new_version_and_keeps_the_damaged_one(
    issued, media, django_capture_on_commit_callbacks
):
    pdf = media / issued["pdf"].file.name
    pdf.write_bytes(b"%PDF-1.7 broken")
    with django_capture_on_commit_callbacks(execute=True):
        output, ok = verify("--supersede")
    assert not ok and "第2版を発行しました" in output
    versions = IssuedReport.objects.filter(format="pdf").order_by("version")
    assert [v.version for v in versions] == [1, 2]
    assert pdf.exists()
    entry = AuditEntry.objects.filter(model="reports.issuedreport").latest("pk")
    assert "第1版のファイルが傷んでいた" in entry.reason
    output, ok = verify()
    assert "okitama-fy2024-report-v1.pdf）: SHA-256" in output
    assert "v2.pdf" not in output
