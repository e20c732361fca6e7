"""The overview and seminar tables write dates exactly as the reference does (the range
mark as the full-width ～: the report's font draws "~" as an overline)."""

import pytest

from renkei.reports.renderers import render

from . import reference

pytestmark = pytest.mark.reference  # the real year's dates as the reference prints them


def printed(dates: str) -> str:
    return dates.replace("~", "～")


def test_overview_tables_write_dates_without_spaces(report):
    rows = {
        row.item: row.dates
        for programme in report.programmes
        for group in programme.groups
        for row in group.rows
    }
    assert rows == {item: printed(dates) for item, dates in reference.OVERVIEW_DATES.items()}


def test_seminar_tables_write_dates_with_spaces(report):
    dates = [
        row.dates
        for page in report.pages
        if page.kind == "seminars"
        for table in page.seminars.tables
        for row in table.rows
    ]
    assert dates == [printed(d) for d in reference.SEMINAR_DATES]


def test_the_forms_reach_the_document_as_they_are(report):
    html = render(report, "html").decode("utf-8")
    for dates in [*reference.OVERVIEW_DATES.values(), *reference.SEMINAR_DATES]:
        assert f">{printed(dates)}<" in html, dates
