"""One archive for a whole installation, and filling an empty installation from it.

The archive (``.tar.gz``) holds ``db.json`` (every record, as Django's portable JSON:
the same archive restores on SQLite or PostgreSQL), ``media/…`` (photos, vouchers and
reports, read through the storage: local disk or object storage, either way round), and
``manifest.json``: the format, when and from what it was made, the migrations the data
belongs to, and the SHA-256 and size of every other member.

``restore`` checks the whole archive against its manifest before touching anything,
refuses an installation that already holds records or files, copies the files, loads the
records in one transaction (removing the copied files if that fails), and reads every
copied file back against the manifest.
"""

import hashlib
import io
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO

from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.errors import RenkeiError
from renkei.files import stored_names

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "db.json"
MEDIA = "media"
# Rebuilt by ``migrate`` on the target and referred to by natural key; sessions are
# sign-ins, not records.
NOT_BACKED_UP = ["contenttypes", "auth.permission", "sessions"]


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    records: int
    files: int


def _sha256(file) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def media_names(storage=default_storage) -> list[str]:
    """Every stored file of the installation except staged ones waiting for a commit."""
    return stored_names(storage)


def _dump_records(out: Path) -> None:
    """All records as one consistent snapshot (a single read transaction)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command(
            "dumpdata",
            format="renkei-json",
            natural_foreign=True,
            exclude=NOT_BACKED_UP,
            output=str(out),
            verbosity=0,
        )


def backup(path: Path) -> BackupSummary:
    """Write the installation's archive to ``path`` (written aside, then renamed)."""
    path = Path(path)
    files: dict[str, dict] = {}
    partial = path.with_name(path.name + ".part")
    with tempfile.TemporaryDirectory(prefix="renkei-backup-") as tmp:
        dump = Path(tmp) / DATABASE
        _dump_records(dump)
        records = len(json.loads(dump.read_text(encoding="utf-8")))
        with tarfile.open(partial, "w:gz") as archive:
            with dump.open("rb") as file:
                files[DATABASE] = dict(zip(("sha256", "size"), _sha256(file), strict=True))
            archive.add(dump, arcname=DATABASE)
            for name in media_names():
                member = f"{MEDIA}/{name}"
                with default_storage.open(name, "rb") as file:
                    sha, size = _sha256(file)
                    file.seek(0)
                    info = tarfile.TarInfo(member)
                    info.size = size
                    archive.addfile(info, file)
                files[member] = {"sha256": sha, "size": size}
            manifest = json.dumps(
                {
                    "format": ARCHIVE_FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "database": connection.vendor,
                    "migrations": _applied_migrations(),
                    "records": records,
                    "files": files,
                },
                ensure_ascii=False,
                indent=1,
            ).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(manifest)
            archive.addfile(info, io.BytesIO(manifest))
    os.replace(partial, path)
    return BackupSummary(path, records, len(files) - 1)


def _safe_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def _unpack(path: Path, into: Path) -> dict:
    """Extract the archive into ``into`` and check every member against the manifest."""
    try:
        archive = tarfile.open(path, "r:*")  # noqa: SIM115 — closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise RenkeiError(_("バックアップを開けません: %(error)s") % {"error": error}) from error
    with archive:
        try:
            manifest = json.load(_member_file(archive, MANIFEST))
        except (KeyError, ValueError) as error:
            raise RenkeiError(_("バックアップに manifest.json がないか、読めません。")) from error
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise RenkeiError(
                _("このバックアップの形式（%(f)s）には対応していません。")
                % {"f": manifest.get("format")}
            )
        expected = manifest.get("files", {})
        seen = set()
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            if not member.isfile() or not _safe_member(member.name) or member.name not in expected:
                raise RenkeiError(
                    _("バックアップに目録にないもの「%(name)s」があります。")
                    % {"name": member.name}
                )
            target = into / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with _member_file(archive, member) as source, target.open("wb") as out:
                digest = hashlib.sha256()
                for chunk in iter(partial(source.read, 1 << 20), b""):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected[member.name]["sha256"]:
                raise RenkeiError(
                    _("「%(name)s」の SHA-256 が目録と一致しません（破損）。")
                    % {"name": member.name}
                )
            seen.add(member.name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise RenkeiError(
                _("目録にあるファイルがバックアップにありません: %(names)s")
                % {"names": "、".join(missing[:5])}
            )
    return manifest


def _check_empty() -> None:
    from renkei.tenancy.models import Union

    if Union.objects.exists() or get_user_model().objects.exists() or media_names():
        raise RenkeiError(
            _(
                "復元先に既に記録かファイルがあります。空のインストール"
                "（migrate しただけのデータベースと、空の MEDIA_ROOT またはバケット）に復元してください。"
            )
        )


def _check_migrations(manifest: dict) -> None:
    here, there = set(_applied_migrations()), set(manifest.get("migrations", []))
    if here != there:
        newer = sorted(there - here)
        raise RenkeiError(
            _(
                "バックアップと復元先でデータベースの版が違います（%(what)s）。"
                "同じ版の Renkei で renkei migrate を済ませてから復元してください。"
            )
            % {"what": "、".join((newer or sorted(here - there))[:3])}
        )


def restore(path: Path) -> dict:
    """Fill an empty installation from the archive at ``path``; returns its manifest."""
    with tempfile.TemporaryDirectory(prefix="renkei-restore-") as tmp:
        unpacked = Path(tmp)
        manifest = _unpack(Path(path), unpacked)
        _check_empty()
        _check_migrations(manifest)
        media = [name for name in manifest["files"] if name.startswith(f"{MEDIA}/")]
        copied: list[str] = []
        try:
            for member in media:
                name = member.removeprefix(f"{MEDIA}/")
                with (unpacked / member).open("rb") as file:
                    stored = default_storage.save(name, File(file))
                copied.append(stored)
                if stored != name:
                    raise RenkeiError(
                        _("「%(name)s」を同じ名前で保存できません。") % {"name": name}
                    )
            with transaction.atomic():
                # db.json reads with Django's JSON deserialiser (renkei-json only writes).
                call_command("loaddata", str(unpacked / DATABASE), verbosity=0)
        except BaseException:
            for name in copied:
                default_storage.delete(name)
            raise
    for member in media:
        with default_storage.open(member.removeprefix(f"{MEDIA}/"), "rb") as file:
            if _sha256(file)[0] != manifest["files"][member]["sha256"]:
                raise RenkeiError(
                    _("復元した「%(name)s」が目録と一致しません。") % {"name": member}
                )
    return manifest


def _member_file(archive: tarfile.TarFile, member: str | tarfile.TarInfo) -> IO[bytes]:
    """The content of a regular file in the archive; KeyError for a missing member or one
    that is not a regular file (a directory or link has no content to read)."""
    source = archive.extractfile(member)
    if source is None:
        raise KeyError(member)
    return source
