"""Files that belong to database rows: they reach their final name only with the commit.

A service that stores files beside rows opens ``files_on_commit(storage)`` around its
transaction and stores each file through it. The bytes are written at once under a
staging name (so a full disk fails the transaction, not the file after it), and moved to
their final, deterministic name when the transaction commits. If the transaction fails,
the staged files are removed (``renkei verify_reports`` lists what a process that died
left behind); a final name is never taken by a file whose row does not exist. On local
disk the move is one rename; in object storage (renkei.object_storage) a copy inside the
bucket, after which the staged object is removed::

    with files_on_commit(storage) as store, transaction.atomic():
        ...save the row...
        store(row.file.name, content)
"""

import hashlib
import logging
import os
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

STAGING_DIR = "staging"


def staging_name(final_name: str) -> str:
    """Where ``final_name``'s bytes wait for the commit: one staging folder per storage."""
    return f"{STAGING_DIR}/{uuid.uuid4().hex}-{os.path.basename(final_name)}"


def store_on_commit(storage, name: str, content: bytes, *, using=None) -> str:
    """Stage ``content`` now and give it ``name`` once the current transaction commits.

    Returns the staged name, for ``discard_staged`` when the transaction fails."""
    staged = storage.save(staging_name(name), ContentFile(content))
    transaction.on_commit(lambda: _move(storage, staged, name), using=using)
    return staged


def store_in_place(storage, name: str, content: bytes) -> None:
    """Store a file that no row's transaction waits for (a derived file, such as a
    photo's size made on first request): staged, then moved to ``name`` at once, so a
    concurrent reader never meets it half-written (one atomic rename on a local disk)."""
    _move(storage, storage.save(staging_name(name), ContentFile(content)), name)


@contextmanager
def files_on_commit(storage):
    """Yield ``store(name, content)``; every file stored is removed again if the block
    (the transaction inside it) fails."""
    staged: list[str] = []
    try:
        yield lambda name, content: staged.append(store_on_commit(storage, name, content))
    except BaseException:
        for name in staged:
            discard_staged(storage, name)
        raise


def stored_names(storage, folders=("",), *, skip=(STAGING_DIR,)) -> list[str]:
    """Every file stored under ``folders`` (walked through the storage, so local disk or
    object storage alike), sorted; folders named in ``skip`` are not entered."""
    names: list[str] = []

    def walk(folder: str) -> None:
        try:
            subfolders, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        prefix = f"{folder}/" if folder else ""
        names.extend(prefix + name for name in files)
        for sub in subfolders:
            if prefix + sub not in skip:
                walk(prefix + sub)

    for folder in folders:
        walk(folder)
    return sorted(names)


def discard_staged(storage, staged: str) -> None:
    """Remove a staged file whose transaction did not commit."""
    if storage.exists(staged):
        storage.delete(staged)


def is_local(storage) -> bool:
    """Whether ``storage`` keeps its files on this machine's disk (it has paths)."""
    try:
        storage.path("")
    except NotImplementedError:  # object storage: names, no paths
        return False
    return True


def _move(storage, staged: str, name: str) -> None:
    """Give the staged file its final name, replacing a leftover of a failed attempt (the
    row that owns ``name`` is committed, so nothing else can own that file)."""
    if is_local(storage):  # one atomic rename
        final = storage.path(name)
        os.makedirs(os.path.dirname(final), exist_ok=True)
        os.replace(storage.path(staged), final)
        return
    if hasattr(storage, "move"):  # object storage: a copy inside the bucket
        storage.move(staged, name)
        return
    if storage.exists(name):
        storage.delete(name)
    with storage.open(staged, "rb") as file:
        saved = storage.save(name, file)
    if saved != name:  # a storage that renames on its own
        raise RuntimeError(f"storage stored {name} as {saved}")
    storage.delete(staged)


def local_file(storage, name: str) -> Path | None:
    """A file on this machine holding the bytes stored as ``name``, for libraries that
    read by path (the PDF and Word renderers), or None when nothing is stored under it.

    On local disk it is the stored file itself. From object storage it is a copy kept
    under RENKEI_CACHE_DIR, named after the storage, the name, and the object's size and
    time, so a replaced object is fetched again; the copy appears whole (renamed into
    place), so processes sharing the folder never read half of one."""
    if is_local(storage):
        path = Path(storage.path(name))
        return path if path.is_file() else None
    try:
        size = storage.size(name)
    except FileNotFoundError:
        return None
    modified = storage.get_modified_time(name)
    # The storage's own settings (bucket, endpoint, prefix) tell two stores apart.
    where = sorted((k, v) for k, v in storage.deconstruct()[2].items() if isinstance(v, str))
    key = hashlib.sha256(f"{where}|{name}|{size}|{modified.isoformat()}".encode()).hexdigest()
    copy = Path(settings.RENKEI_CACHE_DIR) / "stored-files" / key[:2] / key
    if not copy.is_file():
        copy.parent.mkdir(parents=True, exist_ok=True)
        partial = copy.with_name(f"{key}.{uuid.uuid4().hex}.part")
        with storage.open(name, "rb") as stored, partial.open("wb") as out:
            for chunk in stored.chunks():
                out.write(chunk)
        os.replace(partial, copy)
    return copy


def stored_file_response(
    storage,
    name: str,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    as_attachment: bool = False,
    sha256: str | None = None,
) -> FileResponse | HttpResponse:
    """Serve a stored file; a missing file (or, given ``sha256``, one whose bytes no
    longer match) gets a page saying so in Japanese (404) instead of a server error."""
    filename = filename or os.path.basename(name)
    try:
        file = storage.open(name, "rb")
    except FileNotFoundError:
        return _missing_file_page(filename, damaged=False)
    if sha256 is not None:
        digest = hashlib.sha256()
        for chunk in file.chunks():
            digest.update(chunk)
        if digest.hexdigest() != sha256:
            file.close()
            return _missing_file_page(filename, damaged=True)
        file.seek(0)
    return FileResponse(
        file, as_attachment=as_attachment, filename=filename, content_type=content_type
    )


def _missing_file_page(filename: str, *, damaged: bool) -> HttpResponse:
    logger.error(
        "stored file %s %s", filename, "does not match its hash" if damaged else "is missing"
    )
    body = render_to_string("missing_file.html", {"filename": filename, "damaged": damaged})
    return HttpResponseNotFound(body)
