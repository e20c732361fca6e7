"""A reported year has its report: FY2024 loads as closed, `renkei issue_fy2024_report`
issues its public PDF (v1), and issuing a public edition is what reports a closed year.

`make run`'s steps over the shipped FY2024 are reference tests (they load the seed); the
rest use a factory-made year of a union with the seed's slug, which is the year the
command looks for."""

import io

import pytest
from django.core.management import call_command

from renkei.audit.models import AuditEntry
from renkei.programmes.models import FiscalYear, FiscalYearState
from renkei.reports.models import IssuedReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(command, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def state() -> str:
    return FiscalYear.objects.get(year=2024).state


@pytest.mark.reference
def test_make_run_steps_issue_the_fy2024_report_once(client, committed):
    run("load_fy2024")
    assert state() == FiscalYearState.CLOSED
    assert "発行済みの報告書はまだありません" in client.get("/annual-reports/").content.decode()
    with committed():
        assert "公開版 PDF 第1版）を発行しました" in run("issue_fy2024_report")
    assert "発行済みです" in run("issue_fy2024_report")
    issued = IssuedReport.objects.get()
    assert (issued.format, issued.edition, issued.version) == ("pdf", "public", 1)
    assert state() == FiscalYearState.REPORTED

    page = client.get("/annual-reports/").content.decode()
    assert f"/annual-reports/{issued.pk}/download/" in page
    download = client.get(f"/annual-reports/{issued.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "問題 0 件" in run("verify_reports")


@pytest.mark.reference
def test_an_installation_reported_without_a_report_gets_it(committed):
    run("load_fy2024")
    FiscalYear.objects.filter(year=2024).update(state=FiscalYearState.REPORTED)  # older seed
    with committed():
        run("issue_fy2024_report")
    assert IssuedReport.objects.filter(edition="public", version=1).count() == 1
    assert state() == FiscalYearState.REPORTED


def test_only_a_public_edition_reports_a_closed_year(union, create_report_year, users, issue):
    fy2024 = create_report_year(union, 2024, state=FiscalYearState.CLOSED)
    user = users["secretariat"]
    issue(fy2024, "html", user=user)  # internal edition
    assert state() == FiscalYearState.CLOSED
    issue(fy2024, "html", user=user, edition="public")
    assert state() == FiscalYearState.REPORTED
    entry = AuditEntry.objects.filter(
        object_id=str(fy2024.pk), model="programmes.fiscalyear", action=AuditEntry.Action.UPDATE
    ).get()
    assert entry.changes == {"state": ["closed", "reported"]} and entry.user == user


def test_a_year_not_closed_stays_as_it_is(year, issue):
    assert year.union.slug == "okitama" and year.state == FiscalYearState.RUNNING
    assert "決算確定前" in run("issue_fy2024_report")
    assert not IssuedReport.objects.exists()
    issue(year, "html", edition="public")
    assert state() == FiscalYearState.RUNNING
