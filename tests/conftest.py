"""Shared fixtures: the FY2024 seed, users in each role, a union of another tenant."""

import pytest

from renkei.operations.seed import load_year_file
from tests.seed_copy import SeedCopy

pytest_plugins = ["tests.browser", "tests.factories", "tests.s3"]
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


@pytest.fixture(scope="session", autouse=True)
def _own_file_cache(tmp_path_factory):
    """The renderers' local copies (photos scaled for print, copies from object storage)
    go to a folder of this run, not the working copy's var/cache."""
    from django.test import override_settings

    with override_settings(RENKEI_CACHE_DIR=tmp_path_factory.mktemp("file-cache")):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """Start each test with an empty cache: no rendered public page leaks between tests,
    and query-count tests measure an uncached render."""
    from django.core.cache import cache

    cache.clear()
    return


@pytest.fixture(scope="session")
def _fy2024_rows():
    """What loading FY2024 added to the database, kept by the first test that loads it
    (per test process): ``tests/seed_copy.py``."""
    return SeedCopy()


@pytest.fixture
def fy2024(request, db, _fy2024_rows):
    """The FY2024 year of 置賜広域行政事務組合, loaded as `make run` loads it: the first test
    of the run loads the file through the services; later tests get the same rows copied
    back (``SeedCopy``), which takes a tenth of the time.

    Only for the reference tests (marked ``reference``): those whose assertion is about the
    real year itself. Every other test builds its records with ``tests/factories.py``."""
    if request.node.get_closest_marker("reference") is None:
        pytest.fail(
            f"{request.node.nodeid} loads the FY2024 seed but is not marked "
            "pytest.mark.reference: build its records with tests/factories.py, or mark it "
            "if its assertion is about the FY2024 year itself",
            pytrace=False,
        )
    return _fy2024_rows.load(lambda: load_year_file().fiscal_year)


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
    ``test-union-jimukyoku`` and an open FY2024 (``tests.staff.helpers.other_union_with_year``,
    which tests that build records once per class call themselves)."""
    from tests.staff.helpers import other_union_with_year

    return other_union_with_year()


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


@pytest.fixture
def run_jobs(committed):
    """``run_jobs()`` does what ``renkei worker`` does with every queued job, in this
    process and the test's transaction (tests/reports/test_worker_process.py starts a real
    worker process); returns how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def run() -> int:
        ran = 0
        while (task_result := DBTaskResult.objects.ready().get_locked()) is not None:
            task_result.claim(worker.worker_id)
            with committed():
                worker.run_task(task_result)
            ran += 1
        return ran

    return run


@pytest.fixture
def via_job(run_jobs):
    """``via_job(client, url)``: ask for the file at ``url`` as its page's button does (a
    POST to a job's front door), run the job as ``renkei worker`` would, and fetch the
    job's file; returns that response (404 when the job failed: ``job.error`` says why)."""

    def fetch(client, url, data=None):
        asked = client.post(url, data or {})
        assert asked.status_code == 302, asked.content.decode()[:500]
        run_jobs()
        return client.get(asked["Location"] + "file/")

    return fetch


@pytest.fixture
def draft_report(run_jobs):
    """``draft_report(client, 2024, "html", edition="public")``: what a person does to get
    a draft — ask on the screens, wait for the worker (here ``run_jobs``), take the file.
    Returns the answer to the asking when it is not a redirect to the job (403, 404…)."""
    from django.urls import reverse

    def ask(client, year: int, fmt: str, **data):
        asked = client.post(reverse("reports:download", args=[year, fmt]), data)
        if asked.status_code != 302 or "/reports/jobs/" not in asked["Location"]:
            return asked
        run_jobs()
        state = client.get(asked["Location"].rstrip("/") + "/status/").json()
        assert state["status"] == "done", state
        return client.get(state["result_url"])

    return ask


@pytest.fixture
def worker_process(transactional_db, settings):
    """``worker_process("--batch")``: a real ``renkei worker`` process on the test
    database (SQLite file or PostgreSQL), with the test's MEDIA_ROOT, mail server and job
    settings as they are when it starts; returns the Popen.
    Every process still running at the end is stopped."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{database['NAME']}"
    else:
        from urllib.parse import urlsplit

        url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{database['NAME']}").geturl()
    root = Path(__file__).resolve().parents[1]
    started = []

    def start(*args: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "RENKEI_JOB_MAIL_AFTER_SECONDS": str(settings.RENKEI_JOB_MAIL_AFTER_SECONDS),
            "RENKEI_BASE_URL": settings.RENKEI_BASE_URL,
        }
        if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):  # a test's SMTP server
            env["EMAIL_URL"] = f"smtp://{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
        process = subprocess.Popen(
            [sys.executable, str(root / "manage.py"), "worker", "--no-startup-delay", *args],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()
