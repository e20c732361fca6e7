"""Tests for renkei.wareki: era/fiscal-year formatting and parsing."""

from datetime import date, timedelta

import pytest

from renkei.wareki import (
    EraYear,
    WarekiError,
    era_of,
    fiscal_year_bounds,
    fiscal_year_of,
    format_date,
    format_fiscal_year,
    format_range,
    format_range_short,
    format_short,
    parse_date,
    parse_date_range,
    parse_fiscal_year,
)

# The last day of each era and the first day of the next.
ERA_BOUNDARIES = [
    (date(1868, 1, 25), "明治元年1月25日", "M1.1.25", EraYear("明治", "M", 1)),
    (date(1912, 7, 29), "明治45年7月29日", "M45.7.29", EraYear("明治", "M", 45)),
    (date(1912, 7, 30), "大正元年7月30日", "T1.7.30", EraYear("大正", "T", 1)),
    (date(1926, 12, 24), "大正15年12月24日", "T15.12.24", EraYear("大正", "T", 15)),
    (date(1926, 12, 25), "昭和元年12月25日", "S1.12.25", EraYear("昭和", "S", 1)),
    (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7", EraYear("昭和", "S", 64)),
    (date(1989, 1, 8), "平成元年1月8日", "H1.1.8", EraYear("平成", "H", 1)),
    (date(2019, 4, 30), "平成31年4月30日", "H31.4.30", EraYear("平成", "H", 31)),
    (date(2019, 5, 1), "令和元年5月1日", "R1.5.1", EraYear("令和", "R", 1)),
]


@pytest.mark.parametrize(("d", "long", "short", "era"), ERA_BOUNDARIES)
def test_era_boundaries(d, long, short, era):
    assert era_of(d) == era
    assert format_date(d) == long
    assert format_short(d) == short
    assert parse_date(long) == d
    assert parse_date(short) == d


def test_era_label_and_before_meiji():
    assert era_of(date(2019, 5, 1)).label == "元"
    assert era_of(date(2025, 1, 1)).label == "7"
    with pytest.raises(WarekiError, match="1868年1月24日は明治"):
        era_of(date(1868, 1, 24))


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
        (date(2019, 3, 31), 2018),
        (date(2019, 4, 1), 2019),
        (date(2020, 3, 31), 2019),
        (date(2024, 12, 31), 2024),
        (date(2025, 1, 1), 2024),
    ],
)
def test_fiscal_year_of(d, fy):
    assert fiscal_year_of(d) == fy


@pytest.mark.parametrize(
    ("fy", "text"),
    [
        (1988, "昭和63年度"),  # ends 1989-03-31, in 平成, yet written 昭和63年度
        (1989, "平成元年度"),
        (2018, "平成30年度"),
        (2019, "令和元年度"),  # starts in 平成31年 April
        (2020, "令和2年度"),
        (2024, "令和6年度"),
    ],
)
def test_format_fiscal_year(fy, text):
    assert format_fiscal_year(fy) == text


def test_fiscal_year_fullwidth_and_bounds():
    assert format_fiscal_year(2024, fullwidth=True) == "令和６年度"
    assert format_fiscal_year(2019, fullwidth=True) == "令和元年度"
    assert fiscal_year_bounds(2024) == (date(2024, 4, 1), date(2025, 3, 31))
    assert fiscal_year_bounds(2023) == (date(2023, 4, 1), date(2024, 3, 31))  # leap year irrelevant


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({}, "令和7年3月11日"),
        ({"weekday": True}, "令和7年3月11日(火)"),
        ({"fullwidth": True}, "令和７年３月１１日"),
        ({"weekday": True, "fullwidth": True}, "令和７年３月１１日（火）"),
    ],
)
def test_format_date_variants(kwargs, text):
    assert format_date(date(2025, 3, 11), **kwargs) == text


