"""The staff lists as spreadsheets (activities, budget lines), on the shared
``renkei.exporters`` base (CSV with BOM, XLSX, formula injection neutralised)."""

from django.http import HttpResponse

from renkei import wareki
from renkei.exporters import Column, Exporter

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(exporter: Exporter, filename: str, fmt: str) -> HttpResponse:
    data = exporter.to_csv_bytes() if fmt == "csv" else exporter.to_xlsx_bytes()
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


class ActivityExporter(Exporter):
    """The (filtered) activity list."""

    sheet_title = "活動"
    columns = (
        Column("事業"), Column("項目", type="integer"), Column("番号", type="integer"),
        Column("名称"), Column("テーマ"), Column("種別"), Column("柱"), Column("実施市町"),
        Column("日程"), Column("出席者数", type="integer"), Column("来場者数", type="integer"),
    )

    def __init__(self, activities):
        self.activities = activities

    def rows(self):
        for a in self.activities:
            yield {
                "事業": a.group.programme.name, "項目": a.group.number, "番号": a.sub_number,
                "名称": a.title, "テーマ": a.theme, "種別": a.get_kind_display(),
                "柱": "・".join(p.name for p in a.pillars.all()),
                "実施市町": "・".join(o.label for o in a.lead_organisations.all()),
                "日程": "、".join(wareki.format_date(d.date) for d in a.days.all()),
                "出席者数": a.attendance_total, "来場者数": a.visitor_count,
            }


class BudgetExporter(Exporter):
    """A year's budget and settlement lines, in yen."""

    sheet_title = "予算・決算"
    columns = (
        Column("収支"), Column("区分"), Column("項目"), Column("予算額", type="integer"),
        Column("決算額", type="integer"), Column("差額", type="integer"), Column("備考"),
    )

    def __init__(self, lines):
        self.lines = lines

    def rows(self):
        for line in self.lines:
            budgeted = line.budgeted
            yield {
                "収支": line.get_direction_display(), "区分": line.label, "項目": line.item,
                "予算額": budgeted, "決算額": line.settled,
                "差額": None if budgeted is None else budgeted - line.settled, "備考": line.note,
            }
