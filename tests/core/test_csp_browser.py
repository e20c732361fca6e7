"""The Content-Security-Policy in a real Chromium: the main pages of the portal, the staff
screens, the admin and the API docs load and run their scripts with no violation reported
(nothing inline is refused), and a violation would be seen."""

import re

import pytest
from django.contrib.auth.models import User

from renkei.finance.models import BudgetLine
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def csp_messages(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


@pytest.fixture
def year(create_two_town_union, create_portal_project, create_report_year):
    """A running FY2024 of a union of 米沢市 and 南陽市 with its project: a budget, and a
    public 交流研修 with a venue and a lecturer (``year.activity``)."""
    union = create_two_town_union()
    create_portal_project(union)
    return create_report_year(union, 2024)


def test_main_pages_have_no_csp_violation(page, live_server, year, create_user):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"{page.url}: {error}"))
    training = own = year.activity
    line = BudgetLine.objects.filter(fiscal_year=year).first()
    secretariat = create_user("secretariat", union=year.union)

    for url in (
        "/",
        "/activities/",
        f"/activities/{training.pk}/",
        "/municipalities/062022/",
        "/annual-reports/",
        "/accessibility/",
        "/opendata/",
        "/api/docs/",
    ):
        assert page.goto(live_server.url + url).status == 200, url

    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("ユーザー名").fill(secretariat.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(re.compile(r"/staff/$"))
    for url in (
        "/staff/activities/",
        f"/staff/activities/{own.pk}/",
        f"/staff/activities/{own.pk}/edit/",
        f"/staff/activities/{own.pk}/attendance/",
        f"/staff/activities/{own.pk}/photos/new/",
        "/staff/budget/",
        f"/staff/budget/lines/{line.pk}/",
        "/staff/years/",
        "/staff/users/",
        "/staff/history/",
    ):
        assert page.goto(live_server.url + url).status == 200, url

    # The admin, as an installation's operator.
    User.objects.create_superuser("operator", "operator@example.jp", PASSWORD)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    for url in (
        "/admin/programmes/activity/",
        f"/admin/programmes/activity/{own.pk}/change/",
        "/admin/programmes/activity/add/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/tenancy/union/",
    ):
        assert page.goto(live_server.url + url).status == 200, url
        page.wait_for_load_state("networkidle")
    assert csp_messages(messages) == []

    # The check sees a violation: an inline style is refused and reported.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.wait_for_timeout(200)
    assert csp_messages(messages)
