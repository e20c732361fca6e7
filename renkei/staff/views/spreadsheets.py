"""Spreadsheets in and out: list exports (CSV with BOM, XLSX) and imports of attendance
and budget lines with a preview, per-row errors and an all-or-nothing save."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from renkei.programmes.models import FiscalYear
from renkei.programmes.services import changes_wait_for_approval
from renkei.reports.views import ask_for_job
from renkei.staff.activity_queries import activity_detail_queryset
from renkei.staff.attendance_rows import grid_organisations, saved_values
from renkei.staff.export_jobs import ACTIVITY_EXPORT, HISTORY_EXPORT
from renkei.staff.forms import SpreadsheetForm
from renkei.staff.import_jobs import ATTENDANCE_IMPORT, BUDGET_LINES_IMPORT
from renkei.staff.spreadsheet_exports import (
    AttendanceExporter,
    BudgetExporter,
    UserExporter,
    download,
)
from renkei.staff.spreadsheet_imports import parse_attendance, parse_budget, read_table
from renkei.tenancy.permissions import Action

from .activities import filtered_activities
from .budget import budget_lines
from .common import current_year, profile, require, scoped
from .users import staff_profiles

FORMATS = ("csv", "xlsx")


def _format(fmt):
    if fmt not in FORMATS:
        raise Http404
    return fmt


@login_required
def activity_export(request, fmt):
    """The (filtered) activity list of a whole year: made by a job (renkei/staff/
    export_jobs.py) with the list's filters."""
    year = current_year(request)
    require(request.user, Action.VIEW, year)
    return ask_for_job(
        request,
        ACTIVITY_EXPORT.name,
        fiscal_year=year,
        format=_format(fmt),
        params={"query": request.GET.urlencode()},
    )


@login_required
def attendance_export(request, fmt):
    year, _form, activities = filtered_activities(request)
    members = year.union.members_in_order()
    return download(
        AttendanceExporter(activities, members), f"attendance-{year.year}", _format(fmt)
    )


@login_required
def budget_export(request, fmt):
    year = current_year(request)
    require(request.user, Action.VIEW_BUDGET, year)
    return download(
        BudgetExporter(budget_lines(request.user, year)), f"budget-{year.year}", _format(fmt)
    )


@login_required
def history_export(request, fmt):
    """The (filtered) change history, every year of it: made by a job."""
    staff = profile(request)
    require(request.user, Action.VIEW_HISTORY, staff.union)
    return ask_for_job(
        request,
        HISTORY_EXPORT.name,
        union=staff.union,
        format=_format(fmt),
        params={"query": request.GET.urlencode()},
    )


@login_required
def user_export(request, fmt):
    staff = profile(request)
    require(request.user, Action.MANAGE_USERS, staff.union)
    return download(UserExporter(staff_profiles(request.user)), "users", _format(fmt))


def _preview(request, key, parse):
    """Step 1 reads the upload into the session; step 2 (confirm) hands the rows back."""
    form = SpreadsheetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("confirm") and key in request.session:
        return form, request.session.pop(key), True
    rows = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = [vars(row) for row in parse(read_table(form.cleaned_data["file"]))]
            if not any(row["errors"] for row in rows):
                request.session[key] = rows
        except ValueError as error:
            form.add_error("file", str(error))
    return form, rows, False


def _import_page(request, context, template="staff/import.html", status=200):
    rows = context.get("rows") or []
    context["has_errors"] = any(row["errors"] for row in rows)
    return render(request, template, context, status=status)


@login_required
def attendance_import(request, pk):
    """Preview in the request; the confirmed counts are recorded by a job
    (staff/import_jobs.py): records, or proposals in a closed year."""
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    require(request.user, Action.CONTRIBUTE)
    orgs = grid_organisations(activity)
    # The values saved when the file was previewed: one changed before the import is
    # confirmed is refused, as on the attendance grid, instead of being overwritten.
    current = saved_values(activity)
    form, rows, confirmed = _preview(
        request, f"import:attendance:{pk}", lambda table: parse_attendance(table, orgs, current)
    )
    if confirmed:
        return ask_for_job(
            request,
            ATTENDANCE_IMPORT.name,
            fiscal_year=activity.fiscal_year,
            params={"activity": activity.pk, "rows": rows},
            reason=request.POST.get("reason", ""),
        )
    return _import_page(
        request,
        {
            "form": form,
            "rows": rows,
            "activity": activity,
            "year": activity.fiscal_year,
            "kind": "attendance",
            "columns": ["団体", "人数"],
            "proposing": changes_wait_for_approval(request.user, activity.fiscal_year),
        },
    )


@login_required
def budget_import(request, year_pk):
    """Preview in the request; the confirmed lines are added by a job
    (staff/import_jobs.py), whose page says how many, or which row was refused."""
    year = scoped(FiscalYear.objects.select_related("union"), request.user, pk=year_pk)
    require(request.user, Action.EDIT_BUDGET, year)
    form, rows, confirmed = _preview(
        request, f"import:budget:{year_pk}", lambda table: parse_budget(table, year)
    )
    if confirmed:
        return ask_for_job(
            request,
            BUDGET_LINES_IMPORT.name,
            fiscal_year=year,
            params={"rows": rows},
            reason=request.POST.get("reason", ""),
        )
    return _import_page(
        request,
        {
            "form": form,
            "rows": rows,
            "year": year,
            "kind": "budget",
            "columns": ["収支", "節", "区分の表記", "項目", "予算額", "決算額", "備考"],
        },
    )
