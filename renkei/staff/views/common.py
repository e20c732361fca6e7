"""What every staff view does first: load through the user's scope (404 outside it)
and check the permission (403); and how it shows what a service refused."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from renkei.audit.models import AuditEntry
from renkei.errors import ConflictError, RenkeiError
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


def posted(request) -> tuple:
    """A form's data and files: bound on every POST, even an empty one (which then
    fails validation with a 400 instead of showing a fresh form); unbound on GET."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _refused(form) -> bool:
    if form is None or not form.is_bound:
        return False
    if isinstance(form, BaseFormSet):
        return any(form.errors) or bool(form.non_form_errors())
    return bool(form.errors)


def form_status(request, *forms) -> int:
    """400 for a POST refused (a form or formset carries errors: bad input, or a rule of a
    service such as a closed year or a submitted 照会 answer), else 200."""
    return 400 if request.method == "POST" and any(_refused(f) for f in forms) else 200


def render_form(request, template: str, context: dict, *forms, conflict=None):
    """A page of ``forms``, with the status that says how its POST went: 409 when the save
    met someone else's change (``conflict``), 400 when it was refused, else 200."""
    status = 409 if conflict else form_status(request, *forms)
    return render(request, template, context, status=status)


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


@dataclass
class Refusal:
    """What a service refused inside :func:`service_errors` (both None when it did not)."""

    error: RenkeiError | None = None
    conflict: ConflictError | None = None


@contextmanager
def service_errors(form=None, *, request=None, conflicts: bool = False) -> Iterator[Refusal]:
    """Run the service calls of a view; a :class:`RenkeiError` they raise is shown, not a 500.

    The error goes onto ``form`` (on the field it names in ``details["field"]`` when the
    form has that field, else above the form), or without a form into ``messages`` for the
    next page when ``request`` is given. With ``conflicts=True`` a :class:`ConflictError`
    is kept apart in ``refusal.conflict``, for a page that shows the saved values beside
    the form. The error is always in ``refusal.error`` for a view that shows it otherwise.
    """
    refusal = Refusal()
    try:
        yield refusal
    except RenkeiError as error:
        refusal.error = error
        if conflicts and isinstance(error, ConflictError):
            refusal.conflict = error
        elif form is not None:
            field = error.details.get("field")
            form.add_error(field if field in form.fields else None, error.message)
        elif request is not None:
            messages.error(request, error.message)
