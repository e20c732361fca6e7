"""The report as a PDF (WeasyPrint): A4 portrait, IPAex Gothic embedded and subset.

A year of ordinary size is one WeasyPrint document. A long year (many detail pages)
is laid out in parts on all CPU cores; the parts are joined with pypdf, and the page
numbers, the table of contents' numbers and the bookmarks are added for the whole.
"""

import io
import multiprocessing
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings

from . import font_path
from .html import photo_file, print_photo, render_html

# Detail pages per part; a year with more is rendered in parts.
PART_PAGES = 12


def _allowed_roots() -> list[Path]:
    return [Path(font_path()).resolve().parent, Path(settings.MEDIA_ROOT).resolve()]


def _fetcher():
    """A URL fetcher for data: URLs, the font and stored photos: never the network."""
    from weasyprint.urls import URLFetcher

    roots = _allowed_roots()

    class SafeURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if not any(path.is_relative_to(root) for root in roots):
                    raise ValueError(f"refused to read {path}")
            elif parsed.scheme != "data":
                raise ValueError(f"refused to fetch {url[:80]}")
            return super().fetch(url, headers)

    return SafeURLFetcher(allowed_protocols=("file", "data"))


def _document(html: str):
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    document = HTML(string=html, url_fetcher=_fetcher(), base_url=str(settings.BASE_DIR))
    return document.render(font_config=fonts), fonts


def _write(document) -> bytes:
    return document.write_pdf(pdf_identifier=b"renkei-report")


def _render_part(html: str) -> tuple[bytes, int, dict[str, int]]:
    """One part: its PDF, its page count and the page index of each anchor."""
    document, _fonts = _document(html)
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:  # a section over several pages: its first page
            anchors.setdefault(name, index)
    return _write(document), len(document.pages), anchors


def render_pdf(report) -> bytes:
    """The report as PDF bytes; the same data gives the same pages."""
    if len(report.pages) <= PART_PAGES:
        document, _fonts = _document(render_html(report, print_layout=True))
        return _write(document)
    return _render_in_parts(report)


def _photo_files(report) -> list[Path]:
    names = [photo.path for page in report.pages if page.activity
             for item in page.activity.items for photo in item.photos]
    return [path for path in map(photo_file, names) if path is not None]


def _parts(report) -> list[dict]:
    chunks = [report.pages[i:i + PART_PAGES] for i in range(0, len(report.pages), PART_PAGES)]
    return [{"front": False, "lead": n == 0, "tail": n == len(chunks) - 1, "pages": chunk,
             "page_numbers": False} for n, chunk in enumerate(chunks)]


def _front_html(report, numbers: dict[str, str]) -> str:
    return render_html(report, print_layout=True, toc_numbers=numbers,
                       part={"front": True, "lead": False, "tail": False, "pages": [],
                             "page_numbers": False})


def _render_in_parts(report) -> bytes:
    # The front matter is laid out with placeholder numbers, alongside the parts, to
    # learn its length; the numbers only fill space reserved for them.
    # RENKEI_REPORT_PDF_WORKERS trades speed for memory (each worker holds a part's layout).
    workers = getattr(settings, "RENKEI_REPORT_PDF_WORKERS", None) or os.cpu_count() or 1
    photos = _photo_files(report)
    # Workers are reused: a fresh one per part would redo WeasyPrint's font set-up.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(print_photo, photos, chunksize=max(1, -(-len(photos) // workers)))
        placeholder = _front_html(report, {entry.anchor: "000" for entry in report.toc})
        htmls = [placeholder] + [render_html(report, print_layout=True, part=part)
                                 for part in _parts(report)]
        (_pdf, front_pages, _anchors), *parts = pool.map(_render_part, htmls, chunksize=1)
    first_pages, start = {}, front_pages
    for _pdf, count, anchors in parts:
        first_pages.update({name: start + index for name, index in anchors.items()})
        start += count
    numbers = {e.anchor: str(first_pages.get(e.anchor, 0) + 1) for e in report.toc}
    front, pages, _anchors = _render_part(_front_html(report, numbers))
    if pages != front_pages:
        raise RuntimeError("table of contents changed length when numbered")
    pdfs = [front] + [pdf for pdf, _count, _anchors in parts]
    del parts
    return _join(report, pdfs, start, first_pages)


def _numbering(total: int) -> bytes:
    """Blank pages carrying only the page number (the cover none), to stamp on the parts."""
    css = (f'@font-face {{ font-family: "IPAexGothic"; src: url("{Path(font_path()).as_uri()}"); }}'
           '@page { size: A4 portrait; margin: 22mm 18mm 20mm;'
           ' @bottom-center { content: "- " counter(page) " -"; font-family: "IPAexGothic";'
           ' font-size: 9pt; } } @page :first { @bottom-center { content: none; } }'
           'div { break-after: page; height: 1px; }')
    html = f"<html><head><style>{css}</style></head><body>{'<div></div>' * total}</body></html>"
    document, _fonts = _document(html)
    return _write(document)


def _join(report, pdfs: list[bytes], total: int, first_pages: dict[str, int]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    while pdfs:  # let each part go once copied, to keep the peak memory down
        writer.append(PdfReader(io.BytesIO(pdfs.pop(0))), import_outline=False)
    stamps = PdfReader(io.BytesIO(_numbering(total)))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()
    for entry in report.toc:
        if entry.anchor in first_pages:
            writer.add_outline_item(title=entry.title, page_number=first_pages[entry.anchor])
    writer.add_metadata({"/Title": report.title, "/Author": report.union_name})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
