"""Issue 15 item 4: Renkei installs where nothing can be downloaded.

From the wheelhouse (`make wheelhouse`, or built here when ``RENKEI_WHEELHOUSE`` is unset)
into a fresh virtual environment with the package index switched off and the machine's pip
configuration ignored; then, with production variables, `renkei check --deploy` is silent,
`renkei migrate` and `renkei collectstatic` work (no npm, no network), and gunicorn from
that environment answers /healthz and /readyz and serves a static file.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers.deployment import PRODUCTION

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = PRODUCTION["ALLOWED_HOSTS"]


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory) -> Path:
    given = os.environ.get("RENKEI_WHEELHOUSE")
    if given:
        return Path(given)
    # The Makefile's recipe (`make wheelhouse`), with this interpreter's pip.
    target = tmp_path_factory.mktemp("wheelhouse")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", str(target), ".[server]"],
        cwd=ROOT,
        check=True,
    )
    return target


@pytest.fixture(scope="module")
def server(wheelhouse, tmp_path_factory) -> dict:
    """A fresh venv with Renkei installed from the wheelhouse alone, and the environment
    of a production server (SQLite file in place of PostgreSQL)."""
    base = tmp_path_factory.mktemp("server")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # Nothing from the machine's pip set-up (its find-links, extra indexes, constraints).
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    pip_env = {**clean, "PIP_NO_INDEX": "1", "PIP_CONFIG_FILE": os.devnull}
    install = subprocess.run(
        [
            str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
            "--no-index", "--find-links", str(wheelhouse), "renkei[server]",
        ],
        env=pip_env,
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    var = base / "var"
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(base),
        "LANG": "C.UTF-8",
        **PRODUCTION,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{base / 'renkei.sqlite3'}",
        "RENKEI_VAR_DIR": str(var),
    }
    return {"venv": venv, "env": env, "cwd": base, "var": var}


def renkei(server, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(server["venv"] / "bin" / "renkei"), *args],
        cwd=server["cwd"],
        env=server["env"],
        capture_output=True,
        text=True,
    )


def test_renkei_runs_from_the_fresh_venv_not_the_checkout(server):
    # The production drivers load too: PostgreSQL (psycopg's bundled libpq), the shared
    # cache (redis), the PDF renderer (weasyprint, on the system's Pango).
    code = "import renkei, psycopg, redis, weasyprint; psycopg.pq.version(); print(renkei.__file__)"
    result = subprocess.run(
        [str(server["venv"] / "bin" / "python"), "-c", code],
        cwd=server["cwd"],
        env=server["env"],
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip().startswith(str(server["venv"])), result.stderr


def test_check_deploy_is_silent(server):
    result = renkei(server, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_migrate_then_collectstatic_without_npm(server):
    migrate = renkei(server, "migrate", "--noinput")
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    collect = renkei(server, "collectstatic", "--noinput")
    assert collect.returncode == 0, collect.stdout + collect.stderr
    static = server["var"] / "static"
    # Renkei's own files (from the wheel), Django admin's, and whitenoise's compressed copies.
    for name in ("renkei/js/job.js", "renkei/css/staff.css", "admin/css/base.css"):
        assert (static / name).is_file(), name


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": HOST, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_gunicorn_from_the_venv_answers_health_and_static(server):
    # After migrate and collectstatic (the test above; module order).
    assert (server["var"] / "static" / "renkei" / "js" / "job.js").is_file()
    port = free_port()
    process = subprocess.Popen(
        [
            str(server["venv"] / "bin" / "gunicorn"), "renkei.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", "1",
        ],
        cwd=server["cwd"],
        env=server["env"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = get(port, "/healthz")
                break
            except OSError:
                assert process.poll() is None, process.stderr.read()
                assert time.monotonic() < deadline, "gunicorn did not answer in 60 s"
                time.sleep(0.3)
        assert (status, body) == (200, b'{"status": "ok"}')
        status, body = get(port, "/readyz")
        assert status == 200, body
        status, body = get(port, "/static/renkei/js/job.js")
        assert status == 200 and body
    finally:
        process.terminate()
        process.wait(timeout=30)
