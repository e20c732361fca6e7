"""Shared fixtures: the FY2024 seed, users in each role, a union of another tenant."""

import pytest

from renkei.programmes.loading import load_year_file

pytest_plugins = ["tests.browser"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a database file, as installations run: an in-memory database is
    one connection shared by the live server's threads, so concurrent requests would never
    meet SQLite's locking (tests/api/test_concurrent_writes.py)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _clear_cache():
    """Start each test with an empty cache: no rendered public page leaks between tests,
    and query-count tests measure an uncached render."""
    from django.core.cache import cache

    cache.clear()
    yield


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
        return create_staff_user(username=name, password=PASSWORD, union=union,
                                 organisation=org, role=role)

    return make


PASSWORD = "pass-for-tests-2024"


@pytest.fixture
def other_union(db):
    """A second tenant with one member town (奈良県川西町), for leak tests."""
    from renkei.programmes.models import FiscalYear
    from renkei.tenancy.models import Membership, Organisation, Union

    union_org = Organisation.objects.create(name="テスト広域連合", kind="union")
    town = Organisation.objects.create(name="川西町", kind="town", code="293610")
    union = Union.objects.create(organisation=union_org, slug="test-union", region_name="テスト")
    Membership.objects.create(union=union, organisation=town, order=1)
    FiscalYear.objects.create(union=union, year=2024)
    return union
