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
import math
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from renkei.errors import RenkeiError

MAX_BYTES = 20 * 1024 * 1024  # a 48-megapixel phone JPEG is 10–20 MB
MAX_PIXELS_JPEG = 80_000_000  # a 48-megapixel phone photo (8000×6000) is well inside
MAX_PIXELS_OTHER = 20_000_000  # PNG, WebP: decoded whole, 80 MB at most
FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_FORMATS = {"JPEG", "MPO"}  # MPO: a phone JPEG with more pictures, opened as JPEG
MAX_EDGE = 2400
LARGE_EDGE = 1200  # the portal's large view: sharp on a phone, a tenth of the stored bytes
THUMB_EDGE = 320
BAND_ROWS = 200  # stored rows resampled at a time
EXIF_DATETIME_ORIGINAL = 0x9003
EXIF_DATETIME = 0x0132
EXIF_IFD = 0x8769


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo ready to store: re-encoded JPEG bytes, its thumbnail and large view
    (``RENDITIONS``), the date taken."""

    name: str
    data: bytes
    thumbnail: bytes
    taken_on: date | None
    large: bytes = b""


def _check_size(image: Image.Image) -> None:
    jpeg = image.format in JPEG_FORMATS
    limit = MAX_PIXELS_JPEG if jpeg else MAX_PIXELS_OTHER
    if image.width * image.height > limit:
        raise RenkeiError(
            _(
                "写真の画素数が多すぎます（%(width)s×%(height)s）。%(kind)sは%(limit)s万画素までです。"
            )
            % {
                "width": image.width,
                "height": image.height,
                "kind": "JPEG" if jpeg else "PNG・WebP",
                "limit": f"{limit // 10_000:,}",
            }
        )


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
    image.load()
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGB")
    image = _shrink(image)
    ImageOps.exif_transpose(image, in_place=True)
    return image if image.mode == "RGB" else image.convert("RGB")


def _shrink(image: Image.Image) -> Image.Image:
    """``image`` scaled to fit MAX_EDGE, resampled in bands of rows: Pillow's resampler
    keeps an intermediate image as tall as its input, so one pass over a whole
    4800-pixel-high picture would need half as much memory again as the picture."""
    width, height = image.size
    scale = max(width, height) / MAX_EDGE
    if scale <= 1:
        return image
    size = (max(1, round(width / scale)), max(1, round(height / scale)))
    shrunk = Image.new(image.mode, size)
    rows = height / size[1]  # source rows per stored row
    margin = math.ceil(2 * rows) + 2  # the bicubic filter's reach beyond a band
    for top in range(0, size[1], BAND_ROWS):
        bottom = min(size[1], top + BAND_ROWS)
        first = max(0, math.floor(top * rows) - margin)
        band = image.crop((0, first, width, min(height, math.ceil(bottom * rows) + margin)))
        shrunk.paste(
            band.resize(
                (size[0], bottom - top),
                Image.Resampling.BICUBIC,
                box=(0, top * rows - first, width, bottom * rows - first),
            ),
            (0, top),
        )
    shrunk.info = image.info  # the EXIF orientation, for exif_transpose
    return shrunk


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= → no metadata
    return out.getvalue()


def prepare_photo(upload) -> PreparedPhoto:
    """Check an uploaded file and re-encode it; raises RenkeiError with a message the
    uploader can act on when it is too large or not a usable image."""
    if upload.size is None or upload.size > MAX_BYTES:
        raise RenkeiError(
            _("写真のファイルが大きすぎます（%(limit)sMBまで）。")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)  # read from where it lies (a large upload: a temporary file), not copied
    try:
        image = Image.open(upload, formats=FORMATS)  # reads the header only
        _check_size(image)
        taken_on = _taken_on(image)
        stored = _decode_reduced(image)
        data = _jpeg(stored)
        thumbnail_data, large_data = (
            _jpeg(_fitted(stored, edge)) for edge in (THUMB_EDGE, LARGE_EDGE)
        )
    except Image.DecompressionBombError as error:
        raise RenkeiError(
            _(
                "写真の画素数が多すぎます。JPEGは%(jpeg)s万画素、PNG・WebPは%(other)s万画素までです。"
            )
            % {"jpeg": f"{MAX_PIXELS_JPEG // 10_000:,}", "other": f"{MAX_PIXELS_OTHER // 10_000:,}"}
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise RenkeiError(
            _("画像として読み取れないファイルです（JPEG・PNG・WebP を選んでください）。")
        ) from error
    stem = (getattr(upload, "name", "") or "photo").rsplit("/", 1)[-1].rsplit(".", 1)[0][:60]
    return PreparedPhoto(
        name=f"{stem or 'photo'}.jpg",
        data=data,
        thumbnail=thumbnail_data,
        large=large_data,
        taken_on=taken_on,
    )


def _fitted(image: Image.Image, edge: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((edge, edge))
    return copy


def rendition(stored, edge: int) -> bytes:
    """A stored photo (an open file of ``prepare_photo``'s JPEG, at most MAX_EDGE) fitted
    within ``edge`` pixels, as JPEG: the sizes made lazily for photos stored before
    they were made at upload."""
    with Image.open(stored, formats=("JPEG",)) as image:
        image.draft("RGB", (edge, edge))
        return _jpeg(_fitted(image.convert("RGB"), edge))
