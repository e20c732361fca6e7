"""Peak memory of one photo upload through the photo service (``add_photo``), per file.

Each case runs in a fresh process against a throw-away SQLite database and media folder.
The child sets up a union and an activity, resets its peak-RSS mark (Linux
``/proc/self/clear_refs``), opens the file as Django holds a large upload (a temporary
file on disk) and calls ``add_photo``; the growth is the peak RSS (VmHWM) minus the RSS
just before the call. Target: at most 150 MB for every case.

    .venv/bin/python scripts/bench_upload_memory.py        # prints a Markdown table
"""

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 150


def phone_jpeg(width: int, height: int) -> bytes:
    """A JPEG with a phone photo's size and detail (noise over a gradient): ~10 MB at 48 MP."""
    from PIL import Image

    noise = Image.effect_noise((width // 4, height // 4), 40).resize((width, height))
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def flat_png(width: int, height: int, mode: str = "L") -> bytes:
    """A mostly uniform PNG: tiny on disk, ``width × height`` pixels once decoded."""
    from PIL import Image, ImageDraw

    image = Image.new(mode, (width, height), 250)
    ImageDraw.Draw(image).rectangle((width // 6, height // 6, width // 3, height // 4), fill=40)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


CASES = {
    "png-6300": ("PNG 6300×6300, mostly uniform (the issue's file)", lambda: flat_png(6300, 6300)),
    "jpeg-48mp": ("JPEG 8000×6000, phone-like detail (48 MP)", lambda: phone_jpeg(8000, 6000)),
    "jpeg-80mp": ("JPEG 10320×7740 (80 MP, the JPEG limit)", lambda: phone_jpeg(10320, 7740)),
    "jpeg-4799": ("JPEG 4799×4799 (largest decoded at full scale)", lambda: phone_jpeg(4799, 4799)),
    "png-20mp": ("PNG 4472×4472 RGB (20 MP, the PNG limit)", lambda: flat_png(4472, 4472, "RGB")),
}


def rss_kib(field: str) -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+)", status).group(1))


def child(case: str, path: Path, workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import UploadedFile
    from django.core.management import call_command

    from renkei.errors import RenkeiError
    from renkei.programmes.models import Activity, ActivityGroup, FiscalYear, Programme
    from renkei.programmes.services import add_photo
    from renkei.tenancy.services import add_union

    call_command("migrate", verbosity=0)
    invitation = add_union(
        None,
        name="計測広域連合",
        slug="bench",
        region_name="計測",
        members=[("062022", "米沢市")],
        secretariat_username="bench",
    )
    union = invitation.user.staff_profile.union
    year = FiscalYear.objects.create(union=union, year=2024)
    group = ActivityGroup.objects.create(
        programme=Programme.objects.create(fiscal_year=year, number=1, name="計測"),
        number=1,
        title="計測",
    )
    activity = Activity.objects.create(group=group, sub_number=1, title="計測", kind="event")
    with path.open("rb") as handle:
        upload = UploadedFile(handle, name=path.name, size=path.stat().st_size)
        Path("/proc/self/clear_refs").write_text("5")  # the peak starts from here
        before = rss_kib("VmRSS")
        try:
            photo = add_photo(
                activity,
                invitation.user,
                organisation=union.organisation,
                upload=upload,
                caption="",
                alt_text="計測",
            )
            outcome = "accepted, stored {}×{}".format(*_size(photo.image.path))
        except RenkeiError as error:
            outcome = f"refused: {error.message}"
    peak = rss_kib("VmHWM")
    print(
        json.dumps(
            {"case": case, "growth_mb": (peak - before) / 1024, "outcome": outcome},
            ensure_ascii=False,
        )
    )


def _size(path):
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--child", nargs=3, metavar=("CASE", "FILE", "WORKDIR"), help=argparse.SUPPRESS
    )
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    args = parser.parse_args()
    if args.child:
        case, path, workdir = args.child
        child(case, Path(path), Path(workdir))
        return
    print(f"| File | Size on disk | Peak RSS growth | Outcome | ≤ {TARGET_MB} MB |")
    print("|---|---:|---:|---|---|")
    failed = False
    for case in args.cases:
        label, make = CASES[case]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{case}.{case.split('-')[0]}"
            path.write_bytes(make())
            result = subprocess.run(
                [sys.executable, __file__, "--child", case, str(path), tmp],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            row = json.loads(result.stdout.strip().splitlines()[-1])
            size = path.stat().st_size
        shown = f"{size / 1024:.0f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MiB"
        ok = row["growth_mb"] <= TARGET_MB
        failed |= not ok
        print(
            f"| {label} | {shown} | {row['growth_mb']:.0f} MB | {row['outcome']} | "
            f"{'yes' if ok else 'NO'} |"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
