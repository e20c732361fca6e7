"""Deployment settings: `renkei check --deploy` is silent with the documented production
variables; every page carries a Content-Security-Policy without 'unsafe-inline'; error
reports never show a secret (a DATABASE_URL password included)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.views.debug import technical_500_response

from tests.helpers.deployment import PRODUCTION

ROOT = Path(__file__).resolve().parent.parent.parent
# Passwords that must never appear on an error page (built, so that the traceback's
# source lines of this file cannot show them either).
SECRETS = [f"{kind}-{'pass'}-never-shown" for kind in ("db", "cache", "mail", "other")]

# Set by the browser tests for this process (tests/browser.py); never in a deployment.
TEST_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_check(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k not in TEST_ONLY and not k.startswith("SECURE_")
    }
    environment.update(RENKEI_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_silent_with_the_documented_production_variables(tmp_path):
    result = run_check(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_names_what_is_missing(tmp_path):
    without_hsts = {k: v for k, v in PRODUCTION.items() if not k.startswith("SECURE_HSTS")}
    result = run_check(tmp_path, **without_hsts, SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_production_settings_from_the_environment(tmp_path):
    code = (
        "import renkei.settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER)"
    )
    env = {**os.environ, **PRODUCTION, "RENKEI_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == (
        "True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https')"
    ), result.stderr


def test_production_hashes_passwords_with_pbkdf2(tmp_path):
    """The suite's fast MD5 hasher (tests/conftest.py) never reaches a deployment."""
    code = (
        "import django; django.setup(); from django.contrib.auth.hashers import get_hasher; "
        "print(get_hasher().algorithm)"
    )
    env = {
        **os.environ,
        **PRODUCTION,
        "RENKEI_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "renkei.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "pbkdf2_sha256", result.stderr


@pytest.fixture
def pages(create_busy_year, settings, tmp_path):
    """Every kind of page, over a year with records of every kind and a published photo."""
    from tests.staff.helpers import make_photo

    settings.MEDIA_ROOT = tmp_path
    year = create_busy_year()
    activity, own, union = year.training, year.exhibition, year.union
    photo = make_photo(own, own.lead_organisations.first(), is_public=True)
    return [
        "/",
        "/activities/",
        f"/activities/{activity.pk}/",
        "/municipalities/062022/",
        "/annual-reports/",
        "/accessibility/",
        "/opendata/",
        "/calendar.ics",
        "/api/docs/",
        "/api/schema/",
        "/api/activities/",
        "/api/does-not-exist/",
        "/staff/login/",
        "/staff/",
        "/staff/activities/",
        f"/staff/activities/{own.pk}/",
        f"/staff/activities/{own.pk}/edit/",
        f"/staff/activities/{own.pk}/attendance/",
        f"/staff/activities/{own.pk}/photos/new/",
        "/staff/budget/",
        "/staff/years/",
        "/staff/users/",
        "/staff/history/",
        "/staff/seminars/",
        "/admin/",
        "/admin/login/",
        "/admin/programmes/activity/",
        f"/admin/programmes/activity/{own.pk}/change/",
        "/admin/tenancy/union/",
        f"/admin/tenancy/union/{union.pk}/change/",
        "/admin/jsi18n/",
        "/no-such-page/",
        f"/photos/{photo.pk}/full/",
    ]


def test_every_page_has_a_csp_without_unsafe_inline(client, make_user, pages):
    client.force_login(make_user("secretariat"))
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        policy = response.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy, url
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url


def test_served_html_report_allows_only_its_own_style(
    client, create_union, create_report_year, make_user, draft_report
):
    union = create_union()
    create_report_year(union, 2024)
    client.force_login(make_user("secretariat", union=union))
    response = draft_report(client, 2024, "html")
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "style-src 'sha256-" in policy
    assert "img-src data:" in policy and "unsafe-inline" not in policy


def error_page(request, database_url: str) -> str:
    """The DEBUG page of an error raised here, with the environment and a connection URL
    in local variables (a traceback shows its frame's source lines and locals)."""
    environment = dict(request.META)
    try:
        raise RuntimeError("could not connect to the database")
    except RuntimeError:
        assert environment and database_url
        return technical_500_response(request, *sys.exc_info()).content.decode()


def test_debug_page_shows_no_secret(settings):
    settings.DEBUG = True
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://:{SECRETS[1]}@cache.example.jp:6379/0",
        },
    }
    request = RequestFactory().get(
        "/staff/",
        DATABASE_URL=f"postgres://renkei:{SECRETS[0]}@db.example.jp:5432/renkei",
        CACHE_URL=f"redis://:{SECRETS[1]}@cache:6379/0",
        EMAIL_URL=f"smtp://mailer:{SECRETS[2]}@mail:587",
        SOME_OTHER=f"https://user:{SECRETS[3]}@example.jp/",
    )
    page = error_page(request, f"postgres://renkei:{SECRETS[0]}@db.example.jp/renkei")
    assert "DATABASE_URL" in page and "CACHE_URL" in page and "SOME_OTHER" in page
    for secret in SECRETS:
        assert secret not in page, secret
    assert "https://user:********************@example.jp/" in page
