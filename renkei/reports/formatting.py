"""How the report writes dates, times, places, lecturers and amounts (plain text)."""

import re
from datetime import time

from renkei import wareki

# Characters XML 1.0 cannot hold (Word and Excel files would be corrupt): drop them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value) -> str:
    """A record's text made safe to place in any document format (still shown literally)."""
    return _XML_ILLEGAL.sub("", str(value or "")).strip()


def yen(amount: int | None) -> str:
    """3,018,451; a negative amount is printed with △ as Japanese accounts do."""
    if amount is None:
        return ""
    return f"△{-amount:,}" if amount < 0 else f"{amount:,}"


def time_text(value: time) -> str:
    """13：30 (full-width colon, as the report writes times)."""
    return f"{value:%H}：{value:%M}"


def day_text(day) -> str:
    """令和7年3月11日(火) 13：30～17：00※置賜管内視察 for one schedule day."""
    text = wareki.format_range(day.date, day.end_date or day.date, weekday=True)
    if day.start_time and day.end_time:
        text += f" {time_text(day.start_time)}～{time_text(day.end_time)}"
    elif day.start_time:
        text += f" {time_text(day.start_time)}～"
    if day.note:
        text += f"※{clean_text(day.note)}"
    return text


def schedule_lines(days) -> list[str]:
    """The 日時 lines of a detail page: one line, or "1日目：…" per day."""
    if len(days) == 1:
        return [day_text(days[0])]
    return [f"{n}日目：{day_text(day)}" for n, day in enumerate(days, start=1)]


RANGE_MARK = "\uff5e"  # ～


def short_dates(days, *, spaced: bool) -> str:
    """Over all days in the report's table forms: R7.3.11~12 in the overview tables,
    R7. 3. 11~12 (``spaced``) in the seminar tables, as the reference writes them."""
    if not days:
        return ""
    first = min(day.date for day in days)
    last = max(day.end_date or day.date for day in days)
    # The report's font (IPAex Gothic) draws U+007E as an overline, as JIS X 0201 does:
    # the range mark is printed as the full-width tilde, which NFKC folds back to "~".
    return wareki.format_range_short(first, last, spaced=spaced).replace("~", RANGE_MARK)


def municipality_text(organisation, home_prefecture: str) -> str:
    """A municipality as a place: 米沢市; 神奈川県 綾瀬市 outside the union's prefecture;
    a prefecture (東京都) alone."""
    name = clean_text(organisation.name)
    if organisation.kind == "prefecture" or not organisation.code:
        return name
    prefecture = organisation.prefecture
    if prefecture and prefecture != home_prefecture and not name.startswith(prefecture):
        return f"{prefecture} {name}"
    return name


def _grouped_venues(venues, home_prefecture: str) -> str:
    """米沢市（酒造資料館東光の酒蔵、スタジオ八百萬）、長井市（旧長井小学校第一校舎）."""
    groups: list[tuple[str, list[str]]] = []
    for venue in venues:
        town = municipality_text(venue.municipality, home_prefecture) if venue.municipality else ""
        if groups and groups[-1][0] == town:
            groups[-1][1].append(clean_text(venue.name))
        else:
            groups.append((town, [clean_text(venue.name)]))
    parts = []
    for town, names in groups:
        named = "、".join(n for n in names if n)
        parts.append(f"{town}（{named}）" if town and named else town or named)
    return "、".join(parts)


def _single_day_venues(venues, home_prefecture: str) -> str:
    return "、".join(
        clean_text(venue.name)
        or (municipality_text(venue.municipality, home_prefecture) if venue.municipality else "")
        for venue in venues
    )


def place_lines(days, delivery_mode: str, home_prefecture: str) -> list[str]:
    """Where an activity took place, derived from its venues and delivery mode."""
    if delivery_mode == "online":
        return ["オンライン"]
    if len(days) > 1:
        lines = [
            f"{n}日目：{_grouped_venues(day.venues.all(), home_prefecture)}"
            for n, day in enumerate(days, start=1)
            if day.venues.all()
        ]
    else:
        text = _single_day_venues(days[0].venues.all(), home_prefecture) if days else ""
        lines = [text] if text else []
    if delivery_mode == "hybrid":
        return [f"{' '.join(lines)}及びオンライン" if lines else "オンライン"]
    return lines


def lecturer_text(lecturer) -> str:
    """地域活性化センターシニアフェロー 箕浦 龍一 氏."""
    head = clean_text(f"{lecturer.organisation_name}{lecturer.title}")
    return f"{head} {clean_text(lecturer.name)} 氏".strip()
