"""Bad input seen in the field is a 4xx (or a form error) with a Japanese message, never a
500: Unicode digits as a year, an id past 64 bits, look-alike and full-width user names,
control characters in titles reaching the .xlsx exports and the change-history export."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from rest_framework.test import APIClient

from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change
from renkei.programmes.models import Activity, FiscalYearState
from renkei.tenancy.models import Organisation


@pytest.fixture
def fiscal_year(create_two_town_union, create_year, create_activity, create_count):
    """FY2024, running, of a union of 米沢市 and 南陽市, with 交流研修 (米沢市 sent 3)."""
    year = create_year(create_two_town_union(), 2024, state=FiscalYearState.RUNNING)
    training = create_activity(
        year, title="交流研修", kind="exchange_training", on=date(2024, 11, 2)
    )
    create_count(training, Organisation.objects.get(code="062022"), 3)
    return year


@pytest.fixture
def staff(client, make_user, fiscal_year):
    client.force_login(make_user("secretariat", username="jimukyoku", union=fiscal_year.union))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/activities/?year=²",
        "/calendar.ics?year=²",
        "/activities/?year=٢٠٢٤",
        "/calendar.ics?year=" + "9" * 40,
    ],
)
def test_portal_year_in_other_digits_is_400(client, fiscal_year, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "年度は西暦の4桁" in response.content.decode()


@pytest.mark.parametrize("year", ["²", "٢٠٢٤", "9" * 40])
def test_staff_year_in_other_digits_is_not_a_500(staff, year):
    assert staff.get("/staff/activities/", {"year": year}).status_code == 200  # latest year


def test_api_organisation_id_past_64_bits_is_400(fiscal_year, make_user):
    api = APIClient()
    api.force_authenticate(make_user("secretariat", union=fiscal_year.union))
    training = Activity.objects.get(title="交流研修")
    response = api.put(
        f"/api/activities/{training.pk}/attendance/",
        {
            "counts": [{"organisation": 9223372036854775808, "count": 1, "previous": None}],
            "reason": "試験",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"]["counts"]["0"]["organisation"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ｊｉｍｕｋｙｏｋｕ", "すでに使われています"),  # full-width: the same name after NFKC
        ("JimuKyoku", "すでに使われています"),  # letter case is not a different name
        ("jimukyoku\u200b", "半角の英字・数字"),  # zero-width space: a look-alike
        ("jimu\u202ekyoku", "半角の英字・数字"),  # right-to-left override
        ("jimukyоku", "半角の英字・数字"),  # Cyrillic о
        ("", "必須"),
    ],
)
def test_invite_refuses_duplicate_and_look_alike_names(staff, typed, message):
    users = get_user_model().objects.count()
    response = staff.post(
        "/staff/users/",
        {
            "username": typed,
            "organisation": Organisation.objects.get(code="062022").pk,
            "role": "member",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert get_user_model().objects.count() == users


def test_full_width_name_is_stored_folded(staff):
    response = staff.post(
        "/staff/users/",
        {
            "username": "ｎａｎｙｏ．ｔａｒｏ",
            "organisation": Organisation.objects.get(code="062138").pk,
            "role": "member",
        },
    )
    assert response.status_code == 200
    assert get_user_model().objects.filter(username="nanyo.taro").exists()


CONTROL = "交流\x0b研修\x1f\x08"  # NUL never reaches a row: forms refuse it


def test_control_characters_do_not_break_the_xlsx_exports(staff, fiscal_year, via_job):
    training = Activity.objects.get(title="交流研修")
    Activity.objects.filter(pk=training.pk).update(title=CONTROL)
    record_change(
        user=None,
        action=AuditEntry.Action.UPDATE,
        instance=training,
        union=fiscal_year.union,
        changes={"title": ["交流研修", CONTROL]},
        reason=CONTROL,
    )
    for url in (
        "/staff/activities/export.xlsx?year=2024",
        "/staff/history/export.xlsx",
        "/staff/activities/attendance.xlsx?year=2024",
    ):
        made_by_a_job = "attendance" not in url
        response = via_job(staff, url) if made_by_a_job else staff.get(url)
        assert response.status_code == 200, url
        cells = [
            c
            for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(
                values_only=True
            )
            for c in row
            if isinstance(c, str)
        ]
        assert any("交流\ufffd研修" in c for c in cells), url
