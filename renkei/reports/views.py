"""Report downloads and issuing for signed-in staff.

Each view loads the fiscal year through the user's scope (404 outside their union),
checks the permission (403), then calls the service. The web process never renders a
report: asking for one (a draft or an issue) makes a job (renkei/reports/jobs.py) and
sends the person to its page, which shows its progress and then the file.
"""

import base64
import hashlib
import re

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from renkei.files import stored_file_response
from renkei.programmes.models import FiscalYear
from renkei.tenancy.permissions import Action, can

from .jobs import describe, job_kind, may_have, request_job, request_report, retry_report_job
from .models import IssuedReport, ReportEdition, ReportJob, ReportJobKind, ReportJobStatus
from .renderers import formats
from .services import ReportError


class FiscalYearMixin(LoginRequiredMixin):
    """Loads the user's fiscal year from the URL and checks ``action`` on it."""

    action: Action

    def fiscal_year(self, request, year: int) -> FiscalYear:
        fiscal_year = get_object_or_404(FiscalYear.objects.all().restrict(request.user), year=year)
        if not can(request.user, self.action, fiscal_year):
            raise PermissionDenied(_("この操作を行う権限がありません。"))
        return fiscal_year


def edition_of(query, user, fiscal_year) -> ReportEdition:
    """The edition asked for (``edition=public|internal``). The internal edition is the
    default for staff who may have it (DOWNLOAD_INTERNAL_REPORT: the secretariat, members,
    auditors); partner staff get the public edition, and 403 when they ask for the other."""
    internal = can(user, Action.DOWNLOAD_INTERNAL_REPORT, fiscal_year)
    default = ReportEdition.INTERNAL if internal else ReportEdition.PUBLIC
    try:
        edition = ReportEdition(query.get("edition") or default)
    except ValueError:
        raise Http404(_("この種類の報告書はありません。")) from None
    if edition == ReportEdition.INTERNAL and not internal:
        raise PermissionDenied(
            _("内部版の報告書をダウンロードする権限がありません。公開版をお使いください。")
        )
    return edition


def require_format(user, fmt: str, fiscal_year) -> None:
    """The Excel workbook is the settlement statement with every line: it is for those
    who may read the budget (not the partner, who has the PDF, Word and HTML)."""
    if fmt == "xlsx" and not can(user, Action.VIEW_BUDGET, fiscal_year):
        raise PermissionDenied(
            _(
                "収支決算書（Excel）をダウンロードする権限がありません。PDF・Word・HTML をお使いください。"
            )
        )


STYLE_BLOCK = re.compile(rb"<style[^>]*>(.*?)</style>", re.DOTALL)


def report_page_policy(html: bytes) -> str:
    """The Content-Security-Policy of an HTML report shown in the browser: a standalone
    document with its style in <style> blocks (allowed by their SHA-256, never
    'unsafe-inline') and its photos and charts as data: images; nothing else loads."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(block).digest()).decode()}'"
        for block in STYLE_BLOCK.findall(html)
    )
    styles = hashes or "'none'"
    return (
        f"default-src 'none'; style-src {styles}; "
        "img-src data:; font-src data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if filename.endswith(".html") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if filename.endswith(".html"):
        response["Content-Security-Policy"] = report_page_policy(content)
    return response


class ReportDownloadView(FiscalYearMixin, View):
    """GET: a page with the button that asks for the draft (a link must not start work);
    POST (``format``, ``edition``): a job making the report from the current records."""

    action = Action.DOWNLOAD_REPORT

    def get(self, request, year: int, format: str):
        if format not in formats():
            raise Http404(_("この形式の報告書はありません。"))
        fiscal_year = self.fiscal_year(request, year)
        require_format(request.user, format, fiscal_year)
        edition = edition_of(request.GET, request.user, fiscal_year)
        context = {"year": fiscal_year, "format": format, "edition": edition}
        return render(request, "reports/request.html", context)

    def post(self, request, year: int, format: str):
        if format not in formats():
            raise Http404(_("この形式の報告書はありません。"))
        fiscal_year = self.fiscal_year(request, year)
        require_format(request.user, format, fiscal_year)
        edition = edition_of(request.POST, request.user, fiscal_year)
        job = request_report(fiscal_year, format, user=request.user, edition=edition)
        return redirect("reports:job", job.pk)


class IssuedReportDownloadView(FiscalYearMixin, View):
    """A stored, issued version, exactly as it was issued."""

    action = Action.DOWNLOAD_REPORT

    def get(self, request, year: int, format: str, version: int):
        fiscal_year = self.fiscal_year(request, year)
        require_format(request.user, format, fiscal_year)
        edition = edition_of(request.GET, request.user, fiscal_year)
        issued = get_object_or_404(
            IssuedReport, fiscal_year=fiscal_year, format=format, edition=edition, version=version
        )
        return stored_file_response(
            issued.file.storage,
            issued.file.name,
            as_attachment=True,
            content_type=formats()[format].content_type,
            sha256=issued.sha256,
        )


class ReportIssueView(FiscalYearMixin, View):
    """POST: issue the final report (format from the form, pdf by default; ``edition``
    public or internal, internal by default) as a job; its page says how it went.

    With findings from the checks the job refuses (failed, with the list) unless
    ``confirm`` is sent."""

    action = Action.ISSUE_REPORT

    def post(self, request, year: int):
        fiscal_year = self.fiscal_year(request, year)
        fmt = request.POST.get("format", "pdf")
        if fmt not in formats():
            raise Http404(_("この形式の報告書はありません。"))
        require_format(request.user, fmt, fiscal_year)
        job = request_report(
            fiscal_year,
            fmt,
            user=request.user,
            kind=ReportJobKind.ISSUE,
            strict=request.POST.get("confirm") != "1",
            edition=edition_of(request.POST, request.user, fiscal_year),
            reason=request.POST.get("reason", ""),
        )
        return redirect("reports:job", job.pk)


def ask_for_job(request, kind: str, **job):
    """A job's front door for any view that has loaded its target and checked who may:
    GET shows what will be made and the button that asks (a link must not start work);
    POST (to the same address, its query string kept) makes the job and shows its page.
    ``job``: ``request_job``'s arguments (fiscal_year or union, format, params …)."""
    if request.method != "POST":
        fiscal_year, union = job.get("fiscal_year"), job.get("union")
        preview = ReportJob(
            kind=kind,
            fiscal_year=fiscal_year,
            union=fiscal_year.union if fiscal_year is not None else union,
            format=job.get("format", ""),
            edition=job.get("edition", ""),
        )
        context = {"target": preview.target, "what": describe(preview)}
        return render(request, "reports/job_request.html", context)
    created = request_job(kind, user=request.user, **job)
    return redirect("reports:job", created.pk)


