"""Members' shares (分担金・負担金): the table of all shares (the secretariat and the
auditors) or the own one (a member's staff), the sharing rule, the populations typed or
imported, each member's notice as PDF or Word, and the table as a spreadsheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.errors import RenkeiError
from renkei.exporters import Column, Exporter
from renkei.finance.models import PopulationFigure, SharingRule
from renkei.finance.shares import (
    ROUNDING_RULE,
    may_see_share,
    set_population_figures,
    set_sharing_rule,
    share_table,
    visible_shares,
)
from renkei.programmes.models import FiscalYear
from renkei.reports.document_jobs import NOTICE_TYPES, SHARE_NOTICES
from renkei.reports.notices import render_notice_docx, render_notice_pdf, share_notice
from renkei.reports.views import ask_for_job
from renkei.staff.import_jobs import POPULATION_IMPORT
from renkei.staff.share_forms import (
    POPULATION_COLUMNS,
    PopulationForm,
    PopulationImportForm,
    SharingRuleForm,
    parse_populations,
    population_rows,
)
from renkei.staff.spreadsheet_exports import download
from renkei.staff.spreadsheet_imports import read_table
from renkei.tenancy.permissions import Action, can

from .common import posted, render_form, require, scoped, service_errors

YEARS = FiscalYear.objects.select_related("union")


def _back(year):
    return redirect("staff:share_list", year_pk=year.pk)


@login_required
def share_list(request, year_pk):
    year = scoped(YEARS, request.user, pk=year_pk)
    shares = visible_shares(request.user, year)  # refuses those who may see none
    table = share_table(year)
    return render(
        request,
        "staff/shares/list.html",
        {
            "year": year,
            "table": table,
            "shares": shares,
            "all": can(request.user, Action.VIEW_SHARES, year),
            "may_edit": can(request.user, Action.EDIT_BUDGET, year),
            "rounding": ROUNDING_RULE,
        },
    )


@login_required
def share_rule_edit(request, year_pk):
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.EDIT_BUDGET, year)
    rule = SharingRule.objects.filter(fiscal_year=year).first()
    initial = (
        {
            name: getattr(rule, name)
            for name in ("title", "total", "equal_weight", "population_weight", "due_on")
        }
        if rule
        else {}
    )
    form = SharingRuleForm(posted(request)[0], initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            set_sharing_rule(year, request.user, **form.cleaned_data)
            messages.success(request, _("負担金の算定方法を保存しました。"))
            return _back(year)
    return render_form(
        request,
        "staff/shares/form.html",
        {"year": year, "form": form, "title": _("負担金の算定方法")},
        form,
    )


@login_required
def population_edit(request, year_pk):
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.EDIT_BUDGET, year)
    figures = {f.organisation_id: f for f in PopulationFigure.objects.filter(fiscal_year=year)}
    form = PopulationForm(
        posted(request)[0], members=year.union.members_in_order(), figures=figures
    )
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            changed = set_population_figures(year, request.user, form.entries())
            messages.success(request, _("人口を%(n)s件更新しました。") % {"n": changed})
            return _back(year)
    return render_form(
        request,
        "staff/shares/form.html",
        {"year": year, "form": form, "title": _("構成団体の人口")},
        form,
    )


@login_required
def population_import(request, year_pk):
    """Upload a sheet of populations: every row is checked in the request; a sheet without
    errors is saved by a job (staff/import_jobs.py), all rows or none."""
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.EDIT_BUDGET, year)
    form = PopulationImportForm(*posted(request))
    rows = []
    if request.method == "POST" and form.is_valid():
        try:
            table = read_table(form.cleaned_data["file"])
        except ValueError as error:
            form.add_error("file", str(error))
        else:
            rows = parse_populations(table, year.union.members_in_order())
            if not rows:
                form.add_error("file", _("読み込む行がありません。"))
            elif not any(row.errors for row in rows):
                return ask_for_job(
                    request,
                    POPULATION_IMPORT.name,
                    fiscal_year=year,
                    params={"rows": population_rows(rows)},
                )
    refused = bool(form.errors) or any(row.errors for row in rows)
    return render(
        request,
        "staff/shares/import.html",
        {"year": year, "form": form, "rows": rows, "columns": POPULATION_COLUMNS},
        status=400 if request.method == "POST" and refused else 200,
    )


@login_required
def share_notice_download(request, year_pk, org_pk, fmt):
    year = scoped(YEARS, request.user, pk=year_pk)
    if fmt not in NOTICE_TYPES:
        raise Http404
    if not may_see_share(request.user, year, org_pk):
        raise PermissionDenied
    table = share_table(year)
    share = table.for_organisation(org_pk)
    if share is None:
        raise Http404
    try:
        notice = share_notice(table, share, timezone.localdate())
    except RenkeiError as error:
        return HttpResponse(error.message, status=409, content_type="text/plain; charset=utf-8")
    data = render_notice_pdf(notice) if fmt == "pdf" else render_notice_docx(notice)
    response = HttpResponse(data, content_type=NOTICE_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{notice.file_stem}.{fmt}"'
    return response


@login_required
def share_notices_all(request, year_pk, fmt):
    """Every member's notice in one ZIP (PDF or Word), made by a job: one notice is a
    quick download, every member's takes a second each."""
    year = scoped(YEARS, request.user, pk=year_pk)
    if fmt not in NOTICE_TYPES:
        raise Http404
    require(request.user, Action.VIEW_SHARES, year)
    return ask_for_job(request, SHARE_NOTICES.name, fiscal_year=year, format=fmt)


class ShareExporter(Exporter):
    """Every member's share in 規約 order, with the figure it comes from."""

    sheet_title = "負担金"
    columns = (
        Column("団体コード"),
        Column("構成団体"),
        Column("人口", type="integer"),
        Column("出典"),
        Column("基準日", type="date"),
        Column("均等割額", type="integer"),
        Column("人口割額", type="integer"),
        Column("負担金額", type="integer", description="計算できないときは空欄"),
    )

    def __init__(self, table):
        self.table = table

    def rows(self):
        for share in self.table.shares:
            figure = share.figure
            yield {
                "団体コード": share.organisation.code,
                "構成団体": share.organisation.label,
                "人口": figure.population if figure else None,
                "出典": figure.source if figure else None,
                "基準日": figure.reference_date.isoformat() if figure else None,
                "均等割額": share.equal_part,
                "人口割額": share.population_part,
                "負担金額": share.amount,
            }
        yield {"構成団体": _("合計"), "負担金額": self.table.total}
        if self.table.problem:
            yield {"構成団体": self.table.problem}
        yield {"構成団体": self.table.rule_text()}
        yield {"構成団体": str(ROUNDING_RULE)}


@login_required
def share_export(request, year_pk, fmt):
    year = scoped(YEARS, request.user, pk=year_pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    require(request.user, Action.VIEW_SHARES, year)
    return download(ShareExporter(share_table(year)), f"shares-{year.year}", fmt)
