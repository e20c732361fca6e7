"""Peak memory growth of one spreadsheet import (read + per-row checks, as the budget
import's preview runs them) for hostile and normal files. Each file is imported in a
fresh process that samples its own RSS every 2 ms; the figure is the highest RSS seen
during the import minus the RSS just before it. Target: at most 150 MB each.

    .venv/bin/python scripts/bench_import_memory.py      # prints a Markdown table

Files (built here):
- xfd-declared.xlsx  ~5 KB workbook declaring A1:XFD1500 (one real row)
- xfd-filled.xlsx    the same with 1,500 rows, each with a cell at A and at XFD
- big.csv            24 MiB CSV (must be refused before it is read)
- limit.csv          the same cut just under the 2 MiB limit (~13,000 rows: refused at
                     the row limit, 2,000)
- fy2024.xlsx        the FY2024 budget as an import file (every line of the seed, 3 times)
- fy2024.csv         the same as CSV in Shift_JIS, as Excel saves it

Uploads are handed over as Django's upload handlers would: in memory up to
FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), else as a temporary file on disk.
"""

import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 150


def setup_django(database: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def xfd_workbook(filled: bool) -> bytes:
    """A tiny workbook whose sheet declares A1:XFD1500: only that (``filled`` False), or
    with both ends of each of the 1,500 rows filled."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["収支", "項目", "決算額"])
    plain = io.BytesIO()
    book.save(plain)
    rows = (
        "".join(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>収入</t></is></c>'
            f'<c r="XFD{n}"><v>1</v></c></row>'
            for n in range(2, 1501)
        )
        if filled
        else ""
    )
    source = zipfile.ZipFile(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                start = xml.index("<dimension")
                xml = (
                    xml[:start]
                    + '<dimension ref="A1:XFD1500"/>'
                    + xml[xml.index("/>", start) + 2 :]
                )
                xml = xml.replace("</row>", "</row>" + rows, 1)
                data = xml.encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def budget_rows() -> list[list]:
    from renkei.finance.models import BudgetLine

    rows = [["収支", "節", "区分の表記", "項目", "予算額", "決算額", "備考"]]
    for line in BudgetLine.objects.select_related("section").order_by("pk"):
        rows.append(
            [
                line.get_direction_display(),
                line.section.name if line.section else "",
                line.section_label,
                line.item,
                line.budgeted or "",
                line.settled,
                line.note,
            ]
        )
    return rows[:1] + rows[1:] * 3


def build_files(folder: Path) -> dict[str, Path]:
    from openpyxl import Workbook

    files = {"xfd-declared.xlsx": xfd_workbook(False), "xfd-filled.xlsx": xfd_workbook(True)}
    line = "収入,,,負担金,1000,1000,備考" + "あ" * 100 + "\n"
    files["big.csv"] = (
        "収支,節,区分の表記,項目,予算額,決算額,備考\n" + line * (24 * 2**20 // len(line.encode()))
    ).encode()[: 24 * 2**20]
    cut = files["big.csv"].rindex(b"\n", 0, 2 * 2**20 - 1) + 1
    files["limit.csv"] = files["big.csv"][:cut]  # whole lines, just under the size limit
    rows = budget_rows()
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    files["fy2024.xlsx"] = out.getvalue()
    files["fy2024.csv"] = "\n".join(",".join(str(c) for c in row) for row in rows).encode("cp932")
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


def measure(path: Path) -> dict:
    """In this (fresh) process: RSS growth while the file is read and checked."""
    from django.conf import settings
    from django.core.files.uploadedfile import InMemoryUploadedFile, TemporaryUploadedFile

    from renkei.programmes.models import FiscalYear
    from renkei.staff.spreadsheet_imports import parse_budget, read_table

    year = FiscalYear.objects.get(year=2024)
    size = path.stat().st_size
    if size > settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
        upload = TemporaryUploadedFile(path.name, "application/octet-stream", size, None)
        with open(path, "rb") as source:
            for chunk in iter(lambda: source.read(64 * 1024), b""):
                upload.write(chunk)
        upload.seek(0)
    else:
        upload = InMemoryUploadedFile(
            io.BytesIO(path.read_bytes()), "file", path.name, "application/octet-stream", size, None
        )
    ExpenditureSectionWarmUp = parse_budget([], year)  # noqa: F841 (imports, caches)
    peak, running = [rss_mb()], True
    before = peak[0]

    def sample():
        while running:
            peak.append(rss_mb())
            time.sleep(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    try:
        rows = parse_budget(read_table(upload), year)
        outcome = f"read {len(rows)} rows"
    except ValueError as error:
        outcome = f"refused: {error}"
    elapsed = time.perf_counter() - started
    running = False
    sampler.join()
    return {
        "file": path.name,
        "bytes": size,
        "growth_mb": round(max(peak) - before, 1),
        "seconds": round(elapsed, 3),
        "outcome": outcome,
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        setup_django(Path(sys.argv[2]))
        print(json.dumps(measure(Path(sys.argv[3])), ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        database = folder / "bench.sqlite3"
        setup_django(database)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_fy2024", verbosity=0)
        paths = build_files(folder)
        print("| File | Size | Peak RSS growth | Time | Outcome |")
        print("|---|---:|---:|---:|---|")
        worst = 0.0
        for path in paths.values():
            result = json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--child", str(database), str(path)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            worst = max(worst, result["growth_mb"])
            print(
                f"| {result['file']} | {result['bytes']:,} B | {result['growth_mb']} MB | "
                f"{result['seconds']} s | {result['outcome'][:70]} |"
            )
        print(f"\nWorst: {worst} MB (target ≤ {LIMIT_MB} MB).")
        if worst > LIMIT_MB:
            sys.exit(1)


if __name__ == "__main__":
    main()
