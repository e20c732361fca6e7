"""HTTP helpers of the public pages and downloads: reading query parameters strictly
(400 with a Japanese message, never 500), caching headers for public responses and a
short-lived server-side cache of the rendered public responses."""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _

from renkei.forms import ascii_int
from renkei.programmes.models import Pillar

from .selectors import Cursor, portal_union

PUBLIC_MAX_AGE = 300
# Bodies larger than this (whole-data downloads) are rendered each time, never stored.
SERVER_CACHE_MAX_BYTES = 1024 * 1024
VERSION_KEY = "renkei:public:version"


class BadQuery(Exception):
    """A query parameter the page does not know or cannot read."""


def public_data_version() -> str:
    """A token that changes whenever public data may have changed; part of every key."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or ""
    return version


def bump_public_data_version(**_kwargs) -> None:
    """Orphan every cached public response (in this process with the default per-process
    cache; in every process with a shared cache). Bumped at once and again after the commit,
    so that a page rendered from the old data in between is not kept."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def _cache_seconds() -> int:
    return int(getattr(settings, "RENKEI_PUBLIC_CACHE_SECONDS", 0) or 0)


def _server_cacheable(request) -> bool:
    """Only anonymous GET and HEAD; a signed-in user always gets a fresh render."""
    if request.method not in ("GET", "HEAD") or _cache_seconds() <= 0:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _server_key(request) -> str:
    # Full URL (scheme, host, path, query): the pages print their absolute URL.
    url = hashlib.blake2b(request.build_absolute_uri().encode(), digest_size=16).hexdigest()
    return f"renkei:public:{public_data_version()}:{url}"


def _conditional(request, response):
    modified = getattr(response, "last_modified_at", None)
    return get_conditional_response(
        request, etag=response.headers["ETag"],
        last_modified=int(modified.timestamp()) if modified else None, response=response)


def public_cache(view):
    """Cache-Control for shared caches, a strong ETag from the body, Last-Modified when the
    view sets ``response.last_modified_at``; answers 304 to a matching conditional GET.

    Anonymous 200 responses are also kept in Django's cache for
    ``RENKEI_PUBLIC_CACHE_SECONDS`` (0: off), keyed by the full URL and the public data
    version; a cached response still answers conditional requests with 304."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _server_key(request) if _server_cacheable(request) else None
        if key is not None:
            stored = cache.get(key)
            if stored is not None:
                content, headers, modified = stored
                response = HttpResponse(content, headers=headers)
                response.last_modified_at = modified
                return _conditional(request, response)
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or getattr(response, "streaming", False):
            return response
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
        response.headers.setdefault("ETag", f'"{digest}"')
        modified = getattr(response, "last_modified_at", None)
        if modified is not None:
            response.headers["Last-Modified"] = http_date(modified.timestamp())
        if (key is not None and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                and len(response.content) <= SERVER_CACHE_MAX_BYTES):
            cache.set(key, (response.content, dict(response.headers), modified),
                      _cache_seconds())
        return _conditional(request, response)

    return wrapper


def bad_request(request, message: str) -> HttpResponse:
    return render(request, "portal/error.html", {"message": message, "title": _("入力の誤り")},
                  status=400)


def with_union(view):
    """Pass the portal's union to the view; 404 while no union exists; 400 on BadQuery."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        union = portal_union()
        if union is None:
            raise Http404(_("公開する組合がありません。"))
        try:
            return view(request, union, *args, **kwargs)
        except BadQuery as error:
            return bad_request(request, str(error))

    return wrapper


def check_params(request, allowed: set[str]) -> None:
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise BadQuery(_("知らない条件が指定されています: %(names)s") % {"names": "、".join(unknown)})


def param_year(request) -> int | None:
    raw = request.GET.get("year", "")
    if raw == "":
        return None
    year = ascii_int(raw)
    if year is None or not 1989 <= year <= 2200:
        raise BadQuery(_("年度は西暦の4桁で指定してください（例: 2024）。"))
    return year


def param_pillar(request, project) -> Pillar | None:
    key = request.GET.get("pillar", "")
    if key == "":
        return None
    pillars = {p.key: p for p in project.pillars.all()} if project else {}
    if key not in pillars:
        raise BadQuery(_("柱の指定が正しくありません。"))
    return pillars[key]


def param_member(request, members) -> object | None:
    code = request.GET.get("municipality", "")
    if code == "":
        return None
    found = next((m for m in members if m.code == code), None)
    if found is None:
        raise BadQuery(_("市町の指定が正しくありません（全国地方公共団体コード6桁）。"))
    return found


def param_cursor(request) -> Cursor | None:
    raw = request.GET.get("cursor", "")
    if raw == "":
        return None
    try:
        return Cursor.parse(raw)
    except ValueError:
        raise BadQuery(_("ページの指定が正しくありません。最初のページから開き直してください。")) from None
