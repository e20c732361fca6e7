"""Japanese era dates (和暦) and fiscal years (年度): formatting and parsing.

Standard library only, plus Django's gettext for the (Japanese) error messages.
Importing this module touches no Django settings, and it also works where
settings are not configured (scripts, settings-free tests).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import NamedTuple

from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.utils.translation import gettext


def _(message: str) -> str:
    # The source messages are already Japanese, so when Django is not set up
    # (gettext then raises) the untranslated text is the correct answer.
    try:
        return gettext(message)
    except (ImproperlyConfigured, AppRegistryNotReady):
        return message


class WarekiError(ValueError):
    """A date could not be read, does not exist, or cannot be written in an era."""


class Era(NamedTuple):
    name: str
    initial: str
    first_day: date


# 明治 was proclaimed on 1868-10-23 and applied retroactively from 慶応4年1月1日
# (lunisolar), i.e. 1868-01-25 Gregorian. Conventions differ (1868-01-01 and
# 1868-10-23 are also seen); we use 1868-01-25. Japan used the lunisolar calendar
# until 明治5年12月2日, so 明治 dates before 1873 here are proleptic Gregorian.
ERAS = (
    Era("明治", "M", date(1868, 1, 25)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("令和", "R", date(2019, 5, 1)),
)
WEEKDAYS = "月火水木金土日"  # indexed by date.weekday()

_ERA_INDEX = {key: i for i, era in enumerate(ERAS) for key in (era.name, era.initial)}
_FULLWIDTH = str.maketrans("0123456789()", "０１２３４５６７８９（）")


class EraYear(NamedTuple):
    """An era and a year within it, e.g. EraYear("令和", "R", 7)."""

    era: str
    initial: str
    year: int

    @property
    def label(self) -> str:
        """The year as written in full forms: "元" for the first year."""
        return _year_label(self.year)


def _year_label(year: int) -> str:
    return "元" if year == 1 else str(year)


def _last_day(index: int) -> date | None:
    return ERAS[index + 1].first_day - timedelta(days=1) if index + 1 < len(ERAS) else None


def _gregorian(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _era_index(d: date) -> int:
    for index in range(len(ERAS) - 1, -1, -1):
        if d >= ERAS[index].first_day:
            return index
    raise WarekiError(
        _("%(date)sは明治（1868年1月25日から）より前のため、和暦で書けません。")
        % {"date": _gregorian(d)}
    )


def era_of(d: date) -> EraYear:
    """Return the era in force on ``d`` and the era year (1 = 元年)."""
    era = ERAS[_era_index(d)]
    return EraYear(era.name, era.initial, d.year - era.first_day.year + 1)


def format_date(d: date, *, weekday: bool = False, fullwidth: bool = False) -> str:
    """令和7年3月11日; weekday adds (火); fullwidth gives 令和７年３月１１日（火）."""
    e = era_of(d)
    text = f"{e.era}{e.label}年{d.month}月{d.day}日"
    if weekday:
        text += f"({WEEKDAYS[d.weekday()]})"
    return text.translate(_FULLWIDTH) if fullwidth else text


def _join_short(parts: list[str], spaced: bool) -> str:
    # The report's table form puts a space after each dot: "R6. 6. 7".
    return (". " if spaced else ".").join(parts)


def format_short(d: date, *, spaced: bool = False) -> str:
    """R7.3.11 (the first year is R1, never 元); spaced gives R7. 3. 11."""
    e = era_of(d)
    return _join_short([f"{e.initial}{e.year}", str(d.month), str(d.day)], spaced)


def _check_order(start: date, end: date) -> None:
    if end < start:
        raise WarekiError(
            _("終了日（%(end)s）が開始日（%(start)s）より前です。")
            % {"end": _describe(end), "start": _describe(start)}
        )


def _describe(d: date) -> str:
    try:
        return format_date(d)
    except WarekiError:
        return _gregorian(d)


def format_range_short(start: date, end: date, *, spaced: bool = False) -> str:
    """R7.3.11~12, R6.5.31~6.1, R7.12.26~R8.1.5; the end drops what it shares."""
    _check_order(start, end)
    head = format_short(start, spaced=spaced)
    if start == end:
        return head
    if era_of(start) != era_of(end):
        tail = format_short(end, spaced=spaced)
    elif start.month != end.month:
        tail = _join_short([str(end.month), str(end.day)], spaced)
    else:
        tail = str(end.day)
    return f"{head}~{tail}"


def format_range(start: date, end: date, *, weekday: bool = False) -> str:
    """令和7年3月11日～12日, 令和6年5月31日～6月1日, 令和7年12月26日～令和8年1月5日."""
    _check_order(start, end)
    head = format_date(start, weekday=weekday)
    if start == end:
        return head
    mark = f"({WEEKDAYS[end.weekday()]})" if weekday else ""
    if era_of(start) != era_of(end):
        tail = format_date(end, weekday=weekday)
    elif start.month != end.month:
        tail = f"{end.month}月{end.day}日{mark}"
    else:
        tail = f"{end.day}日{mark}"
    return f"{head}～{tail}"


def fiscal_year_of(d: date) -> int:
    """The fiscal year (April–March) containing ``d``: 2025-03-31 → 2024."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day of fiscal year ``fy``: (fy-04-01, fy+1-03-31)."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def format_fiscal_year(fy: int, *, fullwidth: bool = False) -> str:
    """令和6年度 for 2024.

    A fiscal year is named after the calendar year it starts in; when that year
    saw an era change, the newer era names it. So FY2019 (starting in 平成31年
    April) is 令和元年度, FY1989 is 平成元年度, and FY1988 stays 昭和63年度 although
    it ends in 平成. (Naming by the era of the end date would give 平成元年度 for
    FY1988, which is not how it is written.)
    """
    e = era_of(date(fy, 12, 31))
    text = f"{e.era}{e.label}年度"
    return text.translate(_FULLWIDTH) if fullwidth else text


