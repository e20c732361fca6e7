"""Reports made by a job worker, never by the web process (docs/adr/0011-job-queue.md).

``request_report`` records what a person asked for (a ``ReportJob``) and enqueues
``run_report_job`` in the same transaction (the queue is a table of the same database, so
the job and its task commit together or not at all). A worker (``renkei worker``) runs it:
a draft is rendered and stored as the job's file; an issue calls ``issue_report`` with the
job, whose unique ``IssuedReport.job`` column makes issuing exactly-once — a job run again
after a worker died finds its version and stops, and two runs racing cannot both commit.

The person watches the job's page; a job that finished more than
RENKEI_JOB_MAIL_AFTER_SECONDS after it was asked for is also mailed to them.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from renkei.files import files_on_commit
from renkei.request_log import request_id_set
from renkei.tenancy.permissions import Action, can

from .errors import ReportError
from .models import IssuedReport, ReportEdition, ReportJob, ReportJobKind, ReportJobStatus
from .services import check_format, issue_report, render_report

logger = logging.getLogger(__name__)


def action_for(kind: str) -> Action:
    return Action.ISSUE_REPORT if kind == ReportJobKind.ISSUE else Action.DOWNLOAD_REPORT


def may_have(user, job: ReportJob) -> bool:
    """Whether ``user`` may (still) have what ``job`` makes: its action on the year, and
    the internal edition only with DOWNLOAD_INTERNAL_REPORT — asked again when the job
    runs and when its file is fetched, since a role can change meanwhile."""
    if not can(user, action_for(job.kind), job.fiscal_year):
        return False
    internal = job.edition == ReportEdition.INTERNAL
    return not internal or can(user, Action.DOWNLOAD_INTERNAL_REPORT, job.fiscal_year)


def request_report(
    fiscal_year,
    fmt: str,
    *,
    user,
    kind: str = ReportJobKind.DRAFT,
    edition: str,
    strict: bool = True,
    reason: str = "",
) -> ReportJob:
    """Ask for a report: a queued job, run by a worker. ``user`` must be allowed to
    download (a draft) or issue (an issue) the year's report; the edition is checked by
    the caller (``views.edition_of``), as for every download."""
    if not can(user, action_for(kind), fiscal_year):
        raise PermissionDenied
    check_format(fmt)
    with transaction.atomic():
        job = ReportJob.objects.create(
            fiscal_year=fiscal_year,
            requested_by=user,
            kind=kind,
            format=fmt,
            edition=edition,
            strict=strict,
            reason=reason,
        )
        _enqueue(job)
    return job


def retry_report_job(job: ReportJob, *, user) -> ReportJob:
    """Run a failed job again, as it was asked for. Only the person who asked, while they
    still may."""
    if user.pk != job.requested_by_id or not may_have(user, job):
        raise PermissionDenied
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ReportJobStatus.FAILED:
            raise ReportError(_("失敗した作成依頼だけをやり直せます。"))
        job.status, job.error, job.finished_at, job.mailed = ReportJobStatus.QUEUED, "", None, False
        job.save(update_fields=["status", "error", "finished_at", "mailed"])
        _enqueue(job)
    return job


def _enqueue(job: ReportJob) -> None:
    result = run_report_job.enqueue(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


@task()
def run_report_job(job_id: int) -> str:
    """The worker's side: make the report a job asks for and record the outcome. Safe to
    run again for the same job (after a worker died mid-job): a finished job is left as it
    is, and an issue job issues at most one version."""
    with request_id_set(f"report-job-{job_id}"):
        job = ReportJob.objects.select_related("fiscal_year__union", "requested_by").get(pk=job_id)
        if job.status == ReportJobStatus.DONE:
            return job.status
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJobStatus.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1
        )
        try:
            if job.kind == ReportJobKind.ISSUE:
                _issue(job)
            else:
                _draft(job)
        except (ReportError, PermissionDenied) as error:
            _fail(job, str(error) or _("この操作を行う権限がありません。"))
        except Exception:
            logger.exception("report job %s failed", job.pk)
            _fail(
                job, _("報告書の作成中に予期しないエラーが起きました。管理者に連絡してください。")
            )
        job.refresh_from_db()
        _mail_if_left(job)
        return job.status


def _draft(job: ReportJob) -> None:
    if not may_have(job.requested_by, job):
        raise PermissionDenied(_("この操作を行う権限がありません。"))
    rendered = render_report(job.fiscal_year, job.format, edition=job.edition)
    storage = ReportJob._meta.get_field("file").storage
    with files_on_commit(storage) as store, transaction.atomic():
        job.file.name = job.file.field.generate_filename(job, rendered.filename)
        job.status, job.finished_at = ReportJobStatus.DONE, timezone.now()
        job.save(update_fields=["file", "status", "finished_at"])
        store(job.file.name, rendered.content)


def _issue(job: ReportJob) -> None:
    if not IssuedReport.objects.filter(job=job).exists():
        try:
            issue_report(
                job.fiscal_year,
                job.format,
                user=job.requested_by,
                strict=job.strict,
                reason=job.reason,
                edition=job.edition,
                job=job,
            )
        except IntegrityError:
            # Another run of this job committed its version first (issuedreport.job is
            # unique); that version is this job's result.
            if not IssuedReport.objects.filter(job=job).exists():
                raise
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJobStatus.DONE, finished_at=timezone.now()
    )


def _fail(job: ReportJob, message: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJobStatus.FAILED, error=message, finished_at=timezone.now()
    )


def _mail_if_left(job: ReportJob) -> None:
    """Mail the person who asked when the job took long enough that they have probably
    left its page (RENKEI_JOB_MAIL_AFTER_SECONDS); once per outcome."""
    if job.mailed or job.finished_at is None or not job.requested_by.email:
        return
    if (job.finished_at - job.created_at).total_seconds() < settings.RENKEI_JOB_MAIL_AFTER_SECONDS:
        return
    link = settings.RENKEI_BASE_URL + reverse("reports:job", args=[job.pk])
    if job.status == ReportJobStatus.DONE:
        subject = _("報告書ができました：%(job)s") % {"job": job}
        body = _("依頼された報告書ができました。次のページから受け取れます。\n%(link)s\n")
    else:
        subject = _("報告書を作成できませんでした：%(job)s") % {"job": job}
        body = _(
            "依頼された報告書を作成できませんでした。理由とやり直しは次のページにあります。\n%(link)s\n"
        )
    send_mail(subject, body % {"link": link}, None, [job.requested_by.email])
    ReportJob.objects.filter(pk=job.pk).update(mailed=True)


def prune_report_jobs(older_than_days: int) -> int:
    """Remove the draft and failed jobs finished more than ``older_than_days`` ago, and
    the drafts' files once the removal commits; issue jobs stay (each names the version it
    issued). Returns how many were removed."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    storage = ReportJob._meta.get_field("file").storage
    with transaction.atomic():
        old = ReportJob.objects.filter(finished_at__lt=cutoff).exclude(
            kind=ReportJobKind.ISSUE, status=ReportJobStatus.DONE
        )
        names = [name for name in old.values_list("file", flat=True) if name]
        removed, _by_model = old.delete()

        def delete_files() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)
    return removed
