"""What every staff view does first: load through the user's scope (404 outside it)
and check the permission (403)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from renkei.audit.models import AuditEntry
from renkei.forms import ascii_int
from renkei.programmes.models import FiscalYear
from renkei.tenancy.permissions import Action, can, profile_of, scope


def scoped(queryset, user, **lookup):
    """One object of ``queryset`` the user may see, else 404 (never a hint it exists)."""
    return get_object_or_404(scope(queryset, user), **lookup)


def require(user, action: Action, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def require_any(user, actions, obj=None) -> None:
    if not any(can(user, action, obj) for action in actions):
        raise PermissionDenied


def form_status(request, *forms) -> int:
    """400 for a POST refused (its form carries errors: bad input, or a rule of a service
    such as a closed year or a submitted 照会 answer), else 200."""
    refused = any(form is not None and form.is_bound and form.errors for form in forms)
    return 400 if request.method == "POST" and refused else 200


def profile(request):
    found = profile_of(request.user)
    if found is None:
        raise PermissionDenied
    return found


def current_year(request) -> FiscalYear:
    """The year chosen with ?year=2024, else the user's union's latest year (404 if none)."""
    years = FiscalYear.objects.select_related("union__organisation").restrict(request.user)
    wanted = ascii_int(request.GET.get("year"))
    if wanted is not None:
        return get_object_or_404(years, year=wanted)
    year = years.order_by("-year").first()
    if year is None:
        profile(request)
        raise Http404
    return year


def history_of(instance, user, limit: int = 50):
    """The change log of one record, when the user may read history (else None)."""
    if not can(user, Action.VIEW_HISTORY, instance):
        return None
    return list(
        AuditEntry.objects.select_related("user")
        .restrict(user)
        .filter(model=instance._meta.label_lower, object_id=str(instance.pk))[:limit]
    )
