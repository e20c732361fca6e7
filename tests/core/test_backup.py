"""`renkei backup` / `renkei restore`: SQLite → PostgreSQL → SQLite, every page the same.

Each installation is a separate process tree (its own DATABASE_URL and RENKEI_VAR_DIR),
as an operator would run the commands; the PostgreSQL one is a throw-away cluster the
test starts. Pages, downloads and issued reports are compared by digest
(tests/core/site_snapshot.py).
"""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from scripts.with_postgres import server_bindir, throwaway_cluster

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


@pytest.fixture(scope="module")
def postgres_url():
    if os.environ.get("DATABASE_URL"):
        pytest.skip("runs in the SQLite pass, which starts its own PostgreSQL for the restore")
    bindir = server_bindir()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL server programs are not installed")
        pytest.skip("PostgreSQL server programs are not installed")
    with throwaway_cluster(bindir, port="54339") as url:
        import psycopg

        with psycopg.connect(url.replace("/renkei?", "/postgres?"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE renkei")
        yield url


@pytest.mark.slow
def test_backup_on_sqlite_restores_on_postgresql_and_back(tmp_path, postgres_url):
    source = installation(tmp_path / "sqlite-a", None)
    source("migrate", "--verbosity", "0")
    source("load_fy2024")
    source("create_demo_users")
    source("shell", "-c", f"JPEG = {_jpeg()!r}\n{SETUP}")
    for fmt, edition in (("pdf", "public"), ("html", "internal")):
        source(
            "report",
            "2024",
            "--format",
            fmt,
            "--final",
            "--edition",
            edition,
            "--output",
            str(tmp_path / fmt),
        )
    before = source.snapshot()
    assert any("/photos/" in url for url in before) and any("/v1/" in url for url in before)
    assert any(url.startswith("/annual-reports/") and "download" in url for url in before)
    assert all(value.startswith("200 ") for value in before.values()), before

    first = tmp_path / "from-sqlite.tar.gz"
    source("backup", str(first))
    with tarfile.open(first) as archive:
        names = archive.getnames()
    assert {"db.json", "manifest.json"} <= set(names)
    assert sum(name.startswith("media/") for name in names) == 4  # 2 reports, photo, thumbnail

    on_postgres = installation(tmp_path / "pg", postgres_url)
    on_postgres("migrate", "--verbosity", "0")
    assert "目録と照合しました" in on_postgres("restore", str(first)).stdout
    assert differing(on_postgres.snapshot(), before) == []
    on_postgres("verify_reports")

    second = tmp_path / "from-postgres.tar.gz"
    on_postgres("backup", str(second))
    back = installation(tmp_path / "sqlite-b", None)
    back("migrate", "--verbosity", "0")
    back("restore", str(second))
    assert differing(back.snapshot(), before) == []

    refused = back("restore", str(second), check=False)
    assert refused.returncode != 0 and "空のインストール" in refused.stderr


@pytest.mark.slow
def test_a_damaged_archive_is_refused_before_anything_is_loaded(tmp_path):
    source = installation(tmp_path / "a", None)
    source("migrate", "--verbosity", "0")
    source("load_fy2024")
    archive = tmp_path / "backup.tar.gz"
    source("backup", str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(damaged, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name == "db.json":
                data = data.replace("交流研修".encode(), "改ざん研修".encode(), 1)
            member.size = len(data)
            import io

            copy.addfile(member, io.BytesIO(data))
    target = installation(tmp_path / "b", None)
    target("migrate", "--verbosity", "0")
    refused = target("restore", str(damaged), check=False)
    assert refused.returncode != 0 and "db.json」の SHA-256 が目録と一致しません" in refused.stderr
    count = target(
        "shell", "-c", "from renkei.tenancy.models import Union; print(Union.objects.count())"
    ).stdout.split()[-1]
    assert count == "0"
    not_an_archive = tmp_path / "x.tar.gz"
    not_an_archive.write_bytes(b"not a tar")
    refused = target("restore", str(not_an_archive), check=False)
    assert refused.returncode != 0 and "バックアップを開けません" in refused.stderr
