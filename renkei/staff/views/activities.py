"""Activities: the filtered list, the record page with its history, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from renkei.errors import ConflictError, RenkeiError
from renkei.programmes.attendance import known_attendance
from renkei.programmes.models import ActivityGroup
from renkei.programmes.services import create_activity, delete_activity, update_activity
from renkei.staff.activity_queries import (
    activity_detail_queryset,
    activity_list,
    filter_choices,
    venue_municipalities,
)
from renkei.staff.attendance_rows import attendance_summary, pending_proposals
from renkei.staff.forms import (
    ActivityFilterForm,
    ActivityForm,
    DayFormSet,
    DeleteForm,
    LecturerFormSet,
    day_initial,
    formset_rows,
    lecturer_initial,
    venue_slots,
)
from renkei.tenancy.permissions import Action, can

from .common import current_year, history_of, require, require_any, scoped


def filtered_activities(request):
    year = current_year(request)
    require(request.user, Action.VIEW, year)
    form = ActivityFilterForm(request.GET or None, **filter_choices(request.user, year))
    filters = form.cleaned_data if form.is_valid() else {}
    return year, form, activity_list(request.user, year, filters)


@login_required
def activity_list_view(request):
    year, form, activities = filtered_activities(request)
    return render(
        request,
        "staff/activities/list.html",
        {
            "year": year,
            "form": form,
            "activities": activities,
            "may_create": can(request.user, Action.EDIT_YEAR, year),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def activity_detail(request, pk):
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    user = request.user
    return render(
        request,
        "staff/activities/detail.html",
        {
            "activity": activity,
            "year": activity.fiscal_year,
            "summary": attendance_summary(known_attendance(activity), activity.union.region_name),
            "pending": pending_proposals(activity),
            "may_edit": can(user, Action.EDIT_YEAR, activity)
            or can(user, Action.CONTRIBUTE, activity),
            "photos": [
                (photo, can(user, Action.CONTRIBUTE, photo)) for photo in activity.photos.all()
            ],
            "may_contribute": can(user, Action.CONTRIBUTE),  # attendance, photos, impressions
            "may_delete": can(user, Action.EDIT_YEAR, activity),
            "history": history_of(activity, user),
        },
    )


def _forms(request, activity, union, may_reassign):
    data = request.POST if request.method == "POST" else None
    initial = {"version": activity.version} if activity.pk else {}
    form = ActivityForm(
        data,
        instance=activity,
        union=union,
        may_reassign=may_reassign,
        may_publish=can(request.user, Action.PUBLISH, activity.group),
        initial=initial,
    )
    days = DayFormSet(
        data,
        prefix="days",
        initial=day_initial(activity) if activity.pk else None,
        form_kwargs={
            "municipalities": venue_municipalities(union, activity),
            "venue_slots": venue_slots(activity),
        },
    )
    lecturers = LecturerFormSet(
        data, prefix="lecturers", initial=lecturer_initial(activity) if activity.pk else None
    )
    return form, days, lecturers


def _save(request, activity, form, days, lecturers):
    kwargs = {
        "fields": form.service_fields(),
        "days": formset_rows(days),
        "lecturers": formset_rows(lecturers),
        "reason": form.cleaned_data["reason"],
        "pillars": form.cleaned_data["pillars"],
        "lead_organisations": form.cleaned_data["lead_organisations"],
    }
    if activity.pk is None:
        return create_activity(activity.group, request.user, **kwargs)
    return update_activity(
        activity, request.user, expected_version=form.cleaned_data["version"], **kwargs
    )


def _edit(request, activity, union):
    may_reassign = can(request.user, Action.EDIT_YEAR, activity.group)
    form, days, lecturers = _forms(request, activity, union, may_reassign)
    conflict = None
    if request.method == "POST" and all(f.is_valid() for f in (form, days, lecturers)):
        try:
            saved = _save(request, activity, form, days, lecturers)
            messages.success(request, _("保存しました。"))
            return redirect("staff:activity_detail", pk=saved.pk)
        except ConflictError as error:
            conflict = error
        except RenkeiError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "staff/activities/edit.html",
        {
            "activity": activity,
            "form": form,
            "days": days,
            "lecturers": lecturers,
            "conflict": conflict,
            "year": activity.group.programme.fiscal_year,
        },
    )


@login_required
def activity_edit(request, pk):
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    require_any(request.user, (Action.EDIT_YEAR, Action.CONTRIBUTE), activity)
    return _edit(request, activity, activity.union)


@login_required
def activity_create(request, group_pk):
    group = scoped(
        ActivityGroup.objects.select_related("programme__fiscal_year__union"),
        request.user,
        pk=group_pk,
    )
    require(request.user, Action.EDIT_YEAR, group)
    from renkei.programmes.models import Activity

    return _edit(request, Activity(group=group), group.programme.fiscal_year.union)


@login_required
def activity_delete(request, pk):
    """A page saying what goes with the activity; its POST deletes it (secretariat)."""
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    require(request.user, Action.EDIT_YEAR, activity)
    form = DeleteForm(
        request.POST if request.method == "POST" else None, initial={"version": activity.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            delete_activity(
                activity,
                request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request, _("「%(title)s」を削除しました。") % {"title": activity.title}
            )
            year = activity.fiscal_year.year
            return redirect(f"{reverse('staff:activity_list')}?year={year}")
        except ConflictError as error:
            conflict = error
        except RenkeiError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "staff/activities/delete.html",
        {
            "activity": activity,
            "year": activity.fiscal_year,
            "form": form,
            "conflict": conflict,
            "attendance_total": activity.attendance_total,
        },
    )
