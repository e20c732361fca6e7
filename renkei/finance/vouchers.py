"""Checking an uploaded voucher (証憑) before it is stored, as photos are checked.

A PDF is kept byte for byte (it is the document) but must look like one: the "%PDF-"
header and an "%%EOF" trailer; it is only ever served as a download with its own type,
never shown inline. An image goes through the photo checks (Pillow, pixel limits) and is
re-encoded as JPEG, which drops its metadata. Both are bounded in size."""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from renkei.errors import RenkeiError
from renkei.programmes.images import prepare_photo

MAX_BYTES = 10 * 1024 * 1024  # a scanned multi-page invoice is well under 10 MB
PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class PreparedVoucher:
    name: str
    original_name: str
    data: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _original_name(upload) -> str:
    return (getattr(upload, "name", "") or "voucher").replace("\\", "/").rsplit("/", 1)[-1][:200]


def prepare_voucher(upload) -> PreparedVoucher:
    """Check an uploaded voucher; raises RenkeiError the uploader can act on."""
    original = _original_name(upload)
    if upload.size is None or upload.size > MAX_BYTES:
        raise RenkeiError(
            _("証憑「%(name)s」が大きすぎます（%(limit)sMBまで）。")
            % {"name": original, "limit": MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        data = upload.read()
        if b"%%EOF" not in data[-2048:]:
            raise RenkeiError(
                _("証憑「%(name)s」は PDF として完全ではありません（末尾がありません）。")
                % {"name": original}
            )
        return PreparedVoucher("voucher.pdf", original, data, PDF_TYPE)
    try:
        photo = prepare_photo(upload)
    except RenkeiError as error:
        raise RenkeiError(
            _("証憑「%(name)s」は PDF・JPEG・PNG・WebP として読み取れません。") % {"name": original}
        ) from error
    return PreparedVoucher("voucher.jpg", original, photo.data, "image/jpeg")