# --- Parsing -------------------------------------------------------------

_ERA_ALT = "|".join(e.name for e in ERAS) + "|[" + "".join(e.initial for e in ERAS) + "]"


def _piece(p: str, full: bool) -> str:
    """Regex for one date, groups prefixed ``p``; a range end may drop year or month."""
    year = (
        rf"(?:(?P<{p}era>{_ERA_ALT})\s*(?P<{p}ey>\d{{1,2}}|元)|(?:西暦\s*)?(?P<{p}gy>\d{{4}}))"
        r"\s*(?:年|[-/.])\s*"
    )
    month = rf"(?P<{p}m>\d{{1,2}})\s*(?:月|[-/.])\s*"
    # A year without a month would be ambiguous ("R8.5"), so year needs month.
    head = f"{year}{month}" if full else f"(?:(?:{year})?{month})?"
    return (
        rf"{head}(?P<{p}d>\d{{1,2}})\s*日?"
        rf"(?:\s*\(\s*(?P<{p}wd>[{WEEKDAYS}])(?:曜日?)?\s*\))?"
    )


_SINGLE = re.compile(_piece("s_", True), re.IGNORECASE)
_RANGE = re.compile(rf"{_piece('s_', True)}(?:\s*[~-]\s*{_piece('e_', False)})?", re.IGNORECASE)
# NFKC leaves these alone; people type them as range marks or hyphens.
_DASHES = str.maketrans({"〜": "~", "∼": "~", "−": "-", "‐": "-", "–": "-", "—": "-"})


def _match(pattern: re.Pattern[str], text: str) -> re.Match[str]:
    if not text or not text.strip():
        raise WarekiError(_("日付が入力されていません。"))
    normal = unicodedata.normalize("NFKC", text).translate(_DASHES).strip()
    m = pattern.fullmatch(normal)
    if m is None:
        raise WarekiError(_("日付として読み取れません: %(text)s") % {"text": text.strip()})
    return m


def _build(era_index: int | None, year: int, month: int, day: int) -> date:
    """Turn a (possibly era) year, month and day into a date, refusing impossible ones."""
    if era_index is None:
        try:
            return date(year, month, day)
        except ValueError:
            raise WarekiError(
                _("%(y)d年%(m)d月%(d)d日は存在しない日付です。") % {"y": year, "m": month, "d": day}
            ) from None
    era, last = ERAS[era_index], _last_day(era_index)
    if year == 0:
        raise WarekiError(
            _("%(era)s0年はありません。和暦の年は元年（1年）から数えます。") % {"era": era.name}
        )
    args = {
        "era": era.name,
        "year": year,
        "written": f"{era.name}{_year_label(year)}年",
        "m": month,
        "d": day,
        "first": _gregorian(era.first_day),
    }
    if last is not None:
        last_year = last.year - era.first_day.year + 1
        args.update(last_year=last_year, last=_gregorian(last))
        if year > last_year:
            raise WarekiError(
                _("%(era)sは%(last_year)d年（%(last)s）までです。%(era)s%(year)d年は存在しません。")
                % args
            )
    args["g"] = gregorian_year = era.first_day.year + year - 1
    try:
        d = date(gregorian_year, month, day)
    except ValueError:
        raise WarekiError(
            _("%(written)s（%(g)d年）%(m)d月%(d)d日は存在しない日付です。") % args
        ) from None
    if d < era.first_day:
        message = _("%(era)sは%(first)sからです。%(written)s%(m)d月%(d)d日は存在しません。") % args
        if era_index > 0:  # say what the date really is, in case the era was mistyped
            message += _("%(date)sは%(actual)sです。") % {
                "date": _gregorian(d),
                "actual": format_date(d),
            }
        raise WarekiError(message)
    if last is not None and d > last:
        raise WarekiError(
            _(
                "%(era)sは%(last_year)d年（%(last)s）までです。%(written)s%(m)d月%(d)d日は存在しません。"
            )
            % args
        )
    return d


