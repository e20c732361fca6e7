"""The union's change history (secretariat and auditors): filtered, paginated; the same
filters give the export (views/spreadsheets.py)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from renkei.staff.forms import HistoryFilterForm
from renkei.staff.history_queries import history_entries, history_rows, history_users, kind_choices
from renkei.tenancy.permissions import Action

from .common import profile, require

PAGE_SIZE = 50


def filtered_history(request):
    """The filter form and the entries it selects; 403 for who may not read history."""
    staff = profile(request)
    require(request.user, Action.VIEW_HISTORY, staff.union)
    form = HistoryFilterForm(
        request.GET or None, users=history_users(staff.union), kinds=kind_choices(request.user)
    )
    form.is_valid()  # an invalid field is reported and left out; the valid ones still filter
    return form, history_entries(request.user, getattr(form, "cleaned_data", {}))


@login_required
def history_list(request):
    form, entries = filtered_history(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/history.html",
        {
            "form": form,
            "page": page,
            "rows": history_rows(page.object_list, request.user),
        },
    )
