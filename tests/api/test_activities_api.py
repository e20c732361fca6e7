"""The JSON API: public reads, staff reads and writes with the staff screens' permissions,
one error shape, strict parameters, fixed query counts."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from renkei.audit.models import AuditEntry
from renkei.programmes.models import (
    Activity,
    Attendance,
    AttendanceComposition,
    AttendanceProposal,
    FiscalYearState,
    ProposalState,
)
from renkei.programmes.services import decide_attendance_proposal
from renkei.tenancy.models import Organisation


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def test_anonymous_read_shows_only_public_records(fy2024):
    body = client_for().get("/api/activities/").json()
    assert {r["title"] for r in body["results"]} == {
        a.display_heading for a in Activity.objects.filter(is_public=True)
    }
    private = Activity.objects.filter(is_public=False).first()
    assert client_for().get(f"/api/activities/{private.pk}/").status_code == 404


def test_staff_read_follows_scope(fy2024, make_user, other_union):
    assert (
        len(titles(client_for(make_user("secretariat")).get("/api/activities/?page_size=200")))
        == 28
    )
    partner = client_for(make_user("partner", "131032"))
    seen = titles(partner.get("/api/activities/?page_size=200"))
    assert "交流研修" in seen and "ZEB導入セミナー" not in seen
    outsider = make_user("secretariat", "293610", union=other_union)
    assert titles(client_for(outsider).get("/api/activities/")) == set()


def test_filters(fy2024):
    client = client_for()
    assert titles(client.get("/api/activities/?pillar=koto")) == {
        "「ふれ愛まつりだ、芝地区！」",
        "港区内商店会開催イベント 「白金ミートフェスティバル」出展",
    }
    assert "交流研修" in titles(client.get("/api/activities/?municipality=064017&year=2024"))
    assert titles(client.get("/api/activities/?year=2023")) == set()
    assert titles(client.get("/api/activities/?kind=workshop")) == {
        "自治体DX研修会",
        "自治体GX研修会",
    }


@pytest.mark.parametrize("code", ["062022", "064017", "131032"])
def test_municipality_filter_pages_through_led_or_attended(fy2024, make_user, code):
    """The two merged branches page exactly like the one OR query, for every page size."""
    from django.db.models import Q

    client = client_for(make_user("secretariat"))
    expected = list(
        Activity.objects.filter(
            Q(lead_organisations__code=code) | Q(attendances__organisation__code=code)
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert expected
    for size in (1, 2, 3, 50):
        seen, page = [], 1
        while True:
            body = client.get(
                f"/api/activities/?municipality={code}&page_size={size}&page={page}"
            ).json()
            seen += [row["id"] for row in body["results"]]
            if body["next"] is None:
                break
            page += 1
        assert seen == expected, size


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=abc", "year"),
        ("year=1800", "year"),
        ("page=0", "page"),
        ("page=x", "page"),
        ("page=999", "page"),
        ("page_size=1000", "page_size"),
        ("colour=red", "colour"),
        ("municipality=62022", "municipality"),
        ("kind=party", "kind"),
    ],
)
def test_bad_parameters_are_400_in_one_shape(db, query, field):
    response = client_for().get(f"/api/activities/?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"] == "入力に誤りがあります。"
    assert field in error["details"]


def test_pagination_links(fy2024, make_user):
    client = client_for(make_user("secretariat"))
    first = client.get("/api/activities/?page_size=10").json()
    assert first["previous"] is None and "page=2" in first["next"]
    last = client.get("/api/activities/?page_size=10&page=3").json()
    assert last["next"] is None and len(last["results"]) == 8


def attendance_body(org, count, previous):
    """``previous`` is the count the caller saw (None: no row). FY2024 is reported
    (closed): a change needs a reason, as on the staff screens."""
    return {
        "counts": [{"organisation": org.pk, "count": count, "previous": previous}],
        "reason": "出席者数の訂正",
    }


def current_count(activity, org):
    """The value the caller saw: a count, "took_part" or None (no row)."""
    row = Attendance.objects.filter(activity=activity, organisation=org).first()
    if row is None:
        return None
    return "took_part" if row.count is None else row.count


@pytest.fixture
def year(create_member_union, create_year):
    """FY2024 of a union of 米沢市 and 南陽市 (港区 its partner), reported as the seed's is:
    a member's change waits for the secretariat."""
    return create_year(create_member_union(), 2024, state=FiscalYearState.REPORTED)


@pytest.fixture
def exchange(year, create_activity, create_attendance):
    """交流研修: 22 attended from 置賜's 2 cities (no member's count recorded yet) and 港区
    (took part, no count)."""
    activity = create_activity(year, title="交流研修", kind="exchange_training", attendee_total=22)
    AttendanceComposition.objects.create(activity=activity, kind="city", number=2)
    create_attendance(activity, Organisation.objects.get(code="131032"))
    return activity


def open_year(year) -> None:
    year.state = FiscalYearState.RUNNING
    year.save(update_fields=["state"])


