"""The chapters of the Word report, in the reference report's order.

Column widths follow the PDF's stylesheet (report.css): the same ems at the body's
10.5pt, the same percentages of the text width."""

from django.utils.translation import gettext as _
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from renkei.reports.formatting import yen

from . import charts
from .docx_cells import row_cells, shade
from .html import photo_file, print_photo
from .widths import PARTICIPATION_EM, participation_widths

EM = Pt(10.5)
# An activity's item labels (テーマ, 日時 …): the PDF's .item-body begins 7.5em in.
LABEL_WIDTH = 7.5 * EM


def _percent(w, *shares) -> list:
    """Widths as percentages of the text width (None: an equal part of the rest)."""
    return [None if share is None else w.text_width * share / 100 for share in shares]


def write_body(w, report) -> None:
    """Append every chapter after the cover and table of contents."""
    if report.overview:
        w.heading(report.overview.title, 1, "overview")
        w.heading(_("概要"), 2)
        for paragraph in report.overview.paragraphs:
            w.prose(paragraph)
    _programmes(w, report)
    for page in report.pages:
        if page.kind == "seminars":
            _seminars(w, page.seminars)
        else:
            _activity(w, page.activity)
    _settlement(w, report.settlement)
    if report.project:
        _project(w, report.project)
    if report.summary:
        w.heading(report.summary.title, 1, "summary")
        for paragraph in report.summary.paragraphs:
            w.prose(paragraph)
    _statistics(w, report)


def _programmes(w, report) -> None:
    w.heading(_("事業一覧"), 1, "programmes")
    for programme in report.programmes:
        w.heading(programme.name, 2)
        for group in programme.groups:
            w.heading(group.label, 3)
            if group.rows:
                w.table(
                    [_("項目"), _("月日"), _("場所")],
                    [[row.item, row.dates, row.place] for row in group.rows],
                    widths=_percent(w, 32, 18, None),
                )
            for entry in group.entries:
                w.paragraph(entry).paragraph_format.left_indent = Cm(0.5)


def _item_table(w, items):
    table = w.new_table(len(items), [LABEL_WIDTH, None])
    for row, (number, label) in zip(table.rows, items, strict=True):
        row_cells(table, row)[0].paragraphs[0].add_run(f"{number} {label}").bold = True
    return table


def _activity(w, detail) -> None:
    w.heading(detail.heading, 1, detail.anchor)
    table = _item_table(w, [(item.number, item.label) for item in detail.items])
    for row, item in zip(table.rows, detail.items, strict=True):
        cell = row_cells(table, row)[1]
        first = cell.paragraphs[0]
        for n, line in enumerate(item.lines):
            (first if n == 0 else cell.add_paragraph()).add_run(line)
        for block in item.blocks:
            if block.heading:
                w.paragraph(f"○{block.heading}", container=cell, bold=True)
            if block.lead:
                w.prose(block.lead, container=cell)
            for bullet in block.bullets:
                w.bullet(bullet, container=cell)
        for photo in item.photos:
            path = photo_file(photo.path)
            if path is not None:
                w.picture(print_photo(path), 7.5, photo.caption, container=cell)
        if not item.lines and len(cell.paragraphs) > 1 and not first.text:
            first._element.getparent().remove(first._element)
    w.paragraph()


def _seminars(w, block) -> None:
    w.heading(block.heading, 1, block.anchor)
    number = 1
    if block.overview:
        table = _item_table(w, [(1, _("概要"))])
        for n, paragraph in enumerate(block.overview):
            cell = row_cells(table, table.rows[0])[1]
            target = (
                cell.paragraphs[0] if n == 0 else cell.add_paragraph(style=w.style("Body Text"))
            )
            target.add_run(paragraph)
        w.paragraph()
        number = 2
    w.heading(f"{number} {_('内容')}", 2)
    for table in block.tables:
        label = table.label + (f" （{table.note}）" if table.note else "")
        w.heading(label, 3)
        header = (
            [_("項目"), _("月日")] + ([_("場所")] if table.show_place else []) + [_("受講者数")]
        )
        rows = [
            [r.title, r.dates] + ([r.place] if table.show_place else []) + [r.attendees]
            for r in table.rows
        ]
        # The PDF's 11em place column holds 「東京都及びオンライン」 on one line; Word's
        # cell margins are a little wider than the PDF's padding.
        widths = [None, 9 * EM] + ([11.5 * EM] if table.show_place else []) + [5.5 * EM]
        w.table(header, rows, numeric=(len(header) - 1,), widths=widths)


