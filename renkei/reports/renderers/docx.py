"""The report as an editable Word file, written on a replaceable .docx template with
Word's own styles (headings, tables, captions). Record text goes in plain text runs.

Office suites differ in what they read: LibreOffice lays tables out by the table grid,
Word by each cell's width, so every table carries both, in a fixed layout. The table of
contents is a TOC field written with its result already in place (every chapter, linked
to its heading), so a reader who never updates fields still sees the chapters; Word is
asked to update fields on opening, which fills in the page numbers."""

import io
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Emu, Pt, RGBColor

from .base import DRAFT_MARK, Renderer, register
from .docx_cells import row_cells, shade
from .docx_sections import write_body
from .docx_template import TEMPLATE_PATH
from .zipfix import normalise_zip


def template_path() -> Path:
    """The template in use: settings.RENKEI_REPORT_DOCX_TEMPLATE, else the shipped one."""
    return Path(getattr(settings, "RENKEI_REPORT_DOCX_TEMPLATE", None) or TEMPLATE_PATH)


def blank_document(template: str | Path | None = None):
    """The report's Word template (or ``template``) with its body emptied: its styles,
    page set-up and fonts kept, for the report and the documents beside it."""
    document = Document(str(template or template_path()))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


class Writer:
    """Appends the report's parts to a Word document."""

    def __init__(self, document):
        self.document = document
        self._images: dict[str, str] = {}  # sha1 → relationship id
        self._shape_id = 10_000  # above any id the template uses
        self._styles: dict = {}
        self.bookmarks: dict[str, str] = {}  # chapter anchor → bookmark the contents link to
        self._bookmark_id = 0
        section = document.sections[-1]
        self.text_width = section.page_width - section.left_margin - section.right_margin

    def style(self, name: str):
        """A style object, looked up once (python-docx scans all styles per name)."""
        if name not in self._styles:
            self._styles[name] = self.document.styles[name]
        return self._styles[name]

    def heading(self, text: str, level: int = 1, anchor: str | None = None):
        """A heading; a chapter's (``anchor`` from the report's contents) is bookmarked
        for the contents to link to."""
        paragraph = self.document.add_paragraph(style=self.style(f"Heading {level}"))
        run = paragraph.add_run(text)
        if anchor in self.bookmarks:
            self._bookmark_id += 1
            start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
            start.set(qn("w:id"), str(self._bookmark_id))
            start.set(qn("w:name"), self.bookmarks[anchor])
            end.set(qn("w:id"), str(self._bookmark_id))
            run._r.addprevious(start)
            run._r.addnext(end)
        return paragraph

    def columns(self, widths: list) -> list[Emu]:
        """Column widths: a length is kept, None shares what is left of the text width."""
        fixed = sum(width for width in widths if width is not None)
        shares = sum(1 for width in widths if width is None)
        rest = max(self.text_width - fixed, 0) / shares if shares else 0
        return [Emu(int(rest if width is None else width)) for width in widths]

    def paragraph(
        self,
        text: str = "",
        style: str | None = None,
        *,
        bold: bool = False,
        align=None,
        container=None,
    ):
        target = container if container is not None else self.document
        paragraph = target.add_paragraph(style=self.style(style) if style else None)
        if text:
            paragraph.add_run(text).bold = bold or None
        if align is not None:
            paragraph.alignment = align
        return paragraph

    def prose(self, text: str, container=None):
        return self.paragraph(text, "Body Text", container=container)

    def bullet(self, text: str, container=None):
        paragraph = self.paragraph(f"・{text}", container=container)
        paragraph.paragraph_format.left_indent = Pt(10.5)
        paragraph.paragraph_format.first_line_indent = Pt(-10.5)
        return paragraph

    def new_table(self, rows: int, widths: list):
        """An empty Table Grid table, centred, its columns fixed at ``widths`` (see
        ``columns``)."""
        table = self.document.add_table(rows=rows, cols=len(widths))
        table.style = self.style("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        fix_columns(table, self.columns(widths))
        return table

    def table(
        self,
        header: list[str] | None,
        rows: list[list[str]],
        *,
        numeric=(),
        widths: list | None = None,
        total_rows: int = 0,
        font_size: float | None = None,
        cell_margin=None,
    ):
        """A Table Grid table; ``numeric`` column indexes are right-aligned; ``widths``
        as ``columns`` takes them (by default the columns share the text width);
        ``font_size`` in points, when smaller than the body's; ``cell_margin`` (a length)
        the cells' left and right margins, when narrower than the style's."""
        count = len(rows) + (1 if header else 0)
        columns = len(header) if header else len(rows[0])
        table = self.new_table(count, widths or [None] * columns)
        if cell_margin is not None:
            set_cell_margins(table, cell_margin)
        all_rows = ([header] if header else []) + rows
        for r, (row, values) in enumerate(zip(table.rows, all_rows, strict=True)):
            is_header = bool(header) and r == 0
            is_total = r >= count - total_rows
            for c, (cell, value) in enumerate(zip(row_cells(table, row), values, strict=True)):
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(value)
                run.bold = (is_header or is_total) or None
                if font_size:
                    run.font.size = Pt(font_size)
                if is_header:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    shade(cell, "E8F1FE")
                elif c in numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if is_header:
                repeat_header(row)
        self.document.add_paragraph()
        return table

    def page_break(self):
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def picture(self, data_or_path, width_cm: float, caption: str, container=None):
        target = container if container is not None else self.document
        paragraph = target.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        source = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else str(data_or_path)
        self._add_picture(paragraph.add_run(), source, Cm(width_cm))
        if caption:
            self.paragraph(caption, "Caption", container=container)

    def _add_picture(self, run, source, width) -> None:
        """Run.add_picture without its per-picture re-hashing of every image already in
        the file (quadratic: minutes for a year of 300 photos)."""
        part = self.document.part
        image = DocxImage.from_file(source)
        if image.sha1 not in self._images:
            # python-docx's own helper (numbers the part); only the sha1 look-up is ours.
            image_part = part.package.image_parts._add_image_part(image)
            self._images[image.sha1] = part.relate_to(image_part, RT.IMAGE)
        cx, cy = image.scaled_dimensions(width, None)
        self._shape_id += 1
        inline = CT_Inline.new_pic_inline(
            self._shape_id, self._images[image.sha1], image.filename, cx, cy
        )
        run._r.add_drawing(inline)


def fix_columns(table, widths: list[Emu]) -> None:
    """Column widths that office suites honour: a fixed layout, the table's own width, the
    grid's columns (LibreOffice lays tables out by these) and every cell's width (Word)."""
    table.autofit = False  # <w:tblLayout w:type="fixed"/>
    table_width = table._tbl.tblPr.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(width.twips for width in widths)))
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width
    for row in table.rows:
        for cell, width in zip(row_cells(table, row), widths, strict=True):
            cell.width = width


