"""The settlement (収支決算書), the attendance tables and the cost of the work as an
Excel workbook.

Every text cell is stored as a string with Excel's quote prefix, so record text that
looks like a formula (=cmd|…, +, -, @) is shown, never evaluated.
"""

import io
from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from renkei.exporters import xml_safe

from .base import DRAFT_MARK, Renderer, register
from .zipfix import normalise_zip

FONT = "IPAexゴシック"
THIN = Side(style="thin", color="555555")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E8F1FE")
YEN = "#,##0;[Red]△#,##0"


def _put(sheet, row: int, column: int, value, *, bold=False, header=False, number=None):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, int):
        cell.value = value
        cell.number_format = number or "#,##0"
    elif value is not None:
        cell.value = xml_safe(str(value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.quotePrefix = True
    cell.font = Font(name=FONT, bold=bold or header)
    cell.border = BOX
    if header:
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    else:
        cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
    return cell


def _title(sheet, text: str, row: int) -> int:
    cell = sheet.cell(row=row, column=1, value=xml_safe(text))
    cell.data_type = "s"
    cell.font = Font(name=FONT, bold=True, size=12)
    return row + 1


def _rows(sheet, start: int, header: list[str], rows: list[list], totals: int = 0) -> int:
    for column, label in enumerate(header, start=1):
        _put(sheet, start, column, label, header=True)
    for offset, values in enumerate(rows, start=1):
        bold = offset > len(rows) - totals
        for column, value in enumerate(values, start=1):
            _put(sheet, start + offset, column, value, bold=bold, number=YEN)
    return start + len(rows) + 2


def _settlement_sheet(sheet, report) -> None:
    s = report.settlement
    sheet.title = _("収支決算書")
    row = _title(sheet, f"{report.title} {_('収支決算書')}", 1)
    sheet.cell(row=row, column=4, value=_("（単位：円）")).font = Font(name=FONT)
    row = _title(sheet, _("収入"), row + 1)
    budget = [_("予算額")] if s.show_budget else []

    def money(line):
        return ([line.budgeted] if s.show_budget else []) + [line.settled]

    rows = [[line.item, *money(line), line.note] for line in s.income]
    rows.append([_("合計"), *([s.income_budgeted] if s.show_budget else []), s.income_total, ""])
    row = _rows(sheet, row, [_("項目"), *budget, _("金額"), _("備考")], rows, totals=1)
    row = _title(sheet, _("支出"), row)
    rows = [[line.section, line.item, *money(line), line.note] for line in s.expenditure]
    rows.append(
        [
            "",
            _("合計"),
            *([s.expenditure_budgeted] if s.show_budget else []),
            s.expenditure_total,
            "",
        ]
    )
    row = _rows(sheet, row, [_("区分"), _("項目"), *budget, _("金額"), _("備考")], rows, totals=1)
    row = _title(sheet, _("差引"), row)
    _rows(
        sheet,
        row,
        [_("区分"), _("金額")],
        [[_("収入"), s.income_total], [_("支出"), s.expenditure_total], [_("差引"), s.difference]],
        totals=1,
    )
    for column, width in zip("ABCDE", (24, 26, 14, 28, 28), strict=True):
        sheet.column_dimensions[column].width = width


def _attendance_sheet(sheet, report) -> None:
    sheet.title = _("出席者")
    row = _title(sheet, f"{report.title} {_('出席者・受講者')}", 1) + 1
    rows = []
    for page in report.pages:
        if page.activity:
            for item in page.activity.items:
                if item.label in (_("出席者"), _("来場者")):
                    rows.append([page.activity.heading, item.label, " ".join(item.lines)])
        if page.seminars:
            for table in page.seminars.tables:
                rows.extend(
                    [f"{table.label} {r.title}", _("受講者数"), r.attendees] for r in table.rows
                )
    row = _rows(sheet, row, [_("活動"), _("区分"), _("人数")], rows)
    row = _title(sheet, _("構成市町の参加状況（単位：名）"), row)
    st = report.statistics
    table = [[r.label, *r.cells] for r in [*st.participation, st.totals, st.led]]
    row = _rows(sheet, row, st.columns, table, totals=2)
    for line in st.legend:
        sheet.cell(row=row - 1, column=1, value=xml_safe(line)).font = Font(name=FONT, size=9)
        row += 1
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["C"].width = 48


def _costs_sheet(sheet, report) -> None:
    """The cost of the work (活動別の費用): amounts as numbers, 「不明」 as text."""
    costs = report.statistics.costs
    sheet.title = _("活動別の費用")
    row = _title(sheet, f"{report.title} {_('活動別の費用')}", 1) + 1
    if costs.rows:
        rows = [[r.label, *r.cells] for r in costs.rows]
        row = _rows(sheet, row, costs.columns, rows)
    for line in costs.notes:
        sheet.cell(row=row, column=1, value=xml_safe(line)).font = Font(name=FONT, size=9)
        row += 1
    sheet.column_dimensions["A"].width = 48
    for column in "BCD":
        sheet.column_dimensions[column].width = 16


def render_xlsx(report) -> bytes:
    """The workbook as bytes (settlement and attendance sheets)."""
    with translation.override("ja"):
        workbook = Workbook()
        _settlement_sheet(workbook.active, report)
        _attendance_sheet(workbook.create_sheet(), report)
        if report.statistics.costs:
            _costs_sheet(workbook.create_sheet(), report)
        if getattr(report, "draft", False):
            for sheet in workbook.worksheets:  # printed on every page of every sheet
                sheet.oddHeader.center.text = DRAFT_MARK
                sheet.oddHeader.center.size = 14
                sheet.oddHeader.center.color = "CE0000"
        fixed = datetime.fromisoformat(report.last_day)
        workbook.properties.creator = report.union_name
        workbook.properties.title = report.title
        workbook.properties.created = fixed
        buffer = io.BytesIO()
        workbook.save(buffer)
    # openpyxl stamps dcterms:modified with the time of saving: fix it to the year's end.
    return normalise_zip(buffer.getvalue(), modified=f"{report.last_day}T00:00:00Z")


@register
class XlsxRenderer(Renderer):
    identifier, verbose_name = "xlsx", "Excel"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def generate(self, report, **options) -> bytes:
        return render_xlsx(report)