def test_attendance_without_previous_is_refused(year, exchange, make_user):
    """Leaving out what the caller saw would overwrite another person's count unseen."""
    activity = exchange
    yonezawa = Organisation.objects.get(code="062022")
    before = current_count(activity, yonezawa)
    response = client_for(make_user("member", "062022")).put(
        f"/api/activities/{activity.pk}/attendance/",
        {"counts": [{"organisation": yonezawa.pk, "count": 99}], "reason": "訂正"},
        format="json",
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert "previous" in error["details"]["counts"]["0"]
    assert "上書き" in error["details"]["counts"]["0"]["previous"][0]
    assert current_count(activity, yonezawa) == before


def test_member_records_own_attendance_through_the_service(year, exchange, make_user):
    open_year(year)
    activity = exchange
    yonezawa = Organisation.objects.get(code="062022")
    client = client_for(make_user("member", "062022"))
    url = f"/api/activities/{activity.pk}/attendance/"
    response = client.put(url, attendance_body(yonezawa, 5, None), format="json")
    assert response.status_code == 200, response.content
    assert Attendance.objects.get(activity=activity, organisation=yonezawa).count == 5
    entry = AuditEntry.objects.filter(
        model="programmes.activity", object_id=str(activity.pk)
    ).last()
    assert entry.user.username.startswith("member") and "出席者数（米沢市）" in entry.changes
    stale = client.put(url, attendance_body(yonezawa, 6, None), format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    # The recorded total stands: one city's 5 people do not make the total 5.
    detail = client.get(f"/api/activities/{activity.pk}/").json()
    assert detail["attendance_total"] == 22
    assert detail["attendance"] == {
        "phrase": "置賜2市、港区 22名",
        "total": 22,
        "counted": 5,
        "unattributed": 17,
        "members_by_kind": {"city": 2},
        "unnamed_members": 1,
    }


def test_took_part_without_a_count_through_the_api(year, exchange, make_user):
    open_year(year)
    activity = exchange
    yonezawa = Organisation.objects.get(code="062022")
    client = client_for(make_user("member", "062022"))
    url = f"/api/activities/{activity.pk}/attendance/"
    response = client.put(url, attendance_body(yonezawa, "took_part", None), format="json")
    assert response.status_code == 200, response.content
    assert Attendance.objects.get(activity=activity, organisation=yonezawa).count is None
    rows = {row["organisation"]["code"]: row["count"] for row in response.json()["attendances"]}
    assert rows["062022"] is None
    for bad in ("many", -1, True, 1.5, "参加する"):
        refused = client.put(url, attendance_body(yonezawa, bad, "took_part"), format="json")
        assert refused.status_code == 400, (bad, refused.content)
        assert "took_part" in str(refused.json()["error"]["details"])
    assert Attendance.objects.get(activity=activity, organisation=yonezawa).count is None


def test_member_change_to_a_reported_year_waits_for_the_secretariat(year, exchange, make_user):
    activity = exchange
    yonezawa = Organisation.objects.get(code="062022")
    member = make_user("member", "062022")
    response = client_for(member).put(
        f"/api/activities/{activity.pk}/attendance/",
        attendance_body(yonezawa, 4, None),
        format="json",
    )
    assert response.status_code == 202, response.content
    assert response.json()["changes"] == {}
    assert response.json()["proposals"][0]["value"] == "4"
    assert not Attendance.objects.filter(activity=activity, organisation=yonezawa).exists()
    proposal = AttendanceProposal.objects.get(activity=activity, state=ProposalState.PENDING)
    assert proposal.proposed_by == member and proposal.reason == "出席者数の訂正"
    decide_attendance_proposal(proposal, make_user("secretariat"), approve=True)
    assert Attendance.objects.get(activity=activity, organisation=yonezawa).count == 4


@pytest.mark.parametrize(
    ("role", "code", "org_code", "expected"),
    [
        ("secretariat", None, "062022", 200),
        ("member", "062022", "062022", 200),
        ("member", "062022", "062138", 403),  # another municipality's row
        ("auditor", None, "062022", 403),
        ("partner", "131032", "131032", 200),
    ],
)
def test_attendance_permission_table(year, exchange, make_user, role, code, org_code, expected):
    open_year(year)
    activity = exchange
    org = Organisation.objects.get(code=org_code)
    response = client_for(make_user(role, code)).put(
        f"/api/activities/{activity.pk}/attendance/",
        attendance_body(org, 9, current_count(activity, org)),
        format="json",
    )
    assert response.status_code == expected, response.content
    assert "error" in response.json() or expected == 200


def test_attendance_write_needs_auth_and_scope(year, exchange, make_user, other_union):
    activity = exchange
    body = attendance_body(Organisation.objects.get(code="062022"), 1, 3)
    anonymous = client_for().put(f"/api/activities/{activity.pk}/attendance/", body, format="json")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["message"]
    outsider = make_user("secretariat", "293610", union=other_union)
    response = client_for(outsider).put(
        f"/api/activities/{activity.pk}/attendance/", body, format="json"
    )
    assert response.status_code == 404


def test_unknown_api_paths_answer_in_json(db):
    response = client_for().get("/api/nothing/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_schema_is_served(db):
    response = client_for().get("/api/schema/")
    assert response.status_code == 200 and b"/api/activities/" in response.content


# token + user + profile + page + pillars, lead municipalities, days, venues (prefetches)
STAFF_LIST_QUERIES = 7
# union + page + the four prefetches
PUBLIC_LIST_QUERIES = 6


def grow(fy2024, n):
    """Copy the public activities ``n`` times (each with its days, pillars and attendance)."""
    from tests.factories import copy_public_activities

    copy_public_activities(n)


@pytest.mark.parametrize("copies", [0, 30])
def test_list_query_count_is_fixed(fy2024, make_user, django_assert_num_queries, copies):
    grow(fy2024, copies)
    client = client_for(make_user("secretariat"))
    client.get("/api/activities/")  # warm the token user
    with django_assert_num_queries(STAFF_LIST_QUERIES):
        assert client.get("/api/activities/").status_code == 200
    with django_assert_num_queries(PUBLIC_LIST_QUERIES):
        assert client_for().get("/api/activities/").status_code == 200
