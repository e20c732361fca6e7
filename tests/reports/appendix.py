"""The attendance appendix of the FY2024 report as laid out in a PDF (the report's own or
LibreOffice's conversion of the Word file): its headings, last row and what it must show."""

import re

from . import reference
from .extract import fold

MEMBERS = ["米沢市", "長井市", "南陽市", "高畠町", "川西町", "白鷹町", "小国町", "飯豊町"]
# The appendix's column headings as laid out: 「その他の団体」 wraps after 「その他」.
LAID_OUT_HEADER = ["活動", *MEMBERS, "その他", "内訳不明", "計"]
LAST_ROW = "主導した取組（件）"
OTHERS, UNATTRIBUTED, TOTAL = 8, 9, 10  # value columns after the members'


def _total(text: str) -> int:
    return int(re.search(r"(\d+)名$", text).group(1))


# The recorded totals in report order, as the reference prints them: 交流研修, every
# seminar session, 自治体DX研修会, 自治体GX研修会.
FY2024_TOTALS = [
    _total(reference.EXCHANGE[6][2]),
    *(
        _total(fact[-1])
        for fact in reference.SEMINARS
        if isinstance(fact, tuple) and not fact[0].isdigit()
    ),
    _total(reference.DX[4][2]),
    _total(reference.GX[4][2]),
]
LED = ["3", "0", "3", "1", "0", "0", "3", "1", "", "", "11"]


def row_of(rows, title: str) -> list[str]:
    """The cells of the row whose label (its first line, as laid out) begins ``title``."""
    [cells] = [cells for label, cells in rows if fold(title).startswith(fold(label))]
    return cells


def assert_fy2024_appendix(rows) -> None:
    """No member cell holds a number; every total is the recorded one, all 内訳不明."""
    *activities, (totals_label, totals), (led_label, led) = rows
    for label, cells in activities:
        assert all(cell in ("－", "参加") for cell in cells[:OTHERS]), (label, cells)
        assert cells[UNATTRIBUTED] == cells[TOTAL], (label, cells)
    assert [int(cells[TOTAL]) for _label, cells in activities] == FY2024_TOTALS
    assert (totals_label, totals) == ("出席者計", ["参加"] * 9 + [str(sum(FY2024_TOTALS))] * 2)
    assert (led_label, led) == (LAST_ROW, LED)
    assert row_of(rows, "交流研修")[OTHERS] == "参加"  # 港区, the centre and the union
    assert row_of(rows, "自治体GX研修会")[:OTHERS] == ["－"] * 3 + ["参加"] * 5
