"""Users of the union: list, invite, deactivate (secretariat)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from renkei.staff.forms import InviteForm
from renkei.tenancy.models import Organisation, StaffProfile
from renkei.tenancy.permissions import Action, scope
from renkei.tenancy.services import (
    deactivate_user,
    invite_user,
    revoke_api_token,
    send_invitation,
)

from .common import profile, render_form, require, scoped, service_errors


def _organisations(union):
    partner_ids = union.partnerships.values_list("organisation", flat=True)
    return Organisation.objects.filter(
        pk__in=[union.organisation_id, *union.members.values_list("pk", flat=True), *partner_ids]
    )


def staff_profiles(user):
    """The union's users for the list and its export, active first."""
    return (
        scope(StaffProfile.objects.select_related("user", "organisation"), user)
        .annotate(has_api_token=Exists(Token.objects.filter(user=OuterRef("user"))))
        .order_by("-user__is_active", "user__username")
    )


def _invited_message(user, mailed: bool) -> str:
    if mailed:
        return _(
            "%(name)sを登録し、パスワード設定用のリンクを %(email)s に送りました。"
            "届かないときは下のリンクを本人に渡してください。"
        ) % {"name": user.username, "email": user.email}
    if user.email:
        return _(
            "%(name)sを登録しましたが、メールを送れませんでした。下のリンクを本人に渡してください。"
        ) % {"name": user.username}
    return _("%(name)sを登録しました。下のリンクを本人に渡してください。") % {"name": user.username}


@login_required
def user_list(request):
    staff = profile(request)
    require(request.user, Action.MANAGE_USERS, staff.union)
    form = InviteForm(request.POST or None, organisations=_organisations(staff.union))
    link = None
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            invitation = invite_user(request.user, union=staff.union, **form.cleaned_data)
            link = request.build_absolute_uri(
                reverse("staff:password_set", args=[invitation.uid, invitation.token])
            )
            mailed = send_invitation(invitation, link)
            messages.success(request, _invited_message(invitation.user, mailed))
            form = InviteForm(organisations=_organisations(staff.union))
    return render_form(
        request,
        "staff/users.html",
        {
            "profiles": staff_profiles(request.user),
            "form": form,
            "link": link,
        },
        form,
    )


@login_required
@require_POST
def user_deactivate(request, pk):
    target = scoped(StaffProfile.objects.select_related("user", "union"), request.user, pk=pk)
    require(request.user, Action.MANAGE_USERS, target)
    with service_errors(request=request):
        deactivate_user(request.user, target)
        messages.success(request, _("%(name)sを無効にしました。") % {"name": target.user.username})
    return redirect("staff:users")


@login_required
@require_POST
def user_revoke_token(request, pk):
    target = scoped(StaffProfile.objects.select_related("user", "union"), request.user, pk=pk)
    require(request.user, Action.MANAGE_USERS, target)
    if revoke_api_token(request.user, target.user):
        messages.success(
            request, _("%(name)sの API トークンを取り消しました。") % {"name": target.user.username}
        )
    else:
        messages.info(
            request, _("%(name)sには API トークンがありません。") % {"name": target.user.username}
        )
    return redirect("staff:users")
