"""The staff lists as spreadsheets (activities, budget lines, change history, users), on the shared
``renkei.exporters`` base (CSV with BOM, XLSX, formula injection neutralised)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei import wareki
from renkei.exporters import Column, Exporter
from renkei.programmes.attendance import attendance_value_text, known_attendance

from .history_queries import history_row, names_for

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(exporter: Exporter, filename: str, fmt: str) -> HttpResponse:
    data = exporter.to_csv_bytes() if fmt == "csv" else exporter.to_xlsx_bytes()
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def total_cell(known):
    """The total as a cell: the number, 「不明」 when something is recorded but the total
    is not known, empty when nothing is recorded."""
    if known.total is not None:
        return known.total
    return _("不明") if known.is_recorded else None


def value_cell(value):
    """One organisation's attendance as a cell: the count, 「参加」 (took part, number
    unknown) or empty (no record)."""
    return value if isinstance(value, int) else attendance_value_text(value) or None


class ActivityExporter(Exporter):
    """The (filtered) activity list."""

    sheet_title = "活動"
    columns = (
        Column("事業"),
        Column("項目", type="integer"),
        Column("番号", type="integer"),
        Column("名称"),
        Column("テーマ"),
        Column("種別"),
        Column("柱"),
        Column("実施市町"),
        Column("日程"),
        Column(
            "出席者数", description="分かっている合計。合計が分からなければ「不明」、記録なしは空欄"
        ),
        Column("出席者（報告書の表記）"),
        Column("来場者数", type="integer"),
    )

    def __init__(self, activities):
        self.activities = activities

    def rows(self):
        for a in self.activities:
            known = known_attendance(a)
            yield {
                "事業": a.group.programme.name,
                "項目": a.group.number,
                "番号": a.sub_number,
                "名称": a.title,
                "テーマ": a.theme,
                "種別": a.get_kind_display(),
                "柱": "・".join(p.name for p in a.pillars.all()),
                "実施市町": "・".join(o.label for o in a.leads()),
                "日程": "、".join(wareki.format_date(d.date) for d in a.days.all()),
                "出席者数": total_cell(known),
                "出席者（報告書の表記）": known.phrase(a.union.region_name),
                "来場者数": a.visitor_count,
            }


class AttendanceExporter(Exporter):
    """Attendance per organisation of the (filtered) activities: one column per member
    municipality in 規約 order (a count, 「参加」 when it took part without a count, empty
    when nothing is recorded), then everyone else together, the part of the total no
    organisation is credited with (内訳不明) and the total as known."""

    sheet_title = "団体別出席者数"
    OTHERS, UNATTRIBUTED, TOTAL = "その他", "内訳不明", "合計"

    def __init__(self, activities, members):
        self.activities = activities
        self.members = list(members)
        value = "人数、「参加」（人数不明）、空欄は記録なし"
        self.columns = (
            Column("事業"),
            Column("項目", type="integer"),
            Column("番号", type="integer"),
            Column("名称"),
            Column("日程"),
            *(Column(m.label, description=value) for m in self.members),
            Column(
                self.OTHERS,
                description="構成市町以外の団体の人数の合計。人数の分からない団体だけなら「参加」",
            ),
            Column(
                self.UNATTRIBUTED,
                type="integer",
                description="合計のうち、どの団体の人数とも分からない人数。合計が分からなければ空欄",
            ),
            Column(self.TOTAL, description="分かっている合計。合計が分からなければ「不明」"),
            Column("出席者（報告書の表記）"),
        )

    def rows(self):
        member_ids = {m.pk for m in self.members}
        for a in self.activities:
            known = known_attendance(a, member_ids=member_ids)
            yield {
                "事業": a.group.programme.name,
                "項目": a.group.number,
                "番号": a.sub_number,
                "名称": a.title,
                "日程": "、".join(wareki.format_date(d.date) for d in a.days.all()),
                **{m.label: value_cell(known.count_for(m.pk)) for m in self.members},
                self.OTHERS: others_cell(known),
                self.UNATTRIBUTED: known.unattributed,
                self.TOTAL: total_cell(known),
                "出席者（報告書の表記）": known.phrase(a.union.region_name),
            }


def others_cell(known):
    """Organisations other than members together: their counts' sum, 「参加」 when they
    took part without any count, empty when none is recorded. (People of an uncounted one
    are in 内訳不明, never in this sum.)"""
    others = [e for e in known.entries if not e.is_member and e.took_part]
    counts = [e.count for e in others if e.count is not None]
    if counts:
        return sum(counts)
    return _("参加") if others else None


class BudgetExporter(Exporter):
    """A year's budget and settlement lines, in yen."""

    sheet_title = "予算・決算"
    columns = (
        Column("収支"),
        Column("区分"),
        Column("項目"),
        Column("予算額", type="integer"),
        Column("決算額", type="integer"),
        Column("差額", type="integer"),
        Column("備考"),
    )

    def __init__(self, lines):
        self.lines = lines

    def rows(self):
        for line in self.lines:
            budgeted = line.budgeted
            yield {
                "収支": line.get_direction_display(),
                "区分": line.label,
                "項目": line.item,
                "予算額": budgeted,
                "決算額": line.settled,
                "差額": None if budgeted is None else budgeted - line.settled,
                "備考": line.note,
            }


class HistoryExporter(Exporter):
    """The (filtered) change history, newest first; one line per changed field in 変更内容."""

    sheet_title = "変更履歴"
    columns = (
        Column("日時", description="YYYY-MM-DD HH:MM:SS（日本時間）"),
        Column("日付"),
        Column("時刻"),
        Column("利用者"),
        Column("操作"),
        Column("記録の種類"),
        Column("記録"),
        Column("記録ID"),
        Column("理由"),
        Column("変更内容"),
    )

    def __init__(self, entries):
        self.entries = entries

    def rows(self):
        for entries in _batches(self.entries.iterator(chunk_size=1000), 1000):
            names = names_for(entries)  # the records named by id, per thousand entries
            yield from (self._row(history_row(entry, names=names)) for entry in entries)

    @staticmethod
    def _row(row) -> dict:
        return {
            "日時": row.at.strftime("%Y-%m-%d %H:%M:%S"),
            "日付": row.date_label,
            "時刻": row.time_label,
            "利用者": row.user_name,
            "操作": row.action,
            "記録の種類": row.kind,
            "記録": row.record,
            "記録ID": row.object_id,
            "理由": row.reason,
            "変更内容": "\n".join(f"{c.label}: {c}" for c in row.changes),
        }


def _batches(iterable, size: int):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class UserExporter(Exporter):
    """The union's staff users and their roles (secretariat only)."""

    sheet_title = "利用者"
    columns = (
        Column("ユーザー名"),
        Column("氏名"),
        Column("メールアドレス"),
        Column("所属"),
        Column("役割"),
        Column("状態"),
        Column("最終ログイン"),
    )

    def __init__(self, profiles):
        self.profiles = profiles

    def rows(self):
        for p in self.profiles:
            last = p.user.last_login
            yield {
                "ユーザー名": p.user.username,
                "氏名": p.user.get_full_name(),
                "メールアドレス": p.user.email,
                "所属": p.organisation.label,
                "役割": p.get_role_display(),
                "状態": _("有効") if p.user.is_active else _("無効"),
                "最終ログイン": timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else "",
            }
