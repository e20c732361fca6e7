"""Benchmark the public timeline and the API list against the framework's floor.

Creates a throw-away PostgreSQL cluster (``scripts/with_postgres.py``), migrates, loads the
FY2024 seed, then for each size (total activities, ascending) bulk-loads synthetic public
activities in SQL (one schedule day with a venue, a pillar and a lead municipality each),
runs VACUUM ANALYZE, serves the app with gunicorn on 127.0.0.1 (benchmark-only settings:
``scripts/bench_settings.py`` adds ``/bench/floor/``, a view returning a fixed string) and
drives it with wrk. Prints the figures as Markdown. Everything started is stopped on exit,
also on an error; the only address used is 127.0.0.1.

    .venv/bin/python scripts/bench_portal.py --sizes 1000 1000000

Before the load, each page is also rendered in one process with the server-side page cache
off and the frame cache on (median of ``--renders``): its queries and the CPU time of a render. The report ends
with the issue's targets and whether they were met.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
# The programs of the Python running this script (its virtual environment); the code served
# and migrated is this checkout's (the commands run in ROOT).
BIN = Path(sys.executable).parent
sys.path.insert(0, str(SCRIPTS))

from with_postgres import server_bindir, throwaway_cluster  # noqa: E402

HOST = "127.0.0.1"  # the only address this script ever connects to or binds
PG_PORT = "54331"
PG_SETTINGS = "-c shared_buffers=1GB -c max_connections=100"
# Synthetic years, oldest first (FY2024 is the seed's): 40 years of 25,000 activities,
# each year 25 programmes of 100 groups of 10 activities (sub_number 1-10).
YEARS = [y for y in range(1989, 2030) if y != 2024]
PER_YEAR, PER_PROGRAMME, PER_GROUP = 25_000, 1_000, 10
FILTER_YEAR = YEARS[0]

WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- data -------------------------------------------------------------------------------


def connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def create_database(url: str) -> None:
    with connect(url.replace("/renkei?", "/postgres?")) as conn:
        conn.execute("CREATE DATABASE renkei")


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def grow(url: str, size: int) -> dict:
    """Add synthetic public activities until the database holds ``size`` activities."""
    with connect(url) as conn:
        have = conn.execute("SELECT count(*) FROM programmes_activity").fetchone()[0]
        seeded = conn.execute(
            "SELECT count(*) FROM programmes_activity a "
            "JOIN programmes_activitygroup g ON g.id = a.group_id "
            "JOIN programmes_programme p ON p.id = g.programme_id "
            "JOIN programmes_fiscalyear f ON f.id = p.fiscal_year_id "
            "WHERE f.year = 2024"
        ).fetchone()[0]
        first, stop = have - seeded, size - seeded  # synthetic index range [first, stop)
        if stop > len(YEARS) * PER_YEAR:
            raise SystemExit(f"at most {len(YEARS) * PER_YEAR + seeded:,} activities")
        if stop <= first:
            return {"added": 0, "seconds": 0.0}
        started = time.perf_counter()
        union_id = conn.execute("SELECT id FROM tenancy_union WHERE slug = 'okitama'").fetchone()[0]
        members = [
            r[0]
            for r in conn.execute(
                'SELECT organisation_id FROM tenancy_membership WHERE union_id = %s ORDER BY "order"',
                [union_id],
            )
        ]
        pillars = [r[0] for r in conn.execute("SELECT id FROM programmes_pillar ORDER BY id")]
        params = {
            "first": first,
            "last": stop - 1,
            "years": YEARS,
            "union": union_id,
            "members": members,
            "pillars": pillars,
        }
        series = (
            "SELECT i, (%(years)s::int[])[i / 25000 + 1] AS year, "
            "(i %% 25000) / 1000 + 1 AS prog, (i %% 1000) / 10 + 1 AS grp, i %% 10 + 1 AS sub "
            "FROM generate_series(%(first)s::int, %(last)s::int) AS i"
        )
        max_activity = conn.execute(
            "SELECT coalesce(max(id), 0) FROM programmes_activity"
        ).fetchone()[0]
        with conn.transaction():
            # A bulk load of data consistent by construction: skip the per-row FK triggers.
            conn.execute("SET LOCAL session_replication_role = replica")
            conn.execute(
                "INSERT INTO programmes_fiscalyear (union_id, year, state, report_title) "
                f"SELECT DISTINCT %(union)s::bigint, year, 'reported', '' FROM ({series}) s "
                "ON CONFLICT (union_id, year) DO NOTHING",
                params,
            )
            conn.execute(
                "INSERT INTO programmes_programme (fiscal_year_id, number, name) "
                f"SELECT DISTINCT f.id, s.prog, '合成事業' || s.prog FROM ({series}) s "
                "JOIN programmes_fiscalyear f ON f.union_id = %(union)s AND f.year = s.year "
                "ON CONFLICT (fiscal_year_id, number) DO NOTHING",
                params,
            )
            conn.execute(
                "INSERT INTO programmes_activitygroup (programme_id, number, title, short_title, "
                "kind, note) "
                f"SELECT DISTINCT p.id, s.grp, '合成項目' || s.grp, '', 'general', '' "
                f"FROM ({series}) s "
                "JOIN programmes_fiscalyear f ON f.union_id = %(union)s AND f.year = s.year "
                "JOIN programmes_programme p ON p.fiscal_year_id = f.id AND p.number = s.prog "
                "ON CONFLICT (programme_id, number) DO NOTHING",
                params,
            )
            conn.execute(
                "INSERT INTO programmes_activity (group_id, sub_number, title, heading, theme, "
                "kind, delivery_mode, place_summary, purpose, description, visitors_approximate, "
                "is_public, publication_proposed, created_at, updated_at, version, organiser_id, "
                "attendee_total, search_text) "
                "SELECT g.id, s.sub, '合成活動 第' || s.i || '回', '', '自治体連携', "
                "(ARRAY['workshop','exchange_training','festival_booth','inspection_visit'])"
                "[s.i %% 4 + 1], 'in_person', '', '連携の目的です。', "
                "repeat('活動の内容です。', 20), false, true, false, now(), now(), 1, "
                "(%(members)s::bigint[])[s.i %% 8 + 1], 20 + s.i %% 30, "
                "'合成活動 第' || s.i || '回 自治体連携 連携の目的です。' "
                f"FROM ({series}) s "
                "JOIN programmes_fiscalyear f ON f.union_id = %(union)s AND f.year = s.year "
                "JOIN programmes_programme p ON p.fiscal_year_id = f.id AND p.number = s.prog "
                "JOIN programmes_activitygroup g ON g.programme_id = p.id AND g.number = s.grp "
                "ORDER BY s.i",
                params,
            )
            new = (
                "FROM programmes_activity a "
                "JOIN programmes_activitygroup g ON g.id = a.group_id "
                "JOIN programmes_programme p ON p.id = g.programme_id "
                "JOIN programmes_fiscalyear f ON f.id = p.fiscal_year_id "
                "WHERE a.id > %(max_activity)s"
            )
            params["max_activity"] = max_activity
            max_day = conn.execute(
                "SELECT coalesce(max(id), 0) FROM programmes_scheduleday"
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO programmes_scheduleday (activity_id, date, start_time, end_time, "
                "note) SELECT a.id, make_date(f.year, 4, 1) + ((a.id * 7919) %% 365)::int, "
                f"'13:30', '16:30', '' {new}",
                params,
            )
            conn.execute(
                'INSERT INTO programmes_venue (day_id, name, address, "order", municipality_id) '
                "SELECT d.id, '合成会場' || (d.id %% 50), '', 0, (%(members)s::bigint[])[d.id %% 8 + 1] "
                "FROM programmes_scheduleday d WHERE d.id > %(max_day)s",
                params | {"max_day": max_day},
            )
            conn.execute(
                "INSERT INTO programmes_activity_pillars (activity_id, pillar_id) "
                "SELECT a.id, (%(pillars)s::bigint[])[a.id %% 3 + 1] "
                "FROM programmes_activity a WHERE a.id > %(max_activity)s",
                params,
            )
            conn.execute(
                'INSERT INTO programmes_activitylead (activity_id, organisation_id, "order") '
                "SELECT a.id, (%(members)s::bigint[])[a.id %% 8 + 1], 1 "
                "FROM programmes_activity a WHERE a.id > %(max_activity)s",
                params,
            )
        loaded = time.perf_counter() - started
        conn.execute("VACUUM ANALYZE")
        total = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE is_public) FROM programmes_activity"
        ).fetchone()
        days = conn.execute("SELECT count(*) FROM programmes_scheduleday").fetchone()[0]
        return {
            "added": stop - first,
            "seconds": loaded,
            "vacuum_seconds": time.perf_counter() - started - loaded,
            "activities": total[0],
            "public": total[1],
            "days": days,
        }


# --- server and load --------------------------------------------------------------------


def settle(max_seconds: int, below: float = 1.0) -> float:
    """Wait (at most ``max_seconds``) for the 1-minute load average to fall below ``below``,
    so the runs after a bulk load do not measure the load's after-effects. Returns it."""
    deadline = time.monotonic() + max_seconds
    load = os.getloadavg()[0]
    while load >= below and time.monotonic() < deadline:
        time.sleep(5)
        load = os.getloadavg()[0]
    return load


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    assert path.startswith("/")
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def gunicorn(env: dict, workdir: Path, workers: int, threads: int):
    port = free_port()
    errors = workdir / f"gunicorn-{port}.log"
    command = [
        str(BIN / "gunicorn"),
        "renkei.wsgi:application",
        "--pythonpath",
        str(SCRIPTS),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--keep-alive",
        "30",
        "--error-logfile",
        str(errors),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {errors.read_text()[-2000:]}")
            try:
                if get(port, "/bench/floor/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 60 s")
            time.sleep(0.2)
        yield port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # the group of the gunicorn we started
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wrk(port: int, path: str, seconds: int, connections: int, script: Path) -> dict:
    command = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://{HOST}:{port}{path}",
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("BENCH "))
    result = json.loads(line[len("BENCH ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    return result


def targets(members_code: str, deep_cursor: str) -> list[tuple[str, str]]:
    """The pages measured; ``deep_cursor`` is an API cursor nine tenths of the way through
    the activities (a deep page)."""
    return [
        ("floor", "/bench/floor/"),
        ("timeline", "/activities/"),
        ("timeline ?year", f"/activities/?year={FILTER_YEAR}"),
        ("timeline ?municipality", f"/activities/?municipality={members_code}"),
        ("API list", "/api/activities/"),
        ("API list ?year", f"/api/activities/?year={FILTER_YEAR}"),
        ("API list ?municipality", f"/api/activities/?municipality={members_code}"),
        ("API list deep", f"/api/activities/?cursor={deep_cursor}"),
    ]


def check_page(port: int, label: str, path: str) -> None:
    status, body = get(port, path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
    if label.startswith("timeline") and body.count(b'<li class="card">') < 20:
        raise RuntimeError(f"{path}: fewer than 20 activities on the page")
    if label.startswith("API") and len(json.loads(body)["results"]) != 50:
        raise RuntimeError(f"{path}: a page of fewer than 50 activities")


# --- in-process query profile -----------------------------------------------------------


def profile(env: dict, paths: list[tuple[str, str]], explain: bool, renders: int) -> str:
    """Queries per request, their time and the CPU time of a render, from a child process
    with the same settings. Lines starting ``CPU `` carry the figures as JSON."""
    # The child turns the server-side page cache off (the profile measures what a render
    # costs) and keeps what a render is meant to reuse: the frame kept per public data version.
    result = subprocess.run(
        [sys.executable, __file__, "--profile", json.dumps(paths), "--renders", str(renders)]
        + (["--explain"] if explain else []),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"the in-process profile failed:\n{result.stderr[-3000:]}")
    return result.stdout


def run_profile(paths: list[tuple[str, str]], explain: bool, renders: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from renkei import public_http

    # No rendered page from the cache, so each request renders; the frame cache
    # (public_http.per_version, on while RENKEI_PUBLIC_CACHE_SECONDS > 0) stays on, as in
    # a server.
    public_http._server_cacheable = lambda request: False

    client = Client(HTTP_HOST=HOST)
    for label, path in paths:
        client.get(path)  # warm
        totals, cpu, db_times, count, slowest = [], [], [], 0, (0.0, "")
        # CPU without the query log (which formats every statement), then the queries.
        for _ in range(renders):
            started_cpu = time.process_time()
            client.get(path)
            cpu.append(time.process_time() - started_cpu)
        for _ in range(renders):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                status = response.status_code
                totals.append(time.perf_counter() - started)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}: {response.content[:300]!r}")
            db_times.append(sum(float(q["time"]) for q in queries.captured_queries))
            count = len(queries.captured_queries)
            for q in queries.captured_queries:
                slowest = max(slowest, (float(q["time"]), q["sql"]))
        cpu_ms = statistics.median(cpu) * 1000
        print(
            f"{label}: {count} queries, DB {statistics.median(db_times) * 1000:.1f} ms of "
            f"{statistics.median(totals) * 1000:.1f} ms in-process, CPU {cpu_ms:.1f} ms "
            f"(median of {renders}); slowest query {slowest[0] * 1000:.1f} ms"
        )
        print("CPU " + json.dumps({"label": label, "cpu_ms": cpu_ms, "queries": count}))
        if explain and slowest[1]:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[1])
                print("    " + "\n    ".join(row[0] for row in cursor.fetchall()))


# --- main -------------------------------------------------------------------------------


def machine() -> str:
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    return f"{os.cpu_count()} CPUs ({cpu}), {int(memory) / 1024 / 1024:.1f} GiB RAM"


def markdown(rows: list[dict], sizes: list[int], cpu: dict) -> str:
    """The load figures (with each page's share of the floor's throughput at the same size
    and its in-process CPU per render), then the targets and whether they were met."""
    by = {(r["size"], r["label"]): r for r in rows}
    lines = [
        "| activities | page | requests/s | of the floor | p50 (ms) | p95 (ms) | p99 (ms) "
        "| errors | CPU per render (ms) | requests/s of each run |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        floor = by[(row["size"], "floor")]["rps"]
        lines.append(
            f"| {row['size']:,} | {row['label']} | {row['rps']:,.0f} | {row['rps'] / floor:.0%} | "
            f"{row['p50'] / 1000:.1f} | {row['p95'] / 1000:.1f} | "
            f"{row['p99'] / 1000:.1f} | {row['errors']} | "
            f"{cpu.get((row['size'], row['label']), float('nan')):.1f} | "
            f"{', '.join(f'{rps:,.0f}' for rps in row.get('runs', [row['rps']]))} |"
        )
    small, large = min(sizes), max(sizes)

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    floor, line = by[(large, "floor")], by[(large, "timeline")]
    share = line["rps"] / floor["rps"]
    growth = line["p95"] / by[(small, "timeline")]["p95"]
    lines += [
        "",
        f"- Timeline throughput at {large:,} = {share:.0%} of the floor's "
        f"({line['rps']:,.0f} / {floor['rps']:,.0f} requests/s); target ≥ 50%: "
        f"{verdict(share >= 0.5)}.",
        f"- Timeline p95 at {large:,} = {growth:.2f}× its p95 at {small:,} "
        f"({line['p95'] / 1000:.1f} / {by[(small, 'timeline')]['p95'] / 1000:.1f} ms); "
        f"target ≤ 1.5×: {verdict(growth <= 1.5)}.",
    ]
    for label, limit in (("timeline", 8.0), ("API list", 10.0)):
        spent = cpu[(large, label)]
        lines.append(
            f"- {label} at {large:,}, uncached, in process: {spent:.1f} ms of CPU per render "
            f"(median); target ≤ {limit:.0f} ms: {verdict(spent <= limit)}."
        )
    for label in ("API list", "API list deep"):
        ratio = by[(large, label)]["rps"] / by[(small, label)]["rps"]
        lines.append(
            f"- {label} at {large:,} = {ratio:.0%} of its requests/s at {small:,} "
            f"({by[(large, label)]['rps']:,.0f} / {by[(small, label)]['rps']:,.0f}); "
            f"target ≥ 90%: {verdict(ratio >= 0.9)}."
        )
    return "\n".join(lines)


def deep_cursor(url: str) -> str:
    """An API cursor nine tenths of the way through the public activities, in id order."""
    with connect(url) as conn:
        total = conn.execute("SELECT count(*) FROM programmes_activity WHERE is_public").fetchone()
        key = conn.execute(
            "SELECT id FROM programmes_activity WHERE is_public ORDER BY id OFFSET %s LIMIT 1",
            [total[0] * 9 // 10],
        ).fetchone()[0]
    return f"a{key}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 1_000_000])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of wrk before each run")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds over the pages; each reports its median run"
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--settle",
        type=int,
        default=180,
        help="seconds at most to wait for the machine to quieten after a load",
    )
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of each page's slowest query"
    )
    parser.add_argument(
        "--renders", type=int, default=30, help="in-process renders per page (median)"
    )
    parser.add_argument("--profile", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.profile:
        run_profile(json.loads(args.profile), args.explain, args.renders)
        return 0
    if not 1 <= args.duration <= 120 or not 1 <= args.connections <= 64:
        parser.error("--duration 1-120 s and --connections 1-64")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    bindir = server_bindir()
    if bindir is None:
        parser.error("PostgreSQL server programs are not installed")
    # A SIGTERM unwinds like an error: gunicorn is stopped and the cluster removed.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    sizes = sorted(set(args.sizes))
    rows, notes, profiles, cpu = [], [], [], {}
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="renkei-bench-")))
        lua = workdir / "report.lua"
        lua.write_text(WRK_LUA)
        url = stack.enter_context(throwaway_cluster(bindir, port=PG_PORT, settings=PG_SETTINGS))
        create_database(url)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "false",
            "ALLOWED_HOSTS": HOST,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DB_CONN_MAX_AGE": "600",
            "SECURE_SSL_REDIRECT": "false",  # wrk speaks plain HTTP to 127.0.0.1
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "LOG_LEVEL": "ERROR",
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(ROOT), str(SCRIPTS), os.environ.get("PYTHONPATH")])
            ),
        }
        env.pop("RENKEI_PORTAL_UNION", None)
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "load_fy2024")
        with connect(url) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            code = conn.execute(
                "SELECT o.code FROM tenancy_membership m JOIN tenancy_organisation o "
                'ON o.id = m.organisation_id ORDER BY m."order" LIMIT 1'
            ).fetchone()[0]
        for size in sizes:
            log(f"== {size:,} activities: loading …")
            loaded = grow(url, size)
            log(f"   loaded {loaded}; load average now {settle(args.settle):.2f}")
            paths = targets(code, deep_cursor(url))
            notes.append(
                f"{loaded['added']:,} added for {size:,} in {loaded['seconds']:.1f} s "
                f"+ VACUUM ANALYZE {loaded.get('vacuum_seconds', 0):.1f} s"
            )
            printed = profile(env, paths, args.explain, args.renders)
            for line in printed.splitlines():
                if line.startswith("CPU "):
                    figures = json.loads(line[len("CPU ") :])
                    cpu[(size, figures["label"])] = figures["cpu_ms"]
            profiles.append(
                f"{size:,} activities (load average before the runs: "
                f"{Path('/proc/loadavg').read_text().split()[0]})\n"
                + "\n".join(x for x in printed.splitlines() if not x.startswith("CPU "))
            )
            log(profiles[-1])
            with gunicorn(env, workdir, args.workers, args.threads) as port:
                for label, path in paths:
                    check_page(port, label, path)
                # Every page once per round, --repeat rounds: a pause of the machine (another
                # guest's CPU, a checkpoint) lands on one run of a page, not on all of them,
                # and each page reports its median run.
                runs: dict[str, list[dict]] = {label: [] for label, _path in paths}
                for _round in range(args.repeat):
                    for label, path in paths:
                        wrk(port, path, args.warmup, args.connections, lua)
                        result = wrk(port, path, args.duration, args.connections, lua)
                        runs[label].append(result | {"size": size, "label": label, "path": path})
                        log(
                            f"   {label:24} {result['rps']:8.0f} req/s  "
                            f"p50 {result['p50'] / 1000:6.1f}  p95 {result['p95'] / 1000:6.1f}  "
                            f"p99 {result['p99'] / 1000:6.1f} ms  errors {result['errors']}"
                        )
                for label, _path in paths:
                    ordered = sorted(runs[label], key=lambda r: r["rps"])
                    rows.append(
                        ordered[len(ordered) // 2] | {"runs": [r["rps"] for r in runs[label]]}
                    )
            notes[-1] += f" (load average after the runs: {os.getloadavg()[0]:.2f})"
    print(
        f"Machine: {machine()}; PostgreSQL {version} (throw-away cluster, Unix socket, "
        f"{PG_SETTINGS}, fsync off)"
    )
    print(
        f"Server: gunicorn gthread, {args.workers} workers × {args.threads} threads, "
        f"{HOST}, DEBUG=false, DB_CONN_MAX_AGE=600, RENKEI_PUBLIC_CACHE_SECONDS="
        f"{os.environ.get('RENKEI_PUBLIC_CACHE_SECONDS', '60 (default)')}"
    )
    print(
        f"Load: wrk -t 2 -c {args.connections} -d {args.duration}s after a {args.warmup} s "
        f"warm-up, one page at a time, {args.repeat} rounds over the pages; each row is the "
        "page's median run (requests/s of every run in the last column)"
    )
    print("Loading: " + "; ".join(notes))
    print()
    print(markdown(rows, sizes, cpu))
    print()
    print(
        "Per request in one process (Django test client, same settings and database, "
        "server-side page cache off, the frame kept per data version on):"
    )
    print()
    print("\n".join(f"    {line}" for text in profiles for line in text.splitlines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
