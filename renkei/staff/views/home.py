"""Sign-in and the home page (a year at a glance)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from renkei.programmes.models import FiscalYear
from renkei.staff.forms import SignInForm
from renkei.staff.overview import year_overview
from renkei.staff.own_work import own_work
from renkei.tenancy.permissions import Action, can

from .common import current_year, profile, require


class SignInView(auth_views.LoginView):
    template_name = "staff/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


@login_required
def home(request):
    if not FiscalYear.objects.all().restrict(request.user).exists() and profile(request):
        return redirect("staff:year_list")  # a union just added: its first year is made there
    year = current_year(request)
    require(request.user, Action.VIEW, year)
    years = FiscalYear.objects.all().restrict(request.user).order_by("-year")
    return render(
        request,
        "staff/home.html",
        {
            "year": year,
            "years": years,
            "own_work": own_work(year, request.user, timezone.localdate()),
            "overview": year_overview(year, request.user),
            "may_download": can(request.user, Action.DOWNLOAD_REPORT, year),
            "may_download_internal": can(request.user, Action.DOWNLOAD_INTERNAL_REPORT, year),
            "may_issue": can(request.user, Action.ISSUE_REPORT, year),
        },
    )
