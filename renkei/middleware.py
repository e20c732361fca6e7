"""Project-wide request handling: a write the database cannot take now (SQLite's single
writer still busy after its timeout, a PostgreSQL deadlock or lock timeout) answers 503
with ``Retry-After`` — JSON in the API's error shape, a Japanese page elsewhere — instead
of a 500. The service's transaction has rolled back by then: nothing is half-saved."""

import logging

from django.db import OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from renkei.api.errors import error_body

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# SQLSTATEs of PostgreSQL's transient refusals: deadlock, serialization, lock not available.
BUSY_SQLSTATES = {"40P01", "40001", "55P03"}
BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")


def is_database_busy(error: BaseException) -> bool:
    """Whether ``error`` is the database refusing a write for now (retrying may succeed)."""
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.__cause__, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return any(text in str(error).lower() for text in BUSY_MESSAGES)


def is_api(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return (match is not None and match.namespace == "api") or request.path_info.startswith("/api/")


class DatabaseBusyMiddleware:
    """Turns "database is locked" (and its PostgreSQL kin) into a 503 with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        logger.warning("database busy on %s %s: %s", request.method, request.path, exception)
        message = _("ただいま混み合っているため保存できませんでした。何も保存していません。"
                    "少し待ってから、もう一度お試しください。")
        if is_api(request):
            response = JsonResponse(error_body("busy", message), status=503)
        else:
            response = render(request, "busy.html", {"message": message,
                                                     "retry_after": RETRY_AFTER_SECONDS},
                              status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
