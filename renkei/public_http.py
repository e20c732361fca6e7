"""HTTP helpers of the public site, shared by its pages (portal) and its downloads (open
data): query parameters read strictly (400 with a Japanese message, never 500), caching
headers for public responses, and a short-lived server-side cache of rendered public
responses keyed by a public data version that any write to Renkei's records changes
(docs/adr/0007-public-page-cache.md). The cache is an optimisation: when a shared cache
(CACHE_URL) cannot be reached, pages are rendered each time and writes still succeed.

Project-level, below every app: it imports none (docs/adr/0009-layers.md).
"""

import hashlib
import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import signals
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _

from renkei.forms import ascii_int

PUBLIC_MAX_AGE = 300
# Bodies larger than this (whole-data downloads) are rendered each time, never stored.
SERVER_CACHE_MAX_BYTES = 1024 * 1024
VERSION_KEY = "renkei:public:version"

logger = logging.getLogger(__name__)
UNREACHABLE = object()  # what ``_cache_call`` answers when the cache did not


def _cache_call(method: str, *args):
    """``cache.<method>(*args)``, or ``UNREACHABLE`` (logged) when the cache fails: a
    shared cache that is down or cut off must not take the public pages, or any save
    (which bumps the version), down with it. A page cached meanwhile on a server that
    still reaches it lives at most RENKEI_PUBLIC_CACHE_SECONDS."""
    try:
        return getattr(cache, method)(*args)
    except Exception as error:  # noqa: BLE001 — whatever the backend raises; /readyz reports it
        logger.warning("public page cache unreachable (%s): %s", method, error)
        return UNREACHABLE


class BadQuery(Exception):
    """A query parameter the page does not know or cannot read."""


def public_data_version() -> str | None:
    """A token that changes whenever public data may have changed; part of every key.
    None when the cache cannot be reached (nothing is then read from it or stored)."""
    version = _cache_call("get", VERSION_KEY)
    if version is None:
        _cache_call("add", VERSION_KEY, uuid.uuid4().hex, None)
        version = _cache_call("get", VERSION_KEY) or ""
    return None if version is UNREACHABLE else version


def per_version(key: str, compute):
    """``compute()``, read once per public data version and kept in the cache: for what a
    public page reads whatever its filters (a union's project, pillars, members, years),
    so a render after the first skips those queries. ``key`` names the value and its union;
    any write (a new version) makes it read again. Kept as long as a cached page
    (RENKEI_PUBLIC_CACHE_SECONDS; 0 turns this off too): with a per-process cache another
    worker learns of a write only when its entries expire."""
    version = public_data_version() if _cache_seconds() > 0 else None
    if version is None:
        return compute()
    full_key = f"renkei:public:{version}:value:{key}"
    stored = _cache_call("get", full_key)
    if isinstance(stored, tuple):
        return stored[0]
    value = compute()
    _cache_call("set", full_key, (value,), _cache_seconds())
    return value


def bump_public_data_version(**_kwargs) -> None:
    """Orphan every cached public response (in this process with the default per-process
    cache; in every process with a shared cache). Bumped at once and again after the commit,
    so that a page rendered from the old data in between is not kept."""
    _cache_call("set", VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: _cache_call("set", VERSION_KEY, uuid.uuid4().hex, None))


def _cache_seconds() -> int:
    return int(getattr(settings, "RENKEI_PUBLIC_CACHE_SECONDS", 0) or 0)


def _server_cacheable(request) -> bool:
    """Only anonymous GET and HEAD; a signed-in user always gets a fresh render."""
    if request.method not in ("GET", "HEAD") or _cache_seconds() <= 0:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _server_key(request) -> str | None:
    version = public_data_version()
    if version is None:
        return None
    # Full URL (scheme, host, path, query): the pages print their absolute URL.
    url = hashlib.blake2b(request.build_absolute_uri().encode(), digest_size=16).hexdigest()
    return f"renkei:public:{version}:{url}"


def _conditional(request, response, modified):
    return get_conditional_response(
        request,
        etag=response.headers["ETag"],
        last_modified=int(modified.timestamp()) if modified else None,
        response=response,
    )


def set_last_modified(response: HttpResponse, when) -> None:
    """Tell ``public_cache`` when the page's content last changed (sent as Last-Modified,
    and compared with a conditional GET's If-Modified-Since)."""
    # An attribute of this response for the decorator around the view; not a Django one.
    response.last_modified_at = when  # type: ignore[attr-defined]


def public_cache(view):
    """Cache-Control for shared caches, a strong ETag from the body, Last-Modified when the
    view sets one (``set_last_modified``); answers 304 to a matching conditional GET.

    Anonymous 200 responses are also kept in Django's cache for
    ``RENKEI_PUBLIC_CACHE_SECONDS`` (0: off), keyed by the full URL and the public data
    version; a cached response still answers conditional requests with 304."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _server_key(request) if _server_cacheable(request) else None
        if key is not None:
            stored = _cache_call("get", key)
            if stored is not None and stored is not UNREACHABLE:
                content, headers, modified = stored
                response = HttpResponse(content, headers=headers)
                return _conditional(request, response, modified)
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or getattr(response, "streaming", False):
            return response
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
        response.headers.setdefault("ETag", f'"{digest}"')
        modified = getattr(response, "last_modified_at", None)
        if modified is not None:
            response.headers["Last-Modified"] = http_date(modified.timestamp())
        if (
            key is not None
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and len(response.content) <= SERVER_CACHE_MAX_BYTES
        ):
            stored = (response.content, dict(response.headers), modified)
            _cache_call("set", key, stored, _cache_seconds())
        return _conditional(request, response, modified)

    return wrapper


def bad_request(request, message: str) -> HttpResponse:
    return render(
        request, "portal/error.html", {"message": message, "title": _("入力の誤り")}, status=400
    )


def _data_changed(sender, **kwargs) -> None:
    """Any write to Renkei's own records may change a public page. The audit log is
    included: services write an entry for changes made with ``QuerySet.update()``, which
    sends no signal of its own."""
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_config is None:
        return
    if meta.app_config.name.startswith("renkei."):
        bump_public_data_version()


def watch_public_data() -> None:
    """Bump the public data version on every save, delete and many-to-many change of a
    Renkei record (connected once, by the lowest app: ``TenancyConfig.ready``)."""
    for signal in (signals.post_save, signals.post_delete, signals.m2m_changed):
        signal.connect(_data_changed, dispatch_uid=f"renkei-public-cache-{id(signal)}")


def check_params(request, allowed: set[str]) -> None:
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise BadQuery(
            _("知らない条件が指定されています: %(names)s") % {"names": "、".join(unknown)}
        )


def param_year(request) -> int | None:
    raw = request.GET.get("year", "")
    if raw == "":
        return None
    year = ascii_int(raw)
    if year is None or not 1989 <= year <= 2200:
        raise BadQuery(_("年度は西暦の4桁で指定してください（例: 2024）。"))
    return year
