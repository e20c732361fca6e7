"""Attendance in the annual report as the records know it, read back from the PDF, the
Word file and the workbook: the appendix credits no municipality with a count the
records lack (FY2024 gives only phrases and totals: all of it is 内訳不明), a member's
partial count never replaces the recorded total, and what cannot be right is found
before issuing."""

import io

import pytest

from renkei.programmes.models import Activity
from renkei.reports.checks import find_problems
from renkei.reports.data import build_report
from renkei.reports.renderers import render

from . import reference
from .appendix import (
    FY2024_TOTALS,
    LAID_OUT_HEADER,
    LAST_ROW,
    MEMBERS,
    OTHERS,
    TOTAL,
    UNATTRIBUTED,
    assert_fy2024_appendix,
    row_of,
)
from .extract import check_sections, fold, pdf_sections, pdf_text, pdf_words, table_rows

pytestmark = pytest.mark.django_db


def pdf_rows(pdf: bytes) -> list[tuple[str, list[str]]]:
    _width, words = pdf_words(pdf)
    return table_rows(words, LAID_OUT_HEADER, LAST_ROW)


def docx_rows(data: bytes) -> list[tuple[str, list[str]]]:
    import docx

    document = docx.Document(io.BytesIO(data))
    [table] = [t for t in document.tables if t.rows[0].cells[-2].text == "内訳不明"]
    assert [c.text for c in table.rows[0].cells] == [
        "活動",
        *MEMBERS,
        "その他の団体",
        "内訳不明",
        "計",
    ]
    return [(row.cells[0].text, [c.text for c in row.cells[1:]]) for row in table.rows[1:]]


def xlsx_values(data: bytes) -> list[tuple]:
    """The participation table's rows as the workbook stores them (numbers as numbers)."""
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data))["出席者"]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(n for n, row in enumerate(rows) if "内訳不明" in row)
    assert rows[start][:12] == ("活動", *MEMBERS, "その他の団体", "内訳不明", "計")
    end = next(n for n, row in enumerate(rows) if row[0] == LAST_ROW)
    return [row[:12] for row in rows[start + 1 : end + 1]]


def xlsx_rows(data: bytes) -> list[tuple[str, list[str]]]:
    return [(row[0], ["" if v is None else str(v) for v in row[1:]]) for row in xlsx_values(data)]


def test_fy2024_appendix_in_the_pdf_credits_no_municipality(report):
    assert_fy2024_appendix(pdf_rows(render(report, "pdf")))


def test_fy2024_appendix_in_the_word_file_credits_no_municipality(report):
    assert_fy2024_appendix(docx_rows(render(report, "docx")))


def test_fy2024_appendix_in_the_workbook_credits_no_municipality(report):
    data = render(report, "xlsx")
    assert_fy2024_appendix(xlsx_rows(data))
    *activities, _totals, _led = xlsx_values(data)
    assert not any(isinstance(v, int) for row in activities for v in row[1 : 1 + len(MEMBERS)])
    assert all(isinstance(row[1 + UNATTRIBUTED], int) for row in activities)


