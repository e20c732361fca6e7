"""One error shape for the whole API: ``{"error": {"code", "message", "details"}}``,
with a Japanese message a person can act on; never a 500 for bad input."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from renkei.errors import ConflictError, RenkeiError, error_body
from renkei.tenancy.signin import SignInThrottled


def error_response(
    code: str, message: str, status_code: int, details=None, headers=None
) -> Response:
    return Response(error_body(code, message, details), status=status_code, headers=headers)


def exception_handler(exc, context):
    """Map every expected failure to the shared shape; leave the rest to DRF (then 500)."""
    if isinstance(exc, ConflictError):
        return error_response(
            "conflict",
            exc.message,
            status.HTTP_409_CONFLICT,
            {"current": exc.details.get("current")},
        )
    if isinstance(exc, SignInThrottled):
        return error_response(
            "throttled",
            exc.message,
            status.HTTP_429_TOO_MANY_REQUESTS,
            exc.details,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if isinstance(exc, RenkeiError):
        return error_response("invalid", exc.message, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("見つかりません。"))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(_("この操作を行う権限がありません。"))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return error_response(
            "invalid", _("入力に誤りがあります。"), response.status_code, response.data
        )
    code = getattr(exc, "default_code", "error")
    detail = getattr(exc, "detail", "")
    # keep DRF's headers: WWW-Authenticate on a 401, Retry-After on a 429
    headers = {
        name: value
        for name, value in response.items()
        if name in ("WWW-Authenticate", "Retry-After")
    }
    return error_response(code, detail, response.status_code, headers=headers)
