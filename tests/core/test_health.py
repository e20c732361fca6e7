"""/healthz (the process) and /readyz (database, cache, storage, queue) for the proxy and
monitoring; log lines as JSON with the request's id, which the response returns."""

import io
import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from renkei.reports.jobs import request_report
from renkei.request_log import JsonFormatter, RequestIdFilter, current_request_id

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")  # no db fixture: pytest-django refuses any query
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_each_service(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "queue": "ok"},
        "failed": [],
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_is_not_redirected_to_https_nor_behind_sign_in(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/staff/").status_code == 301  # the rest is redirected


def test_readyz_fails_when_jobs_wait_with_no_worker(
    client, create_two_town_union, create_year, make_user, settings
):
    year = create_year(create_two_town_union(), 2024)
    request_report(
        year, "html", user=make_user("secretariat", union=year.union), edition="internal"
    )
    assert client.get("/readyz").status_code == 200  # just asked for
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    settings.RENKEI_QUEUE_STALL_SECONDS = 300
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["queue"]
    assert response.json()["checks"]["database"] == "ok"


def test_without_a_database_healthz_is_up_and_readyz_names_it(tmp_path):
    """A real process whose database cannot be opened (its path is a folder), logging JSON:
    /healthz 200, /readyz 503 naming the database, and the reason is logged (not shown)
    in a JSON line carrying the request's id."""
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "h = c.get('/healthz'); r = c.get('/readyz', HTTP_X_REQUEST_ID='probe-42')\n"
        "print(json.dumps([h.status_code, r.status_code, r.json(), r['X-Request-ID']]))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renkei.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path}",  # a folder: SQLite cannot open it
        "LOG_FORMAT": "json",
        "ALLOWED_HOSTS": "testserver",
        "RENKEI_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    healthz, readyz, body, request_id = json.loads(result.stdout.strip().splitlines()[-1])
    assert (healthz, readyz, request_id) == (200, 503, "probe-42")
    assert "database" in body["failed"] and body["checks"]["cache"] == "ok"
    assert "unable to open" not in json.dumps(body)
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    failure = next(line for line in lines if line["message"].startswith("readyz: database failed"))
    assert failure["request_id"] == "probe-42" and failure["level"] == "WARNING"
    assert "unable to open database file" in failure["message"]


@pytest.fixture
def log_lines():
    """The JSON log lines written while the test runs, as dicts."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_every_log_line_of_a_request_carries_its_id(client, log_lines, db):
    response = client.get("/staff/no-such-page/")  # Django logs "Not Found" at WARNING
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32 and int(request_id, 16) >= 0
    (line,) = [line for line in log_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == request_id and line["status"] == 404
    assert current_request_id() == "-"  # nothing left behind for the next request
    assert client.get("/healthz")["X-Request-ID"] != request_id


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("3f2a-proxy.id:7", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("two words", False),
        ('x", "level": "ERROR', False),
        ("", False),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_sane(client, incoming, kept):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    assert (response["X-Request-ID"] == incoming) is kept
    if not kept:
        assert len(response["X-Request-ID"]) == 32
