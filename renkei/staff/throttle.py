"""Sign-in throttling: a few lines over Django's cache instead of django-axes.

Why not django-axes: it brings its own models, middleware and authentication backend
for what is here one rule — after repeated failures, refuse further attempts for a
while. Counting failures in the cache keeps sign-in in one readable place. Two
counters are kept: per user name and address (stops a guesser quickly) and per user
name alone (a higher limit, against guessing from many addresses).

The counts live in the cache alias ``throttle`` (settings ``throttle_cache_config``),
never in a worker's own memory, so every worker process sees the same counts: a table
in the database by default (``renkei_throttle``, made by the staff app's migration), or
the shared cache of ``CACHE_URL``. The database cache's increment is a read then a
write, so failures racing in the same instant may be counted once; Redis counts exactly.
"""

import hashlib

from django.core.cache import caches

WINDOW_SECONDS = 15 * 60
LIMITS = {"address": 5, "name": 20}
CACHE_ALIAS = "throttle"


def _cache():
    return caches[CACHE_ALIAS]


def _keys(username: str, address: str) -> dict[str, str]:
    def digest(text: str) -> str:
        return "renkei:signin:" + hashlib.sha256(text.encode()).hexdigest()

    name = (username or "").strip().casefold()
    return {"address": digest(f"{name}|{address}"), "name": digest(name)}


def is_locked(username: str, address: str) -> bool:
    """Whether sign-in for this user name (from this address) is refused for now."""
    keys = _keys(username, address)
    counts = _cache().get_many(list(keys.values()))
    return any(counts.get(keys[kind], 0) >= limit for kind, limit in LIMITS.items())


def record_failure(username: str, address: str) -> None:
    """Count one failed sign-in; the counts last ``WINDOW_SECONDS`` after the latest one."""
    cache = _cache()
    for key in _keys(username, address).values():
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)
        # The database cache's incr() rewrites the row with the cache's default timeout
        # (five minutes): give the count its window back.
        cache.touch(key, WINDOW_SECONDS)


def reset(username: str, address: str) -> None:
    """Forget the failures of this user name from this address (after a success)."""
    _cache().delete(_keys(username, address)["address"])
