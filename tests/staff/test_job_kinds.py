"""Long work other than the report runs as jobs of the same machinery
(renkei/reports/jobs.py): every member's 負担金 notice in one ZIP, the examination-form
決算書, the whole-year exports and the imports' commits. The link shows a page whose button asks; the worker
makes the file as the person who asked; the permission table is asked again when the
job runs and when its file is fetched; anyone else gets 404; a failed job says why in
Japanese and can be run again."""

import io
import zipfile

import pytest
from django.urls import reverse

from renkei.reports.models import ReportJob
from renkei.tenancy.models import StaffProfile

from .conftest import MINATO, YONEZAWA
from .helpers import POPULATIONS, pdf_text, url


@pytest.fixture
def shared(year, staff):
    """FY2024 with its 負担金 rule and every member's (eight) population."""
    _share_rule_and_populations(year, staff)
    return year


def job_of(response) -> ReportJob:
    assert response.status_code == 302, response.content.decode()[:300]
    return ReportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


def test_every_members_notices_come_as_one_zip_made_by_a_job(client_as, shared, run_jobs):
    client = client_as("secretariat")
    address = url("share_notices_all", shared.pk, "pdf")
    page = client.get(address)
    assert page.status_code == 200 and "作成する" in page.content.decode()
    assert not ReportJob.objects.exists()  # a link starts no work
    job = job_of(client.post(address))
    assert job.status == "queued" and job.kind == "share_notices"
    assert run_jobs() == 1
    response = client.get(reverse("reports:job_file", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) == len(POPULATIONS) and names[0] == f"01-share-notice-2024-{YONEZAWA}.pdf"
    text = pdf_text(archive.read(names[0]))
    assert "米沢市" in text and "通知書" in text


def test_the_examination_form_and_a_money_sheet_come_from_jobs(
    client_as, year, create_budget_line, via_job
):
    create_budget_line(year, settled=250000)
    client = client_as("auditor")
    made = via_job(client, url("examination_download", year.pk, "pdf"))
    assert made.status_code == 200 and made.content.startswith(b"%PDF-")
    assert 'filename="examination-2024.pdf"' in made["Content-Disposition"]
    sheet = via_job(client, url("money_export", year.pk, "lines", "csv"))
    assert sheet["Content-Type"] == "text/csv; charset=Shift_JIS"
    assert "予算額" in sheet.content.decode("cp932")


def test_a_notice_job_that_cannot_be_made_says_why_in_japanese_and_is_retried(
    client_as, year, staff, run_jobs
):
    client = client_as("secretariat")
    job = job_of(client.post(url("share_notices_all", year.pk, "docx")))
    run_jobs()  # no rule and no populations yet
    job.refresh_from_db()
    assert job.status == "failed" and "負担額を計算できないため、通知書を作れません" in job.error
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "負担額を計算できないため" in page and "もう一度試す" in page
    assert client.get(reverse("reports:job_file", args=[job.pk])).status_code == 404

    _share_rule_and_populations(year, staff)
    assert client.post(reverse("reports:job_retry", args=[job.pk])).status_code == 302
    run_jobs()
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2 and not job.error
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("reports:job_file", args=[job.pk])).content)
    )
    assert all(name.endswith(".docx") for name in archive.namelist())


def _share_rule_and_populations(year, staff):
    from datetime import date

    from renkei.finance.shares import PopulationEntry, set_population_figures, set_sharing_rule

    set_sharing_rule(
        year,
        staff["secretariat"],
        title="広域連携事業費分担金",
        total=3_000_001,
        equal_weight=30,
        population_weight=70,
        due_on=date(2024, 5, 31),
    )
    members = list(year.union.members_in_order())
    entries = [
        PopulationEntry(org, n, "住民基本台帳", date(2024, 1, 1))
        for org, n in zip(members, POPULATIONS, strict=True)
    ]
    set_population_figures(year, staff["secretariat"], entries)


