"""A year's report page: the checks' findings, the draft (案) downloads, the issued
versions, and for the secretariat the button that issues the 確定版."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from renkei.programmes.models import FiscalYear
from renkei.reports.models import IssuedReport, ReportEdition
from renkei.reports.services import ReportError, issue_report
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
    if request.method == "POST" and form.is_valid():
        try:
            issued = issue_report(
                year,
                form.cleaned_data["format"],
                user=request.user,
                edition=form.cleaned_data["edition"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                _("確定版（第%(v)s版）を発行しました。") % {"v": issued.version},
            )
            return redirect(f"{reverse('staff:year_report', args=[year.pk])}?edition={edition}")
        except ReportError as error:
            form.add_error(None, str(error))
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
