"""iCalendar feeds: one VEVENT per activity, dates that round-trip, links to the portal."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from renkei.programmes.models import Activity
from renkei.programmes.public import span

TOKYO = ZoneInfo("Asia/Tokyo")
NANYO = "062138"


def events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def expected_times(activity):
    first, last, first_day, last_day = span(activity)
    if first_day.start_time is None:
        return first, last + timedelta(days=1)
    return (
        datetime.combine(first, first_day.start_time, TOKYO),
        datetime.combine(last, last_day.end_time or last_day.start_time, TOKYO),
    )


@pytest.fixture
def all_public(calendar_year):
    Activity.objects.update(is_public=True)
    return list(
        Activity.objects.filter(days__isnull=False)
        .distinct()
        .prefetch_related("days")
        .order_by("pk")
    )


def test_every_event_round_trips(client, all_public):
    feed = events(client.get("/calendar.ics"))
    assert len(feed) == len(all_public) == 8  # every activity with a schedule
    for activity in all_public:
        event = feed[f"activity-{activity.pk}@okitama.renkei"]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert (start, end) == expected_times(activity), activity.title
        if isinstance(start, datetime):
            assert start.utcoffset() == timedelta(hours=9)
        assert str(event["URL"]).endswith(f"/activities/{activity.pk}/")
        assert client.get(str(event["URL"])).status_code == 200


def test_multi_day_activity_is_one_event(client, calendar_year):
    feed = events(client.get("/calendar.ics"))
    training = feed[f"activity-{calendar_year.by_title['二日の交流研修'].pk}@okitama.renkei"]
    assert str(training["SUMMARY"]) == "交流研修"
    assert training.decoded("DTSTART") == datetime(2025, 3, 11, 13, 30, tzinfo=TOKYO)
    assert training.decoded("DTEND") == datetime(2025, 3, 12, 15, 30, tzinfo=TOKYO)
    assert "TZID=Asia/Tokyo" in client.get("/calendar.ics").content.decode()


def test_days_without_times_are_all_day_dates(client, all_public):
    seminar = next(
        a for a in all_public if a.days.all()[0].end_date and a.days.all()[0].start_time is None
    )
    event = events(client.get("/calendar.ics"))[f"activity-{seminar.pk}@okitama.renkei"]
    day = seminar.days.all()[0]
    assert event.decoded("DTSTART") == day.date
    assert event.decoded("DTEND") == day.end_date + timedelta(days=1)
    assert type(event.decoded("DTSTART")) is date


def test_only_public_activities_are_in_the_feed(client, calendar_year):
    feed = events(client.get("/calendar.ics"))
    assert "ZEB導入セミナー" not in {str(e["SUMMARY"]) for e in feed.values()}
    assert {str(e["SUMMARY"]) for e in feed.values()} == {  # with a date: undated are left out
        a.display_heading for a in Activity.objects.filter(is_public=True, days__isnull=False)
    }


def test_feeds_per_pillar_and_municipality(client, all_public):
    hito = events(client.get("/calendar/pillars/hito.ics"))
    assert hito and all(
        Activity.objects.get(pk=uid.split("-")[1].split("@")[0]).pillars.filter(key="hito")
        for uid in hito
    )
    assert len(hito) == 2  # the 交流研修 of 2 November and the one over two days
    nanyo = events(client.get(f"/calendar/municipalities/{NANYO}.ics"))
    titles = {str(e["SUMMARY"]) for e in nanyo.values()}
    assert titles == {"交流研修", "伝統工芸品展示"}  # attended, led
    assert "PR動画の放映" not in titles  # led, but has no schedule
    assert client.get("/calendar/pillars/nothing.ics").status_code == 404
    assert client.get("/calendar/municipalities/131032.ics").status_code == 404  # not a member


def test_feed_is_cacheable_and_answers_conditional_requests(client, public_year):
    response = client.get("/calendar.ics")
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert response["Last-Modified"]
    again = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_bad_year_in_feed_is_400(client, public_year):
    assert client.get("/calendar.ics?year=R6").status_code == 400
    assert client.get("/calendar.ics?foo=1").status_code == 400
