"""Photos as they are stored: checked, bounded, re-encoded to JPEG without metadata.

Every way a photo arrives (staff screens, admin, anything later) reaches
``services.add_photo``, which stores only what ``prepare_photo`` made. Re-encoding from
pixels drops every EXIF tag (the GPS position included) and anything appended to the
file; only the date taken is read first, to keep it and suggest it as the activity's date.

Memory stays bounded whatever the file claims: the byte size is checked before reading,
the pixel count from the header before decoding, and a JPEG is decoded at 1/2, 1/4 or
1/8 scale (``Image.draft``) when that is still at least the stored size. A PNG or WebP
has no such reduced decoding, so its limit is lower (its pixels are held at 4 bytes each).
"""

import io
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from renkei.errors import RenkeiError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS_JPEG = 80_000_000     # a 48-megapixel phone photo (8000×6000) is well inside
MAX_PIXELS_OTHER = 20_000_000    # PNG, WebP: decoded whole, 80 MB at most
FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_FORMATS = {"JPEG", "MPO"}  # MPO: a phone JPEG with more pictures, opened as JPEG
MAX_EDGE = 2400
THUMB_EDGE = 320
EXIF_DATETIME_ORIGINAL = 0x9003
EXIF_DATETIME = 0x0132
EXIF_IFD = 0x8769


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo ready to store: re-encoded JPEG bytes, its thumbnail, the date taken."""

    name: str
    data: bytes
    thumbnail: bytes
    taken_on: date | None


def _check_size(image: Image.Image) -> None:
    jpeg = image.format in JPEG_FORMATS
    limit = MAX_PIXELS_JPEG if jpeg else MAX_PIXELS_OTHER
    if image.width * image.height > limit:
        raise RenkeiError(
            _("写真の画素数が多すぎます（%(width)s×%(height)s）。%(kind)sは%(limit)s万画素までです。")
            % {"width": image.width, "height": image.height, "kind": "JPEG" if jpeg else "PNG・WebP",
               "limit": f"{limit // 10_000:,}"})


def _taken_on(image: Image.Image) -> date | None:
    exif = image.getexif()
    raw = exif.get_ifd(EXIF_IFD).get(EXIF_DATETIME_ORIGINAL) or exif.get(EXIF_DATETIME)
    try:
        return datetime.strptime(str(raw).strip(), "%Y:%m:%d %H:%M:%S").date() if raw else None
    except ValueError:
        return None


def _decode_reduced(image: Image.Image) -> Image.Image:
    """The image decoded no larger than the stored size, upright, in RGB."""
    if image.format in JPEG_FORMATS:
        scale = max(image.width, image.height) / MAX_EDGE
        if scale > 1:
            image.draft(None, (int(image.width / scale), int(image.height / scale)))
    image.thumbnail((MAX_EDGE, MAX_EDGE))  # decodes, then shrinks in place
    return ImageOps.exif_transpose(image).convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= → no metadata
    return out.getvalue()


def prepare_photo(upload) -> PreparedPhoto:
    """Check an uploaded file and re-encode it; raises RenkeiError with a message the
    uploader can act on when it is too large or not a usable image."""
    if upload.size is None or upload.size > MAX_BYTES:
        raise RenkeiError(_("写真のファイルが大きすぎます（10MBまで）。"))
    upload.seek(0)
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise RenkeiError(_("写真のファイルが大きすぎます（10MBまで）。"))
    try:
        image = Image.open(io.BytesIO(raw), formats=FORMATS)  # reads the header only
        _check_size(image)
        taken_on = _taken_on(image)
        stored = _decode_reduced(image)
        thumbnail = stored.copy()
        thumbnail.thumbnail((THUMB_EDGE, THUMB_EDGE))
        data, thumbnail_data = _jpeg(stored), _jpeg(thumbnail)
    except Image.DecompressionBombError as error:
        raise RenkeiError(_("写真の画素数が多すぎます。")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise RenkeiError(
            _("画像として読み取れないファイルです（JPEG・PNG・WebP を選んでください）。")) from error
    stem = (getattr(upload, "name", "") or "photo").rsplit("/", 1)[-1].rsplit(".", 1)[0][:60]
    return PreparedPhoto(name=f"{stem or 'photo'}.jpg", data=data, thumbnail=thumbnail_data,
                         taken_on=taken_on)
