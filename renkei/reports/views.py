"""Report downloads and issuing for signed-in staff.

Each view loads the fiscal year through the user's scope (404 outside their union),
checks the permission (403), then calls the service.
"""

import base64
import hashlib
import re

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from renkei.files import stored_file_response
from renkei.programmes.models import FiscalYear
from renkei.tenancy.permissions import Action, can

from .models import IssuedReport, ReportEdition
from .renderers import formats
from .services import ReportError, issue_report, render_report


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
    """The report made from the current records (a draft), in the format asked for."""

    action = Action.DOWNLOAD_REPORT

    def get(self, request, year: int, format: str):
        if format not in formats():
            raise Http404(_("この形式の報告書はありません。"))
        fiscal_year = self.fiscal_year(request, year)
        require_format(request.user, format, fiscal_year)
        rendered = render_report(
            fiscal_year, format, edition=edition_of(request.GET, request.user, fiscal_year)
        )
        return _attachment(rendered.content, rendered.content_type, rendered.filename)


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
    public or internal, internal by default).

    With findings from the checks it refuses (409, the list) unless ``confirm`` is sent."""

    action = Action.ISSUE_REPORT

    def post(self, request, year: int):
        fiscal_year = self.fiscal_year(request, year)
        fmt = request.POST.get("format", "pdf")
        strict = request.POST.get("confirm") != "1"
        edition = edition_of(request.POST, request.user, fiscal_year)
        try:
            issued = issue_report(
                fiscal_year,
                fmt,
                user=request.user,
                strict=strict,
                edition=edition,
                reason=request.POST.get("reason", ""),
            )
        except ReportError as error:
            return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
        url = reverse("reports:issued_download", args=[year, fmt, issued.version])
        return redirect(f"{url}?edition={edition}" if edition == ReportEdition.PUBLIC else url)
