"""Public pages of the partnership (no sign-in): the project, the timeline, an activity,
a member municipality, the issued reports, the accessibility policy, the calendar page
and its feeds, the search. Every page shows when it was last updated (``updated_at``:
what it shows, else the union's latest public change) and the union's contact."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from renkei.files import stored_file_response
from renkei.programmes import public
from renkei.programmes.attendance import activity_attendance_phrase
from renkei.programmes.services import open_photo
from renkei.public_http import (
    PUBLIC_MAX_AGE,
    check_params,
    param_year,
    per_version,
    public_cache,
    set_last_modified,
)
from renkei.tenancy.public_site import with_union

from . import selectors as s
from .calendar import build_calendar
from .http import param_cursor, param_member, param_month, param_page, param_pillar, param_query
from .templatetags.portal_tags import fiscal_year

FEED_LIMIT = 500


def latest(activities):
    return max((a.updated_at for a in activities), default=None)


def page(request, union, template, context, *, updated_at=None):
    """A public page with its update date: ``updated_at``, else the union's latest
    public change; the same date goes out as Last-Modified."""
    updated_at = updated_at or public.last_public_update(union)
    response = render(request, template, {"union": union, "updated_at": updated_at, **context})
    set_last_modified(response, updated_at)
    return response


@public_cache
@with_union
def home(request, union):
    check_params(request, set())
    project = public.portal_project(union)
    recent, _next = s.timeline(union, limit=5)
    counts = s.public_counts_by_pillar(union)
    pillars = [(p, counts.get(p.pk, 0)) for p in project.pillars.all()] if project else []
    return page(
        request,
        union,
        "portal/home.html",
        {
            "project": project,
            "pillars": pillars,
            "recent": recent,
            "members": public.members(union),
        },
        updated_at=latest(recent),
    )


@public_cache
@with_union
def timeline(request, union):
    check_params(request, {"year", "pillar", "municipality", "cursor"})
    project, members, years = timeline_frame(union)
    member = param_member(request, members)
    filters = {
        "year": param_year(request),
        "pillar": param_pillar(request, project),
        "member": member,
    }
    found = s.timeline_page(
        union,
        year=filters["year"],
        pillar=filters["pillar"],
        cursor=param_cursor(request),
        organisation_id=member.pk if member else None,
    )
    return page(
        request,
        union,
        "portal/timeline.html",
        {
            "project": project,
            "members": members,
            "filters": filters,
            "page": found,
            "years": years,
            "query": request.GET,
        },
        updated_at=latest(shown(found)),
    )


def timeline_frame(union) -> tuple:
    """What the timeline shows around its cards whatever the filters: the project with its
    pillars, the members and the fiscal years with their 和暦 labels (a label per year on
    every render otherwise); read once per public data version."""
    return per_version(
        f"timeline-frame:{union.pk}",
        lambda: (
            public.portal_project(union, lines=False),
            public.members(union),
            [(year, fiscal_year(year)) for year in public.fiscal_years_with_public(union)],
        ),
    )


def shown(timeline_page) -> list:
    """Every activity a timeline page shows, dated and undated."""
    return timeline_page.activities + [a for _y, undated in timeline_page.undated for a in undated]


@public_cache
@with_union
def activity_detail(request, union, pk):
    check_params(request, set())
    activity = get_object_or_404(public.with_detail(public.public_activities(union)), pk=pk)
    return page(
        request,
        union,
        "portal/activity.html",
        {
            "activity": activity,
            "span": public.span(activity),
            "attendance": activity_attendance_phrase(activity),
        },
        updated_at=activity.updated_at,
    )


@public_cache
@with_union
def municipality(request, union, code):
    """A member's page: the initiatives it led, then what it took part in (each with its
    own pager), and the activities where whether it took part is not known."""
    check_params(request, {"cursor", "led_cursor"})
    member = next((m for m in public.members(union) if m.code == code), None)
    if member is None:
        raise Http404(_("構成市町ではありません。"))
    led_cursor, cursor = param_cursor(request, "led_cursor"), param_cursor(request)
    led = s.timeline_page(union, organisation_id=member.pk, relation="led", cursor=led_cursor)
    attended = s.timeline_page(union, organisation_id=member.pk, relation="attended", cursor=cursor)
    unknown = (
        []
        if cursor or led_cursor
        else [
            (activity, activity_attendance_phrase(activity))
            for activity in public.unknown_participation(union, member)
        ]
    )
    return page(
        request,
        union,
        "portal/municipality.html",
        {"member": member, "led": led, "attended": attended, "unknown": unknown},
        updated_at=latest(shown(led) + shown(attended)),
    )


@public_cache
@with_union
def reports(request, union):
    check_params(request, set())
    issued = s.issued_reports(union)
    return page(
        request,
        union,
        "portal/reports.html",
        {"reports": issued},
        updated_at=max((r.issued_at for r in issued), default=None),
    )


@with_union
def report_download(request, union, pk):
    report = get_object_or_404(s.issued_reports_queryset(union), pk=pk)
    return stored_file_response(
        report.file.storage, report.file.name, as_attachment=True, sha256=report.sha256
    )


# The sizes the public gets; "full" (in links the API gave out) now means the large
# view: the stored 2,400-pixel photo is for the report and the staff screens.
PUBLIC_PHOTO_SIZES = {"thumb": "thumb", "large": "large", "full": "large"}


@with_union
def photo(request, union, pk, size):
    """A published photo of a published activity (else 404), in a public size, through
    the same file lookup as the staff screens; MEDIA_ROOT itself is never served."""
    if size not in PUBLIC_PHOTO_SIZES:
        raise Http404(_("写真が見つかりません。"))
    found = get_object_or_404(public.public_photos(union), pk=pk)
    image = open_photo(found, PUBLIC_PHOTO_SIZES[size])
    if image is None:
        raise Http404(_("写真が見つかりません。"))
    response = FileResponse(image, content_type="image/jpeg")
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@public_cache
@with_union
def accessibility(request, union):
    check_params(request, set())
    return page(request, union, "portal/accessibility.html", {})


@public_cache
@with_union
def calendar_page(request, union):
    """The month's public activities by day, and how to subscribe to the feeds."""
    check_params(request, {"month"})
    first = param_month(request) or timezone.localdate().replace(day=1)
    shown = s.month(union, first.year, first.month)
    project = public.portal_project(union)
    return page(
        request,
        union,
        "portal/calendar.html",
        {
            "month": shown,
            "feed": request.build_absolute_uri(reverse("portal:calendar")),
            "feeds": [
                (
                    _("柱「%(name)s」の活動") % {"name": pillar.name},
                    request.build_absolute_uri(
                        reverse("portal:calendar_pillar", args=[pillar.key])
                    ),
                )
                for pillar in (project.pillars.all() if project else [])
            ]
            + [
                (
                    _("%(name)sの活動") % {"name": member.name},
                    request.build_absolute_uri(
                        reverse("portal:calendar_municipality", args=[member.code])
                    ),
                )
                for member in public.members(union)
            ],
        },
        updated_at=latest(a for _day, activities in shown.days for a in activities),
    )


