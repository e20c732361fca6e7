"""The Word report as an office suite lays it out: headless LibreOffice converts it to PDF.

For people to look at the Word file's pages (``renkei report 2024 --format png-pages
--from docx``) and for the tests that check the file holds up in a real office suite.
The web application never runs it.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 300


class OfficeError(Exception):
    """LibreOffice is missing or could not convert the file; the message says which."""


def soffice() -> str | None:
    """The LibreOffice program (Debian: libreoffice-writer-nogui), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes) -> bytes:
    """The .docx bytes laid out and exported to PDF by LibreOffice."""
    program = soffice()
    if program is None:
        raise OfficeError(
            _(
                "LibreOffice（soffice）がありません。"
                "libreoffice-writer-nogui をインストールしてください。"
            )
        )
    with tempfile.TemporaryDirectory(prefix="renkei-office-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(data)
        # A profile of its own: otherwise a LibreOffice already running for this user
        # (or a parallel conversion) takes the job over and none is written here.
        profile = (folder / "profile").as_uri()
        try:
            result = subprocess.run(  # noqa: S603 — fixed arguments, no shell
                [
                    program,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(source),
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired as error:
            raise OfficeError(
                _("LibreOffice の変換が %(s)s 秒で終わりませんでした。") % {"s": TIMEOUT_SECONDS}
            ) from error
        pdf = folder / "report.pdf"
        if not pdf.exists():
            raise OfficeError(
                _("LibreOffice が PDF を書き出しませんでした: %(detail)s")
                % {"detail": (result.stderr or result.stdout).strip()[-500:]}
            )
        return pdf.read_bytes()
