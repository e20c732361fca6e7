"""The report as an HTML page (standalone: photos and charts embedded), and the print
variant WeasyPrint turns into the PDF."""

import base64
import hashlib
import mimetypes
import os
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from renkei.files import local_file

from . import charts
from .base import DRAFT_MARK, Renderer, register
from .fonts import FONT_FAMILY, font_path
from .widths import participation_widths

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "reports"
PRINT_PHOTO_PIXELS = 800  # 8.7 cm wide in print: about 230 dpi
PRINT_PHOTO_BYTES = 250_000
# Photos in the print layout are named by their stored name, not their place on disk, so
# the same records give the same PDF on every installation; the PDF's URL fetcher finds
# the file (scaled for print).
PHOTO_SCHEME = "renkei-photo"


def css_string(text: str) -> str:
    """A CSS string literal of any text: every non-alphanumeric character escaped."""
    return (
        '"'
        + "".join(ch if ch.isalnum() and ch.isascii() else f"\\{ord(ch):06x}" for ch in text)
        + '"'
    )


DRAFT_PAGE_CSS = """
@page { @top-center { content: MARK; font-family: "IPAexGothic"; font-size: 14pt;
                      font-weight: bold; color: #ce0000; } }
@page cover { @top-center { content: MARK; font-family: "IPAexGothic"; font-size: 14pt;
                            font-weight: bold; color: #ce0000; } }
"""


def _css(print_layout: bool, title: str, page_numbers: bool, draft: bool = False) -> str:
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    if print_layout:
        face = (
            f'@font-face {{ font-family: "{FONT_FAMILY}"; '
            f'src: url("{Path(font_path()).as_uri()}"); }}\n'
        )
        page = (TEMPLATES / "print.css").read_text(encoding="utf-8")
        css = face + css + page.replace("RUNNING_TITLE", css_string(title))
        if not page_numbers:  # added afterwards to the merged document
            css += "\n@page { @bottom-center { content: none; } }"
        if draft:
            css += DRAFT_PAGE_CSS.replace("MARK", css_string(DRAFT_MARK))
    return css


def photo_file(name: str) -> Path | None:
    """A file on this machine with a stored photo's bytes (the stored file itself on local
    disk, a cached copy from object storage), or None when it is missing."""
    return local_file(default_storage, name)


def _data_uri(name: str) -> str | None:
    try:
        with default_storage.open(name, "rb") as file:
            content = file.read()
    except FileNotFoundError:
        return None
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"


def print_photo(path: Path) -> Path:
    """A copy of a large photo scaled for print (800 px, cached under RENKEI_CACHE_DIR), so
    a year of photos does not fill the PDF and memory with full-size camera images."""
    stat = path.stat()
    if stat.st_size <= PRINT_PHOTO_BYTES:
        return path
    source = f"{path}|{stat.st_size}|{stat.st_mtime_ns}|{PRINT_PHOTO_PIXELS}"
    key = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()  # a cache file name
    cached = Path(settings.RENKEI_CACHE_DIR) / "report-photos" / f"{key}.jpg"
    if not cached.exists():
        from PIL import Image, ImageOps

        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{key}.{os.getpid()}.tmp")
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
            image.thumbnail((PRINT_PHOTO_PIXELS, PRINT_PHOTO_PIXELS))
            image.save(partial, "JPEG", quality=82)
        partial.replace(cached)
    return cached


def _photo_urls(pages, print_layout: bool) -> dict[str, str]:
    """Each photo's address in the page: embedded bytes, or (print layout) its stored name,
    which the PDF's URL fetcher resolves to a local file given by the process that
    prepared the render (renderers.pdf), so laying out touches no storage."""
    urls = {}
    for page in pages:
        for item in page.activity.items if page.activity else []:
            for photo in item.photos:
                if print_layout:
                    urls[photo.path] = f"{PHOTO_SCHEME}:{quote(photo.path)}"
                elif (uri := _data_uri(photo.path)) is not None:
                    urls[photo.path] = uri
    return urls


ALL = {"front": True, "lead": True, "tail": True}


def _participation_css(values: int) -> str:
    """The participation table's column widths (as the Word file's)."""
    return "".join(
        f"\n.participation thead th:nth-child({n}) {{ width: {share * 100:.2f}%; }}"
        for n, share in enumerate(participation_widths(values), start=2)
    )


def context(
    report, *, print_layout: bool = False, part: dict | None = None, toc_numbers: dict | None = None
) -> dict:
    """The template context: the plain values plus what the layout needs.

    ``part`` selects the parts to render (front matter, lead chapters, pages, tail);
    the whole report by default. ``toc_numbers`` gives the table of contents its page
    numbers when the document is rendered in parts."""
    part = {**ALL, "pages": report.pages, **(part or {})}
    # Only our stylesheet, the CSS-escaped title and numbers: safe to insert unescaped.
    css = _css(
        print_layout,
        report.title,
        page_numbers=part.get("page_numbers", True),
        draft=getattr(report, "draft", False),
    )
    css += _participation_css(len(report.statistics.columns) - 1)
    return {
        "r": report,
        "part": part,
        "toc_numbers": toc_numbers,
        "css": mark_safe(css),  # noqa: S308 — the report's own stylesheet, no record text
        "title_parts": report.title.split(),
        "draft_mark": DRAFT_MARK if getattr(report, "draft", False) else "",
        "print_layout": print_layout,
        "issued_on": report.last_day,
        "photo_urls": _photo_urls(part["pages"], print_layout),
        "charts": charts.chart_uris(report) if part["tail"] else {},
        "chart_captions": charts.captions(),
    }


def render_html(report, *, print_layout: bool = False, **options) -> str:
    """The report (or the ``part`` given) as one HTML document (Japanese)."""
    with translation.override("ja"):
        return render_to_string(
            "reports/report.html", context(report, print_layout=print_layout, **options)
        )


@register
class HtmlRenderer(Renderer):
    identifier, verbose_name = "html", "HTML"
    extension, content_type = "html", "text/html; charset=utf-8"

    def generate(self, report, **options) -> bytes:
        return render_html(report, **options).encode("utf-8")