@public_cache
@with_union
def search(request, union):
    """Public activities found by words, folded alike on both sides (programmes.search)."""
    check_params(request, {"q", "page"})
    query, number = param_query(request), param_page(request)
    found = s.search(union, query, number) if query else None
    return page(
        request, union, "portal/search.html", {"q": query, "found": found, "query": request.GET}
    )


@public_cache
@with_union
def calendar_feed(request, union, pillar=None, code=None):
    check_params(request, {"year"})
    project, members, member = public.portal_project(union), public.members(union), None
    name = _("おきたま×みなと 活動カレンダー")
    if pillar is not None:
        pillar = (
            next((p for p in project.pillars.all() if p.key == pillar), None) if project else None
        )
        if pillar is None:
            raise Http404(_("柱が見つかりません。"))
        name = f"{name}（{pillar.name}）"
    if code is not None:
        member = next((m for m in members if m.code == code), None)
        if member is None:
            raise Http404(_("構成市町ではありません。"))
        name = f"{name}（{member.name}）"
    activities, _next = s.timeline(
        union,
        year=param_year(request),
        pillar=pillar,
        limit=FEED_LIMIT,
        organisation_id=member.pk if member else None,
    )
    body = build_calendar(
        name,
        activities,
        lambda a: public.page_url(request, a),
        f"{union.slug}.renkei",
        latest(activities) or timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    set_last_modified(response, latest(activities))
    return response
