"""Renderers: each turns a ``ReportData`` into the bytes of one document format."""

import importlib.util
from dataclasses import dataclass
from pathlib import Path

FONT_FAMILY = "IPAexGothic"


def font_path() -> str:
    """IPAex Gothic as shipped by the matplotlib-fontja package (never a system font)."""
    # Located without importing the package (its import loads matplotlib).
    spec = importlib.util.find_spec("matplotlib_fontja")
    return str(Path(spec.origin).parent / "fonts" / "ipaexg.ttf")


@dataclass(frozen=True)
class FormatSpec:
    """A document format: its file extension and media type."""

    extension: str
    content_type: str


FORMATS = {
    "pdf": FormatSpec("pdf", "application/pdf"),
    "docx": FormatSpec(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "html": FormatSpec("html", "text/html; charset=utf-8"),
    "xlsx": FormatSpec("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def render(report, fmt: str, **options) -> bytes:
    """The report in format ``fmt`` (pdf, docx, html, xlsx) as bytes."""
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(report)
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(report, **options)
    if fmt == "html":
        from .html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(report)
    raise ValueError(fmt)
