"""Staff tables on a 390 px phone (issue 14, item 8): no cell is squeezed to a character
or two per line; a table wider than the screen scrolls inside its own box, so the page
itself does not scroll sideways."""

from datetime import date

import pytest

from tests.browser import WIDTHS, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def year(union, create_report_year, create_activity):
    """A running FY2024 with rows in each table: a budget and settlement, a public
    交流研修, and two external seminars with long titles (the seminar grid's columns)."""
    year = create_report_year(union, 2024)
    for title, on in [
        ("港区連携自治体ワーケーション促進事業 旅先納税セミナー", date(2024, 9, 5)),
        ("ZEB（ネット・ゼロ・エネルギー・ビル）導入セミナー", date(2024, 10, 8)),
    ]:
        create_activity(year, title=title, kind="external_seminar", on=on)
    return year


# Cells holding at least three characters that are narrower than three characters.
SQUEEZED = """() => {
  const found = [];
  for (const cell of document.querySelectorAll("main th, main td")) {
    const text = cell.innerText.trim();
    if ([...text].length < 3) continue;
    const style = getComputedStyle(cell);
    const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (inner < 3 * parseFloat(style.fontSize)) found.push(text.slice(0, 20) + " " + inner);
  }
  return found;
}"""


# Elements reaching past the right edge of the page (outside a scrolling box).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.parentElement && el.parentElement.closest(".table-scroll")) continue;  // the box itself must fit
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      found.push(el.tagName + "." + el.className + "#" + el.id + " " + Math.round(box.right));
    }
  }
  return found.slice(0, 8);
}"""


def test_staff_tables_fit_a_phone(live_server, page, staff, year, initiative, training, gx):
    exhibition = initiative
    sign_in(page, live_server, staff["secretariat"])
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
    for path in (
        "/staff/",
        "/staff/activities/?year=2024",
        f"/staff/activities/{exhibition.pk}/",
        f"/staff/activities/{exhibition.pk}/attendance/",
        "/staff/budget/?year=2024",
        "/staff/users/",
        "/staff/history/",
        f"/staff/years/{year.pk}/",
        f"/staff/activities/new/?group={exhibition.group_id}",
        f"/staff/activities/{exhibition.pk}/edit/",
        "/staff/seminars/grid/",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate(SQUEEZED) == [], path
        assert page.evaluate(OVERFLOWING) == [], path
        # Nothing (a visually hidden label either) widens the page itself.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTHS["phone"], path
