"""Log lines that say which request (or job) they belong to.

``RequestIdMiddleware`` (renkei/middleware.py) gives each request an id — the incoming
``X-Request-ID`` when it is sane, a new one otherwise — and returns it in the response's
``X-Request-ID`` header. The id lives in a context variable for the request's duration
(``request_id_set``), so every log line written meanwhile carries it: ``RequestIdFilter``
puts it on the record and ``JsonFormatter`` writes one JSON object per line. A context
variable, not a module global: concurrent requests in threads or tasks each see their own.
"""

import json
import logging
import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

NO_REQUEST = "-"
_request_id: ContextVar[str] = ContextVar("renkei_request_id", default=NO_REQUEST)

# What a proxy or client may hand us: short, no spaces or quotes that could forge log fields.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header: str | None) -> str:
    """The incoming id if it is sane, else a new one."""
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return new_request_id()


def current_request_id() -> str:
    return _request_id.get()


@contextmanager
def request_id_set(value: str):
    """Log lines written inside the block carry ``value`` as their request id."""
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (``%(request_id)s``). Django logs a
    response's 4xx/5xx after the middleware has returned, with the request attached: its
    id is read from there."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, and the
    exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _request_id.get(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
