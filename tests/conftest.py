"""Shared fixtures: the FY2024 seed, users in each role, a union of another tenant."""

import pytest

from renkei.operations.seed import load_year_file

pytest_plugins = ["tests.browser", "tests.factories"]
PASSWORD = "pass-for-tests-2024"  # every test user's (tests.factories uses it too)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a database file as Renkei runs, not in Django's shared in-memory
    database: there concurrent writers fail at once ("database table is locked") instead
    of waiting their turn, so tests of simultaneous requests could not run."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test_file = tmp_path_factory.mktemp("database") / "renkei-test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(test_file)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Every test hashes passwords with MD5: the suite creates and signs in hundreds of
    users, and PBKDF2 (the production hasher, Django's default; never set in settings.py)
    is slow by design. Tests that start a server in a subprocess use the real settings."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """Start each test with an empty cache: no rendered public page leaks between tests,
    and query-count tests measure an uncached render."""
    from django.core.cache import cache

    cache.clear()
    return


@pytest.fixture
def fy2024(db):
    """The FY2024 year of 置賜広域行政事務組合, loaded as `make run` loads it."""
    return load_year_file().fiscal_year


@pytest.fixture
def make_user(db):
    """Create a signed-in-able user: ``make_user("member", "062022")`` for 米沢市 staff.

    ``organisation`` is a local government code, or an organisation's name, or None
    for the union itself. The password is always ``"pass-for-tests-2024"``.
    """
    from renkei.tenancy.models import Organisation, Union
    from renkei.tenancy.services import create_staff_user

    def make(role: str, organisation: str | None = None, *, union=None, username=None):
        union = union or Union.objects.order_by("id").first()
        if organisation is None:
            org = union.organisation
        elif organisation.isdigit():
            org = Organisation.objects.get(code=organisation)
        else:
            org = Organisation.objects.get(name=organisation)
        name = username or f"{role}-{org.code or org.pk}-{union.slug}"
        return create_staff_user(
            username=name, password=PASSWORD, union=union, organisation=org, role=role
        )

    return make


@pytest.fixture
def operator(db):
    """An operator of the installation (a superuser, no union): the admin's only user."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(username="operator", password=PASSWORD)


@pytest.fixture
def other_union(db):
    """A second tenant with one member town (奈良県川西町), for leak tests: added as an
    operator adds one (``renkei add_union``), with a first secretariat user
    ``test-union-jimukyoku`` and an open FY2024."""
    from renkei.programmes.models import FiscalYear
    from renkei.tenancy.services import add_union

    invitation = add_union(
        None,
        name="テスト広域連合",
        slug="test-union",
        region_name="テスト",
        members=[("293610", "川西町")],
        secretariat_username="test-union-jimukyoku",
    )
    union = invitation.user.staff_profile.union
    FiscalYear.objects.create(union=union, year=2024)
    return union


@pytest.fixture
def password_checks(monkeypatch):
    """The ids of the users whose password was checked, one entry per check (a counting
    wrapper around ``User.check_password``, which every authentication backend calls)."""
    from django.contrib.auth.models import User

    checked = []
    check = User.check_password

    def counting_check(user, raw_password):
        checked.append(user.pk)
        return check(user, raw_password)

    monkeypatch.setattr(User, "check_password", counting_check)
    return checked


def at_once(count: int, attempt) -> list:
    """Run ``attempt(i)`` for i in range(count) in ``count`` threads released together,
    each with its own database connection (the test needs ``transactional_db``)."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connections

    start = Barrier(count)

    def run(index):
        try:
            start.wait()
            return attempt(index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what a committed request runs after its commit (files
    take their final names, renkei.files); the test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
