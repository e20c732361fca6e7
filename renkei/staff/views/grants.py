"""Grants (補助金・助成金) of a year: the list with the amounts applied for and granted,
recording, changing and removing one (each change in the change history)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from renkei.finance.grants import delete_grant, save_grant
from renkei.finance.models import Grant
from renkei.programmes.models import FiscalYear
from renkei.staff.share_forms import DeleteForm, GrantForm
from renkei.tenancy.permissions import Action, can, scope

from .common import history_of, posted, render_form, require, scoped, service_errors

YEARS = FiscalYear.objects.select_related("union")
GRANTS = Grant.objects.select_related("fiscal_year__union")


@login_required
def grant_list(request, year_pk):
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.VIEW, year)
    grants = scope(Grant.objects.filter(fiscal_year=year), request.user)
    return render(
        request,
        "staff/grants/list.html",
        {
            "year": year,
            "grants": grants,
            "may_edit": can(request.user, Action.EDIT_BUDGET, year),
        },
    )


def _grant_form(request, year, grant=None):
    initial = {}
    if grant is not None:
        initial = {name: getattr(grant, name) for name in GrantForm.base_fields}
    form = GrantForm(posted(request)[0], initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            save_grant(
                year,
                request.user,
                form.values(),
                grant=grant,
                version=form.cleaned_data.get("version"),
            )
            messages.success(request, _("補助金・助成金を保存しました。"))
            return redirect("staff:grant_list", year_pk=year.pk)
    context = {
        "year": year,
        "form": form,
        "grant": grant,
        "title": _("補助金・助成金"),
        "history": history_of(grant, request.user) if grant else None,
        "delete_form": DeleteForm() if grant else None,
    }
    return render_form(request, "staff/grants/form.html", context, form)


@login_required
def grant_create(request, year_pk):
    year = scoped(YEARS, request.user, pk=year_pk)
    require(request.user, Action.EDIT_BUDGET, year)
    return _grant_form(request, year)


@login_required
def grant_edit(request, pk):
    grant = scoped(GRANTS, request.user, pk=pk)
    require(request.user, Action.EDIT_BUDGET, grant)
    return _grant_form(request, grant.fiscal_year, grant)


@login_required
def grant_delete(request, pk):
    grant = scoped(GRANTS, request.user, pk=pk)
    require(request.user, Action.EDIT_BUDGET, grant)
    year = grant.fiscal_year
    form = DeleteForm(posted(request)[0])
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            delete_grant(grant, request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("補助金・助成金を削除しました。"))
            return redirect("staff:grant_list", year_pk=year.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "staff/shares/form.html",
        {"year": year, "form": form, "title": _("補助金・助成金の削除")},
        status=status,
    )
