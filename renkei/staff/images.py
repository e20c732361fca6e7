"""Uploaded photos: checked to be images, size-limited, re-encoded without metadata.

Re-encoding from pixels drops every EXIF tag (GPS position included); only the date
taken is read first, to keep it and suggest it as the activity's date.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from renkei.errors import RenkeiError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_EDGE = 2400
THUMB_EDGE = 320
EXIF_DATETIME_ORIGINAL = 0x9003
EXIF_DATETIME = 0x0132
EXIF_IFD = 0x8769


@dataclass
class ProcessedImage:
    name: str
    data: bytes
    thumbnail: bytes
    taken_on: date | None


def _taken_on(image: Image.Image) -> date | None:
    exif = image.getexif()
    raw = exif.get_ifd(EXIF_IFD).get(EXIF_DATETIME_ORIGINAL) or exif.get(EXIF_DATETIME)
    try:
        return datetime.strptime(str(raw).strip(), "%Y:%m:%d %H:%M:%S").date() if raw else None
    except ValueError:
        return None


def _jpeg(image: Image.Image, edge: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((edge, edge))
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=85, optimize=True)  # no exif= → no metadata
    return out.getvalue()


def process_upload(upload) -> ProcessedImage:
    """Check and re-encode an uploaded file; raises RenkeiError when it is not a usable image."""
    if upload.size > MAX_BYTES:
        raise RenkeiError(_("写真のファイルが大きすぎます（10MBまで）。"))
    raw = upload.read()
    try:
        probe = Image.open(io.BytesIO(raw))
        probe.verify()
        image = Image.open(io.BytesIO(raw))
        if image.width * image.height > MAX_PIXELS:
            raise RenkeiError(_("写真の画素数が多すぎます。"))
        taken_on = _taken_on(image)
        image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise RenkeiError(_("画像として読み取れないファイルです（JPEG・PNG・WebP を選んでください）。")) from error
    stem = (upload.name or "photo").rsplit(".", 1)[0][:60] or "photo"
    return ProcessedImage(name=f"{stem}.jpg", data=_jpeg(image, MAX_EDGE),
                          thumbnail=_jpeg(image, THUMB_EDGE), taken_on=taken_on)
