"""The JSON API: public reads, staff reads and writes with the staff screens' permissions,
one error shape, strict parameters, fixed query counts."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.renderers import JSONRenderer
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


# The activities of ``listed_year``: seven named ones, then fillers up to this many.
LISTED = 28


@pytest.fixture
def listed_year(
    create_member_union, create_year, create_project, create_activity, create_attendance
):
    """FY2024 of a union with 置賜's eight members and 港区 as its partner, LISTED
    activities in all. Public, with a day: 交流研修 (pillar ひと, led by 米沢市; 小国町 3,
    港区 took part), 自治体DX研修会 and 自治体GX研修会 (workshops; 米沢市 2 at DX, GX led
    by 小国町), ふれ愛まつり (pillar こと, led by 港区, 港区 5), 白金ミートフェスティバル
    (pillars こと and もの), PR動画の放映 (pillar もの). Private: ZEB導入セミナー (an
    external seminar, 米沢市 1). Then fillers 活動08… (every other one public, each led
    by or attended by 米沢市, 小国町 or 港区 in turn)."""
    from datetime import date, timedelta

    from renkei.programmes.services import set_leads

    union = create_member_union()
    year = create_year(union, 2024, state=FiscalYearState.REPORTED)
    pillar = create_project(union).pillar
    org = {code: Organisation.objects.get(code=code) for code in ("062022", "064017", "131032")}

    def add(title, kind="other", *, pillars=(), leads=(), counts=None, public=True, n=0):
        activity = create_activity(
            year,
            title=title,
            kind=kind,
            is_public=public,
            on=date(2024, 5, 1) + timedelta(days=7 * n),
        )
        activity.pillars.set([pillar[key] for key in pillars])
        set_leads(activity, [org[code] for code in leads])
        create_attendance(activity, {org[code]: count for code, count in (counts or {}).items()})
        return activity

    add(
        "交流研修",
        "exchange_training",
        pillars=["hito"],
        leads=["062022"],
        counts={"064017": 3, "131032": None},
    )
    add("自治体DX研修会", "workshop", counts={"062022": 2}, n=1)
    add("自治体GX研修会", "workshop", leads=["064017"], n=2)
    add(
        "「ふれ愛まつりだ、芝地区！」",
        "festival_booth",
        pillars=["koto"],
        leads=["131032"],
        counts={"131032": 5},
        n=3,
    )
    add("白金ミートフェスティバル", "festival_booth", pillars=["koto", "mono"], n=4)
    add("PR動画の放映", "pr_broadcast", pillars=["mono"], n=5)
    add("ZEB導入セミナー", "external_seminar", counts={"062022": 1}, public=False, n=6)
    codes = list(org)
    for n in range(7, LISTED):
        code = codes[n % 3]
        led = n % 2 == 0
        add(
            f"活動{n + 1:02}",
            leads=[code] if led else [],
            counts=None if led else {code: n},
            public=n % 2 == 1,
            n=n,
        )
    return year


def test_anonymous_read_shows_only_public_records(listed_year):
    body = client_for().get("/api/activities/").json()
    assert {r["title"] for r in body["results"]} == {
        a.display_heading for a in Activity.objects.filter(is_public=True)
    }
    private = Activity.objects.filter(is_public=False).first()
    assert client_for().get(f"/api/activities/{private.pk}/").status_code == 404


def test_staff_read_follows_scope(listed_year, make_user, other_union):
    assert (
        len(titles(client_for(make_user("secretariat")).get("/api/activities/?page_size=200")))
        == LISTED
    )
    partner = client_for(make_user("partner", "131032"))
    seen = titles(partner.get("/api/activities/?page_size=200"))
    assert "交流研修" in seen and "ZEB導入セミナー" not in seen
    outsider = make_user("secretariat", "293610", union=other_union)
    assert titles(client_for(outsider).get("/api/activities/")) == set()


def test_filters(listed_year):
    client = client_for()
    assert titles(client.get("/api/activities/?pillar=koto")) == {
        "「ふれ愛まつりだ、芝地区！」",
        "白金ミートフェスティバル",
    }
    assert "交流研修" in titles(client.get("/api/activities/?municipality=064017&year=2024"))
    assert titles(client.get("/api/activities/?year=2023")) == set()
    assert titles(client.get("/api/activities/?kind=workshop")) == {
        "自治体DX研修会",
        "自治体GX研修会",
    }


def walk(client, url: str, link: str = "next") -> list[int]:
    """Every id from ``url`` on, following ``link`` until it is null (in reading order)."""
    seen = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [row["id"] for row in body["results"]]
        url = body[link]
    return seen


@pytest.mark.parametrize("code", ["062022", "064017", "131032"])
def test_municipality_filter_pages_through_led_or_attended(listed_year, make_user, code):
    """The two merged branches page exactly like the one OR query, for every page size,
    by cursor and by page number."""
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
        first = f"/api/activities/?municipality={code}&page_size={size}"
        assert walk(client, first) == expected, size
        by_number, page = [], 1
        while page <= min(3, -(-len(expected) // size)):
            body = client.get(f"{first}&page={page}").json()
            by_number += [row["id"] for row in body["results"]]
            page += 1
        assert by_number == expected[: len(by_number)], size
        # Backwards from past the last row, through the previous links.
        last = client.get(f"{first}&cursor=b{expected[-1] + 1}").json()
        backwards = [row["id"] for row in last["results"]]
        while last["previous"]:
            last = client.get(last["previous"]).json()
            backwards = [row["id"] for row in last["results"]] + backwards
        assert backwards == expected, size


def test_cursor_pages_walk_both_ways(listed_year, make_user):
    client = client_for(make_user("secretariat"))
    everything = list(Activity.objects.order_by("pk").values_list("pk", flat=True))
    forwards = walk(client, "/api/activities/?page_size=3")
    assert forwards == everything
    last = client.get("/api/activities/?page_size=3&page=1").json()
    while last["next"]:
        last = client.get(last["next"]).json()
    assert last["next"] is None and last["page"] is None
    pages = [[row["id"] for row in last["results"]]]
    body = last
    while body["previous"]:
        body = client.get(body["previous"]).json()
        pages.append([row["id"] for row in body["results"]])
    assert [pk for page in reversed(pages) for pk in page] == everything
    assert all(len(page) == 3 for page in pages[1:])


def test_cursor_is_stable_when_rows_come_and_go(listed_year, make_user):
    """A row removed from a page already read does not shift the next page (it would
    with OFFSET: the next page would start one row later and skip one)."""
    client = client_for(make_user("secretariat"))
    first = client.get("/api/activities/?page_size=5").json()
    shown = [row["id"] for row in first["results"]]
    everything = list(Activity.objects.order_by("pk").values_list("pk", flat=True))
    Activity.objects.filter(pk=shown[0]).delete()
    rest = walk(client, first["next"])
    assert rest == everything[5:]
    # The old page-number way would have skipped the row now sixth.
    by_number = client.get("/api/activities/?page_size=5&page=2").json()["results"]
    assert by_number[0]["id"] == everything[6]


def test_deep_pages_cost_the_same_queries(listed_year, django_assert_num_queries):
    client = client_for()
    public_ids = list(
        Activity.objects.filter(is_public=True).order_by("pk").values_list("pk", flat=True)
    )
    with django_assert_num_queries(PUBLIC_LIST_QUERIES):
        body = client.get(f"/api/activities/?page_size=1&cursor=a{public_ids[1]}").json()
    assert [row["id"] for row in body["results"]] == [public_ids[2]]


@pytest.mark.parametrize(
    "query",
    [
        "cursor=",
        "cursor=x1",
        "cursor=a",
        "cursor=a-1",
        "cursor=a１２",
        "cursor=c12",
        "cursor=a99999999999999999999",
        "cursor=a1&page=2",
        "cursor=a1%00",
    ],
)
def test_bad_cursors_are_400_in_japanese(listed_year, query):
    response = client_for().get(f"/api/activities/?{query}")
    assert response.status_code == 400, response.content
    (message,) = response.json()["error"]["details"]["cursor"]
    # Japanese, and about the cursor (not the "unknown parameter" of an API without one).
    assert message in (
        "cursor が正しくありません。next・previous のURLをそのまま使ってください。",
        "cursor と page は同時に指定できません。",
    )


def test_page_numbers_stop_at_the_maximum(listed_year):
    from renkei.api.pagination import MAX_PAGE

    response = client_for().get(f"/api/activities/?page={MAX_PAGE + 1}")
    assert response.status_code == 400
    assert "cursor" in response.json()["error"]["details"]["page"][0]


def test_list_rows_are_the_serializers(listed_year, make_user, rf):
    """The plain rows of the list are exactly what ActivitySerializer (the schema) gives."""
    from rest_framework.request import Request

    from renkei.api.serializers import ActivitySerializer
    from renkei.programmes import public

    Activity.objects.filter(pk=Activity.objects.order_by("pk").first().pk).update(heading="見出し")
    client = client_for(make_user("secretariat"))
    body = client.get("/api/activities/?page_size=200").json()
    request = Request(rf.get("/api/activities/", HTTP_HOST="testserver"))
    expected = ActivitySerializer(
        public.with_listing(Activity.objects.order_by("pk")),
        many=True,
        context={"request": request},
    ).data
    assert len(body["results"]) == LISTED
    assert body["results"] == json.loads(JSONRenderer().render(expected))


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


def test_pagination_links(listed_year, make_user):
    client = client_for(make_user("secretariat"))
    first = client.get("/api/activities/?page_size=10").json()
    tenth = Activity.objects.order_by("pk").values_list("pk", flat=True)[9]
    assert first["page"] == 1 and first["previous"] is None
    assert first["next"].endswith(f"?cursor=a{tenth}&page_size=10")
    second = client.get("/api/activities/?page_size=10&page=2").json()
    assert second["previous"] == "http://testserver/api/activities/?page_size=10"
    last = client.get("/api/activities/?page_size=10&page=3").json()
    assert last["next"] is None and len(last["results"]) == LISTED - 20


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
def year(create_two_town_union, create_year):
    """FY2024 of a union of 米沢市 and 南陽市 (港区 its partner), reported as the seed's is:
    a member's change waits for the secretariat."""
    return create_year(create_two_town_union(), 2024, state=FiscalYearState.REPORTED)


@pytest.fixture
def exchange(year, create_activity, create_count):
    """交流研修: 22 attended from 置賜's 2 cities (no member's count recorded yet) and 港区
    (took part, no count)."""
    activity = create_activity(year, title="交流研修", kind="exchange_training", attendee_total=22)
    AttendanceComposition.objects.create(activity=activity, kind="city", number=2)
    create_count(activity, Organisation.objects.get(code="131032"))
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


def grow(n):
    """Copy the public activities ``n`` times (each with its days, pillars and attendance)."""
    from tests.factories import copy_public_activities

    copy_public_activities(n)


@pytest.mark.parametrize("copies", [0, 30])
def test_list_query_count_is_fixed(listed_year, make_user, django_assert_num_queries, copies):
    grow(copies)
    client = client_for(make_user("secretariat"))
    client.get("/api/activities/")  # warm the token user
    with django_assert_num_queries(STAFF_LIST_QUERIES):
        assert client.get("/api/activities/").status_code == 200
    with django_assert_num_queries(PUBLIC_LIST_QUERIES):
        assert client_for().get("/api/activities/").status_code == 200
