"""Long work done by a job worker, never by the web process (docs/adr/0011-job-queue.md):
reports, and every kind an app registers (``register_job_kind``: notices, the 決算書, the
whole-year exports). One model (``ReportJob``), one task, one set of pages for all.

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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_tasks import task

from renkei.errors import RenkeiError
from renkei.files import files_on_commit
from renkei.request_log import request_id_set
from renkei.tenancy.permissions import Action, can

from .errors import ReportError
from .models import IssuedReport, ReportEdition, ReportJob, ReportJobKind, ReportJobStatus
from .renderers import formats
from .services import check_format, issue_report, render_report

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobFile:
    """What a job made: the file the person receives."""

    filename: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class JobKind:
    """A kind of long work done as a job. ``make`` does the work for the job's
    requester and returns its file, or a sentence saying what it did (an import), or None
    when it recorded its result elsewhere (an issue); it raises a ``RenkeiError`` with a
    Japanese message to fail the job. ``atomic``: the work writes records, so it commits
    with the job's done mark, under the job's row lock — a run again after a worker died
    finds the job done and does nothing twice.
    The requester must hold one of ``actions`` on the job's target (its year, or its
    union) — when asking, when the worker runs it and when the file is fetched — and
    ``allowed`` when given (the internal edition). ``keep``: ``prune_report_jobs`` leaves
    done jobs of this kind (their result is a record that stays). ``result_url``: where a
    done job's result is when it is not the job's file; ``back_url``: the page to go
    back to from a done job (the list an import filled)."""

    name: str
    label: str | Promise
    actions: tuple[Action, ...]
    make: Callable[["ReportJob"], JobFile | str | None]
    allowed: Callable[[object, "ReportJob"], bool] | None = None
    keep: bool = False
    result_url: Callable[["ReportJob"], str] | None = None
    atomic: bool = False
    back_url: Callable[["ReportJob"], str] | None = None


# The kinds, filled once at start-up by the apps that own them (AppConfig.ready); the
# same in every process and never changed by a request.
_KINDS: dict[str, JobKind] = {}


def job_year(job: ReportJob):
    """The year of a job whose kind works on one (every kind but the union-wide exports)."""
    if job.fiscal_year is None:
        raise RenkeiError(_("この依頼には年度がありません。"))
    return job.fiscal_year


def register_job_kind(kind: JobKind) -> JobKind:
    """Make ``kind`` something a job can be (from the app that owns the work)."""
    _KINDS[kind.name] = kind
    return kind


def job_kind(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise ReportError(_("この種類の作成依頼は扱えません。")) from None


def describe(job: ReportJob) -> str:
    """What the job makes, as its page and its mail say it."""
    parts = [str(job_kind(job.kind).label)]
    if job.format:
        parts.append(job.format.upper())
    if job.edition:
        parts.append(str(job.get_edition_display()))
    return " / ".join(parts)


def may_have(user, job: ReportJob) -> bool:
    """Whether ``user`` may (still) have what ``job`` makes: one of its kind's actions on
    the job's year or union (the permission table), and its kind's own condition —
    asked again when the job runs and when its file is fetched, since a role can change
    meanwhile."""
    kind = job_kind(job.kind)
    if not any(can(user, action, job.target) for action in kind.actions):
        return False
    return kind.allowed is None or kind.allowed(user, job)


def request_job(
    kind: str,
    *,
    user,
    fiscal_year=None,
    union=None,
    format: str = "",
    edition: str = "",
    params: dict | None = None,
    strict: bool = True,
    reason: str = "",
) -> ReportJob:
    """Ask for work of a registered ``kind`` on a year (or, for work over every year, on
    ``union``): a queued job, run by a worker. PermissionDenied unless ``user`` may have
    its result. The job and its task commit together."""
    job_kind(kind)
    job = ReportJob(
        union=fiscal_year.union if fiscal_year is not None else union,
        fiscal_year=fiscal_year,
        requested_by=user,
        kind=kind,
        format=format,
        edition=edition,
        params=params or {},
        strict=strict,
        reason=reason,
    )
    if not may_have(user, job):
        raise PermissionDenied(_("この操作を行う権限がありません。"))
    with transaction.atomic():
        job.save()
        _enqueue(job)
    return job


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
    download (a draft) or issue (an issue) the year's report in the edition."""
    check_format(fmt)
    return request_job(
        kind,
        user=user,
        fiscal_year=fiscal_year,
        format=fmt,
        edition=edition,
        strict=strict,
        reason=reason,
    )


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
    """The worker's side of every kind: check that the requester still may, do the work
    and record the outcome. Safe to run again for the same job (after a worker died
    mid-job): a finished job is left as it is, a file reaches its place only with the
    job's commit, and an issue job issues at most one version."""
    with request_id_set(f"report-job-{job_id}"):
        job = ReportJob.objects.select_related("fiscal_year__union", "union", "requested_by").get(
            pk=job_id
        )
        if job.status == ReportJobStatus.DONE:
            return job.status
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJobStatus.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1
        )
        try:
            if not may_have(job.requested_by, job):
                raise PermissionDenied(_("この操作を行う権限がありません。"))
            _run(job, job_kind(job.kind))
        except (RenkeiError, PermissionDenied) as error:
            _fail(job, str(error) or _("この操作を行う権限がありません。"))
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _fail(job, _("作成中に予期しないエラーが起きました。管理者に連絡してください。"))
        job.refresh_from_db()
        _mail_if_left(job)
        return job.status


