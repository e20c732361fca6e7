"""The activities as the 自治体標準オープンデータセット event list (イベント一覧).

What it covers: the public activities (``Activity.is_public``) of the portal's union,
optionally of one fiscal year, that have at least one schedule day. Unpublished records
never leave the system; the secretariat publishes an activity by marking it public.

The column layout is data (``EVENT_COLUMNS``): a correction to the standard is one edit
here. It follows the current edition's first three columns (全国地方公共団体コード, ID,
地方公共団体名) and the previous edition's verified event columns after them.
"""

import unicodedata
from functools import cache

from django.utils.translation import gettext as _

from renkei import wareki
from renkei.exporters import Column, Exporter
from renkei.programmes.public import public_activities, span, with_listing

from .models import allocate_ids

D = "date"
T = "time"
EVENT_COLUMNS: tuple[Column, ...] = (
    Column(
        "全国地方公共団体コード",
        description="公開する団体のコード（6桁）。組合のコードが未登録なら空欄",
    ),
    Column("ID", True, "integer", "一度公開したIDは再利用しません"),
    Column("地方公共団体名", True),
    Column("イベント名", True),
    Column("イベント名_カナ", True, description="全角カタカナ（自動で付けた読みを含みます）"),
    Column("イベント名_英語"),
    Column("開始日", True, D, "YYYY-MM-DD"),
    Column("終了日", True, D, "YYYY-MM-DD（複数日の活動は最終日）"),
    Column("開始時間", True, T, "hh:mm（時刻のない終日の活動は空欄）", "%H:%M"),
    Column("終了時間", True, T, "hh:mm（時刻のない終日の活動は空欄）", "%H:%M"),
    Column("開始日時特記事項", description="終日の活動、日ごとの時間など"),
    Column("説明", True),
    Column("料金(基本)", type="integer"),
    Column("料金(詳細)"),
    Column("連絡先名称"),
    Column("連絡先電話番号"),
    Column("連絡先内線番号"),
    Column("主催者"),
    Column("場所名称", True, description="複数の会場は ; 区切り"),
    Column("住所", True, description="会場の住所、なければ所在自治体名。複数は ; 区切り"),
    Column("方書"),
    Column("緯度", type="number"),
    Column("経度", type="number"),
    Column("アクセス方法"),
    Column("駐車場情報"),
    Column("定員", type="integer"),
    Column("参加申込終了日", type=D),
    Column("参加申込終了時間", type=T, format="%H:%M"),
    Column("参加申込方法"),
    Column("URL", description="ポータルの活動ページ"),
    Column("備考", description="種別、柱、実施形態、和暦の日付"),
)


@cache
def _tokenizer():
    from janome.tokenizer import Tokenizer

    return Tokenizer()


def katakana(text: str) -> str:
    """An automatic katakana reading (IPADIC via janome); unknown words keep their text."""
    words = []
    for token in _tokenizer().tokenize(unicodedata.normalize("NFKC", text)):
        reading = token.reading if token.reading not in ("*", "") else token.surface
        words.append(reading)
    kana = "".join(words)
    return "".join(ch for ch in kana if unicodedata.category(ch)[0] in "LN" or ch in "ー・ ")


def _hhmm(value) -> str:
    return value.strftime("%H:%M") if value else ""


def _place_address(venue) -> str:
    if venue.address:
        return venue.address
    if venue.municipality is not None:
        return f"{venue.municipality.prefecture}{venue.municipality.name}"
    return ""


def _unique(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


class EventListExporter(Exporter):
    """Rows of the event list, one per public activity with a schedule."""

    columns = EVENT_COLUMNS
    sheet_title = "イベント一覧"

    def __init__(self, union, *, year: int | None = None, url_for=None):
        self.union = union
        self.year = year
        self.url_for = url_for or (lambda activity: "")

    def activities(self) -> list:
        queryset = public_activities(self.union).filter(days__isnull=False).distinct()
        if self.year is not None:
            queryset = queryset.filter(group__programme__fiscal_year__year=self.year)
        activities = list(with_listing(queryset).order_by("pk"))
        return sorted(activities, key=lambda a: (span(a)[0], a.pk))

    def rows(self):
        activities = self.activities()
        ids = allocate_ids(activities)
        for activity in activities:
            yield self.row(activity, ids[activity.pk])

    def row(self, activity, published) -> dict:
        first, last, first_day, last_day = span(activity)
        days = sorted(activity.days.all(), key=lambda d: d.date)
        venues = [v for day in days for v in day.venues.all()]
        online = activity.delivery_mode == "online"
        places = _unique(v.name or str(v.municipality) for v in venues) or (
            [activity.place_summary] if activity.place_summary else []
        )
        addresses = _unique(_place_address(v) for v in venues)
        if online and not places:
            places = addresses = [_("オンライン")]
        org = self.union.organisation
        return {
            "全国地方公共団体コード": org.code or "",
            "ID": published.pk,
            "地方公共団体名": org.name,
            "イベント名": activity.display_heading,
            "イベント名_カナ": published.title_kana or katakana(activity.display_heading),
            "開始日": first.isoformat(),
            "終了日": last.isoformat(),
            "開始時間": _hhmm(first_day.start_time),
            "終了時間": _hhmm(last_day.end_time),
            "開始日時特記事項": self.time_note(days),
            "説明": activity.purpose
            or activity.description
            or activity.theme
            or activity.display_heading,
            "連絡先名称": org.name,
            "主催者": activity.organiser.name if activity.organiser else "",
            "場所名称": ";".join(places),
            "住所": ";".join(addresses),
            "URL": self.url_for(activity),
            "備考": self.remarks(activity, first, last),
        }

    @staticmethod
    def time_note(days) -> str:
        if not any(d.start_time for d in days):
            return _("終日（時刻の定めなし）")
        if len(days) == 1 and not days[0].end_date:
            return ""
        return "、".join(
            f"{d.date.month}月{d.date.day}日 {_hhmm(d.start_time)}～{_hhmm(d.end_time)}"
            + (f"（{d.note}）" if d.note else "")
            for d in days
        )

    @staticmethod
    def remarks(activity, first, last) -> str:
        parts = [activity.get_kind_display(), activity.get_delivery_mode_display()]
        pillars = "・".join(p.name for p in activity.pillars.all())
        if pillars:
            parts.append(_("柱: %(pillars)s") % {"pillars": pillars})
        parts.append(wareki.format_range(first, last))
        return ";".join(parts)
