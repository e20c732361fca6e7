"""The report as a PDF (WeasyPrint): A4 portrait, IPAex Gothic embedded and subset.

A year of ordinary size is one WeasyPrint document. A long year (many detail pages)
is laid out in parts on all CPU cores; the parts are joined with pypdf, and the page
numbers, the table of contents' numbers and the bookmarks are added for the whole.
"""

import multiprocessing
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings

from .base import Renderer, register
from .fonts import font_path
from .html import PHOTO_SCHEME, photo_file, print_photo, render_html

# Detail pages per part; a year with more is rendered in parts
# (RENKEI_REPORT_PDF_PART_PAGES overrides it).
PART_PAGES = 12


def _part_pages() -> int:
    return getattr(settings, "RENKEI_REPORT_PDF_PART_PAGES", None) or PART_PAGES


def _allowed_roots() -> list[Path]:
    return [
        Path(font_path()).resolve().parent,
        Path(settings.MEDIA_ROOT).resolve(),
        Path(settings.RENKEI_CACHE_DIR).resolve(),
    ]


def _fetcher(photos: dict[str, Path]):
    """A URL fetcher for data: URLs, the font and the report's photos (``photos``: stored
    name → local file, found before laying out): never the network, nor the storage."""
    from weasyprint.urls import URLFetcher

    roots = _allowed_roots()

    class SafeURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == PHOTO_SCHEME:
                path = photos.get(unquote(parsed.path))
                if path is None:
                    raise ValueError(f"no stored photo {url[:80]}")
                url = print_photo(path).as_uri()
                parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if not any(path.is_relative_to(root) for root in roots):
                    raise ValueError(f"refused to read {path}")
            elif parsed.scheme != "data":
                raise ValueError(f"refused to fetch {url[:80]}")
            return super().fetch(url, headers)

    return SafeURLFetcher(allowed_protocols=("file", "data"))


def _document(html: str, photos: dict[str, Path] | None = None):
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fetcher = _fetcher(photos or {})
    document = HTML(string=html, url_fetcher=fetcher, base_url=str(settings.BASE_DIR))
    return document.render(font_config=fonts), fonts


def _write(document) -> bytes:
    return document.write_pdf(pdf_identifier=b"renkei-report")


def html_to_pdf(html: str) -> bytes:
    """A short document (a notice) laid out as PDF with the report's font and the same
    fetcher: nothing is read but the font and data: URLs."""
    document, _fonts = _document(html)
    return document.write_pdf(pdf_identifier=b"renkei-notice")


def _render_part(
    html: str, out: str | None = None, photos: dict[str, Path] | None = None
) -> tuple[bytes | str, int, dict[str, int]]:
    """One part: its PDF (bytes, or written to the file ``out``), its page count and
    the page index of each anchor."""
    document, _fonts = _document(html, photos)
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:  # a section over several pages: its first page
            anchors.setdefault(name, index)
    if out is None:
        return _write(document), len(document.pages), anchors
    document.write_pdf(out, pdf_identifier=b"renkei-report")
    return out, len(document.pages), anchors


def render_pdf(report) -> bytes:
    """The report as PDF bytes; the same data gives the same pages."""
    if len(report.pages) <= _part_pages():
        html = render_html(report, print_layout=True)
        document, _fonts = _document(html, _photo_files(report))
        return _write(document)
    return _render_in_parts(report)


def _photo_files(report) -> dict[str, Path]:
    """The report's photos as local files (copied from object storage once, here, so the
    forked layout processes never open a connection of this one), by stored name."""
    names = {
        photo.path
        for page in report.pages
        if page.activity
        for item in page.activity.items
        for photo in item.photos
    }
    found = {name: photo_file(name) for name in sorted(names)}
    return {name: path for name, path in found.items() if path is not None}


def _parts(report, size: int) -> list[dict]:
    chunks = [report.pages[i : i + size] for i in range(0, len(report.pages), size)]
    return [
        {
            "front": False,
            "lead": n == 0,
            "tail": n == len(chunks) - 1,
            "pages": chunk,
            "page_numbers": False,
        }
        for n, chunk in enumerate(chunks)
    ]


def _front_html(report, numbers: dict[str, str]) -> str:
    return render_html(
        report,
        print_layout=True,
        toc_numbers=numbers,
        part={"front": True, "lead": False, "tail": False, "pages": [], "page_numbers": False},
    )


