"""Project-wide request handling.

- ``RequestSizeLimitMiddleware``: a request whose declared body is larger than
  ``MAX_REQUEST_BYTES`` is refused with 413 before anything reads it.
- ``DatabaseBusyMiddleware``: a write the database cannot take now (SQLite's single
  writer still busy after its timeout, a PostgreSQL deadlock or lock timeout) answers 503
  with ``Retry-After`` instead of a 500. The service's transaction has rolled back by
  then: nothing is half-saved.

Both answer in the API's JSON error shape under ``/api/`` and with a Japanese page
elsewhere.

- ``RequestIdMiddleware``: the request's id (renkei/request_log.py) for its log lines,
  returned as ``X-Request-ID``.
"""

import logging

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

from renkei.errors import error_body
from renkei.request_log import request_id_from, request_id_set

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


class RequestIdMiddleware:
    """Every log line of a request carries its id: the proxy's ``X-Request-ID`` when sane
    (so one id follows the request from the proxy's log to ours), else a new one. The
    response returns it, for a person reporting a problem to quote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_id_set(request_id_from(request.headers.get("X-Request-ID"))) as value:
            request.request_id = value
            response = self.get_response(request)
            response["X-Request-ID"] = value
            return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than ``MAX_REQUEST_BYTES`` with 413,
    before the CSRF check or a form reads it (an upload is never spooled only to be
    refused). The largest legitimate body is a photo (20 MB) with its form fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot size
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            message = _(
                "送信されたデータが大きすぎます（%(limit)sMBまで）。ファイルを小さくしてください。"
            ) % {"limit": limit // (1024 * 1024) or f"{limit / (1024 * 1024):.2f}"}
            if is_api(request):
                return JsonResponse(error_body("too_large", message), status=413)
            page = (
                f'<!doctype html><html lang="ja"><meta charset="utf-8">'
                f"<title>{escape(message)}</title><p>{escape(message)}</p></html>"
            )
            return HttpResponse(page, status=413)
        return self.get_response(request)


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
        message = _(
            "ただいま混み合っているため保存できませんでした。何も保存していません。"
            "少し待ってから、もう一度お試しください。"
        )
        response: HttpResponse
        if is_api(request):
            response = JsonResponse(error_body("busy", message), status=503)
        else:
            response = render(
                request,
                "busy.html",
                {"message": message, "retry_after": RETRY_AFTER_SECONDS},
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
