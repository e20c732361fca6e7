"""Issuing: stored with hash and data, never overwritten; the command; reproducible bytes."""

import hashlib
import io
import re
import time
import zipfile

import pytest
from django.core.management import CommandError, call_command

from renkei.audit.models import AuditEntry
from renkei.programmes.models import Venue
from renkei.reports.data import build_report, report_json
from renkei.reports.models import IssuedReport
from renkei.reports.renderers import render
from renkei.reports.services import ReportError, issue_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_issuing_stores_file_hash_and_data_as_new_versions(
    year, users, django_capture_on_commit_callbacks
):
    user = users["secretariat"]
    with django_capture_on_commit_callbacks(execute=True):
        first = issue_report(year, "html", user=user)
        second = issue_report(year, "html", user=user)
    assert (first.version, second.version) == (1, 2)
    assert first.file.name == "reports/okitama/2024/okitama-fy2024-report-v1.html"
    assert second.file.name == "reports/okitama/2024/okitama-fy2024-report-v2.html"
    content = first.file.open("rb").read()
    assert hashlib.sha256(content).hexdigest() == first.sha256
    assert first.size == len(content)
    assert first.data == report_json(build_report(year))
    assert first.data["settlement"]["income_total"] == 100_000
    assert first.issued_by == user
    entries = AuditEntry.objects.filter(model="reports.issuedreport")
    assert entries.count() == 2 and entries.first().union == year.union


def test_the_file_takes_its_name_only_when_the_row_is_committed(
    year, settings, django_capture_on_commit_callbacks
):
    media = settings.MEDIA_ROOT
    with django_capture_on_commit_callbacks() as callbacks:
        issued = issue_report(year, "html")
        assert not (media / issued.file.name).exists()
    for callback in callbacks:
        callback()
    assert (media / issued.file.name).read_bytes().startswith(b"<!DOCTYPE html>")
    assert not list((media / "staging").iterdir())


def test_a_failed_issue_leaves_neither_row_nor_file(year, settings, monkeypatch):
    from renkei.reports import services

    def fail(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "record_change", fail)
    with pytest.raises(RuntimeError):
        issue_report(year, "html")
    assert not IssuedReport.objects.exists()
    files = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert files == []


def test_a_leftover_file_of_a_failed_issue_is_replaced_not_renamed_around(
    year, settings, django_capture_on_commit_callbacks
):
    leftover = settings.MEDIA_ROOT / "reports/okitama/2024/okitama-fy2024-report-v1.html"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half-written")
    with django_capture_on_commit_callbacks(execute=True):
        issued = issue_report(year, "html")
    assert issued.file.name == "reports/okitama/2024/okitama-fy2024-report-v1.html"
    assert issued.file.open("rb").read() != b"half-written"
    assert [p.name for p in leftover.parent.iterdir()] == [leftover.name]


def test_an_issued_report_cannot_be_changed(year):
    issued = issue_report(year, "html")
    issued.sha256 = "0" * 64
    with pytest.raises(ReportError):
        issued.save()
    assert IssuedReport.objects.get(pk=issued.pk).sha256 != "0" * 64


def test_same_data_gives_same_word_html_and_xlsx_bytes(year):
    report = build_report(year)
    for fmt in ("docx", "html", "xlsx"):
        assert render(report, fmt) == render(build_report(year), fmt), fmt


def test_xlsx_bytes_do_not_depend_on_the_time_of_saving(year):
    report = build_report(year)
    first = render(report, "xlsx")
    time.sleep(1.1)  # openpyxl stamps the save time to the second
    assert render(report, "xlsx") == first
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml")
    assert b">2025-03-31T00:00:00Z</dcterms:modified>" in core


def test_pdf_is_identical_apart_from_metadata(year):
    report = build_report(year)

    def without_metadata(pdf: bytes) -> bytes:
        return re.sub(rb"/(CreationDate|ModDate) \([^)]*\)", b"", pdf)

    assert without_metadata(render(report, "pdf")) == without_metadata(render(report, "pdf"))


def test_command_writes_each_format(year, tmp_path):
    for fmt, magic in (("html", b"<!DOCTYPE html>"), ("xlsx", b"PK"), ("docx", b"PK")):
        path = tmp_path / f"report.{fmt}"
        call_command("report", "2024", "--format", fmt, "--output", str(path), stdout=io.StringIO())
        assert path.read_bytes().startswith(magic), fmt


@pytest.mark.django_db(transaction=True)  # the command commits as it does in production
def test_command_final_issues_and_strict_refuses(year, tmp_path):
    out = io.StringIO()
    call_command(
        "report",
        "2024",
        "--format",
        "html",
        "--final",
        "--output",
        str(tmp_path / "a.html"),
        stdout=out,
    )
    assert (tmp_path / "a.html").read_bytes().startswith(b"<!DOCTYPE html>")
    assert IssuedReport.objects.filter(fiscal_year=year, version=1).exists()
    assert "第1版" in out.getvalue()
    Venue.objects.filter(day__activity=year.activity).delete()  # a finding: no place
    with pytest.raises(CommandError, match="交流研修"):
        call_command(
            "report",
            "2024",
            "--format",
            "html",
            "--strict",
            "--final",
            "--output",
            str(tmp_path / "b.html"),
            stdout=io.StringIO(),
        )
    assert IssuedReport.objects.count() == 1
    errors = io.StringIO()
    call_command(
        "report",
        "2024",
        "--format",
        "html",
        "--output",
        str(tmp_path / "c.html"),
        stdout=io.StringIO(),
        stderr=errors,
    )
    assert "確認: " in errors.getvalue()


def test_command_needs_the_union_when_there_are_several(year, other_union, tmp_path):
    with pytest.raises(CommandError, match="--union"):
        call_command("report", "2024", "--format", "html", "--output", str(tmp_path / "x.html"))
    call_command(
        "report",
        "2024",
        "--union",
        "okitama",
        "--format",
        "html",
        "--output",
        str(tmp_path / "x.html"),
        stdout=io.StringIO(),
    )
    assert "置賜テスト組合" in (tmp_path / "x.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("role", ["member", "partner", "auditor", "other-union"])
def test_issuing_checks_its_own_permission(year, users, create_user, other_union, role):
    """The service asks the permission table itself, whichever entry point calls it."""
    from django.core.exceptions import PermissionDenied

    user = {
        "member": lambda: users["member"],
        "partner": lambda: users["partner"],
        "auditor": lambda: users["auditor"],
        "other-union": lambda: create_user("secretariat", union=other_union),
    }[role]()
    with pytest.raises(PermissionDenied):
        issue_report(year, "html", user=user)
    assert not IssuedReport.objects.exists()


def test_formats_register_themselves():
    """Each format's module registers its renderer (pretix's BaseInvoiceRenderer shape);
    the services find them by identifier and refuse anything else in Japanese."""
    from renkei.errors import RenkeiError
    from renkei.reports.renderers import formats

    registered = formats()
    assert sorted(registered) == ["docx", "html", "pdf", "xlsx"]
    assert {f: (r.extension, r.content_type.split(";")[0]) for f, r in registered.items()} == {
        "pdf": ("pdf", "application/pdf"),
        "html": ("html", "text/html"),
        "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    }
    assert issubclass(ReportError, RenkeiError)


def test_unknown_format_is_refused_in_japanese(year):
    with pytest.raises(ReportError, match="対応していません"):
        issue_report(year, "odt")
