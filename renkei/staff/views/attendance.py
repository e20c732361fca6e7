"""Attendance per organisation on one activity, and member staff's seminar sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from renkei import wareki
from renkei.errors import ConflictError, RenkeiError
from renkei.programmes.attendance import activity_attendance_phrase
from renkei.programmes.models import Activity, ActivityKind
from renkei.programmes.services import record_attendance
from renkei.tenancy.permissions import Action, scope

from ..activity_queries import activity_detail_queryset
from ..attendance_rows import attendance_rows, member_flags
from ..forms import CountsForm, counts_form_after_conflict
from .common import current_year, profile, require, scoped


@login_required
def attendance_edit(request, pk):
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    require(request.user, Action.CONTRIBUTE)
    rows = attendance_rows(activity, request.user)
    form = CountsForm(request.POST or None, rows=rows)
    conflict = None
    if request.method == "POST" and form.is_valid():
        counts, seen = form.counts()
        try:
            record_attendance(activity, request.user, counts=counts, seen=seen,
                              reason=form.cleaned_data["reason"])
            messages.success(request, _("出席者数を保存しました。"))
            return redirect("staff:activity_detail", pk=activity.pk)
        except ConflictError as error:
            conflict = error
            activity = scoped(activity_detail_queryset(), request.user, pk=pk)
            form = counts_form_after_conflict(request.POST, attendance_rows(activity, request.user))
        except RenkeiError as error:
            form.add_error(None, error.message)
    return render(request, "staff/activities/attendance.html", {
        "activity": activity, "form": form, "conflict": conflict, "year": activity.fiscal_year,
        "phrase": activity_attendance_phrase(activity), "flags": member_flags(activity),
        "region": activity.union.region_name,
    })


def seminar_sessions(request, year):
    return (scope(Activity.objects.filter(group__programme__fiscal_year=year,
                                          kind=ActivityKind.EXTERNAL_SEMINAR), request.user)
            .select_related("group").prefetch_related("days", "attendances")
            .order_by("group__number", "sub_number"))


def session_label(session) -> str:
    days = list(session.days.all())
    when = wareki.format_range_short(days[0].date, days[-1].last_date) if days else ""
    return _("%(series)s「%(title)s」%(when)s") % {
        "series": session.group.heading, "title": session.title, "when": when}


@login_required
def seminar_attendance(request):
    year = current_year(request)
    staff = profile(request)
    require(request.user, Action.CONTRIBUTE)  # the year is in scope: current_year
    sessions = list(seminar_sessions(request, year))
    own = staff.organisation_id
    rows = [(s.pk, session_label(s), next((a.count for a in s.attendances.all()
                                 if a.organisation_id == own), None), True) for s in sessions]
    form = CountsForm(request.POST or None, rows=rows)
    conflict = None
    if request.method == "POST" and form.is_valid():
        counts, seen = form.counts()
        try:
            with transaction.atomic():
                for session in sessions:
                    record_attendance(session, request.user, counts={own: counts[session.pk]},
                                      seen={own: seen[session.pk]},
                                      reason=form.cleaned_data["reason"])
            messages.success(request, _("受講者数を保存しました。"))
            return redirect(request.get_full_path())
        except ConflictError as error:
            conflict = error
        except RenkeiError as error:
            form.add_error(None, error.message)
    return render(request, "staff/seminars.html", {
        "year": year, "form": form, "sessions": sessions, "conflict": conflict,
        "organisation": staff.organisation,
    })