def _run(job: ReportJob, kind: JobKind) -> None:
    if not kind.atomic:
        _finish(job, kind.make(job))
        return
    with transaction.atomic():
        locked = ReportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == ReportJobStatus.DONE:  # another run committed it meanwhile
            return
        _finish(job, kind.make(job))


def _finish(job: ReportJob, made: JobFile | str | None) -> None:
    """Record the job as done, with its file when it made one (stored once the row
    commits, so a job that fails to commit leaves no file behind) or what it did."""
    if not isinstance(made, JobFile):
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJobStatus.DONE, finished_at=timezone.now(), result=made or ""
        )
        return
    storage = ReportJob._meta.get_field("file").storage
    with files_on_commit(storage) as store, transaction.atomic():
        job.file.name = job.file.field.generate_filename(job, made.filename)
        job.content_type = made.content_type
        job.status, job.finished_at = ReportJobStatus.DONE, timezone.now()
        job.save(update_fields=["file", "content_type", "status", "finished_at"])
        store(job.file.name, made.content)


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
    what = {"job": f"{job.target} {describe(job)}"}
    if job.status == ReportJobStatus.DONE:
        subject = _("ご依頼のファイルができました：%(job)s") % what
        body = _("依頼されたファイルができました。次のページから受け取れます。\n%(link)s\n")
    else:
        subject = _("ご依頼のファイルを作成できませんでした：%(job)s") % what
        body = _(
            "依頼されたファイルを作成できませんでした。理由とやり直しは次のページにあります。\n%(link)s\n"
        )
    send_mail(subject, body % {"link": link}, None, [job.requested_by.email])
    ReportJob.objects.filter(pk=job.pk).update(mailed=True)


def prune_report_jobs(older_than_days: int) -> int:
    """Remove the jobs finished more than ``older_than_days`` ago, and their files once
    the removal commits — except the done jobs of a kept kind (an issue job names the
    version it issued). Returns how many were removed."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    storage = ReportJob._meta.get_field("file").storage
    kept = [name for name, kind in _KINDS.items() if kind.keep]
    with transaction.atomic():
        old = ReportJob.objects.filter(finished_at__lt=cutoff).exclude(
            kind__in=kept, status=ReportJobStatus.DONE
        )
        names = [name for name in old.values_list("file", flat=True) if name]
        removed, _by_model = old.delete()

        def delete_files() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)
    return removed


# The report's own kinds.


def _may_have_edition(user, job: ReportJob) -> bool:
    """The internal edition only with DOWNLOAD_INTERNAL_REPORT."""
    internal = job.edition == ReportEdition.INTERNAL
    return not internal or can(user, Action.DOWNLOAD_INTERNAL_REPORT, job.fiscal_year)


def _draft(job: ReportJob) -> JobFile:
    rendered = render_report(job.fiscal_year, job.format, edition=job.edition)
    return JobFile(rendered.filename, rendered.content, formats()[job.format].content_type)


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
    return None


def _issued_url(job: ReportJob) -> str:
    issued = IssuedReport.objects.filter(job=job).first()
    if issued is None:
        return ""
    url = reverse(
        "reports:issued_download", args=[job_year(job).year, issued.format, issued.version]
    )
    return f"{url}?edition={issued.edition}"


register_job_kind(
    JobKind(
        ReportJobKind.DRAFT,
        _lazy("報告書（下書き）"),
        (Action.DOWNLOAD_REPORT,),
        _draft,
        allowed=_may_have_edition,
    )
)
register_job_kind(
    JobKind(
        ReportJobKind.ISSUE,
        _lazy("報告書の発行"),
        (Action.ISSUE_REPORT,),
        _issue,
        allowed=_may_have_edition,
        keep=True,
        result_url=_issued_url,
    )
)
