"""A real ``renkei worker`` process makes the reports asked for, on SQLite and on
PostgreSQL (scripts/with_postgres.py), and a job whose worker was killed is run again on
the worker's restart without issuing a second version."""

import signal
import time

import pytest
from django_tasks_db.models import DBTaskResult

from renkei.reports.jobs import request_report
from renkei.reports.models import IssuedReport, ReportJob
from tests.helpers.mail import Inbox, free_port

WAIT = 180  # seconds: a cold worker process on a busy two-core machine renders the PDF


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def inbox(settings):
    """A real SMTP server (aiosmtpd) the worker process mails through."""
    from aiosmtpd.controller import Controller

    handler, port = Inbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.RENKEI_BASE_URL = "http://testserver"
    yield handler
    controller.stop()


def finish(process) -> str:
    output, _ = process.communicate(timeout=WAIT)
    assert process.returncode == 0, output
    return output


@pytest.mark.slow
def test_a_worker_process_makes_the_pdf_asked_for_and_mails_its_link(
    year, make_user, worker_process, inbox, settings
):
    user = make_user("secretariat")
    user.email = "jimukyoku@example.jp"
    user.save()
    settings.RENKEI_JOB_MAIL_AFTER_SECONDS = 0  # every job counts as slow: they have left
    job = request_report(year, "pdf", user=user, edition="internal")
    finish(worker_process("--batch", "--worker-id", "test-a"))
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.attempts == 1 and job.mailed
    with job.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    (message,) = inbox.take()
    assert message["To"] == "jimukyoku@example.jp"
    assert f"http://testserver/reports/jobs/{job.pk}/" in message.get_content()


@pytest.mark.slow
def test_a_job_left_running_by_a_dead_worker_is_run_again_by_its_restart(
    year, make_user, worker_process
):
    job = request_report(
        year, "html", user=make_user("secretariat"), kind="issue", edition="internal"
    )
    # What a worker killed mid-job leaves behind: its task marked running under its id.
    DBTaskResult.objects.get().claim("test-b")
    ReportJob.objects.filter(pk=job.pk).update(status="running", attempts=1)

    finish(worker_process("--batch", "--worker-id", "test-c"))  # another worker: not its job
    assert not IssuedReport.objects.exists()

    output = finish(worker_process("--batch", "--worker-id", "test-b"))
    assert "Re-queued 1 interrupted job(s) of test-b" in output
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2
    assert IssuedReport.objects.get().job == job


@pytest.mark.slow
def test_a_worker_killed_while_issuing_and_restarted_issues_one_version(
    union, create_long_report_year, make_user, worker_process
):
    long_year = create_long_report_year(union, 2024)  # 15 pages: a render that takes seconds
    job = request_report(
        long_year, "pdf", user=make_user("secretariat"), kind="issue", edition="internal"
    )
    worker = worker_process("--interval", "0.1", "--worker-id", "test-d")
    deadline = time.monotonic() + WAIT
    while ReportJob.objects.get(pk=job.pk).status == "queued":
        assert time.monotonic() < deadline and worker.poll() is None
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.communicate(timeout=WAIT)
    # Killed mid-render (the PDF takes seconds): its task is left running, nothing issued.
    assert DBTaskResult.objects.get().status == "RUNNING"
    assert not IssuedReport.objects.exists()

    finish(worker_process("--batch", "--worker-id", "test-d"))
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert IssuedReport.objects.filter(fiscal_year=long_year).count() == 1
    assert IssuedReport.objects.get().job == job


def test_a_worker_process_makes_one_job_of_every_other_kind(
    year, create_activity, make_user, worker_process
):
    """The notices of every member, the 決算書, the whole-year exports and a money
    import's commit, asked for as the screens ask (``request_job``), made by one real
    worker process. The running year is ``create_report_year``'s (its 交流研修) with an
    activity the export's filter leaves out."""
    import io
    import zipfile
    from datetime import date

    from openpyxl import load_workbook

    from renkei.finance.models import BudgetLine, Expense
    from renkei.finance.shares import PopulationEntry, set_population_figures, set_sharing_rule
    from renkei.programmes.models import Activity
    from renkei.reports.jobs import request_job

    create_activity(year, title="防災セミナー", kind="workshop", on=date(2024, 7, 1))
    user = make_user("secretariat")
    set_sharing_rule(
        year, user, title="分担金", total=800_000, equal_weight=50, population_weight=50
    )
    members = list(year.union.members_in_order())
    set_population_figures(
        year, user, [PopulationEntry(m, 10_000, "住基", date(2024, 1, 1)) for m in members]
    )
    asked = {
        ("share_notices", "pdf"): {"fiscal_year": year},
        ("examination", "xlsx"): {"fiscal_year": year},
        ("activity_export", "csv"): {"fiscal_year": year, "params": {"query": "q=交流"}},
        ("history_export", "xlsx"): {"union": year.union},
        ("budget_lines_export", "csv"): {"fiscal_year": year},
        ("budget_changes_export", "xlsx"): {"fiscal_year": year},
        ("expenses_export", "csv"): {"fiscal_year": year},
    }
    line = BudgetLine.objects.filter(fiscal_year=year, direction="expenditure").first()
    # A line with a budget, whose expenses (not a typed amount) make its settled total.
    BudgetLine.objects.filter(pk=line.pk).update(budgeted=100_000, settled=0)
    expense = {
        "line": line.pk,
        "spent_on": "2024-06-01",
        "payee": "置賜印刷",
        "amount": 1_000,
        "purpose": "チラシ",
        "allocations": {},
    }
    rows = [{"number": 2, "values": expense, "errors": []}]
    asked["expenses_import", ""] = {"fiscal_year": year, "params": {"rows": rows}}
    jobs = {
        key: request_job(key[0], user=user, format=key[1], **where) for key, where in asked.items()
    }
    finish(worker_process("--batch", "--worker-id", "test-kinds"))
    imported = jobs.pop(("expenses_import", ""))
    imported.refresh_from_db()
    assert (imported.status, imported.result) == ("done", "1件を読み込みました。"), imported.error
    assert Expense.objects.filter(line=line, payee="置賜印刷").count() == 1
    contents = {}
    for key, job in jobs.items():
        job.refresh_from_db()
        assert job.status == "done", (key, job.error)
        with job.file.open("rb") as stored:
            contents[key] = stored.read()
    notices = zipfile.ZipFile(io.BytesIO(contents["share_notices", "pdf"]))
    assert len(notices.namelist()) == len(members)
    assert all(notices.read(name).startswith(b"%PDF-") for name in notices.namelist())
    assert load_workbook(io.BytesIO(contents["examination", "xlsx"])).active.max_row > 5
    activities = contents["activity_export", "csv"].decode("utf-8-sig").splitlines()
    every = Activity.objects.filter(group__programme__fiscal_year=year).count()
    assert "交流研修" in activities[1] and len(activities) - 1 < every  # the list's filter
    assert "予算額" in contents["budget_lines_export", "csv"].decode("cp932")