def test_fy2024_has_no_chart_of_attendance_by_member(report):
    """No member has a known count: a chart of members would say nothing."""
    html = render(report, "html").decode("utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == 1  # expenditure only
    assert "図1" not in html and "図2 節別の支出額" in html
    assert report.statistics.attendance_by_member == [0] * 8
    assert report.statistics.attendance_unattributed == sum(FY2024_TOTALS)


def test_a_members_partial_count_never_replaces_the_recorded_total(fy2024, record_count):
    """南陽市 enters its own people for two sessions whose totals the secretariat
    recorded (2 and 6): the report still prints 2名 and 6名, the appendix credits 南陽市
    with what it entered and leaves the rest 内訳不明; nothing is wrong with that."""
    record_count("ZEB導入セミナー", "南陽市", 1)
    record_count("急速に広がった自治体の生成AI活用", "南陽市", 2)
    report = build_report(fy2024)
    assert find_problems(report) == []
    pdf = render(report, "pdf")
    seminars = pdf_sections(pdf, reference.TITLE)["広域連携外部研修"]
    assert check_sections({"s": seminars}, [("s", reference.SEMINARS)]) == []
    nanyo = MEMBERS.index("南陽市")
    for rows in (
        pdf_rows(pdf),
        docx_rows(render(report, "docx")),
        xlsx_rows(render(report, "xlsx")),
    ):
        zeb = row_of(rows, "ZEB導入セミナー")
        assert zeb[nanyo] == "1" and zeb[UNATTRIBUTED] == "1" and zeb[TOTAL] == "2"
        assert zeb[:nanyo] + zeb[nanyo + 1 : OTHERS] == ["－"] * 7
        ai = row_of(rows, "急速に広がった自治体の生成AI活用")
        assert (ai[nanyo], ai[UNATTRIBUTED], ai[TOTAL]) == ("2", "4", "6")
        totals = rows[-2][1]
        # 南陽市 also took part in 自治体DX研修会 without a count: at least 3.
        assert totals[nanyo] == "3以上" and totals[0] == "参加"
        assert totals[UNATTRIBUTED:] == [str(sum(FY2024_TOTALS) - 3), str(sum(FY2024_TOTALS))]
    html = render(report, "html").decode("utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == 2  # now a member has a count
    assert "図1 構成市町別の出席者数（人数の記録がある分のみ" in html
    assert report.statistics.attendance_by_member[nanyo] == 3


def test_counts_over_the_recorded_total_are_found_and_the_total_stands(fy2024, record_count):
    record_count("ZEB導入セミナー", "南陽市", 3)
    report = build_report(fy2024)
    [finding] = find_problems(report)
    assert finding.code == "attendance_exceeds_total"
    assert "ZEB導入セミナー" in str(finding) and "2名" in str(finding) and "3名" in str(finding)
    zeb = next(
        r
        for t in report.pages
        if t.seminars
        for table in t.seminars.tables
        for r in table.rows
        if r.title == "ZEB導入セミナー"
    )
    assert zeb.attendees == "2名"
    cells = row_of(pdf_rows(render(report, "pdf")), "ZEB導入セミナー")
    assert (cells[MEMBERS.index("南陽市")], cells[UNATTRIBUTED], cells[TOTAL]) == ("3", "0", "2")


def test_an_unknown_total_is_printed_as_unknown_and_found(fy2024):
    """Without a recorded total the report says 人数不明 / 不明, the appendix's sums say
    「以上」, and the check asks for the total. A session with nothing recorded has no
    row in the appendix, and its seminar table says 不明."""
    Activity.objects.filter(title__in=["自治体DX研修会", "ZEB導入セミナー"]).update(
        attendee_total=None
    )
    report = build_report(fy2024)
    found = {(f.code, f.subject.split(" ", 1)[1]) for f in find_problems(report)}
    assert found == {
        ("attendance_total_missing", "自治体DX研修会"),
        ("attendance_total_missing", "ZEB導入セミナー"),
    }
    text = fold(pdf_text(render(report, "pdf")))
    assert fold("置賜3市5町、置賜総合支庁（人数不明）") in text
    rows = xlsx_rows(render(report, "xlsx"))
    assert row_of(rows, "自治体DX研修会")[UNATTRIBUTED:] == ["不明", "不明"]
    assert not [label for label, _cells in rows if label == "ZEB導入セミナー"]
    known = sum(FY2024_TOTALS) - 23 - 2
    assert rows[-2][1][UNATTRIBUTED:] == [f"{known}以上", f"{known}以上"]
    zeb = next(
        r
        for t in report.pages
        if t.seminars
        for table in t.seminars.tables
        for r in table.rows
        if r.title == "ZEB導入セミナー"
    )
    assert zeb.attendees == "不明"
