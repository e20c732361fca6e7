"""Builds the Word template the report is written on (styles, A4 page, header, footer).

The secretariat may replace the shipped file with their own template: the renderer
uses only Word's built-in styles (Title, Subtitle, Heading 1–3, Body Text, Caption,
Table Grid, TOC Heading and toc 1 where present) and fills the first header paragraph with the report's title.

    python -m renkei.reports.renderers.docx_template renkei/reports/templates/reports/report-template.docx
"""

import io
import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .zipfix import normalise_zip

FONT = "IPAexゴシック"
BLUE = RGBColor(0x00, 0x11, 0x8F)
TEMPLATE_PATH = (
    Path(__file__).resolve().parent.parent / "templates" / "reports" / "report-template.docx"
)
FIXED_TIME = datetime(2024, 4, 1)


def set_font(style_or_run, size: float | None = None, bold: bool | None = None, colour=None):
    """Set the (East Asian too) font of a style or run."""
    font = style_or_run.font
    font.name = FONT
    r_pr = style_or_run.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attribute), FONT)
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if colour is not None:
        font.color.rgb = colour


def add_page_field(paragraph) -> None:
    """A PAGE field (the page number), written as Word writes it."""
    run = paragraph.add_run()
    for kind, text in (
        ("begin", None),
        (None, "PAGE"),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _styles(document) -> None:
    styles = document.styles
    set_font(styles["Normal"], 10.5)
    styles["Normal"].paragraph_format.space_after = Pt(2)
    styles["Normal"].paragraph_format.line_spacing = 1.25
    set_font(styles["Title"], 24, True, BLUE)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(styles["Subtitle"], 13, False, RGBColor(0x33, 0x33, 0x33))
    styles["Subtitle"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name, size in (("Heading 1", 15), ("Heading 2", 12), ("Heading 3", 10.5)):
        set_font(styles[name], size, True, BLUE)
        styles[name].paragraph_format.space_before = Pt(10)
        styles[name].paragraph_format.space_after = Pt(4)
        styles[name].paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = True
    set_font(styles["Body Text"], 10.5)
    styles["Body Text"].paragraph_format.first_line_indent = Pt(10.5)
    set_font(styles["Caption"], 9, False, RGBColor(0x33, 0x33, 0x33))
    styles["Caption"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Header", "Footer", "Table Grid", "List Bullet"):
        set_font(styles[name])
    # The contents' entries (Word's built-in name; Word applies it when it updates them).
    toc = styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    toc.style_id, toc.base_style = "TOC1", styles["Normal"]
    set_font(toc, 10.5)
    toc.paragraph_format.space_before = toc.paragraph_format.space_after = Pt(3)


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.left_margin = section.right_margin = Mm(18)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = ""
    set_font(header.style, 8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("- ")
    add_page_field(footer)
    footer.add_run(" -")


def build_template(path: Path = TEMPLATE_PATH) -> Path:
    """Write the default report template to ``path``."""
    document = Document()
    _styles(document)
    _page(document)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    properties = document.core_properties
    properties.author = properties.last_modified_by = "Renkei"
    properties.title = "広域連携事業報告書"
    properties.created = properties.modified = FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(normalise_zip(buffer.getvalue()))
    return path


if __name__ == "__main__":
    print(build_template(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE_PATH))