@pytest.mark.parametrize(
    ("role", "name", "args", "status"),
    [
        ("member", "share_notices_all", ("pdf",), 403),  # only the own notice, synchronously
        ("partner", "share_notices_all", ("pdf",), 403),
        ("member", "examination_download", ("pdf",), 403),
        ("auditor", "examination_download", ("pdf",), 302),
        ("member", "money_export", ("expenses", "xlsx"), 403),
        ("partner", "activity_export", ("csv",), 302),
        ("partner", "history_export", ("csv",), 403),
        ("member", "history_export", ("csv",), 403),
        ("auditor", "history_export", ("xlsx",), 302),
    ],
)
def test_who_may_ask(client_as, year, role, name, args, status):
    year_args = () if name in ("activity_export", "history_export") else (year.pk,)
    address = url(name, *year_args, *args) + ("?year=2024" if name == "activity_export" else "")
    client = client_as(role)
    assert client.get(address).status_code == (200 if status == 302 else status)
    assert client.post(address).status_code == status
    assert ReportJob.objects.count() == (1 if status == 302 else 0)


def test_nobody_else_sees_a_job_or_its_file(
    client, client_as, year, staff, other_union, make_user, run_jobs
):
    job = job_of(client_as("secretariat").post(url("history_export", "csv")))
    run_jobs()
    job.refresh_from_db()
    assert job.status == "done"
    addresses = [
        reverse(f"reports:{name}", args=[job.pk]) for name in ("job", "job_status", "job_file")
    ]
    outsiders = [
        make_user("secretariat", union=other_union, username="other-jimukyoku"),
        staff["auditor"],  # the same union, but not who asked
    ]
    for outsider in outsiders:
        client.force_login(outsider)
        for address in addresses:
            assert client.get(address).status_code == 404, (outsider, address)
        assert client.post(reverse("reports:job_retry", args=[job.pk])).status_code == 404


def test_the_permission_is_asked_again_when_the_job_runs_and_at_the_file(
    client_as, year, staff, run_jobs
):
    client = client_as("secretariat")
    profile = StaffProfile.objects.get(user=staff["secretariat"])

    late = job_of(client.post(url("examination_download", year.pk, "docx")))
    profile.role = "member"  # demoted before a worker took it
    profile.save()
    run_jobs()
    late.refresh_from_db()
    assert late.status == "failed" and late.error == "この操作を行う権限がありません。"
    assert not late.file

    profile.role = "secretariat"
    profile.save()
    made = job_of(client.post(url("history_export", "xlsx")))
    run_jobs()
    assert client.get(reverse("reports:job_file", args=[made.pk])).status_code == 200
    profile.role = "member"  # demoted after it was made
    profile.save()
    assert client.get(reverse("reports:job_file", args=[made.pk])).status_code == 403


def test_an_attendance_import_job_asks_what_its_view_asks(
    year, union, staff, run_jobs, create_activity, create_project
):
    """CONTRIBUTE is a role's, on an activity the person sees (the service then checks
    each row's organisation); asked when the job is asked for and again when it runs."""
    from django.core.exceptions import PermissionDenied

    from renkei.reports.jobs import request_job

    # a seminar with no pillar that 港区 did not attend; an activity of the partnership
    unseen = create_activity(year, title="旅先納税", kind="external_seminar")
    assert not unseen.attendances.filter(organisation__code=MINATO).exists()
    seen = create_activity(year, title="港区デジタルサイネージでのPR動画の放映")
    seen.pillars.add(create_project(union).pillar["mono"])

    def ask(role, activity):
        params = {"activity": activity.pk, "rows": []}
        return request_job("attendance_import", user=staff[role], fiscal_year=year, params=params)

    with pytest.raises(PermissionDenied):
        ask("auditor", seen)  # VIEW on the year, but no CONTRIBUTE
    with pytest.raises(PermissionDenied):
        ask("partner", unseen)  # not a partnership activity: outside its scope
    job = ask("partner", seen)
    StaffProfile.objects.filter(user=staff["partner"]).update(role="auditor")
    run_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "この操作を行う権限がありません。"
