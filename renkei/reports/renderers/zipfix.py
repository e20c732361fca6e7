"""Make Office (zip) files byte-for-byte reproducible: fixed member timestamps."""

import io
import re
import zipfile

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CORE_PROPERTIES = "docProps/core.xml"
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def normalise_zip(data: bytes, modified: str | None = None) -> bytes:
    """The same archive with every member dated 1980-01-01 (order and content kept).

    ``modified`` (ISO 8601, e.g. ``2025-03-31T00:00:00Z``) replaces the document's
    dcterms:modified, which some writers (openpyxl) set to the time of saving."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            # Images are compressed already: store them rather than deflate again.
            stored = info.filename.lower().endswith((".jpg", ".jpeg", ".png", ".gif"))
            member.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            content = source.read(info.filename)
            if modified and info.filename == CORE_PROPERTIES:
                content = MODIFIED.sub(rb"\g<1>" + modified.encode() + rb"\g<2>", content)
            target.writestr(member, content)
    return output.getvalue()
