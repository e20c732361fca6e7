"""Photos chosen in a form that came back with an error: kept on the server, so the
person does not choose the files again.

A chosen file is checked and re-encoded at once (``images.prepare_photo``: no EXIF, no
GPS position), and the result is kept as a pending file under ``pending/`` with a random
name. The page carries a token signed for the user who chose it (Django's signing with
SECRET_KEY), naming that file; nothing else of the file travels, and a token cannot be
forged, reused by another user or read back after ``MAX_AGE``. The photo reaches its final
place only through ``services.add_photo`` when the record is committed; the pending
files are removed after that commit. Pending files older than ``MAX_AGE`` are swept
whenever another one is kept (a form left with an error is never saved).
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.errors import RenkeiError
from renkei.programmes.images import PreparedPhoto

logger = logging.getLogger(__name__)

FOLDER = "pending"
SALT = "renkei.staff.pending-photo"
MAX_AGE = timedelta(hours=12)
EXPIRED = _("選んだ写真の保存期間が過ぎました。写真をもう一度選んでください。")


@dataclass(frozen=True)
class PendingPhoto:
    """A kept photo: its signed token (sent back by the page) and its file name to show."""

    token: str
    name: str


def _paths(key: str) -> tuple[str, str]:
    return f"{FOLDER}/{key}.jpg", f"{FOLDER}/{key}-thumb.jpg"


def keep(prepared: PreparedPhoto, user) -> PendingPhoto:
    """Store a prepared photo as pending; the token names it for ``user`` only."""
    sweep()
    key = secrets.token_hex(16)
    image, thumb = _paths(key)
    default_storage.save(image, ContentFile(prepared.data))
    default_storage.save(thumb, ContentFile(prepared.thumbnail))
    taken = prepared.taken_on.isoformat() if prepared.taken_on else ""
    token = signing.dumps(
        {"k": key, "n": prepared.name, "t": taken, "u": user.pk}, salt=SALT, compress=True
    )
    return PendingPhoto(token=token, name=prepared.name)


def _payload(token: str, user) -> dict:
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise RenkeiError(EXPIRED) from error
    except signing.BadSignature as error:
        raise RenkeiError(
            _("選んだ写真を確認できません。写真をもう一度選んでください。")
        ) from error
    if payload.get("u") != user.pk:
        raise RenkeiError(_("選んだ写真を確認できません。写真をもう一度選んでください。"))
    return payload


def describe(token: str, user) -> PendingPhoto:
    """The kept photo a token names (RenkeiError when it is forged, another user's or
    expired)."""
    return PendingPhoto(token=token, name=_payload(token, user)["n"])


def load(token: str, user) -> PreparedPhoto:
    """The prepared photo a token names, for ``services.add_photo``; its pending files
    are removed once the current transaction commits."""
    payload = _payload(token, user)
    image, thumb = _paths(payload["k"])
    try:
        with default_storage.open(image, "rb") as file:
            data = file.read()
        with default_storage.open(thumb, "rb") as file:
            thumbnail = file.read()
    except FileNotFoundError as error:
        raise RenkeiError(EXPIRED) from error
    transaction.on_commit(lambda: _delete(image, thumb))
    taken = date.fromisoformat(payload["t"]) if payload["t"] else None
    return PreparedPhoto(name=payload["n"], data=data, thumbnail=thumbnail, taken_on=taken)


def _delete(*names: str) -> None:
    for name in names:
        if default_storage.exists(name):
            default_storage.delete(name)


def sweep(now=None) -> int:
    """Remove pending files older than MAX_AGE; returns how many were removed."""
    limit = (now or timezone.now()) - MAX_AGE
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                removed += 1
        except FileNotFoundError:  # removed by another request meanwhile
            continue
    return removed