_YearSpec = tuple[int | None, int]  # (era index or None for Gregorian, year)


def _resolve(
    m: re.Match[str], p: str, inherited: tuple[_YearSpec, int] | None
) -> tuple[date, tuple[_YearSpec, int]]:
    """Build the date from groups prefixed ``p``; missing year/month come from ``inherited``."""
    if m[p + "era"]:
        ey = m[p + "ey"]
        spec: _YearSpec = (_ERA_INDEX[m[p + "era"].upper()], 1 if ey == "元" else int(ey))
    elif m[p + "gy"]:
        spec = (None, int(m[p + "gy"]))
    else:
        if inherited is None:  # the regex lets only a range end drop the year
            raise ValueError(m.string)
        spec = inherited[0]
    if m[p + "m"]:
        month = int(m[p + "m"])
    else:
        if inherited is None:  # the regex lets only a range end drop the month
            raise ValueError(m.string)
        month = inherited[1]
    d = _build(*spec, month, int(m[p + "d"]))
    given = m[p + "wd"]
    if given and given != WEEKDAYS[d.weekday()]:
        raise WarekiError(
            _("%(date)sは%(actual)s曜日です（入力された曜日は%(given)s曜日）。")
            % {"date": _describe(d), "actual": WEEKDAYS[d.weekday()], "given": given}
        )
    return d, (spec, month)


def parse_date(text: str) -> date:
    """Read one date as people type it: 令和7年3月11日(火), R7.3.11, H16.12.1,
    2025-03-11, 2025/3/11, 西暦2025年3月11日, full-width digits and brackets.

    Raises WarekiError (a ValueError) with a Japanese message.
    """
    return _resolve(_match(_SINGLE, text), "s_", None)[0]


def parse_date_range(text: str) -> tuple[date, date]:
    """Read a period such as R7.3.11~12, R6.5.31~6.1, R7.12.26~R8.1.5,
    令和6年5月31日～6月1日 or 2025-03-11 - 2025-03-12 into (start, end).

    Separators: ~ 〜 ～ and -. The end may drop the year, or the year and month,
    which are then taken from the start. A single date gives (d, d).
    """
    m = _match(_RANGE, text)
    start, context = _resolve(m, "s_", None)
    if m["e_d"] is None:
        return start, start
    end, _context = _resolve(m, "e_", context)
    _check_order(start, end)
    return start, end


_FISCAL_YEAR = re.compile(
    rf"(?:(?P<era>{_ERA_ALT})\s*(?P<ey>\d{{1,2}}|元)|(?:西暦\s*)?(?P<gy>\d{{4}}))\s*(?:年度?)?",
    re.IGNORECASE,
)


def parse_fiscal_year(text: str) -> int:
    """Read a fiscal year as people type it: 2025, 2025年度, 令和7年度, R7, 令和元年度 → the
    calendar year it starts in. 平成31年度 (written before the new era was named) is 2019.

    Raises WarekiError (a ValueError) with a Japanese message.
    """
    if not text or not text.strip():
        raise WarekiError(_("年度が入力されていません。"))
    normal = unicodedata.normalize("NFKC", text).strip()
    m = _FISCAL_YEAR.fullmatch(normal)
    if m is None:
        raise WarekiError(
            _("年度として読み取れません: %(text)s（例: 2025、令和7年度、R7）")
            % {"text": text.strip()}
        )
    if m["gy"]:
        return int(m["gy"])
    index = _ERA_INDEX[m["era"].upper()]
    era, last = ERAS[index], _last_day(index)
    year = 1 if m["ey"] == "元" else int(m["ey"])
    if year == 0:
        raise WarekiError(
            _("%(era)s0年はありません。和暦の年は元年（1年）から数えます。") % {"era": era.name}
        )
    start = era.first_day.year + year - 1
    if last is not None and start > last.year:
        raise WarekiError(
            _("%(era)sは%(last_year)d年（%(last)s）までです。%(era)s%(year)d年度は存在しません。")
            % {
                "era": era.name,
                "year": year,
                "last": _gregorian(last),
                "last_year": last.year - era.first_day.year + 1,
            }
        )
    return start
