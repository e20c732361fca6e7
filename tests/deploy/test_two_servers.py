"""Issue 15 item 3: several app servers behind one address.

Starts, on 127.0.0.1, one throw-away PostgreSQL (Unix socket), one redis-server (no
persistence), one S3-compatible object store (moto_server, a private bucket), two gunicorn
servers of Renkei with DEBUG off and the same settings, and one `renkei worker`, each
process with a var directory of its own; migrates and seeds once. Then, through HTTP only, as a browser behind a
proxy that sends each request to either server would:

a. a photo uploaded on server A is served by server B, the same bytes, from the bucket;
b. a title changed on A is on B's public page at once, although B had cached that page;
c. failed sign-ins split between A and B lock the address at the one-server threshold;
d. a report asked for on A is made by the worker and downloaded from B;
e. with Redis stopped, both still serve the public pages and take changes (/readyz says
   which part is down).

Every process is stopped at the end, also on a failure. The servers' environment is built
in one place (``installation_env``).
"""

import io
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
import redis
import requests
from PIL import Image

from tests.s3 import S3Server

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from with_postgres import server_bindir, throwaway_cluster  # noqa: E402

from renkei.tenancy.signin import LIMITS  # noqa: E402

HOST = "renkei.example.jp"  # the public name the proxy answers to
ORIGIN = f"https://{HOST}"
USERNAME, PASSWORD = "jimukyoku", "okitama-renkei-2024"  # renkei create_demo_users
# The proxy appends the client's address to X-Forwarded-For (RENKEI_TRUSTED_PROXY_COUNT=1).
STAFF_ADDRESS = "198.51.100.10"
LOCKED = "ログインの失敗が続いたため"  # renkei.tenancy.signin.SignInThrottled
ADDRESS_LIMIT = LIMITS["address"]  # failed attempts of one name from one address


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def installation_env(base: Path, database_url: str, cache_url: str, storage: dict) -> dict:
    """The environment every Renkei process of the installation gets (both app servers,
    the worker and the one-off commands): the same secret, database, cache and object
    store (``storage``: the RENKEI_S3_… variables of one bucket). Each process keeps its
    own var directory (``own_var``): nothing is shared through a disk."""
    return {
        **storage,
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(base),
        "LANG": "C.UTF-8",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": ORIGIN,
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "RENKEI_TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "RENKEI_VAR_DIR": str(base / "var-commands"),
        "RENKEI_BASE_URL": ORIGIN,
        "EMAIL_URL": "console://",
        "LOG_LEVEL": "WARNING",
    }


def own_var(env: dict, base: Path, name: str) -> dict:
    """``env`` with a var directory (SQLite-free: the database is PostgreSQL) of its own."""
    return {**env, "RENKEI_VAR_DIR": str(base / f"var-{name}")}


