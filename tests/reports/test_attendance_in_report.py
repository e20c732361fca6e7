"""Attendance in the annual report as the records know it, read back from the PDF, the
Word file and the workbook: the appendix credits no municipality with a count the
records lack (FY2024 gives only phrases and totals: all of it is 内訳不明), a member's
partial count never replaces the recorded total, and what cannot be right is found
before issuing.

FY2024's appendix is checked on the seed (reference tests); what members' counts do to
the report is tried on a factory-made year of the eight members, recorded as FY2024 is
(totals, and members that took part without a count)."""

import io
from datetime import date

import pytest

from renkei.programmes.models import (
    Activity,
    ActivityGroup,
    Attendance,
    GroupKind,
    Lecturer,
    Venue,
)
from renkei.reports.checks import find_problems
from renkei.reports.data import build_report
from renkei.reports.renderers import render
from renkei.tenancy.models import Organisation

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
from .extract import fold, missing_facts, pdf_sections, pdf_text, pdf_words, table_rows

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


@pytest.mark.reference
def test_fy2024_appendix_in_the_pdf_credits_no_municipality(report):
    assert_fy2024_appendix(pdf_rows(render(report, "pdf")))


@pytest.mark.reference
def test_fy2024_appendix_in_the_word_file_credits_no_municipality(report):
    assert_fy2024_appendix(docx_rows(render(report, "docx")))


@pytest.mark.reference
def test_fy2024_appendix_in_the_workbook_credits_no_municipality(report):
    data = render(report, "xlsx")
    assert_fy2024_appendix(xlsx_rows(data))
    *activities, _totals, _led = xlsx_values(data)
    assert not any(isinstance(v, int) for row in activities for v in row[1 : 1 + len(MEMBERS)])
    assert all(isinstance(row[1 + UNATTRIBUTED], int) for row in activities)


