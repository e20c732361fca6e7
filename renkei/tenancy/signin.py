"""Every password check is throttled here: the one rule for the staff screens, the admin
and the API's token exchange.

``ThrottledModelBackend`` is the project's only authentication backend, so every caller
of ``django.contrib.auth.authenticate()`` passes through it. Before the password is
checked it *reserves* an attempt: one atomic increment per counter in the database
(``SignInCounter``), so attempts racing in the same instant are each counted. Two
counters are kept, each for a fixed window of ``WINDOW``: per user name and address
(stops a guesser quickly) and per user name alone (a higher limit, against guessing
from many addresses). An attempt that takes a counter over its limit is refused without
the password being looked at (``SignInThrottled``); a successful sign-in forgets the
failures from its address and gives back its reservation on the name.

Why not django-axes: it brings its own models, middleware and backend for what is here
one rule; why the database and not the cache: Django's database cache increments with a
read then a write (racing attempts were counted once), and the database is the one store
every installation already shares between its worker processes.
"""

import ipaddress
import math
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, F, Value, When
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from renkei.errors import RenkeiError

from .models import SignInCounter

WINDOW = timedelta(minutes=15)
LIMITS = {"address": 5, "name": 20}


class SignInThrottled(RenkeiError):
    """Too many attempts for this user name: refused before the password is checked."""

    def __init__(self, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            _(
                "ログインの失敗が続いたため、しばらくログインできません。%(minutes)d分ほど待ってから、"
                "もう一度お試しください。"
            )
            % {"minutes": minutes},
            details={"retry_after": retry_after},
        )
        self.retry_after = retry_after


def client_address(request) -> str:
    """The address the request came from. ``RENKEI_TRUSTED_PROXY_COUNT`` reverse proxies
    in front of Renkei each append the address they saw to ``X-Forwarded-For``, so the
    client is the Nth entry from the right; with none (the default) only ``REMOTE_ADDR``
    counts, and a ``X-Forwarded-For`` the client wrote itself is ignored."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.RENKEI_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:  # did not come through every proxy
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


def _keys(username: str, address: str) -> dict[str, str]:
    name = unicodedata.normalize("NFKC", username or "").strip().casefold()

    def digest(text: str) -> str:  # keyed: the table does not give away who was tried
        return salted_hmac("renkei.tenancy.signin", text, algorithm="sha256").hexdigest()

    return {"address": digest(f"{name}|{address}"), "name": digest(name)}


def _count(key: str, now) -> SignInCounter:
    """Add one attempt to ``key``'s counter (a new window once the last has ended). The
    UPDATE comes first: it takes the row's lock (on SQLite the database's), so concurrent
    attempts are counted one after another."""
    new_window = When(window_ends__lte=now, then=Value(1))
    counters = SignInCounter.objects.filter(key=key)
    increment = {
        "attempts": Case(new_window, default=F("attempts") + 1),
        "window_ends": Case(
            When(window_ends__lte=now, then=Value(now + WINDOW)),
            default=F("window_ends"),
            output_field=DateTimeField(),
        ),
    }
    if not counters.update(**increment):
        try:
            with transaction.atomic():
                SignInCounter.objects.create(key=key, attempts=1, window_ends=now + WINDOW)
        except IntegrityError:  # a concurrent attempt created it first
            counters.update(**increment)
    return counters.get()


def reserve_attempt(username: str, address: str) -> dict[str, str]:
    """Count one attempt before its password is checked; raise ``SignInThrottled`` when it
    is over a limit. Returns the counters' keys for ``release_attempt``."""
    now = timezone.now()
    keys = _keys(username, address)
    with transaction.atomic():
        counters = {kind: _count(key, now) for kind, key in keys.items()}
    over = [c for kind, c in counters.items() if c.attempts > LIMITS[kind]]
    if any(c.attempts == 1 for c in counters.values()):
        _forget_ended_windows(now)
    if over:
        latest = max(c.window_ends for c in over)
        raise SignInThrottled(retry_after=math.ceil((latest - now).total_seconds()))
    return keys


def release_attempt(keys: dict[str, str]) -> None:
    """After a successful sign-in: forget the failures of this name from this address and
    give back this attempt's reservation on the name."""
    with transaction.atomic():
        SignInCounter.objects.filter(key=keys["address"]).delete()
        SignInCounter.objects.filter(key=keys["name"], attempts__gt=0).update(
            attempts=F("attempts") - 1
        )


def _forget_ended_windows(now) -> None:
    """Remove counters whose window has ended (a guesser trying many names leaves many).
    Rows another attempt holds are skipped, so this never waits and never deadlocks."""
    with transaction.atomic():
        ended = list(
            SignInCounter.objects.select_for_update(skip_locked=True)
            .filter(window_ends__lte=now)
            .values_list("key", flat=True)[:1000]
        )
        SignInCounter.objects.filter(key__in=ended, window_ends__lte=now).delete()


class ThrottledModelBackend(ModelBackend):
    """Django's user name and password check behind the throttle. Being the only backend,
    it guards every entry point: staff sign-in, the admin, the API token, ``Client.login``."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        keys = reserve_attempt(username, client_address(request))
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            release_attempt(keys)
        return user


class ThrottledSignInFormMixin:
    """For ``AuthenticationForm`` subclasses: a refused attempt becomes a form error."""

    def clean(self):
        try:
            # A mixin: the AuthenticationForm after it in the class's bases has clean().
            return super().clean()  # type: ignore[misc]
        except SignInThrottled as error:
            raise ValidationError(error.message, code="throttled") from error