def _settlement(w, s) -> None:
    w.heading(_("収支決算書"), 1, "settlement")
    budget = [_("予算額")] if s.show_budget else []

    def amounts(line):
        return ([yen(line.budgeted)] if s.show_budget else []) + [yen(line.settled)]

    w.heading(_("収入"), 2)
    w.paragraph(_("（単位：円）"), align=2)
    rows = [[line.item, *amounts(line), line.note] for line in s.income]
    rows.append(
        [_("合計")]
        + ([yen(s.income_budgeted)] if s.show_budget else [])
        + [yen(s.income_total), ""]
    )
    w.table(
        [_("項目"), *budget, _("金額"), _("備考")],
        rows,
        numeric=tuple(range(1, 2 + len(budget))),
        total_rows=1,
        widths=_percent(w, 35, 20, *[None] * (1 + len(budget))),
    )
    w.heading(_("支出"), 2)
    w.paragraph(_("（単位：円）"), align=2)
    rows = [[line.section, line.item, *amounts(line), line.note] for line in s.expenditure]
    rows.append(
        ["", _("合計")]
        + ([yen(s.expenditure_budgeted)] if s.show_budget else [])
        + [yen(s.expenditure_total), ""]
    )
    w.table(
        [_("区分"), _("項目"), *budget, _("金額"), _("備考")],
        rows,
        numeric=tuple(range(2, 3 + len(budget))),
        total_rows=1,
        widths=_percent(w, 18, 30, 18, *[None] * (1 + len(budget))),
    )
    w.heading(_("差引"), 2)
    w.paragraph(_("（単位：円）"), align=2)
    w.table(
        None,
        [
            [_("収入"), yen(s.income_total)],
            [_("支出"), yen(s.expenditure_total)],
            [_("差引"), yen(s.difference)],
        ],
        numeric=(1,),
        widths=_percent(w, 25, 25),
        total_rows=1,
    )


def _project(w, project) -> None:
    w.heading(project.name, 1, "project")
    w.heading(_("概要"), 2)
    for paragraph in project.concept:
        w.prose(paragraph)
    if project.image_lines:
        w.heading(_("事業イメージ"), 2)
        for line in project.image_lines:
            w.paragraph(line, align=1)
    w.heading(_("実施事業"), 2)
    table = w.new_table(len(project.pillars), [4 * EM, None])
    for row, pillar in zip(table.rows, project.pillars, strict=True):
        cells = row_cells(table, row)
        name = cells[0].paragraphs[0]
        name.add_run(pillar.name).bold = True
        # As the PDF's .pillars th: centred, shaded.
        name.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cells[0].vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        shade(cells[0], "E8F1FE")
        cell = cells[1]
        for n, line in enumerate(pillar.lines):
            paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
            paragraph.add_run(f"・{line}")


def _statistics(w, report) -> None:
    st = report.statistics
    captions = charts.captions()
    w.heading(_("参考資料 構成市町の参加状況"), 1, "statistics")
    if chart := charts.attendance_chart(report, "png"):
        w.picture(chart, 15.0, captions["attendance"])
    if chart := charts.expenditure_chart(report, "png"):
        w.picture(chart, 15.0, captions["expenditure"])
    w.heading(_("構成市町の参加状況"), 2)
    w.paragraph(_("（単位：名）"), align=2)
    rows = [
        [row.label, *map(_cell_text, row.cells)] for row in [*st.participation, st.totals, st.led]
    ]
    values = len(st.columns) - 1
    # The PDF's widths, and cell margins as narrow as its padding: a three-character
    # name fits on a line.
    widths = [None, *(w.text_width * share for share in participation_widths(values))]
    w.table(
        st.columns,
        rows,
        numeric=tuple(range(1, values + 1)),
        total_rows=2,
        widths=widths,
        font_size=PARTICIPATION_EM,
        cell_margin=PARTICIPATION_CELL_MARGIN,
    )
    for line in st.legend:
        w.paragraph(line).runs[0].font.size = Pt(8)
    if st.costs:
        _costs(w, st.costs)


def _costs(w, costs) -> None:
    """The cost of the work (活動別の費用), as the PDF prints it."""
    w.heading(_("活動別の費用"), 2)
    if costs.rows:
        rows = [[row.label, *map(_cell_text, row.cells)] for row in costs.rows]
        w.table(costs.columns, rows, numeric=(1, 2, 3), widths=[None, Cm(3), Cm(3), Cm(3)])
    for line in costs.notes:
        w.paragraph(line).runs[0].font.size = Pt(8)


# The PDF's .participation cells: 3pt padding left and right.
PARTICIPATION_CELL_MARGIN = Pt(3)


def _cell_text(cell) -> str:
    return f"{cell:,}" if isinstance(cell, int) else cell