def _task(task: tuple) -> tuple[bytes | str, int, dict[str, int]]:
    """In a worker: lay out one piece of ``report`` (front matter, a part, the page-number
    stamps) and write its PDF to the file given; the HTML and layout never reach the parent.

    Everything a task needs comes in its arguments: a worker keeps nothing between tasks,
    so two reports rendered at the same moment can never mix."""
    report, kind, arg, out, photos = task
    if kind == "front":
        html = _front_html(report, arg)
    elif kind == "part":
        html = render_html(report, print_layout=True, part=arg)
    else:
        html = _numbering_html(arg)
    return _render_part(html, out, photos)


def _render_in_parts(report) -> bytes:
    # The front matter is laid out with placeholder numbers, alongside the parts, to
    # learn its length; the numbers only fill space reserved for them.
    # RENKEI_REPORT_PDF_WORKERS trades speed for memory (each worker holds a part's layout).
    # Memory: the parent only builds task lists; every layout and the join run in forked
    # processes that write files, so the parent holds the data and, at the end, the PDF.
    # The report travels to the workers with each task (pickled), never through module
    # state: a threaded server renders several unions' reports at once.
    workers = getattr(settings, "RENKEI_REPORT_PDF_WORKERS", None) or os.cpu_count() or 1
    photos = _photo_files(report)
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="renkei-pdf-") as tmp:

        def path(name):
            return os.path.join(tmp, f"{name}.pdf")

        placeholder = {entry.anchor: "000" for entry in report.toc}
        parts = _parts(report, _part_pages())
        tasks = [(report, "front", placeholder, path("front-0"), photos)] + [
            (report, "part", part, path(f"part-{n:04d}"), photos) for n, part in enumerate(parts)
        ]
        # Workers are reused: a fresh one per part would redo WeasyPrint's set-up.
        with context.Pool(workers) as pool:
            files = list(photos.values())
            pool.map(print_photo, files, chunksize=max(1, -(-len(files) // workers)))
            (_pdf, front_pages, _anchors), *laid_out = pool.map(_task, tasks, chunksize=1)
            first_pages, start = {}, front_pages
            for _pdf, count, anchors in laid_out:
                first_pages.update({name: start + index for name, index in anchors.items()})
                start += count
            numbers = {e.anchor: str(first_pages.get(e.anchor, 0) + 1) for e in report.toc}
            (front, pages, _anchors), (stamps, _count, _anchors) = pool.map(
                _task,
                [
                    (report, "front", numbers, path("front"), photos),
                    (report, "numbering", start, path("numbering"), photos),
                ],
                chunksize=1,
            )
        if pages != front_pages:
            raise RuntimeError("table of contents changed length when numbered")
        outline = [
            (entry.title, first_pages[entry.anchor])
            for entry in report.toc
            if entry.anchor in first_pages
        ]
        metadata = {"/Title": report.title, "/Author": report.union_name}
        # The join in a fresh process too: pypdf's objects go with it.
        with context.Pool(1) as pool:
            pool.apply(
                _join,
                (
                    [front] + [pdf for pdf, _c, _a in laid_out],
                    stamps,
                    outline,
                    metadata,
                    path("report"),
                ),
            )
        return Path(path("report")).read_bytes()


def _numbering_html(total: int) -> str:
    """Blank pages carrying only the page number (the cover none), to stamp on the parts."""
    css = (
        f'@font-face {{ font-family: "IPAexGothic"; src: url("{Path(font_path()).as_uri()}"); }}'
        "@page { size: A4 portrait; margin: 22mm 18mm 20mm;"
        ' @bottom-center { content: "- " counter(page) " -"; font-family: "IPAexGothic";'
        " font-size: 9pt; } } @page :first { @bottom-center { content: none; } }"
        "div { break-after: page; height: 1px; }"
    )
    return f"<html><head><style>{css}</style></head><body>{'<div></div>' * total}</body></html>"


def _join(
    parts: list[str], stamps: str, outline: list[tuple[str, int]], metadata: dict, out: str
) -> None:
    """Join the part files, stamp the page numbers, add the bookmarks; write ``out``."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(part), import_outline=False)
    for page, stamp in zip(writer.pages, PdfReader(stamps).pages, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()
    for title, page_number in outline:
        writer.add_outline_item(title=title, page_number=page_number)
    writer.add_metadata(metadata)
    with open(out, "wb") as file:
        writer.write(file)


@register
class PdfRenderer(Renderer):
    identifier, verbose_name = "pdf", "PDF"
    extension, content_type = "pdf", "application/pdf"

    def generate(self, report, **options) -> bytes:
        return render_pdf(report)
