"""Reports asked for on the screens are made by a job worker: the request only queues a
job; its page shows the progress, then the file; a failed job says why and can be run
again; issuing stays exactly-once however often a job runs."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from renkei.reports.jobs import request_job, request_report, run_report_job
from renkei.reports.models import IssuedReport, ReportJob
from renkei.reports.services import issue_report
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_asking_for_a_draft_queues_a_job_and_its_page_gives_the_file(client, year, users, run_jobs):
    client = signed_in(client, users["secretariat"])
    asked = client.post(reverse("reports:download", args=[2024, "html"]), {"edition": "internal"})
    job = ReportJob.objects.get()
    assert asked.status_code == 302 and asked["Location"] == reverse("reports:job", args=[job.pk])
    # The web request rendered nothing: the job waits for a worker.
    assert job.status == "queued" and not job.file
    page = client.get(asked["Location"]).content.decode()
    assert "順番待ち" in page and "renkei/js/job.js" in page
    status = client.get(reverse("reports:job_status", args=[job.pk])).json()
    assert status == {
        "status": "queued",
        "label": "順番待ち",
        "finished": False,
        "error": "",
        "result_url": "",
    }

    assert run_jobs() == 1
    status = client.get(reverse("reports:job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["finished"]
    assert "報告書を受け取る" in client.get(asked["Location"]).content.decode()
    file = client.get(status["result_url"])
    assert file.status_code == 200
    assert "交流研修" in file.content.decode()
    assert 'filename="okitama-fy2024-report.html"' in file["Content-Disposition"]
    assert "default-src 'none'" in file["Content-Security-Policy"]


def test_a_link_to_a_draft_starts_nothing(client, year, users):
    client = signed_in(client, users["secretariat"])
    page = client.get(reverse("reports:download", args=[2024, "pdf"]))
    assert page.status_code == 200 and "作成する" in page.content.decode()
    assert not ReportJob.objects.exists()


def test_a_job_is_seen_only_by_the_person_who_asked(
    client, union, year, users, create_user, other_union, run_jobs
):
    asker = users["secretariat"]
    job = request_report(year, "html", user=asker, edition="internal")
    run_jobs()
    colleague = create_user("secretariat", union=union, username="colleague")
    stranger = create_user("secretariat", other_union.members.get(), union=other_union)
    for user in (colleague, stranger):
        client.logout()
        signed_in(client, user)
        for name in ("reports:job", "reports:job_status", "reports:job_file"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
        assert client.post(reverse("reports:job_retry", args=[job.pk])).status_code == 404
    assert list(ReportJob.objects.restrict(stranger)) == []
    assert list(ReportJob.objects.restrict(asker)) == [job]


def test_partner_staff_cannot_ask_for_the_internal_edition(client, year, users):
    client = signed_in(client, users["partner"])
    url = reverse("reports:download", args=[2024, "html"])
    assert client.post(url, {"edition": "internal"}).status_code == 403
    assert client.post(url, {"edition": "public"}).status_code == 302
    assert ReportJob.objects.get().edition == "public"


@pytest.mark.parametrize("role", ["member", "auditor"])
def test_only_the_secretariat_asks_for_an_issue(client, year, users, role):
    client = signed_in(client, users[role])
    response = client.post(reverse("reports:issue", args=[2024]), {"format": "html"})
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


def test_issuing_through_a_job_and_downloading_the_version(client, year, users, run_jobs):
    client = signed_in(client, users["secretariat"])
    asked = client.post(reverse("reports:issue", args=[2024]), {"format": "html"})
    assert not IssuedReport.objects.exists()  # the web request issued nothing itself
    run_jobs()
    job = ReportJob.objects.get()
    issued = IssuedReport.objects.get()
    assert job.status == "done" and issued.job == job and issued.version == 1
    result = client.get(reverse("reports:job_file", args=[job.pk]))
    assert result["Location"] == (
        reverse("reports:issued_download", args=[2024, "html", 1]) + "?edition=internal"
    )
    stored = client.get(result["Location"])
    assert b"".join(stored.streaming_content) == issued.file.open("rb").read()
    assert asked["Location"] == reverse("reports:job", args=[job.pk])


def test_an_issue_job_run_again_issues_no_second_version(year, users, committed):
    """A worker that died after the commit but before it marked the task done leaves it
    to be run again: the job finds its version and stops."""
    job = request_report(year, "html", user=users["secretariat"], kind="issue", edition="internal")
    for _ in range(2):
        with committed():
            run_report_job.call(job.pk)
        ReportJob.objects.filter(pk=job.pk).update(status="running")  # as a killed worker left it
    assert IssuedReport.objects.count() == 1
    job.refresh_from_db()
    assert job.attempts == 2


def test_the_database_refuses_a_second_version_from_one_job(year, users, committed):
    """Two runs of one job racing past the check: the unique job column refuses the second."""
    user = users["secretariat"]
    job = request_report(year, "html", user=user, kind="issue", edition="internal")
    with committed():
        issue_report(year, "html", user=user, job=job)
    with pytest.raises(IntegrityError):
        issue_report(year, "html", user=user, job=job)


def test_a_refused_issue_says_why_and_the_person_may_retry_or_confirm(
    client, year, users, run_jobs
):
    year.activity.attendances.update(count=99)  # 米沢市: more than the 22 recorded
    secretariat = users["secretariat"]
    client = signed_in(client, secretariat)
    client.post(reverse("reports:issue", args=[2024]), {"format": "html"})
    run_jobs()
    job = ReportJob.objects.get()
    assert job.status == "failed" and "99名" in job.error
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "99名" in page and "もう一度試す" in page and "確認して発行する" in page
    assert not IssuedReport.objects.exists()

    retried = client.post(reverse("reports:job_retry", args=[job.pk]))
    assert retried.status_code == 302
    job.refresh_from_db()
    assert job.status == "queued" and job.error == ""
    run_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and job.attempts == 2  # the same request, the same refusal
    assert client.post(reverse("reports:job_retry", args=[job.pk])).status_code == 302
    run_jobs()

    confirmed = client.post(
        reverse("reports:issue", args=[2024]),
        {"format": "html", "confirm": "1", "reason": "人数は次の版で直す"},
    )
    run_jobs()
    new_job = ReportJob.objects.exclude(pk=job.pk).get()
    assert confirmed["Location"] == reverse("reports:job", args=[new_job.pk])
    assert new_job.status == "done" and IssuedReport.objects.get().findings


def test_a_done_job_cannot_be_retried(client, year, users, run_jobs):
    user = users["secretariat"]
    job = request_report(year, "html", user=user, edition="internal")
    run_jobs()
    response = signed_in(client, user).post(reverse("reports:job_retry", args=[job.pk]))
    assert response.status_code == 409
    assert run_jobs() == 0


def test_a_person_who_lost_the_permission_gets_no_report(year, users, run_jobs):
    from renkei.tenancy.models import StaffProfile

    user = users["secretariat"]
    job = request_report(year, "html", user=user, kind="issue", edition="internal")
    StaffProfile.objects.filter(user=user).update(role="auditor")
    user.refresh_from_db()
    run_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and "権限" in job.error
    assert not IssuedReport.objects.exists()


def test_a_slow_job_is_mailed_to_the_person_who_asked(year, users, run_jobs, settings):
    user = users["secretariat"]
    user.email = "jimukyoku@example.jp"
    user.save()
    settings.RENKEI_JOB_MAIL_AFTER_SECONDS = 3600
    request_report(year, "html", user=user, edition="internal")
    run_jobs()
    assert mail.outbox == []  # done quickly: they were still on its page

    settings.RENKEI_JOB_MAIL_AFTER_SECONDS = 0
    job = request_report(year, "html", user=user, edition="internal")
    run_jobs()
    (message,) = mail.outbox
    assert message.to == ["jimukyoku@example.jp"] and "ファイルができました" in message.subject
    assert f"{settings.RENKEI_BASE_URL}/reports/jobs/{job.pk}/" in message.body
    job.refresh_from_db()
    assert job.mailed


def test_an_internal_draft_is_not_handed_to_someone_who_lost_that_right(
    client, year, users, run_jobs
):
    """米沢市 staff ask for the internal edition, then become partner staff (public
    edition only): neither its file nor a run after the change gives it to them."""
    from renkei.tenancy.models import StaffProfile

    user = users["member"]
    client = signed_in(client, user)
    done = request_report(year, "html", user=user, edition="internal")
    run_jobs()
    waiting = request_report(year, "html", user=user, edition="internal")
    assert client.get(reverse("reports:job_file", args=[done.pk])).status_code == 200
    StaffProfile.objects.filter(user=user).update(role="partner")
    assert client.get(reverse("reports:job_file", args=[done.pk])).status_code == 403
    run_jobs()
    waiting.refresh_from_db()
    assert waiting.status == "failed" and not waiting.file


def test_old_drafts_are_pruned_with_their_files_and_issues_kept(year, users, run_jobs, committed):
    user = users["secretariat"]
    draft = request_report(year, "html", user=user, edition="internal")
    issue = request_report(year, "html", user=user, kind="issue", edition="internal")
    recent = request_report(year, "html", user=user, edition="internal")
    export = request_job("history_export", user=user, union=year.union, format="csv")
    run_jobs()
    draft.refresh_from_db()
    export.refresh_from_db()
    storage = draft.file.storage
    assert storage.exists(draft.file.name) and storage.exists(export.file.name)
    assert export.file.name.startswith(f"report-jobs/{year.union.slug}/union/")
    long_ago = timezone.now() - timedelta(days=8)
    ReportJob.objects.exclude(pk=recent.pk).update(finished_at=long_ago)
    with committed():
        call_command("prune_report_jobs", "--days", "7", stdout=io.StringIO())
    assert set(ReportJob.objects.values_list("pk", flat=True)) == {issue.pk, recent.pk}
    assert not storage.exists(draft.file.name) and not storage.exists(export.file.name)
    assert IssuedReport.objects.get().job_id == issue.pk
