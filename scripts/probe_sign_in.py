"""Probe the sign-in throttle on a running server, as an attacker would.

Migrates a throw-away database (SQLite in a temporary folder, or with ``--postgres`` a
throw-away PostgreSQL cluster from ``scripts/with_postgres.py``), loads the FY2024 seed
and the demo secretariat login, serves the app with gunicorn (several worker processes,
several threads each) on 127.0.0.1, then for each entry point — the staff sign-in, the
admin sign-in, ``/api/token/`` — sends N wrong passwords at the same instant and then the
right one. A wrong attempt whose password was checked is answered "wrong password" (the
form again; 400 from the API); one refused by the throttle before its password was looked
at gets the lock message (429 from the API). Prints a Markdown table; exits non-zero when
more attempts were checked than the limit or the right password was let in.

    .venv/bin/python scripts/probe_sign_in.py [--postgres] [--attempts 40]
"""

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from threading import Barrier

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_portal import HOST, create_database, gunicorn  # noqa: E402
from with_postgres import server_bindir, throwaway_cluster  # noqa: E402

USERNAME, PASSWORD = "jimukyoku", "okitama-renkei-2024"  # renkei create_demo_users
LIMIT = 5  # renkei.tenancy.signin.LIMITS["address"]
LOCKED = "ログインの失敗が続いたため"


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def form_session(port: int, path: str):
    """An opener holding the CSRF cookie, and the form's CSRF token."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"http://{HOST}:{port}{path}", timeout=30).read().decode()
    return opener, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def post(opener, url: str, data: bytes, content_type: str) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": content_type})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def attempt(port: int, entry: str, password: str, session) -> str:
    """One sign-in attempt: "checked", "refused" or "signed in"."""
    if entry == "api":
        status, body = post(
            urllib.request.build_opener(),
            f"http://{HOST}:{port}/api/token/",
            json.dumps({"username": USERNAME, "password": password}).encode(),
            "application/json",
        )
        return {200: "signed in", 400: "checked", 429: "refused"}.get(status, f"HTTP {status}")
    opener, token = session
    path = "/staff/login/" if entry == "staff" else "/admin/login/"
    data = urllib.parse.urlencode(
        {"username": USERNAME, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", data=data)
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    no_redirect = urllib.request.build_opener(
        *[h for h in opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)],
        NoRedirect(),
    )
    try:
        with no_redirect.open(request, timeout=60) as response:
            body, status = response.read().decode(), response.status
    except urllib.error.HTTPError as error:
        body, status = error.read().decode(), error.code
    if status == 302:
        return "signed in"
    if status != 200:
        return f"HTTP {status}"
    return "refused" if LOCKED in body else "checked"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def probe(port: int, entry: str, attempts: int, env: dict) -> dict:
    manage(
        env,
        "shell",
        "-c",
        "from renkei.tenancy.models import SignInCounter; SignInCounter.objects.all().delete()",
    )
    session = (
        None
        if entry == "api"
        else form_session(port, "/staff/login/" if entry == "staff" else "/admin/login/")
    )
    start = Barrier(attempts)

    def wrong(index):
        start.wait()
        return attempt(port, entry, f"wrong-{index}", session)

    with ThreadPoolExecutor(attempts) as pool:
        outcomes = list(pool.map(wrong, range(attempts)))
    return {
        "entry": entry,
        "checked": outcomes.count("checked"),
        "refused": outcomes.count("refused"),
        "other": len(outcomes) - outcomes.count("checked") - outcomes.count("refused"),
        "right password": attempt(port, entry, PASSWORD, session),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--attempts", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="renkei-probe-")))
        env = {
            **os.environ,
            "RENKEI_VAR_DIR": str(workdir),
            "DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "renkei.settings",
        }
        env.pop("DATABASE_URL", None)
        if args.postgres:
            bindir = server_bindir()
            if bindir is None:
                print("PostgreSQL server programs not found", file=sys.stderr)
                return 2
            env["DATABASE_URL"] = stack.enter_context(throwaway_cluster(bindir, port="54332"))
            create_database(env["DATABASE_URL"])
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "load_fy2024")
        manage(env, "create_demo_users")
        served = {**env, "DJANGO_SETTINGS_MODULE": "bench_settings"}  # /bench/floor/: ready
        port = stack.enter_context(gunicorn(served, workdir, args.workers, args.threads))
        rows = [probe(port, entry, args.attempts, env) for entry in ("staff", "admin", "api")]
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{args.attempts} wrong passwords at once, then the right one; {database}, gunicorn "
        f"{args.workers} workers × {args.threads} threads; limit {LIMIT}\n"
    )
    print("| entry point | checked | refused unchecked | other | right password |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['entry']} | {row['checked']} | {row['refused']} | {row['other']} "
            f"| {row['right password']} |"
        )
    failed = [r for r in rows if r["checked"] > LIMIT or r["right password"] != "refused"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