def wait_until(check, what: str, process: subprocess.Popen | None = None, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            if check():
                return
        except (OSError, requests.RequestException):
            pass
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: exited with {process.returncode}")
        assert time.monotonic() < deadline, f"{what}: not ready in {seconds} s"
        time.sleep(0.2)


@contextmanager
def running(command: list[str], log: Path, **kwargs):
    """A process for the length of the block; stopped (then killed) on leaving."""
    with open(log, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, **kwargs)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def redis_server(workdir: Path):
    port = free_port()
    command = [
        "redis-server",
        "--bind", "127.0.0.1", "--port", str(port), "--dir", str(workdir),
        "--save", "", "--appendonly", "no",
    ]  # fmt: skip
    with running(command, workdir / "redis.log") as process:

        def answers() -> bool:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")

        wait_until(answers, "redis-server", process, 20)
        yield f"redis://127.0.0.1:{port}/0", process


def manage(env: dict, *args: str, **extra_env: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, **extra_env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@contextmanager
def app_server(env: dict, log: Path):
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "renkei.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
    ]  # fmt: skip
    with running(command, log, cwd=ROOT, env=env) as process:
        url = f"http://127.0.0.1:{port}"
        health = f"{url}/healthz"
        wait_until(lambda: requests.get(health, headers={"Host": HOST}, timeout=2).ok, url, process)
        yield url


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """PostgreSQL, Redis, servers A and B and a worker, seeded; all stopped afterwards."""
    bindir = server_bindir()
    if bindir is None:
        missing("PostgreSQL server programs (initdb, pg_ctl)")
    if shutil.which("redis-server") is None:
        missing("redis-server (Debian's redis-server package)")
    base = tmp_path_factory.mktemp("installation")
    with ExitStack() as stack:
        database = stack.enter_context(throwaway_cluster(bindir, port=str(free_port())))
        create_database(database)
        cache_url, cache_process = stack.enter_context(redis_server(base))
        store = S3Server()
        stack.callback(store.stop)
        bucket = store.new_bucket()
        env = installation_env(base, database, cache_url, store.environment(bucket))
        manage(env, "migrate", "--noinput")
        # The demo login is refused with DEBUG off (its password is public); the seed alone
        # runs with DEBUG on, the servers never.
        manage(env, "load_fy2024")
        manage(env, "create_demo_users", DEBUG="true")
        servers = [
            stack.enter_context(app_server(own_var(env, base, name), base / f"server-{name}.log"))
            for name in "ab"
        ]
        worker = stack.enter_context(
            running(
                [sys.executable, "manage.py", "worker", "--interval", "0.5"],
                base / "worker.log",
                cwd=ROOT,
                env={**own_var(env, base, "worker"), "RENKEI_WORKER_ID": "two-server-test"},
            )
        )
        yield {
            "a": servers[0],
            "b": servers[1],
            "cache": cache_url,
            "cache_process": cache_process,
            "worker": worker,
            "bucket": bucket,
        }


def missing(what: str) -> None:
    """Skipped on a laptop without it; under CI=true (.ci/run installs it) a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} not installed; CI must run the two-server test")
    pytest.skip(f"{what} not installed")


def create_database(url: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("/renkei?", "/postgres?"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE renkei")


class Browser(requests.Session):
    """A browser whose requests reach Renkei through the TLS-terminating proxy: the test
    stands where the proxy is, so the Secure cookies travel over the plain loopback
    connection to the app servers. One cookie jar for both servers (the same site)."""

    def request(self, *args, **kwargs):
        for cookie in self.cookies:
            cookie.secure = False
        return super().request(*args, **kwargs)


def browser(address: str) -> Browser:
    """A browser at ``address``, with the headers the proxy adds to each request."""
    session = Browser()
    session.headers.update({"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": address})
    return session


class FormReader(HTMLParser):
    """The fields a browser would send with each form of a page (no files, no buttons)."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._select: str | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append([])
        elif not self.forms or "disabled" in a or not (a.get("name") or tag == "option"):
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.forms[-1].append((a["name"], a.get("value") or default))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1].append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = (a["name"], [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)  # a browser drops the newline right after <textarea>
            self.forms[-1].append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form_fields(html: str, having: str) -> list[tuple[str, str]]:
    reader = FormReader()
    reader.feed(html)
    for fields in reader.forms:
        if any(name == having for name, _value in fields):
            return fields
    raise AssertionError(f"no form with a field {having!r}")


def replace(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    kept = [(name, value) for name, value in fields if name not in values]
    return kept + list(values.items())


def post_form(session, url: str, fields, files=None) -> requests.Response:
    return session.post(
        url, data=fields, files=files, headers={"Referer": f"{ORIGIN}/"}, allow_redirects=False
    )


def sign_in(session, server: str, password: str = PASSWORD) -> requests.Response:
    page = session.get(f"{server}/staff/login/")
    fields = replace(
        form_fields(page.text, "csrfmiddlewaretoken"), username=USERNAME, password=password
    )
    return post_form(session, f"{server}/staff/login/", fields)


def test_both_servers_are_ready(installation):
    for server in (installation["a"], installation["b"]):
        response = requests.get(f"{server}/readyz", headers={"Host": HOST}, timeout=10)
        assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def activity(installation) -> dict:
    """A public activity of the seed, as the API lists it to anyone."""
    response = requests.get(
        f"{installation['b']}/api/activities/?page_size=1",
        headers={"Host": HOST, "X-Forwarded-Proto": "https"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["results"][0]


@pytest.fixture(scope="module")
def staff(installation) -> Browser:
    """The secretariat, signed in on server A; the same browser then talks to either."""
    session = browser(STAFF_ADDRESS)
    response = sign_in(session, installation["a"])
    assert response.status_code == 302, response.text
    return session


def jpeg(width: int = 640, height: int = 480) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()


def test_a_photo_uploaded_on_one_server_is_served_by_the_other(installation, staff, activity):
    a, b = installation["a"], installation["b"]
    upload = f"{a}/staff/activities/{activity['id']}/photos/new/"
    fields = replace(
        form_fields(staff.get(upload).text, "alt_text"),
        caption="二台構成の確認",
        alt_text="青一色の写真",
        is_public="on",
        reason="二台構成の確認",
    )
    response = post_form(staff, upload, fields, files={"image": ("blue.jpg", jpeg(), "image/jpeg")})
    assert response.status_code == 302, response.text
    # Server B lists it on the activity's staff page (its session is in the database).
    detail = staff.get(f"{b}/staff/activities/{activity['id']}/")
    assert detail.status_code == 200
    photo_id = max(int(pk) for pk in re.findall(r"/staff/photos/(\d+)/", detail.text))

    from_a = staff.get(f"{a}/staff/photos/{photo_id}/large/")
    from_b = staff.get(f"{b}/staff/photos/{photo_id}/large/")
    assert from_a.status_code == from_b.status_code == 200
    assert from_b.content[:3] == b"\xff\xd8\xff" and from_b.content == from_a.content
    public = browser("192.0.2.1").get(f"{b}/photos/{photo_id}/large/")
    assert public.status_code == 200 and public.content == from_a.content
    # The bytes are the object store's: the photo and its renditions are in the bucket.
    stored = [key for key in installation["bucket"].objects() if key.startswith("photos/")]
    assert len(stored) >= 3 and from_a.content in map(installation["bucket"].read, stored)


def test_a_change_on_one_server_is_on_the_others_cached_public_page_at_once(
    installation, staff, activity
):
    a, b = installation["a"], installation["b"]
    page = f"{b}/activities/{activity['id']}/"
    public = browser("192.0.2.2")
    shared_cache = redis.Redis.from_url(installation["cache"])
    kept = len(shared_cache.keys("*renkei:public:*"))
    before = public.get(page)
    assert before.status_code == 200 and activity["title"] in before.text
    assert len(shared_cache.keys("*renkei:public:*")) == kept + 1  # B keeps it in Redis
    assert public.get(page).text == before.text

    edit = f"{a}/staff/activities/{activity['id']}/edit/"
    title = f"{activity['title']}（二台構成で変更）"
    fields = replace(form_fields(staff.get(edit).text, "title"), title=title, reason="確認のため")
    response = post_form(staff, edit, fields)
    assert response.status_code == 302, response.text

    after = public.get(page)
    assert after.status_code == 200
    assert title in after.text


def test_the_sign_in_throttle_counts_across_both_servers(installation):
    a, b = installation["a"], installation["b"]
    guesser = browser("203.0.113.9")
    for attempt in range(ADDRESS_LIMIT):  # wrong passwords, taking turns between A and B
        response = sign_in(guesser, (a, b)[attempt % 2], password=f"wrong-{attempt}")
        assert response.status_code == 200 and LOCKED not in response.text, attempt
    # One more, on either server, is refused before the password is looked at: even the
    # right one.
    for server in (b, a):
        response = sign_in(guesser, server)
        assert response.status_code == 200 and LOCKED in response.text, server
    # The lock is this name from this address, not the servers refusing everyone.
    assert sign_in(browser("203.0.113.10"), b).status_code == 302


def test_a_report_asked_for_on_one_server_is_made_by_the_worker_and_fetched_from_the_other(
    installation, staff, tmp_path
):
    a, b = installation["a"], installation["b"]
    assert installation["worker"].poll() is None, "the worker is not running"
    ask = f"{a}/reports/2024/pdf/"
    response = post_form(staff, ask, form_fields(staff.get(ask).text, "csrfmiddlewaretoken"))
    assert response.status_code == 302, response.text
    job = re.search(r"/reports/jobs/(\d+)/$", response.headers["Location"]).group(1)

    deadline = time.monotonic() + 120
    while True:
        state = staff.get(f"{b}/reports/jobs/{job}/status/").json()
        if state["finished"]:
            break
        assert time.monotonic() < deadline, f"the worker did not finish the job: {state}"
        time.sleep(0.5)
    assert state["status"] == "done", state
    pdf = staff.get(f"{b}{state['result_url']}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    (tmp_path / "report.pdf").write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "置賜広域行政事務組合" in text


def test_without_the_shared_cache_both_servers_still_serve_and_save(installation, staff, activity):
    """Last: it stops redis-server. The cache is an optimisation, not a dependency."""
    a, b = installation["a"], installation["b"]
    installation["cache_process"].terminate()
    installation["cache_process"].wait(timeout=20)
    ready = requests.get(f"{b}/readyz", headers={"Host": HOST}, timeout=30)
    assert ready.status_code == 503 and ready.json()["checks"]["cache"] == "failed"

    edit = f"{a}/staff/activities/{activity['id']}/edit/"
    title = f"{activity['title']}（キャッシュ停止中に変更）"
    fields = replace(form_fields(staff.get(edit).text, "title"), title=title, reason="確認のため")
    assert post_form(staff, edit, fields).status_code == 302
    page = browser("192.0.2.3").get(f"{b}/activities/{activity['id']}/")
    assert page.status_code == 200 and title in page.text
