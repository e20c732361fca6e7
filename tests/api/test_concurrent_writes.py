"""Concurrent writes on a live, threaded server: 60 attendance updates at once never give a
500; each answer is 200, 409 (someone else's change came first) or 503 (the database is
busy; JSON with Retry-After); what is stored is exactly what one successful write sent.
On SQLite (WAL, immediate write transactions, a busy timeout) and on PostgreSQL."""

import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.urls import reverse

from renkei.programmes.attendance import TOOK_PART, attendance_value_text
from renkei.programmes.models import Attendance, FiscalYearState

WRITERS = 60


def put(url: str, token: str, body: dict) -> tuple[int, dict, str]:
    """One PUT; a connection the test server's small listen queue (5) turned away is
    tried again, as a browser would — the request never reached Renkei."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    for attempt in range(50):
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("the server never accepted the connection")


def api_value(row):
    """A row's value as the API and the forms send it back: 交流研修 records some who
    took part without counts."""
    return TOOK_PART if row.count is None else row.count


@pytest.fixture
def training(create_member_union, create_year, create_activity, create_attendance):
    """交流研修 of a reported FY2024 of a union with 置賜's eight members: a count or
    「参加」 (no count) for each member and for 港区, nine rows."""
    from renkei.tenancy.models import Organisation

    union = create_member_union()
    year = create_year(union, 2024, state=FiscalYearState.REPORTED)
    activity = create_activity(year, title="交流研修", kind="exchange_training", attendee_total=22)
    organisations = [*union.members_in_order(), Organisation.objects.get(code="131032")]
    counts = [3, 2, None, 1, None, 1, 2, None, 7]
    return create_attendance(activity, dict(zip(organisations, counts, strict=True)))


def test_sixty_simultaneous_attendance_updates(transactional_db, live_server, training, make_user):
    from rest_framework.authtoken.models import Token

    rows = list(Attendance.objects.filter(activity=training).select_related("organisation"))
    assert len(rows) == 9
    token = Token.objects.create(user=make_user("secretariat")).key
    url = live_server.url + f"/api/activities/{training.pk}/attendance/"
    bodies = [
        {
            "counts": [
                {"organisation": row.organisation_id, "count": 1000 + i, "previous": api_value(row)}
            ],
            "reason": "同時更新の試験",
        }
        for i, row in ((i, rows[i % len(rows)]) for i in range(WRITERS))
    ]
    results = [None] * WRITERS
    start = threading.Barrier(WRITERS)

    def write(i):
        start.wait()
        results[i] = put(url, token, bodies[i])

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = [status for status, _headers, _body in results]
    assert set(statuses) <= {200, 409, 503}, statuses
    for status, headers, body in results:
        assert headers["Content-Type"].startswith("application/json"), (status, body[:200])
        if status != 200:
            assert json.loads(body)["error"]["message"]
        if status == 503:
            assert int(headers["Retry-After"]) > 0
    # Per organisation: at most one write succeeds (the others saw a stale count), and
    # the stored count is exactly what it sent, or the untouched original.
    for row in rows:
        sent = [
            bodies[i]["counts"][0]["count"]
            for i in range(WRITERS)
            if statuses[i] == 200 and bodies[i]["counts"][0]["organisation"] == row.organisation_id
        ]
        stored = Attendance.objects.get(pk=row.pk).count
        assert len(sent) <= 1 and stored == (sent[0] if sent else row.count), (sent, stored)
    assert statuses.count(200) >= 1


@pytest.fixture
def write_lock_held(transactional_db, settings):
    """Another process holding SQLite's write lock, and this one waiting only briefly."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's single writer")
    connection.close()
    connection.settings_dict["OPTIONS"] = {**connection.settings_dict["OPTIONS"], "timeout": 0.2}
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.2)
    yield lambda: other.execute("BEGIN IMMEDIATE")
    other.rollback()
    other.close()
    connection.close()
    connection.settings_dict["OPTIONS"] = {**connection.settings_dict["OPTIONS"], "timeout": 20}


def test_busy_database_is_503_json_in_the_api(write_lock_held, training, make_user, client):
    from rest_framework.test import APIClient

    row = Attendance.objects.filter(activity=training).first()
    api = APIClient()
    api.force_authenticate(make_user("secretariat"))
    write_lock_held()
    response = api.put(
        f"/api/activities/{training.pk}/attendance/",
        {
            "counts": [
                {"organisation": row.organisation_id, "count": 5, "previous": api_value(row)}
            ],
            "reason": "試験",
        },
        format="json",
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "busy"
    assert "もう一度" in response.json()["error"]["message"]


def test_busy_database_is_a_japanese_503_page_on_the_staff_screens(
    write_lock_held, training, make_user, client
):
    year = training.group.programme.fiscal_year
    year.state = FiscalYearState.RUNNING
    year.save(update_fields=["state"])
    row = Attendance.objects.filter(activity=training).first()
    client.force_login(make_user("secretariat"))
    url = reverse("staff:attendance_edit", args=[training.pk])
    data = {
        f"count_{row.organisation_id}": 5,
        f"seen_{row.organisation_id}": attendance_value_text(api_value(row)),
        "reason": "",
    }
    write_lock_held()
    response = client.post(url, data)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "混み合っています" in page and "何も保存していません" in page
    assert Attendance.objects.get(pk=row.pk).count == row.count
