"""Make Office (zip) files byte-for-byte reproducible: fixed member timestamps."""

import io
import zipfile

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def normalise_zip(data: bytes) -> bytes:
    """The same archive with every member dated 1980-01-01 (order and content kept)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            # Images are compressed already: store them rather than deflate again.
            stored = info.filename.lower().endswith((".jpg", ".jpeg", ".png", ".gif"))
            member.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, source.read(info.filename))
    return output.getvalue()
