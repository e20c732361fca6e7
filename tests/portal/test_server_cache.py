"""Server-side cache of rendered public pages: a repeat request costs no query, the
setting turns it off, conditional GET still answers 304, signed-in users and staff
screens are never served from it, and a change to the data ends it early."""

import socket
from datetime import date

import pytest
from django.test import override_settings

from renkei.programmes.models import Activity, FiscalYearState
from tests.conftest import PASSWORD

URLS = [
    "/activities/",
    "/activities/?year=2024&pillar=hito",
    "/municipalities/062022/",
    "/",
    "/calendar.ics",
]


@pytest.fixture
def year(create_two_town_union, create_portal_project, create_year, create_activity):
    """FY2024 of a union of 米沢市 and 南陽市 with its project and one public activity,
    交流研修 (``year.activity``) under the pillar ひと."""
    union = create_two_town_union()
    project = create_portal_project(union)
    year = create_year(union, 2024, state=FiscalYearState.REPORTED)
    year.activity = create_activity(
        year, title="交流研修", kind="exchange_training", on=date(2024, 11, 2), is_public=True
    )
    year.activity.pillars.add(project.by_key["hito"])
    return year


@pytest.mark.parametrize("url", URLS)
def test_a_repeated_public_page_issues_no_query(client, year, django_assert_num_queries, url):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert "public" in second["Cache-Control"]


def test_activity_page_is_cached_with_its_last_modified(client, year, django_assert_num_queries):
    activity = year.activity
    first = client.get(f"/activities/{activity.pk}/")
    with django_assert_num_queries(0):
        second = client.get(f"/activities/{activity.pk}/")
    assert second["Last-Modified"] == first["Last-Modified"]


def test_the_full_url_is_the_key(client, year):
    whole = client.get("/activities/").content
    filtered = client.get("/activities/?year=2023").content
    assert whole != filtered
    assert client.get("/activities/").content == whole


def test_zero_seconds_turns_the_cache_off(client, year, django_assert_num_queries, settings):
    settings.RENKEI_PUBLIC_CACHE_SECONDS = 0
    client.get("/activities/")
    with django_assert_num_queries(11):  # test_pages.TIMELINE_QUERIES
        assert client.get("/activities/").status_code == 200


def test_a_cached_page_still_answers_if_none_match_with_304(
    client, year, django_assert_num_queries
):
    etag = client.get("/activities/")["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/activities/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["ETag"] == etag
    assert client.get("/activities/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_bad_requests_are_not_cached(client, year):
    from django.core.cache import cache
    from django.test import RequestFactory

    from renkei.public_http import _server_key

    assert client.get("/activities/").status_code == 200
    assert client.get("/activities/?year=R6").status_code == 400
    kept = [RequestFactory().get(path) for path in ("/activities/", "/activities/?year=R6")]
    assert [cache.get(_server_key(request)) is not None for request in kept] == [True, False]


def test_a_change_through_the_models_ends_the_cache_early(client, year):
    activity = year.activity
    url = f"/activities/{activity.pk}/"
    assert "交流研修" in client.get(url).content.decode()
    activity.title = "交流研修（改）"
    activity.save()
    assert "交流研修（改）" in client.get(url).content.decode()
    activity.is_public = False
    activity.save()
    assert client.get(url).status_code == 404


def test_signed_in_users_get_a_fresh_render_and_are_not_stored(
    client, year, make_user, django_assert_max_num_queries
):
    make_user("secretariat", username="sec")
    assert client.login(username="sec", password=PASSWORD)
    client.get("/activities/")
    with django_assert_max_num_queries(30) as queries:
        assert client.get("/activities/").status_code == 200
    # A render: the timeline's keys and cards at least (its frame is kept per version).
    assert len(queries) >= 6
    client.logout()
    # Nothing the signed-in requests rendered was stored for the anonymous.
    with django_assert_max_num_queries(30) as queries:
        client.get("/activities/")
    assert len(queries) >= 6


def test_staff_screens_are_not_cached(client, year, make_user, django_assert_max_num_queries):
    make_user("secretariat", username="sec")
    assert client.login(username="sec", password=PASSWORD)
    assert client.get("/staff/activities/").status_code == 200
    with django_assert_max_num_queries(100) as queries:
        response = client.get("/staff/activities/")
    assert response.status_code == 200 and len(queries) > 0
    assert "public" not in response.get("Cache-Control", "")


@override_settings(RENKEI_PUBLIC_CACHE_SECONDS=60)
def test_an_anonymous_api_read_is_not_cached(client, year, django_assert_max_num_queries):
    client.get("/api/activities/")
    with django_assert_max_num_queries(20) as queries:
        assert client.get("/api/activities/").status_code == 200
    assert len(queries) > 0


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed on leaving: nothing listens there


def test_an_unreachable_shared_cache_costs_the_cache_not_the_site(client, year, settings, caplog):
    """Redis down (CACHE_URL): public pages are rendered each time and writes still
    succeed, instead of every public page and every save failing with it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    activity = Activity.objects.get(pk=year.activity.pk)
    url = f"/activities/{activity.pk}/"
    assert "交流研修" in client.get(url).content.decode()
    activity.title = "交流研修（改）"
    activity.save()  # bumps the public data version: in the cache it cannot reach
    assert "交流研修（改）" in client.get(url).content.decode()
    assert "cache unreachable" in caplog.text


def test_another_timeline_page_reuses_the_frame(client, year, django_assert_num_queries):
    """The union, project, pillars, members and years the first timeline render read are
    kept for the public data version: another URL's render skips those five queries."""
    client.get("/activities/")
    with django_assert_num_queries(6):  # test_pages.TIMELINE_QUERIES less the frame
        assert client.get("/activities/?year=2024").status_code == 200


def test_the_timeline_frame_is_read_again_after_a_write(client, year):
    """The frame is read again once a record changes: a renamed pillar shows at once."""
    from renkei.programmes.models import Pillar

    client.get("/activities/")
    pillar = Pillar.objects.order_by("pk").first()
    pillar.name = "新しい柱の名前"
    pillar.save()
    assert "新しい柱の名前" in client.get("/activities/").content.decode()
