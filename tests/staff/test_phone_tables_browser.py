"""Staff tables on a 390 px phone (issue 14, item 8): no cell is squeezed to a character
or two per line; a table wider than the screen scrolls inside its own box, so the page
itself does not scroll sideways."""

import pytest

from tests.browser import WIDTHS, sign_in

from .conftest import activity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

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


def test_staff_tables_fit_a_phone(live_server, page, users, fy2024):
    exhibition = activity(fy2024, "札の辻スクエア3階")
    sign_in(page, live_server, users["secretariat"])
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
    for path in (
        "/staff/",
        "/staff/activities/?year=2024",
        f"/staff/activities/{exhibition.pk}/",
        f"/staff/activities/{exhibition.pk}/attendance/",
        "/staff/budget/?year=2024",
        "/staff/users/",
        "/staff/history/",
        f"/staff/years/{fy2024.pk}/",
        f"/staff/activities/new/?group={exhibition.group_id}",
        f"/staff/activities/{exhibition.pk}/edit/",
        "/staff/seminars/grid/",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate(SQUEEZED) == [], path
        assert page.evaluate(OVERFLOWING) == [], path
        # Nothing (a visually hidden label either) widens the page itself.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTHS["phone"], path
