"""The settlement in the examination form (決算書, ``renkei.finance.examination``) as PDF,
Word and Excel. An unknown amount is printed as 「—」 (the document's notes say why),
never as 0; Excel holds known amounts as numbers and unknown ones as the text 「—」."""

import io
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT
from docx.shared import Cm
from openpyxl import Workbook
from openpyxl.styles import Font

from renkei.reports.formatting import clean_text, yen

from .base import Renderer, register_document
from .docx import Writer
from .fonts import FONT_FAMILY, font_path
from .xlsx import FONT, YEN, _put, _title
from .zipfix import normalise_zip

DOCUMENT = "examination"
UNKNOWN = "—"


def amount_text(amount: int | None) -> str:
    return UNKNOWN if amount is None else yen(amount)


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list]  # the last row is the total


def revenue_table(exam) -> Table:
    header = [
        _("区分"),
        _("項目"),
        _("予算現額"),
        _("調定額"),
        _("収入済額"),
        _("不納欠損額"),
        _("収入未済額"),
    ]
    rows = [
        [
            clean_text(r.label),
            clean_text(r.item),
            r.current,
            r.assessed,
            r.received,
            r.written_off,
            r.outstanding,
        ]
        for r in [*exam.revenue, exam.revenue_total]
    ]
    return Table(header, rows)


def expenditure_table(exam) -> Table:
    header = [_("節"), _("項目"), _("予算現額"), _("支出済額"), _("翌年度繰越額"), _("不用額")]
    rows = [
        [clean_text(r.label), clean_text(r.item), r.current, r.spent, r.carried, r.unused]
        for r in [*exam.expenditure, exam.expenditure_total]
    ]
    return Table(header, rows)


def _as_text(table: Table) -> Table:
    return Table(
        table.header,
        [row[:2] + [amount_text(v) for v in row[2:]] for row in table.rows],
    )


def _balance(exam) -> list[int]:
    return [exam.revenue_total.received, exam.expenditure_total.spent, exam.difference]


CSS = """
@page { size: A4 landscape; margin: 15mm 14mm; }
html { font-family: "%(family)s"; font-size: 9.5pt; line-height: 1.5; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 4pt; }
h2 { font-size: 11.5pt; margin: 10pt 0 3pt; }
p { margin: 0 0 3pt; }
.union { text-align: right; }
.unit { text-align: right; font-size: 8.5pt; }
.notice { border-left: 3pt solid #555; padding-left: 5pt; }
table { border-collapse: collapse; width: 100%%; }
.grid th, .grid td { border: 0.75pt solid #555; padding: 2pt 4pt; }
.grid thead th { background: #e8f1fe; }
.grid tr.total td, .grid tr.total th { font-weight: bold; background: #f3f3f3; }
td.amount { text-align: right; white-space: nowrap; }
.balance { width: 50%%; }
"""


def render_examination_html(exam) -> str:
    face = (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{Path(font_path()).as_uri()}"); }}'
    )
    with translation.override("ja"):
        return render_to_string(
            "reports/examination.html",
            {
                "exam": exam,
                "css": face + CSS % {"family": FONT_FAMILY},
                "revenue": _as_text(revenue_table(exam)),
                "expenditure": _as_text(expenditure_table(exam)),
                "balance": [amount_text(v) for v in _balance(exam)],
            },
        )


@register_document(DOCUMENT)
class ExaminationPdf(Renderer):
    identifier, verbose_name = "pdf", "PDF"
    extension, content_type = "pdf", "application/pdf"

    def generate(self, report, **options) -> bytes:
        exam = report  # the examination-form settlement (finance.examination)
        from .pdf import _document, _write

        document, _fonts = _document(render_examination_html(exam))
        return _write(document)


@register_document(DOCUMENT)
class ExaminationDocx(Renderer):
    identifier, verbose_name = "docx", "Word"
    extension = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def generate(self, report, **options) -> bytes:
        exam = report  # the examination-form settlement (finance.examination)
        from .docx import blank_document

        with translation.override("ja"):
            document = blank_document()
            section = document.sections[-1]
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21.0)
            for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
                setattr(section, side, Cm(1.5))
            w = Writer(document)
            w.heading(exam.title, 1)
            w.paragraph(exam.union_name)
            if not exam.closed:
                w.paragraph(_("この年度の決算は確定していません（作成時点の記録による）。"))
            for note in exam.notes:
                w.paragraph(note)
            for heading, table in (
                (_("歳入"), revenue_table(exam)),
                (_("歳出"), expenditure_table(exam)),
            ):
                w.heading(heading, 2)
                w.paragraph(_("（単位：円）"))
                text = _as_text(table)
                w.table(
                    text.header,
                    text.rows,
                    numeric=range(2, len(text.header)),
                    total_rows=1,
                    font_size=9,
                )
            w.heading(_("歳入歳出差引残額"), 2)
            labels = [_("歳入（収入済額）"), _("歳出（支出済額）"), _("差引残額")]
            w.table(
                None,
                [[label, amount_text(v)] for label, v in zip(labels, _balance(exam), strict=True)],
                numeric=(1,),
                total_rows=1,
                widths=[Cm(6), Cm(5)],
            )
            properties = document.core_properties
            properties.title = exam.title
            properties.author = properties.last_modified_by = exam.union_name
            buffer = io.BytesIO()
            document.save(buffer)
        return normalise_zip(buffer.getvalue())


@register_document(DOCUMENT)
class ExaminationXlsx(Renderer):
    identifier, verbose_name = "xlsx", "Excel"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def generate(self, report, **options) -> bytes:
        exam = report  # the examination-form settlement (finance.examination)
        with translation.override("ja"):
            book = Workbook()
            sheet = book.active
            sheet.title = _("決算書")
            row = _title(sheet, f"{exam.title} {exam.union_name}", 1)
            notes = list(exam.notes)
            if not exam.closed:
                notes.insert(0, _("この年度の決算は確定していません（作成時点の記録による）。"))
            for note in notes:
                sheet.cell(row=row, column=1, value=note).font = Font(name=FONT)
                row += 1
            for heading, table in (
                (_("歳入"), revenue_table(exam)),
                (_("歳出"), expenditure_table(exam)),
            ):
                row = _title(sheet, heading, row + 1)
                for column, label in enumerate(table.header, start=1):
                    _put(sheet, row, column, label, header=True)
                for offset, values in enumerate(table.rows, start=1):
                    bold = offset == len(table.rows)
                    for column, value in enumerate(values, start=1):
                        cell_value = UNKNOWN if value is None and column > 2 else value
                        _put(sheet, row + offset, column, cell_value, bold=bold, number=YEN)
                row += len(table.rows) + 1
            row = _title(sheet, _("歳入歳出差引残額"), row + 1)
            labels = [_("歳入（収入済額）"), _("歳出（支出済額）"), _("差引残額")]
            for label, value in zip(labels, _balance(exam), strict=True):
                _put(sheet, row, 1, label)
                _put(sheet, row, 2, value, number=YEN)
                row += 1
            for letter, width in zip("ABCDEFG", (18, 24, 14, 14, 14, 14, 14), strict=True):
                sheet.column_dimensions[letter].width = width
            sheet.page_setup.orientation = "landscape"
            buffer = io.BytesIO()
            book.save(buffer)
        return normalise_zip(buffer.getvalue(), modified="2000-01-01T00:00:00Z")
