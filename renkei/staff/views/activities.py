"""Activities: the filtered list, the record page with its history, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from renkei.forms import ascii_int
from renkei.programmes.attendance import known_attendance
from renkei.programmes.models import Activity, ActivityGroup
from renkei.programmes.services import (
    NewPhoto,
    create_activity_with_records,
    delete_activity,
    update_activity,
)
from renkei.staff import pending_photos
from renkei.staff.activity_queries import (
    activity_detail_queryset,
    activity_list,
    filter_choices,
    venue_municipalities,
)
from renkei.staff.attendance_rows import attendance_rows, attendance_summary, pending_proposals
from renkei.staff.forms import (
    ActivityFilterForm,
    ActivityForm,
    CountsForm,
    DayFormSet,
    DeleteForm,
    LecturerFormSet,
    NewPhotosForm,
    adds_rows,
    day_initial,
    formset_rows,
    hold_errors,
    lecturer_initial,
    posted_venue_slots,
    require_reason_when_closed,
    venue_slots,
    with_added_day,
)
from renkei.tenancy.permissions import Action, can

from .common import (
    current_year,
    history_of,
    profile,
    render_form,
    require,
    require_any,
    scoped,
    service_errors,
)


def filtered_activities(request):
    year = current_year(request)
    require(request.user, Action.VIEW, year)
    form = ActivityFilterForm(request.GET or None, **filter_choices(request.user, year))
    filters = form.cleaned_data if form.is_valid() else {}
    return year, form, activity_list(request.user, year, filters)


def new_activity_items(year) -> list[tuple]:
    """(programme name, [(item id, label)]) of the year, for the list's 活動を追加."""
    groups = ActivityGroup.objects.filter(programme__fiscal_year=year).select_related("programme")
    by_programme: dict = {}
    for group in groups.order_by("programme__number", "number"):
        label = f"({group.number}) {group.title}"
        by_programme.setdefault(group.programme.name, []).append((group.pk, label))
    return list(by_programme.items())


@login_required
def activity_list_view(request):
    year, form, activities = filtered_activities(request)
    may_create = can(request.user, Action.EDIT_YEAR, year)
    return render(
        request,
        "staff/activities/list.html",
        {
            "year": year,
            "form": form,
            "activities": activities,
            "may_create": may_create,
            "new_items": new_activity_items(year) if may_create else [],
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
    data = with_added_day(request.POST) if request.method == "POST" else None
    initial = {"version": activity.version} if activity.pk else {}
    form = ActivityForm(
        data,
        instance=activity,
        union=union,
        may_reassign=may_reassign,
        may_publish=can(request.user, Action.PUBLISH, activity.group),
        initial=initial,
    )
    require_reason_when_closed(form, activity.group.programme.fiscal_year)
    days = DayFormSet(
        data,
        prefix="days",
        initial=day_initial(activity) if activity.pk else None,
        form_kwargs={
            "municipalities": venue_municipalities(union, activity),
            "venue_slots": posted_venue_slots(request, venue_slots(activity)),
        },
    )
    lecturers = LecturerFormSet(
        data, prefix="lecturers", initial=lecturer_initial(activity) if activity.pk else None
    )
    return form, days, lecturers


def _new_records_forms(request, activity):
    """A new activity's attendance grid and photos (an existing one has their own pages)."""
    if activity.pk:
        return None, None
    data = request.POST if request.method == "POST" else None
    attendance = CountsForm(data, rows=attendance_rows(activity, request.user), prefix="att")
    photos = NewPhotosForm(data, request.FILES or None, user=request.user, prefix="photos")
    return attendance, photos


def _save(request, activity, form, days, lecturers, attendance=None, photos=None):
    kwargs = {
        "fields": form.service_fields(),
        "days": formset_rows(days),
        "lecturers": formset_rows(lecturers),
        "reason": form.cleaned_data["reason"],
        "pillars": form.cleaned_data["pillars"],
        "lead_organisations": form.cleaned_data["lead_organisations"],
    }
    if activity.pk is not None:
        return update_activity(
            activity, request.user, expected_version=form.cleaned_data["version"], **kwargs
        )
    counts, seen = attendance.counts()
    uploads = [
        NewPhoto(pending_photos.load(token, request.user), caption, alt_text)
        for token, caption, alt_text in photos.entries()
    ]
    return create_activity_with_records(
        activity.group,
        request.user,
        counts=counts,
        seen=seen,
        photos=uploads,
        photo_organisation=profile(request).organisation,
        **kwargs,
    )


def _edit(request, activity, union):
    may_reassign = can(request.user, Action.EDIT_YEAR, activity.group)
    form, days, lecturers = _forms(request, activity, union, may_reassign)
    attendance, photos = _new_records_forms(request, activity)
    every = [f for f in (form, days, lecturers, attendance, photos) if f is not None]
    conflict = None
    if adds_rows(request):
        for each in every:
            hold_errors(each)
    elif request.method == "POST" and all(f.is_valid() for f in every):
        with service_errors(form, conflicts=True) as refusal:
            saved = _save(request, activity, form, days, lecturers, attendance, photos)
            messages.success(request, _("保存しました。"))
            return redirect("staff:activity_detail", pk=saved.pk)
        conflict = refusal.conflict
    return render_form(
        request,
        "staff/activities/edit.html",
        {
            "activity": activity,
            "form": form,
            "days": days,
            "lecturers": lecturers,
            "attendance": attendance,
            "photos": photos,
            "venue_slots": days.form_kwargs["venue_slots"],
            "conflict": conflict,
            "year": activity.group.programme.fiscal_year,
        },
        form,
        days,
        lecturers,
        attendance,
        photos,
        conflict=conflict,
    )


@login_required
def activity_edit(request, pk):
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    require_any(request.user, (Action.EDIT_YEAR, Action.CONTRIBUTE), activity)
    return _edit(request, activity, activity.union)


@login_required
def activity_create(request, group_pk=None):
    """The new-activity form of a programme's item: from the item's row (its id in the
    path) or from the activity list's 活動を追加 (the item chosen there, ``?group=``)."""
    if group_pk is None:
        group_pk = ascii_int(request.GET.get("group"))
        if group_pk is None:
            messages.error(request, _("活動を追加する事業と項目を選んでください。"))
            return redirect("staff:activity_list")
    group = scoped(
        ActivityGroup.objects.select_related("programme__fiscal_year__union"),
        request.user,
        pk=group_pk,
    )
    require(request.user, Action.EDIT_YEAR, group)
    return _edit(request, Activity(group=group), group.programme.fiscal_year.union)


@login_required
def activity_delete(request, pk):
    """A page saying what goes with the activity; its POST deletes it (secretariat)."""
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    require(request.user, Action.EDIT_YEAR, activity)
    form = DeleteForm(
        request.POST if request.method == "POST" else None, initial={"version": activity.version}
    )
    require_reason_when_closed(form, activity.fiscal_year)
    conflict = None
    if request.method == "POST" and form.is_valid():
        with service_errors(form, conflicts=True) as refusal:
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
        conflict = refusal.conflict
    return render_form(
        request,
        "staff/activities/delete.html",
        {
            "activity": activity,
            "year": activity.fiscal_year,
            "form": form,
            "conflict": conflict,
            "attendance_total": activity.attendance_total,
        },
        form,
        conflict=conflict,
    )
