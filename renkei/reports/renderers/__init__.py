"""Renderers: each turns a ``ReportData`` into the bytes of one document format."""

from dataclasses import dataclass


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
