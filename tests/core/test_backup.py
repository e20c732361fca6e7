"""`renkei backup` / `renkei restore`: SQLite → PostgreSQL → SQLite, every page the same.

Each installation is a separate process tree (its own DATABASE_URL and RENKEI_VAR_DIR),
as an operator would run the commands; the PostgreSQL one is a throw-away cluster the
test starts. Pages, downloads and issued reports are compared by digest
(tests/core/site_snapshot.py).
"""

import os
import tarfile

import pytest

from scripts.with_postgres import server_bindir, throwaway_cluster
from tests.helpers.installations import SETUP, _jpeg, differing, installation


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