@pytest.mark.reference
def test_fy2024_has_no_chart_of_attendance_by_member(report):
    """No member has a known count: a chart of members would say nothing."""
    html = render(report, "html").decode("utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == 1  # expenditure only
    assert "図1" not in html and "図2 節別の支出額" in html
    assert report.statistics.attendance_by_member == [0] * 8
    assert report.statistics.attendance_unattributed == sum(FY2024_TOTALS)


# The totals the factory year records, in report order: 交流研修, the two seminar
# sessions, 自治体DX研修会.
TOTALS = [22, 2, 6, 10]


@pytest.fixture
def recorded_year(create_member_union, create_report_year, create_activity, create_attendance):
    """FY2024 of a union of 置賜's eight members, recorded as the seed records attendance:
    交流研修 (22, 米沢市 and 港区 took part), a seminar series of ZEB導入セミナー (2) and
    急速に広がった自治体の生成AI活用 (6), 自治体DX研修会 (10, 置賜3市5町, 南陽市 named
    without a count). No member has a count; the checks find nothing."""
    union = create_member_union()
    year = create_report_year(union, 2024)
    Attendance.objects.filter(activity=year.activity).update(count=None)  # 米沢市: 参加
    create_attendance(year.activity, {org("港区"): None})
    series = ActivityGroup.objects.create(
        programme=year.activity.group.programme,
        number=2,
        title="広域連携外部研修",
        kind=GroupKind.SEMINAR_SERIES,
    )
    for title, total, day in (
        ("ZEB導入セミナー", 2, date(2024, 6, 7)),
        ("急速に広がった自治体の生成AI活用", 6, date(2024, 7, 19)),
    ):
        session = create_activity(
            group=series, title=title, kind="external_seminar", on=day, attendee_total=total
        )
        Venue.objects.create(day=session.days.get(), name="東京都")
    dx = create_activity(
        year, title="自治体DX研修会", kind="workshop", on=date(2024, 10, 4), attendee_total=10
    )
    Venue.objects.create(day=dx.days.get(), name="置賜総合文化センター")
    Lecturer.objects.create(activity=dx, name="置賜 太郎")
    create_attendance(dx, {org("南陽市"): None}, by_kind={"city": 3, "town": 5})
    assert find_problems(build_report(year)) == []
    return year


def org(name):
    return Organisation.objects.get(name=name)


def seminar_row(report, title):
    return next(
        r
        for page in report.pages
        if page.seminars
        for table in page.seminars.tables
        for r in table.rows
        if r.title == title
    )


def test_a_members_partial_count_never_replaces_the_recorded_total(recorded_year, create_count):
    """南陽市 enters its own people for two sessions whose totals the secretariat
    recorded (2 and 6): the report still prints 2名 and 6名, the appendix credits 南陽市
    with what it entered and leaves the rest 内訳不明; nothing is wrong with that."""
    sessions = Activity.objects.filter(group__programme__fiscal_year=recorded_year)
    create_count(sessions.get(title="ZEB導入セミナー"), org("南陽市"), 1)
    create_count(sessions.get(title="急速に広がった自治体の生成AI活用"), org("南陽市"), 2)
    report = build_report(recorded_year)
    assert find_problems(report) == []
    pdf = render(report, "pdf")
    assert seminar_row(report, "ZEB導入セミナー").attendees == "2名"
    assert seminar_row(report, "急速に広がった自治体の生成AI活用").attendees == "6名"
    seminars = pdf_sections(pdf, report.title)["広域連携外部研修"]
    assert missing_facts(seminars, ["ZEB導入セミナー", "2名", "急速に広がった", "6名"]) == []
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
        assert totals[UNATTRIBUTED:] == [str(sum(TOTALS) - 3), str(sum(TOTALS))]
    html = render(report, "html").decode("utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == 2  # now a member has a count
    assert "図1 構成市町別の出席者数（人数の記録がある分のみ" in html
    assert report.statistics.attendance_by_member[nanyo] == 3


def test_counts_over_the_recorded_total_are_found_and_the_total_stands(recorded_year, create_count):
    zeb_session = Activity.objects.get(title="ZEB導入セミナー")
    create_count(zeb_session, org("南陽市"), 3)
    report = build_report(recorded_year)
    [finding] = find_problems(report)
    assert finding.code == "attendance_exceeds_total"
    assert "ZEB導入セミナー" in str(finding) and "2名" in str(finding) and "3名" in str(finding)
    assert seminar_row(report, "ZEB導入セミナー").attendees == "2名"
    cells = row_of(pdf_rows(render(report, "pdf")), "ZEB導入セミナー")
    assert (cells[MEMBERS.index("南陽市")], cells[UNATTRIBUTED], cells[TOTAL]) == ("3", "0", "2")


def test_an_unknown_total_is_printed_as_unknown_and_found(recorded_year):
    """Without a recorded total the report says 人数不明 / 不明, the appendix's sums say
    「以上」, and the check asks for the total. A session with nothing recorded has no
    row in the appendix, and its seminar table says 不明."""
    Activity.objects.filter(title__in=["自治体DX研修会", "ZEB導入セミナー"]).update(
        attendee_total=None
    )
    report = build_report(recorded_year)
    found = {(f.code, f.subject.split(" ", 1)[1]) for f in find_problems(report)}
    assert found == {
        ("attendance_total_missing", "自治体DX研修会"),
        ("attendance_total_missing", "ZEB導入セミナー"),
    }
    text = fold(pdf_text(render(report, "pdf")))
    assert fold("置賜3市5町（人数不明）") in text
    rows = xlsx_rows(render(report, "xlsx"))
    assert row_of(rows, "自治体DX研修会")[UNATTRIBUTED:] == ["不明", "不明"]
    assert not [label for label, _cells in rows if label == "ZEB導入セミナー"]
    known = sum(TOTALS) - 10 - 2
    assert rows[-2][1][UNATTRIBUTED:] == [f"{known}以上", f"{known}以上"]
    assert seminar_row(report, "ZEB導入セミナー").attendees == "不明"
