"""Revenue through the year (調定・収入・不納欠損), a line's carry-over (翌年度繰越額), the
settlement in the examination form (決算書) as PDF, Word or Excel, and the year's money to
and from a municipal finance system (budget lines, changes, expenses as Excel or
Shift_JIS CSV; the budget lines' import is ``spreadsheets.budget_import``)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from renkei.finance.execution import execution_of
from renkei.finance.models import BudgetLine, Carryover, Direction, RevenueRecord
from renkei.finance.revenue import record_carryover, record_revenue, revenue_of
from renkei.reports.document_jobs import EXAMINATION
from renkei.reports.renderers import document_formats
from renkei.reports.views import ask_for_job
from renkei.staff import finance_spreadsheets
from renkei.staff.settlement_forms import CarryoverForm, RevenueForm
from renkei.tenancy.permissions import EXECUTION_READERS, Action, can, scope

from .common import require, require_any, scoped
from .money import YEARS, _record, _year_lines
from .spreadsheets import _import_page, _preview

READERS = EXECUTION_READERS


@login_required
def revenue_list(request, year_pk):
    year = scoped(YEARS, request.user, pk=year_pk)
    require_any(request.user, READERS, year)
    lines = list(_year_lines(request.user, year).filter(direction=Direction.INCOME))
    executions, revenues = execution_of(lines), revenue_of(lines)
    records = (
        scope(RevenueRecord.objects.filter(line__fiscal_year=year), request.user)
        .select_related("line__section")
        .order_by("recorded_on", "pk")
    )
    return render(
        request,
        "staff/budget/revenue.html",
        {
            "year": year,
            "rows": [(line, executions[line.pk], revenues[line.pk]) for line in lines],
            "records": records,
            "may_edit": can(request.user, Action.EDIT_BUDGET, year),
            "formats": document_formats("examination"),
            "exchange": [
                ("lines", _("予算の行")),
                ("changes", _("補正・流用")),
                ("expenses", _("支出")),
            ],
        },
    )


@login_required
def revenue_create(request, year_pk):
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.EDIT_BUDGET, year)
    lines = _year_lines(request.user, year).filter(direction=Direction.INCOME)
    form = RevenueForm(request.POST or None, lines=lines, initial={"line": request.GET.get("line")})
    return _record(
        request,
        year,
        form,
        "staff/budget/change_form.html",
        _("調定・収入・不納欠損"),
        lambda: record_revenue(form.cleaned_data["line"], request.user, **form.revenue()),
    )


@login_required
def carryover_edit(request, pk):
    line = scoped(
        BudgetLine.objects.select_related("fiscal_year__union", "section"), request.user, pk=pk
    )
    require(request.user, Action.EDIT_BUDGET, line)
    current = Carryover.objects.filter(line=line).first()
    form = CarryoverForm(
        request.POST or None,
        initial={
            "amount": current.amount if current else 0,
            "reason": current.reason if current else "",
        },
    )
    return _record(
        request,
        line.fiscal_year,
        form,
        "staff/budget/change_form.html",
        _("翌年度繰越額（%(label)s %(item)s）") % {"label": line.label, "item": line.item},
        lambda: record_carryover(line, request.user, **form.cleaned_data),
    )


@login_required
def examination_download(request, year_pk, fmt):
    """The examination-form 決算書 of the year (secretariat, auditors), made by a job."""
    year = scoped(YEARS, request.user, pk=year_pk)
    require_any(request.user, READERS, year)
    if fmt not in document_formats("examination"):
        raise Http404
    return ask_for_job(request, EXAMINATION.name, fiscal_year=year, format=fmt)


EXPORTS = {
    "lines": "budget_lines_export",
    "changes": "budget_changes_export",
    "expenses": "expenses_export",
}


@login_required
def money_export(request, year_pk, kind, fmt):
    """Budget lines, changes or expenses in their import's layout: Excel, or CSV in
    Shift_JIS as municipal finance systems read it; made by a job (staff/export_jobs.py)."""
    year = scoped(YEARS, request.user, pk=year_pk)
    require_any(request.user, READERS, year)
    if kind not in EXPORTS or fmt not in ("xlsx", "csv"):
        raise Http404
    return ask_for_job(request, EXPORTS[kind], fiscal_year=year, format=fmt)


def _money_import(request, year_pk, kind, parse, columns):
    """Preview in the request; the confirmed rows are recorded by a job
    (staff/import_jobs.py), whose page says how many, or which row was refused."""
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.EDIT_BUDGET, year)
    form, rows, confirmed = _preview(
        request, f"import:{kind}:{year_pk}", lambda table: parse(table, year)
    )
    if confirmed:
        return ask_for_job(request, f"{kind}_import", fiscal_year=year, params={"rows": rows})
    return _import_page(
        request,
        {"form": form, "rows": rows, "year": year, "kind": "cells", "columns": columns},
    )


@login_required
def changes_import(request, year_pk):
    return _money_import(
        request,
        year_pk,
        "changes",
        finance_spreadsheets.parse_changes,
        finance_spreadsheets.ChangeExporter(None).header,
    )


@login_required
def expenses_import(request, year_pk):
    return _money_import(
        request,
        year_pk,
        "expenses",
        finance_spreadsheets.parse_expenses,
        finance_spreadsheets.ExpenseExporter(None).header,
    )
