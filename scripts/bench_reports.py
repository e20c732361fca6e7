"""Benchmark the annual report: FY2024 (PDF, Word) and synthetic years of 50/100/300
activities with photos. Each measurement runs in a fresh process so its peak memory
(max RSS) is its own. Uses a throw-away SQLite database and media folder.

    .venv/bin/python scripts/bench_reports.py            # prints a Markdown table
    .venv/bin/python scripts/bench_reports.py --sizes 50 100
"""

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    # A fresh cache of photos scaled for print, so "first run" includes the scaling.
    os.environ["RENKEI_CACHE_DIR"] = str(workdir / "cache")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def synthetic_year(year: int, activities: int) -> None:
    """A fiscal year of ``activities`` workshops, each with a day, venue, lecturer,
    attendance of every member, headed content and one 1200×900 JPEG photo."""
    from django.conf import settings
    from PIL import Image

    from renkei.programmes.models import (
        Activity,
        ActivityGroup,
        ActivitySection,
        Attendance,
        FiscalYear,
        Lecturer,
        Photo,
        Programme,
        ScheduleDay,
        Venue,
    )
    from renkei.tenancy.models import Union

    union = Union.objects.get(slug="okitama")
    members = [m.organisation for m in union.membership_set.all()]
    fiscal_year = FiscalYear.objects.create(union=union, year=year)
    programme = Programme.objects.create(fiscal_year=fiscal_year, number=1, name="研修事業")
    photos = Path(settings.MEDIA_ROOT) / "photos" / str(year)
    photos.mkdir(parents=True, exist_ok=True)
    for n in range(activities):
        if n % 10 == 0:
            group = ActivityGroup.objects.create(
                programme=programme, number=n // 10 + 1, title=f"研修会シリーズ{n // 10 + 1}"
            )
        activity = Activity.objects.create(
            group=group,
            sub_number=n % 10 + 1,
            title=f"自治体研修会 第{n + 1}回",
            kind="workshop",
            description="研修の概要です。" * 12,
        )
        day = ScheduleDay.objects.create(
            activity=activity,
            date=date(year, 4, 1) + timedelta(days=n % 365),
            start_time=clock(13, 30),
            end_time=clock(16, 30),
        )
        Venue.objects.create(day=day, name="南陽市沖郷公民館", municipality=members[2])
        Lecturer.objects.create(
            activity=activity, name="山田 太郎", title="講師", organisation_name="研究所"
        )
        Attendance.objects.bulk_create(
            Attendance(activity=activity, organisation=m, count=2) for m in members
        )
        ActivitySection.objects.create(
            activity=activity, heading="「講義」", bullets="\n".join(["学んだことの要点です。"] * 5)
        )
        path = photos / f"{n}.jpg"
        Image.effect_noise((1200, 900), 40).convert("RGB").save(path, "JPEG", quality=80)
        Photo.objects.create(
            activity=activity, image=f"photos/{year}/{n}.jpg", caption=f"第{n + 1}回の様子"
        )


def prepare(workdir: Path, sizes: list[int]) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_fy2024", stdout=io.StringIO())
    for index, size in enumerate(sizes):
        synthetic_year(2030 + index, size)


def _tree_pss_mb() -> float:
    """Memory of this process and all its descendants, in MB: the proportional set size
    (Linux /proc), so pages a forked worker shares with its parent count once."""
    total, pending = 0, [os.getpid()]
    while pending:
        pid = pending.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += int(next(x for x in rollup.splitlines() if x.startswith("Pss:")).split()[1])
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


class TreePeak:
    """Samples the process tree's total memory (PSS) every 20 ms while rendering."""

    def __enter__(self):
        import threading

        self.peak, self._stop = 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _tree_pss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def measure(year: int, fmt: str, repeat: int) -> dict:
    """Seconds to build the data and render, best/median of ``repeat`` after a warm-up."""
    from renkei.programmes.models import FiscalYear
    from renkei.reports.data import build_report
    from renkei.reports.renderers import render

    fiscal_year = FiscalYear.objects.get(year=year)
    pages, first, tree_peak = None, 0.0, 0.0
    times = []
    for attempt in range(repeat + 1):
        start = time.perf_counter()
        with TreePeak() as tree:
            content = render(build_report(fiscal_year), fmt)
        if attempt:  # the first run warms imports and caches (and scales photos once)
            times.append(time.perf_counter() - start)
        else:
            first = time.perf_counter() - start
        tree_peak = max(tree_peak, tree.peak)
    if fmt == "pdf":
        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(content)).pages)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "year": year,
        "format": fmt,
        "median": statistics.median(times),
        "best": min(times),
        "bytes": len(content),
        "peak_mb": peak,
        "worker_mb": workers,
        "pages": pages,
        "first": first,
        "tree_mb": tree_peak,
    }


def child(workdir: Path, year: int, fmt: str, repeat: int) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--workdir",
            str(workdir),
            "--measure",
            str(year),
            fmt,
            "--repeat",
            str(repeat),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 100, 300])
    parser.add_argument("--workdir")
    parser.add_argument("--measure", nargs=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.measure:
        setup_django(Path(args.workdir))
        print(json.dumps(measure(int(args.measure[0]), args.measure[1], args.repeat)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        prepare(workdir, args.sizes)
        rows = [
            child(workdir, 2024, fmt, args.repeat) | {"label": "FY2024"}
            for fmt in ("pdf", "docx", "html", "xlsx")
        ]
        for index, size in enumerate(args.sizes):
            for fmt in ("pdf", "docx"):
                repeat = 1 if size >= 300 else args.repeat
                rows.append(
                    child(workdir, 2030 + index, fmt, repeat) | {"label": f"{size} activities"}
                )
    load = os.getloadavg()
    print(
        f"Load average at the end (1/5/15 min): {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; "
        f"{os.cpu_count()} CPUs.\n"
    )
    print(
        "| year | format | first run (s) | median (s) | best (s) | pages | size (KB) "
        "| peak RSS, main process (MB) | peak PSS, all processes (MB) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['label']} | {row['format']} | {row['first']:.2f} | {row['median']:.2f} | "
            f"{row['best']:.2f} | {row['pages'] or ''} | {row['bytes'] // 1024:,} | "
            f"{row['peak_mb']:.0f} | {row['tree_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