class ReportJobMixin(LoginRequiredMixin):
    """Loads a job of the signed-in person (404 for anyone else's, in their union or not)."""

    def job(self, request, pk: int) -> ReportJob:
        jobs = ReportJob.objects.restrict(request.user).select_related(
            "fiscal_year__union", "union"
        )
        return get_object_or_404(jobs, pk=pk, requested_by=request.user)


def job_status(job: ReportJob) -> dict:
    """What the job's page shows, also as JSON for its script."""
    result_url = ""
    if job.status == ReportJobStatus.DONE and not job.result:
        result_url = reverse("reports:job_file", args=[job.pk])
    return {
        "status": job.status,
        "label": job.get_status_display(),
        "finished": job.finished,
        "error": job.error,
        "result_url": result_url,
    }


class ReportJobView(ReportJobMixin, View):
    """The job's page: queued, being made, done (the file) or failed (why, and retry)."""

    def get(self, request, pk: int):
        job = self.job(request, pk)
        back_url = job_kind(job.kind).back_url
        context = {
            "job": job,
            "target": job.target,
            "what": describe(job),
            "state": job_status(job),
            "back_url": back_url(job) if back_url else "",
        }
        return render(request, "reports/job.html", context)


class ReportJobStatusView(ReportJobMixin, View):
    """The job's state as JSON, polled by the page's script (static/renkei/js/job.js)."""

    def get(self, request, pk: int):
        response = JsonResponse(job_status(self.job(request, pk)))
        response["Cache-Control"] = "no-store"
        return response


class ReportJobFileView(ReportJobMixin, View):
    """The job's result: its file (403 once the person may no longer have it), or where
    its kind keeps the result (the version an issue job issued)."""

    def get(self, request, pk: int):
        job = self.job(request, pk)
        if job.status != ReportJobStatus.DONE:
            raise Http404(_("ファイルはまだできていません。"))
        if not may_have(request.user, job):
            raise PermissionDenied(_("この操作を行う権限がありません。"))
        kind = job_kind(job.kind)
        if kind.result_url is not None:
            url = kind.result_url(job)
            if not url:
                raise Http404(_("発行した報告書が見つかりません。"))
            return redirect(url)
        try:
            with job.file.open("rb") as stored:
                content = stored.read()
        except (FileNotFoundError, ValueError):
            raise Http404(_("ファイルが保存場所に見つかりません。")) from None
        name = job.file.name.rsplit("/", 1)[-1]
        return _attachment(content, job.content_type or _format_type(job.format), name)


def _format_type(fmt: str) -> str:
    """The content type of a report job made before jobs recorded theirs."""
    known = formats().get(fmt)
    return known.content_type if known else "application/octet-stream"


class ReportJobRetryView(ReportJobMixin, View):
    """POST: run a failed job again (only its requester, while they still may)."""

    def post(self, request, pk: int):
        job = self.job(request, pk)
        try:
            retry_report_job(job, user=request.user)
        except ReportError as error:
            return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
        return redirect("reports:job", job.pk)
