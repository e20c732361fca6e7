"""iCalendar feeds of the public activities (RFC 5545, written with ``icalendar``).

One activity is one VEVENT from its first day to its last: DATE values when the first
day has no start time (DTEND is the day after the last day, as RFC 5545 counts it),
otherwise Asia/Tokyo date-times from the first day's start to the last day's end.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from renkei.programmes.public import span

TOKYO = ZoneInfo("Asia/Tokyo")
PRODID = "-//Renkei//おきたま×みなと//JA"


def event_times(activity):
    """(start, end) as dates (all-day, end exclusive) or Asia/Tokyo datetimes; or None."""
    first, last, first_day, last_day = span(activity)
    if first is None:
        return None
    if first_day.start_time is None:
        return first, last + timedelta(days=1)
    start = datetime.combine(first, first_day.start_time, TOKYO)
    end_time = last_day.end_time or last_day.start_time or first_day.start_time
    end = datetime.combine(last, end_time, TOKYO)
    return start, max(end, start)


def location(activity) -> str:
    names = [v.name or str(v.municipality) for d in activity.days.all() for v in d.venues.all()]
    return "、".join(dict.fromkeys(names)) or activity.place_summary


def build_calendar(name: str, activities, url_for, uid_domain: str, stamp: datetime) -> bytes:
    """A VCALENDAR of ``activities`` (listing prefetched); ``url_for`` gives each page URL."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    for activity in activities:
        times = event_times(activity)
        if times is None:
            continue
        event = icalendar.Event()
        event.add("uid", f"activity-{activity.pk}@{uid_domain}")
        event.add("dtstamp", stamp)
        event.add("summary", activity.display_heading)
        event.add("dtstart", times[0])
        event.add("dtend", times[1])
        url = url_for(activity)
        event.add("url", url)
        text = activity.purpose or activity.description or activity.theme
        event.add("description", f"{text}\n{url}".strip())
        place = location(activity)
        if place:
            event.add("location", place)
        event.add("last-modified", activity.updated_at)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
