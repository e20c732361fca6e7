"""Budget and settlement: the statement of a year and its execution, editing a line."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.errors import RenkeiError
from renkei.finance.execution import execution_of
from renkei.finance.models import BudgetLine, Direction
from renkei.finance.services import delete_budget_line, save_budget_line
from renkei.finance.statement import statement_for
from renkei.programmes.models import FiscalYear
from renkei.staff.forms import BudgetLineForm, DeleteForm, require_reason_when_closed
from renkei.tenancy.permissions import Action, can

from .common import current_year, history_of, render_form, require, scoped, service_errors


def budget_lines(user, year):
    return (
        BudgetLine.objects.filter(fiscal_year=year)
        .restrict(user)
        .select_related("section")
        .order_by("direction", "order", "pk")
    )


@login_required
def budget_view(request):
    year = current_year(request)
    require(request.user, Action.VIEW_BUDGET, year)
    lines = list(budget_lines(request.user, year))
    # Execution through the year (changes, spending) is the secretariat's and the
    # auditors' (members see the lines and totals they saw before).
    may_read_execution = can(request.user, Action.EDIT_BUDGET, year) or can(
        request.user, Action.VIEW_HISTORY, year
    )
    executions = execution_of(lines) if may_read_execution else {}
    return render(
        request,
        "staff/budget/list.html",
        {
            "execution": [
                executions[line.pk] for line in lines if line.direction == Direction.EXPENDITURE
            ]
            if may_read_execution
            else None,
            "year": year,
            "statement": statement_for(year),
            "income": [line for line in lines if line.direction == Direction.INCOME],
            "expenditure": [line for line in lines if line.direction == Direction.EXPENDITURE],
            "may_edit": can(request.user, Action.EDIT_BUDGET, year),
            "may_close": can(request.user, Action.CLOSE_YEAR, year),
            "history": history_of(year, request.user, limit=20),
        },
    )


def _edit_line(request, line, year):
    form = BudgetLineForm(
        request.POST or None,
        instance=line,
        fiscal_year=year,
        initial={"version": line.version} if line.pk else {},
    )
    require_reason_when_closed(form, year)
    conflict = None
    if request.method == "POST" and form.is_valid():
        with service_errors(form, conflicts=True) as refusal:
            save_budget_line(
                line,
                request.user,
                fields=form.service_fields(),
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("予算・決算の行を保存しました。"))
            return redirect(f"{_budget_url()}?year={year.year}")
        conflict = refusal.conflict
    others = [other for other in budget_lines(request.user, year) if other.pk != line.pk]
    return render_form(
        request,
        "staff/budget/edit.html",
        {
            "year": year,
            "line": line,
            "form": form,
            "conflict": conflict,
            "history": history_of(line, request.user) if line.pk else None,
            "other_income": sum(o.settled for o in others if o.direction == Direction.INCOME),
            "other_expenditure": sum(
                o.settled for o in others if o.direction == Direction.EXPENDITURE
            ),
        },
        form,
        conflict=conflict,
    )


def _budget_url():
    from django.urls import reverse

    return reverse("staff:budget")


@login_required
def budget_line_edit(request, pk):
    line = scoped(BudgetLine.objects.select_related("fiscal_year__union"), request.user, pk=pk)
    require(request.user, Action.EDIT_BUDGET, line)
    return _edit_line(request, line, line.fiscal_year)


@login_required
def budget_line_create(request, year_pk):
    year = scoped(FiscalYear.objects.select_related("union"), request.user, pk=year_pk)
    require(request.user, Action.EDIT_BUDGET, year)
    return _edit_line(request, BudgetLine(fiscal_year=year, direction=Direction.EXPENDITURE), year)


@login_required
@require_POST
def budget_line_delete(request, pk):
    line = scoped(BudgetLine.objects.select_related("fiscal_year__union"), request.user, pk=pk)
    require(request.user, Action.EDIT_BUDGET, line)
    form = DeleteForm(request.POST)
    year = line.fiscal_year
    require_reason_when_closed(form, year)
    with service_errors(request=request) as refusal:
        if not form.is_valid():
            raise RenkeiError(" ".join(str(e) for errors in form.errors.values() for e in errors))
        delete_budget_line(
            line,
            request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("「%(item)s」の行を削除しました。") % {"item": line.item})
    if refusal.error:  # a conflict too: the line page shows what is saved now
        return redirect("staff:budget_line_edit", pk=line.pk)
    return redirect(f"{_budget_url()}?year={year.year}")
