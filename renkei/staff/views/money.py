"""The budget through the year: recording an amendment, a transfer or an expense, a
line's history, and closing or reopening the year with a confirmation page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from renkei.files import stored_file_response
from renkei.finance.budget_changes import record_amendment, record_transfer
from renkei.finance.execution import execution_of_line, line_history
from renkei.finance.expenses import record_expense
from renkei.finance.models import BudgetLine, Direction, Expense, Voucher
from renkei.finance.statement import statement_for
from renkei.programmes.models import Activity, FiscalYear
from renkei.reports.year_cycle import close_fiscal_year, reopen_fiscal_year
from renkei.staff.export_jobs import year_lines as _year_lines
from renkei.staff.money_forms import AmendmentForm, ExpenseForm, ReopenForm, TransferForm
from renkei.staff.overview import report_issues
from renkei.tenancy.permissions import Action, scope

from .common import render_form, require, require_any, scoped, service_errors

YEARS = FiscalYear.objects.select_related("union")


def budget_url(year) -> str:
    return f"{reverse('staff:budget')}?year={year.year}"


def _record(request, year, form, template, title, save):
    """Show ``form``; on a valid POST call ``save()`` (a service) and go back to the budget."""
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            save()
            messages.success(request, _("%(what)sを登録しました。") % {"what": title})
            return redirect(budget_url(year))
    return render_form(request, template, {"year": year, "form": form, "title": title}, form)


@login_required
def amendment_create(request, year_pk):
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.EDIT_BUDGET, year)
    form = AmendmentForm(request.POST or None, lines=_year_lines(request.user, year))
    return _record(
        request,
        year,
        form,
        "staff/budget/change_form.html",
        _("補正予算"),
        lambda: record_amendment(
            year,
            request.user,
            number=form.cleaned_data["number"],
            amounts=form.amounts(),
            **form.decision(),
        ),
    )


@login_required
def transfer_create(request, year_pk):
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.EDIT_BUDGET, year)
    lines = _year_lines(request.user, year).filter(direction=Direction.EXPENDITURE)
    form = TransferForm(request.POST or None, lines=lines)
    return _record(
        request,
        year,
        form,
        "staff/budget/change_form.html",
        _("流用・予備費充用"),
        lambda: record_transfer(
            year,
            request.user,
            kind=form.cleaned_data["kind"],
            source=form.cleaned_data["source"],
            target=form.cleaned_data["target"],
            amount=form.cleaned_data["amount"],
            **form.decision(),
        ),
    )


@login_required
def expense_create(request, year_pk):
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.EDIT_BUDGET, year)
    lines = _year_lines(request.user, year).filter(
        direction=Direction.EXPENDITURE, is_reserve=False
    )
    activities = scope(Activity.objects.filter(group__programme__fiscal_year=year), request.user)
    form = ExpenseForm(
        request.POST or None,
        request.FILES or None,
        lines=lines,
        activities=activities,
        initial={"line": request.GET.get("line")},
    )
    return _record(
        request,
        year,
        form,
        "staff/budget/change_form.html",
        _("支出"),
        lambda: record_expense(
            form.cleaned_data["line"],
            request.user,
            allocations=form.allocations(),
            **form.expense(),
        ),
    )


@login_required
def line_history_view(request, pk):
    line = scoped(
        BudgetLine.objects.select_related("fiscal_year__union", "section"), request.user, pk=pk
    )
    require_any(request.user, (Action.EDIT_BUDGET, Action.VIEW_HISTORY), line)
    expenses = (
        Expense.objects.filter(line=line)
        .order_by("spent_on", "pk")
        .prefetch_related("allocations__activity", "vouchers")
    )
    return render(
        request,
        "staff/budget/line_history.html",
        {
            "year": line.fiscal_year,
            "line": line,
            "execution": execution_of_line(line),
            "steps": line_history(line),
            "expenses": expenses,
        },
    )


@login_required
def voucher_download(request, pk):
    voucher = scoped(Voucher.objects.all(), request.user, pk=pk)
    require_any(request.user, (Action.EDIT_BUDGET, Action.VIEW_HISTORY), voucher)
    return stored_file_response(
        voucher.file.storage,
        voucher.file.name,
        as_attachment=True,
        filename=voucher.original_name,
        content_type=voucher.content_type,
        sha256=voucher.sha256,
    )


@login_required
def year_close(request, year_pk):
    """GET: the confirmation page (totals, open findings); POST with ``confirm``: close."""
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.CLOSE_YEAR, year)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        with service_errors(request=request):
            close_fiscal_year(year, request.user)
            messages.success(request, _("%(year)sの決算を確定しました。") % {"year": year})
            return redirect(budget_url(year))
    elif request.method == "POST":
        return redirect("staff:year_close", year_pk=year.pk)
    return render(
        request,
        "staff/budget/close.html",
        {
            "year": year,
            "statement": statement_for(year),
            "findings": report_issues(year),
            "line_count": year.budget_lines.count(),
            "reopen_form": ReopenForm(),
        },
    )


@login_required
def year_reopen(request, year_pk):
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.CLOSE_YEAR, year)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            reopen_fiscal_year(year, request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("%(year)sを再開しました。") % {"year": year})
            return redirect(budget_url(year))
    return render_form(
        request,
        "staff/budget/change_form.html",
        {"year": year, "form": form, "title": _("年度の再開")},
        form,
    )
