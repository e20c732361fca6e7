"""Public pages of the partnership (no sign-in): the project, the timeline, an activity,
a member municipality, the issued reports, the accessibility policy, calendar feeds."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from renkei.files import stored_file_response
from renkei.programmes import public
from renkei.programmes.attendance import activity_attendance_phrase
from renkei.programmes.services import open_photo
from renkei.public_http import PUBLIC_MAX_AGE, check_params, param_year, public_cache
from renkei.tenancy.public_site import with_union

from . import selectors as s
from .calendar import build_calendar
from .http import param_cursor, param_member, param_pillar

FEED_LIMIT = 500


def latest(activities):
    return max((a.updated_at for a in activities), default=None)


@public_cache
@with_union
def home(request, union):
    check_params(request, set())
    project = public.portal_project(union)
    recent, _next = s.timeline(union, limit=5)
    response = render(
        request,
        "portal/home.html",
        {"union": union, "project": project, "recent": recent, "members": public.members(union)},
    )
    response.last_modified_at = latest(recent)
    return response


@public_cache
@with_union
def timeline(request, union):
    check_params(request, {"year", "pillar", "municipality", "cursor"})
    project, members = public.portal_project(union), public.members(union)
    filters = {
        "year": param_year(request),
        "pillar": param_pillar(request, project),
        "member": param_member(request, members),
    }
    page = s.timeline_page(
        union,
        year=filters["year"],
        pillar=filters["pillar"],
        cursor=param_cursor(request),
        organisation_id=filters["member"].pk if filters["member"] else None,
    )
    return render(
        request,
        "portal/timeline.html",
        {
            "union": union,
            "project": project,
            "members": members,
            "filters": filters,
            "page": page,
            "years": public.fiscal_years_with_public(union),
            "query": request.GET,
        },
    )


@public_cache
@with_union
def activity_detail(request, union, pk):
    check_params(request, set())
    activity = get_object_or_404(public.with_detail(public.public_activities(union)), pk=pk)
    response = render(
        request,
        "portal/activity.html",
        {
            "union": union,
            "activity": activity,
            "span": public.span(activity),
            "attendance": activity_attendance_phrase(activity),
        },
    )
    response.last_modified_at = activity.updated_at
    return response


@public_cache
@with_union
def municipality(request, union, code):
    check_params(request, {"cursor"})
    member = next((m for m in public.members(union) if m.code == code), None)
    if member is None:
        raise Http404(_("構成市町ではありません。"))
    cursor = param_cursor(request)
    page = s.timeline_page(union, organisation_id=member.pk, cursor=cursor)
    unknown = (
        []
        if cursor
        else [
            (activity, activity_attendance_phrase(activity))
            for activity in public.unknown_participation(union, member)
        ]
    )
    return render(
        request,
        "portal/municipality.html",
        {"union": union, "member": member, "page": page, "unknown": unknown},
    )


@public_cache
@with_union
def reports(request, union):
    check_params(request, set())
    return render(
        request, "portal/reports.html", {"union": union, "reports": s.issued_reports(union)}
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
    return render(request, "portal/accessibility.html", {"union": union})


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
    response.last_modified_at = latest(activities)
    return response