def test_format_short_spaced():
    assert format_short(date(2024, 6, 7), spaced=True) == "R6. 6. 7"
    assert format_short(date(2025, 3, 11), spaced=True) == "R7. 3. 11"


RANGES = [
    # start, end, short, short spaced, long
    (date(2025, 3, 11), date(2025, 3, 11), "R7.3.11", "R7. 3. 11", "令和7年3月11日"),
    (date(2025, 3, 11), date(2025, 3, 12), "R7.3.11~12", "R7. 3. 11~12", "令和7年3月11日～12日"),
    (
        date(2024, 5, 31),
        date(2024, 6, 1),
        "R6.5.31~6.1",
        "R6. 5. 31~6. 1",
        "令和6年5月31日～6月1日",
    ),
    (
        date(2025, 12, 26),
        date(2026, 1, 5),
        "R7.12.26~R8.1.5",
        "R7. 12. 26~R8. 1. 5",
        "令和7年12月26日～令和8年1月5日",
    ),
    (
        date(2019, 4, 30),
        date(2019, 5, 1),
        "H31.4.30~R1.5.1",
        "H31. 4. 30~R1. 5. 1",
        "平成31年4月30日～令和元年5月1日",
    ),
]


@pytest.mark.parametrize(("start", "end", "short", "spaced", "long"), RANGES)
def test_format_and_parse_ranges(start, end, short, spaced, long):
    assert format_range_short(start, end) == short
    assert format_range_short(start, end, spaced=True) == spaced
    assert format_range(start, end) == long
    for text in (short, spaced, long):
        assert parse_date_range(text) == (start, end)


def test_format_range_weekday():
    assert format_range(date(2025, 3, 11), date(2025, 3, 12), weekday=True) == (
        "令和7年3月11日(火)～12日(水)"
    )
    assert format_range(date(2024, 5, 31), date(2024, 6, 1), weekday=True) == (
        "令和6年5月31日(金)～6月1日(土)"
    )


def test_format_range_refuses_reversed():
    with pytest.raises(
        WarekiError, match="終了日（令和7年3月10日）が開始日（令和7年3月11日）より前です。"
    ):
        format_range(date(2025, 3, 11), date(2025, 3, 10))
    with pytest.raises(WarekiError, match="より前です"):
        format_range_short(date(2025, 3, 11), date(2025, 3, 10))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-11", date(2025, 3, 11)),
        ("2025/3/11", date(2025, 3, 11)),
        ("令和7年3月11日", date(2025, 3, 11)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R7.3.11", date(2025, 3, 11)),
        ("r7.3.11", date(2025, 3, 11)),
        ("R 7. 3. 11", date(2025, 3, 11)),
        ("Ｒ７．３．１１", date(2025, 3, 11)),
        ("H16.12.1", date(2004, 12, 1)),
        ("令和7年3月11日(火)", date(2025, 3, 11)),
        ("令和7年3月11日（火）", date(2025, 3, 11)),
        ("令和７年３月１１日（火曜日）", date(2025, 3, 11)),
        ("西暦 2025年3月11日", date(2025, 3, 11)),
        ("　令和 7 年 3 月 11 日　", date(2025, 3, 11)),
        ("S64.1.7", date(1989, 1, 7)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R7.3.11~12", (date(2025, 3, 11), date(2025, 3, 12))),
        ("R7.3.11〜12", (date(2025, 3, 11), date(2025, 3, 12))),
        ("R7.3.11～12", (date(2025, 3, 11), date(2025, 3, 12))),
        ("R7.3.11-12", (date(2025, 3, 11), date(2025, 3, 12))),
        ("R6.5.31~6.1", (date(2024, 5, 31), date(2024, 6, 1))),
        ("R7.12.26~R8.1.5", (date(2025, 12, 26), date(2026, 1, 5))),
        ("令和6年5月31日～6月1日", (date(2024, 5, 31), date(2024, 6, 1))),
        ("令和6年5月31日(金)～6月1日(土)", (date(2024, 5, 31), date(2024, 6, 1))),
        ("2025-03-11~2025-03-12", (date(2025, 3, 11), date(2025, 3, 12))),
        ("2025-03-11 - 2025-03-12", (date(2025, 3, 11), date(2025, 3, 12))),
        ("2025-03-11", (date(2025, 3, 11), date(2025, 3, 11))),
    ],
)
def test_parse_date_range(text, expected):
    assert parse_date_range(text) == expected