# What follows w:tblCellMar in w:tblPr (ECMA-376 CT_TblPr).
AFTER_CELL_MARGINS = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def set_cell_margins(table, margin) -> None:
    """The table's left and right cell margins (w:tblCellMar), for every cell."""
    properties = table._tbl.tblPr
    margins = properties.find(qn("w:tblCellMar"))
    if margins is None:
        margins = OxmlElement("w:tblCellMar")
        properties.insert_element_before(margins, *AFTER_CELL_MARGINS)
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(margin.twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)


def repeat_header(row) -> None:
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


TOC_INSTRUCTION = ' TOC \\o "1-1" \\h \\z \\u '


def _toc(w: Writer, report) -> None:
    """The contents: a TOC field whose result is already written (each chapter linked to
    its heading's bookmark, its page a PAGEREF field), as Word writes an updated one."""
    w.paragraph(_("目次"), "TOC Heading" if _has_style(w.document, "TOC Heading") else "Heading 1")
    w.bookmarks = {entry.anchor: f"_Toc{n:08d}" for n, entry in enumerate(report.toc, start=1)}
    style = "toc 1" if _has_style(w.document, "toc 1") else None
    for n, entry in enumerate(report.toc):
        paragraph = w.paragraph(style=style)
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            w.text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        if n == 0:
            _field_code(paragraph._p, "begin", TOC_INSTRUCTION)
        bookmark = w.bookmarks[entry.anchor]
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), bookmark)
        link.set(qn("w:history"), "1")
        link.append(_run(text=entry.title))
        link.append(_run(OxmlElement("w:tab")))
        _field_code(link, "begin", f" PAGEREF {bookmark} \\h ")
        _field_code(link, "end")
        paragraph._p.append(link)
        if n == len(report.toc) - 1:
            paragraph._p.append(_run(_fld_char("end")))


