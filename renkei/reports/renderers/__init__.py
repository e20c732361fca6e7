"""Renderers: each turns a ``ReportData`` into the bytes of one document format."""

from dataclasses import dataclass

# The participation table (8.5pt) in the PDF's text width (A4 less 18mm margins): a value
# column holds a three-character name on one line within 3pt padding either side (3.8em),
# 「内訳不明」 5em, the total (「1,234以上」) 4.4em; the activity column has the rest.
PARTICIPATION_EM = 8.5
PARTICIPATION_TEXT_WIDTH = 174 / 25.4 * 72
PARTICIPATION_VALUES_SHARE = 0.76  # at most, however many members a union has


def participation_widths(values: int) -> list[float]:
    """The value columns' widths as shares of the text width (members, その他の団体,
    内訳不明, 計), narrowed together when a union's members would take more than 76%."""
    wanted = [3.8] * (values - 2) + [5.0, 4.4]
    shares = [em * PARTICIPATION_EM / PARTICIPATION_TEXT_WIDTH for em in wanted]
    scale = min(1.0, PARTICIPATION_VALUES_SHARE / sum(shares))
    return [share * scale for share in shares]


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