def test_round_trip_every_day():
    d, last = date(1989, 1, 1), date(2030, 12, 31)
    failures = []
    while d <= last:
        for text in (
            format_date(d),
            format_date(d, weekday=True, fullwidth=True),
            format_short(d),
            format_short(d, spaced=True),
        ):
            if parse_date(text) != d:
                failures.append((d, text))
        d += timedelta(days=1)
    assert failures == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("平成32年1月1日", "平成は31年（2019年4月30日）までです。平成32年は存在しません。"),
        ("平成31年5月1日", "平成は31年（2019年4月30日）までです。平成31年5月1日は存在しません。"),
        ("昭和64年1月8日", "昭和は64年（1989年1月7日）までです。"),
        ("令和元年4月1日", "令和は2019年5月1日からです。令和元年4月1日は存在しません。"),
        ("令和元年4月1日", "2019年4月1日は平成31年4月1日です。"),
        ("令和7年2月30日", "令和7年（2025年）2月30日は存在しない日付です。"),
        ("R7.13.1", "令和7年（2025年）13月1日は存在しない日付です。"),
        ("2025-02-29", "2025年2月29日は存在しない日付です。"),
        ("令和0年1月1日", "令和0年はありません。"),
        ("R0.1.1", "令和0年はありません。"),
        ("令和7年3月11日(水)", "令和7年3月11日は火曜日です（入力された曜日は水曜日）。"),
        ("明日", "日付として読み取れません: 明日"),
        ("R7.3", "日付として読み取れません: R7.3"),
        ("", "日付が入力されていません。"),
        ("   ", "日付が入力されていません。"),
    ],
)
def test_parse_date_errors(text, message):
    with pytest.raises(WarekiError) as excinfo:
        parse_date(text)
    assert message in str(excinfo.value)
    assert isinstance(excinfo.value, ValueError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("R7.3.12~11", "終了日（令和7年3月11日）が開始日（令和7年3月12日）より前です。"),
        ("H31.4.30~5.1", "平成31年5月1日は存在しません。"),  # the end inherits 平成31年
        ("R7.3.11~12(火)", "令和7年3月12日は水曜日です"),
        ("R7.3.11~12~13", "日付として読み取れません"),
    ],
)
def test_parse_date_range_errors(text, message):
    with pytest.raises(WarekiError) as excinfo:
        parse_date_range(text)
    assert message in str(excinfo.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", 2025),
        ("2025年度", 2025),
        ("令和7年度", 2025),
        ("R7", 2025),
        ("r7年度", 2025),
        ("令和元年度", 2019),
        ("平成31年度", 2019),
        ("Ｒ６", 2024),
        ("西暦2024年度", 2024),
        ("平成元年度", 1989),
    ],
)
def test_parse_fiscal_year(text, expected):
    assert parse_fiscal_year(text) == expected


def test_parse_fiscal_year_round_trips_every_name():
    for fy in range(1989, 2031):
        assert parse_fiscal_year(format_fiscal_year(fy)) == fy


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "年度が入力されていません"),
        ("来年度", "年度として読み取れません: 来年度"),
        ("令和0年度", "令和0年はありません"),
        ("平成32年度", "平成は31年（2019年4月30日）までです。平成32年度は存在しません。"),
    ],
)
def test_parse_fiscal_year_errors(text, message):
    with pytest.raises(WarekiError, match=message):
        parse_fiscal_year(text)