def _field_code(parent, kind: str, instruction: str = "") -> None:
    """Append a field's opening (begin, instruction, separate) or its end."""
    if kind == "end":
        parent.append(_run(_fld_char("end")))
        return
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    for element in (_fld_char("begin"), code, _fld_char("separate")):
        parent.append(_run(element))


def _fld_char(kind: str):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def _run(child=None, text: str | None = None):
    run = OxmlElement("w:r")
    if text is not None:
        child = OxmlElement("w:t")
        child.set(qn("xml:space"), "preserve")
        child.text = text
    run.append(child)
    return run


def _update_fields_on_open(document) -> None:
    """settings.xml's updateFields: Word offers to update the fields (the contents' page
    numbers) when the file is opened."""
    settings = document.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    flag = OxmlElement("w:updateFields")
    flag.set(qn("w:val"), "true")
    settings.insert_element_before(flag, *AFTER_UPDATE_FIELDS)


# What follows w:updateFields in w:settings (ECMA-376 CT_Settings).
AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def _has_style(document, name: str) -> bool:
    return any(style.name == name for style in document.styles)


def _cover(w: Writer, report) -> None:
    for _n in range(6):
        w.paragraph()
    for part in report.title.split():
        w.paragraph(part, "Title")
    w.paragraph()
    w.paragraph(_("対象期間 %(period)s") % {"period": report.period}, "Subtitle")
    w.paragraph(report.union_name, "Subtitle")
    if getattr(report, "draft", False):
        w.paragraph(DRAFT_MARK + _("（発行前）"), "Subtitle")


def _set_header(document, title: str, draft: bool = False) -> None:
    """The running header: the title, and on a draft 「【案】」 before it on every page
    (the first page's header too, when the template gives it one of its own)."""
    section = document.sections[0]
    headers = [section.header]
    if draft and section.different_first_page_header_footer:
        headers.append(section.first_page_header)
    for n, header in enumerate(headers):
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        for run in paragraph.runs:
            run.text = ""
        if draft:
            mark = paragraph.add_run(DRAFT_MARK + " ")
            mark.bold = True
            mark.font.color.rgb = RGBColor(0xCE, 0x00, 0x00)
        if n == 0:
            paragraph.add_run(title)


def _fix_properties(document, report) -> None:
    properties = document.core_properties
    fixed = datetime.fromisoformat(report.last_day)
    properties.title = report.title
    properties.author = properties.last_modified_by = report.union_name
    properties.created = properties.modified = properties.last_printed = fixed
    properties.revision = 1


def render_docx(report, *, template: str | Path | None = None) -> bytes:
    """The report as .docx bytes; the same data and template give the same bytes."""
    with translation.override("ja"):
        document = blank_document(template)
        writer = Writer(document)
        _set_header(document, report.title, draft=getattr(report, "draft", False))
        _cover(writer, report)
        _toc(writer, report)
        write_body(writer, report)
        _fix_properties(document, report)
        _update_fields_on_open(document)
        buffer = io.BytesIO()
        document.save(buffer)
    return normalise_zip(buffer.getvalue())


@register
class DocxRenderer(Renderer):
    identifier, verbose_name = "docx", "Word"
    extension = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def generate(self, report, **options) -> bytes:
        return render_docx(report, **options)
