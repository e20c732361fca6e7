"""The cost of the work: the year's table of each activity's cost and cost per
participant (活動別の費用), and recording the external seminars' fee (研修負担金) spread
over their sessions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from renkei.finance.costs import SEMINAR_FEE_RULE, record_seminar_fee
from renkei.finance.models import BudgetLine, Direction
from renkei.programmes.models import Activity, ActivityGroup, ActivityKind, FiscalYear, GroupKind
from renkei.reports.costs import year_cost_table
from renkei.staff.share_forms import SeminarFeeForm
from renkei.tenancy.permissions import Action, can, scope

from .common import posted, render_form, require, scoped, service_errors

YEARS = FiscalYear.objects.select_related("union")
REPORT_ORDER = ("group__programme__number", "group__number", "sub_number", "pk")


@login_required
def year_costs(request, year_pk):
    """The cost of each activity the user may see, with the rules it follows."""
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.VIEW, year)
    activities = scope(
        Activity.objects.filter(group__programme__fiscal_year=year), request.user
    ).order_by(*REPORT_ORDER)
    return render(
        request,
        "staff/grants/costs.html",
        {
            "year": year,
            "costs": year_cost_table(year, activities),
            "may_edit": can(request.user, Action.EDIT_BUDGET, year),
        },
    )


@login_required
def seminar_fee_create(request, year_pk):
    """Record the seminars' fee as one expense spread over the sessions of a series (or
    of every external seminar of the year) by the stated rule."""
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.EDIT_BUDGET, year)
    lines = scope(
        BudgetLine.objects.filter(
            fiscal_year=year, direction=Direction.EXPENDITURE, is_reserve=False
        ),
        request.user,
    ).select_related("section")
    seminars = Activity.objects.filter(
        group__programme__fiscal_year=year, kind=ActivityKind.EXTERNAL_SEMINAR
    ).order_by(*REPORT_ORDER)
    groups = ActivityGroup.objects.filter(
        programme__fiscal_year=year, kind=GroupKind.SEMINAR_SERIES
    ).order_by("programme__number", "number")
    form = SeminarFeeForm(*posted(request), lines=lines, groups=groups)
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data.get("group")
        sessions = seminars.filter(group=group) if group else seminars
        with service_errors(form):
            record_seminar_fee(
                form.cleaned_data["line"], request.user, sessions=list(sessions), **form.expense()
            )
            messages.success(request, _("研修負担金を各回に配分して登録しました。"))
            return redirect("staff:year_costs", year_pk=year.pk)
    return render_form(
        request,
        "staff/budget/change_form.html",
        {"year": year, "form": form, "title": _("研修負担金"), "rule": SEMINAR_FEE_RULE},
        form,
    )
