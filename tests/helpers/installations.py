"""Installations of their own for the backup tests: ``renkei`` commands run in a separate
process on their own SQLite file (or PostgreSQL, or bucket), with a snapshot of every page."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RENKEI = [sys.executable, str(ROOT / "manage.py")]

SETUP = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from renkei.programmes.models import Activity, Photo
from renkei.programmes.services import thumbnail_name
activity = Activity.objects.filter(is_public=True).order_by("pk").first()
name = default_storage.save(f"photos/{activity.pk}/festival.jpg", ContentFile(JPEG))
default_storage.save(thumbnail_name(name), ContentFile(JPEG))
Photo.objects.create(activity=activity, image=name, caption="会場の様子", alt_text="会場",
                     is_public=True, order=1)
"""


def _jpeg() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def differing(after: dict, before: dict) -> list[str]:
    """The pages whose status or content differ between two snapshots."""
    return sorted(url for url in before.keys() | after.keys() if before.get(url) != after.get(url))


def installation(var_dir: Path, database_url: str | None, storage: dict | None = None):
    """Run ``renkei`` commands on an installation of its own: ``var_dir`` (SQLite file and
    MEDIA_ROOT), ``database_url`` instead of SQLite, ``storage`` (RENKEI_S3_… variables)
    instead of MEDIA_ROOT."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "MEDIA_ROOT"} and not k.startswith("RENKEI_S3_")
    }
    env |= {
        "RENKEI_VAR_DIR": str(var_dir),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "renkei.settings",
        **(storage or {}),
    }
    if database_url:
        env["DATABASE_URL"] = database_url

    def run(*args, check=True, stdin=None) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*RENKEI, *args], env=env, cwd=ROOT, capture_output=True, text=True, input=stdin
        )
        if check and result.returncode != 0:
            raise AssertionError(f"{args}: {result.stdout}\n{result.stderr}")
        return result

    def snapshot() -> dict:
        result = subprocess.run(
            [sys.executable, "-m", "tests.core.site_snapshot"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(result.stdout)

    run.snapshot = snapshot
    return run
