"""A year's report page: the checks' findings, the draft (案) downloads, the issued
versions, and for the secretariat the button that issues the 確定版."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from renkei.programmes.models import FiscalYear
from renkei.reports.jobs import request_report
from renkei.reports.models import IssuedReport, ReportEdition, ReportJobKind
from renkei.staff.overview import findings_for
from renkei.staff.report_forms import ReportIssueForm
from renkei.tenancy.permissions import Action, can

from .common import require, scoped


def _edition(request, year) -> str:
    """The edition the page is about: internal for those who may have it, else public."""
    internal = can(request.user, Action.DOWNLOAD_INTERNAL_REPORT, year)
    wanted = request.POST.get("edition") or request.GET.get("edition")
    if wanted == ReportEdition.PUBLIC or not internal:
        return ReportEdition.PUBLIC
    return ReportEdition.INTERNAL


@login_required
def year_report(request, pk):
    year = scoped(FiscalYear.objects.select_related("union"), request.user, pk=pk)
    require(request.user, Action.DOWNLOAD_REPORT, year)
    edition = _edition(request, year)
    findings = findings_for(request.user, year, edition)
    may_issue = can(request.user, Action.ISSUE_REPORT, year)
    form = None
    if may_issue:
        data = request.POST if request.method == "POST" else None
        form = ReportIssueForm(data, findings=findings, initial={"edition": edition})
    elif request.method == "POST":
        require(request.user, Action.ISSUE_REPORT, year)
    if request.method == "POST" and form is not None and form.is_valid():
        # Issued by a job worker, never in the web process; its page shows how it went.
        # The findings were confirmed here; the job still refuses a 確定版 whose findings
        # (as they are when it runs) have no reason.
        job = request_report(
            year,
            form.cleaned_data["format"],
            user=request.user,
            kind=ReportJobKind.ISSUE,
            strict=False,
            edition=form.cleaned_data["edition"],
            reason=form.cleaned_data["reason"],
        )
        return redirect("reports:job", job.pk)
    return render(
        request,
        "staff/years/report.html",
        {
            "year": year,
            "edition": edition,
            "may_choose_edition": can(request.user, Action.DOWNLOAD_INTERNAL_REPORT, year),
            "findings": findings,
            "form": form,
            "issued": _issued(year, request.user),
        },
        status=400 if form is not None and form.errors else 200,
    )


def _issued(year, user) -> list[IssuedReport]:
    """The issued versions the user may download, newest first."""
    issued = IssuedReport.objects.filter(fiscal_year=year).select_related("issued_by")
    if not can(user, Action.DOWNLOAD_INTERNAL_REPORT, year):
        issued = issued.filter(edition=ReportEdition.PUBLIC)
    return list(issued.order_by("-issued_at", "-pk"))
