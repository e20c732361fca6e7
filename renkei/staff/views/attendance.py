"""Attendance on one activity (per organisation, and the secretariat's total and members
by kind), the preview of what a save would print, member staff's seminar sheet, the
seminar grid (sessions × organisations), and the secretariat's list of members' proposed
changes to a closed year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from renkei import wareki
from renkei.programmes.attendance import known_attendance
from renkei.programmes.models import Activity, ActivityKind, Attendance
from renkei.programmes.services import (
    AttendanceSaved,
    changes_wait_for_approval,
    record_attendance,
    record_attendance_of_many,
    record_attendance_totals,
)
from renkei.staff.activity_queries import activity_detail_queryset
from renkei.staff.attendance_rows import (
    attendance_rows,
    attendance_summary,
    grid_organisations,
    known_attendance_with,
    municipality_kinds,
    organisations_of,
    own_proposals,
    pending_proposals,
    with_totals,
)
from renkei.staff.forms import (
    AttendanceTotalsForm,
    CountsForm,
    attendance_totals_initial,
    counts_form_after_conflict,
    require_reason_when_closed,
)
from renkei.staff.seminar_grid import SeminarGrid, split_key
from renkei.tenancy.permissions import Action, can

from .common import current_year, form_status, profile, render_form, require, scoped, service_errors


def saved_message(request, saved: AttendanceSaved, done: str) -> None:
    """Tell the user what a save did: changed the records, or (a member in a closed
    year) made proposals that wait for the secretariat."""
    if saved.proposals:
        messages.info(
            request,
            _("変更を提案しました（%(n)s件）。事務局の承認を待っています。")
            % {"n": len(saved.proposals)},
        )
    else:
        messages.success(request, done)


def _totals_form(request, activity, known):
    """The secretariat's form for the total and members by kind; None for the others."""
    if not can(request.user, Action.EDIT_YEAR, activity):
        return None
    kinds = municipality_kinds(activity.union)
    data = request.POST if request.POST.get("part") == "totals" else None
    form = AttendanceTotalsForm(
        data, kinds=kinds, initial=attendance_totals_initial(known, kinds), prefix="totals"
    )
    require_reason_when_closed(form, activity.fiscal_year)
    return form


def _save_totals(request, activity, form):
    if not form.is_valid():
        return None
    with service_errors(form, conflicts=True) as refusal:
        record_attendance_totals(activity, request.user, **form.totals())
        messages.success(request, _("出席者数（合計）と出席した構成市町の数を保存しました。"))
        return redirect("staff:attendance_edit", pk=activity.pk)
    if refusal.conflict:
        # What is saved now becomes the baseline: saving again after reading the message
        # overwrites the other person's change deliberately.
        fresh = known_attendance(scoped(activity_detail_queryset(), request.user, pk=activity.pk))
        data = request.POST.copy()
        for name, value in attendance_totals_initial(
            fresh, municipality_kinds(activity.union)
        ).items():
            if name.startswith("seen_"):
                data[form.add_prefix(name)] = "" if value is None else value
        form.data = data
        form.add_error(None, refusal.conflict.message)
    return None


def _save_counts(request, activity, form):
    """Save the grid; returns (redirect or None, conflict or None, form)."""
    if not form.is_valid():
        return None, None, form
    counts, seen = form.counts()
    with service_errors(form, conflicts=True) as refusal:
        saved = record_attendance(
            activity, request.user, counts=counts, seen=seen, reason=form.cleaned_data["reason"]
        )
        saved_message(request, saved, _("出席者数を保存しました。"))
        return redirect("staff:activity_detail", pk=activity.pk), None, form
    if refusal.conflict:
        fresh = scoped(activity_detail_queryset(), request.user, pk=activity.pk)
        return (
            None,
            refusal.conflict,
            counts_form_after_conflict(request.POST, attendance_rows(fresh, request.user)),
        )
    return None, None, form


@login_required
def attendance_edit(request, pk):
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    require(request.user, Action.CONTRIBUTE)
    known = known_attendance(activity)
    totals_form = _totals_form(request, activity, known)
    counts_post = request.method == "POST" and request.POST.get("part") != "totals"
    form = CountsForm(
        request.POST if counts_post else None, rows=attendance_rows(activity, request.user)
    )
    require_reason_when_closed(form, activity.fiscal_year)
    conflict = None
    if request.method == "POST":
        if not counts_post:
            require(request.user, Action.EDIT_YEAR, activity)
            done = _save_totals(request, activity, totals_form)
        else:
            done, conflict, form = _save_counts(request, activity, form)
        if done:
            return done
    return render_form(
        request,
        "staff/activities/attendance.html",
        {
            "activity": activity,
            "form": form,
            "totals_form": totals_form,
            "conflict": conflict,
            "year": activity.fiscal_year,
            "known": known,
            "summary": attendance_summary(known, activity.union.region_name),
            "proposing": changes_wait_for_approval(request.user, activity.fiscal_year),
            "own_proposals": own_proposals([activity], request.user),
            "pending": (
                pending_proposals(activity)
                if can(request.user, Action.EDIT_YEAR, activity)
                else None
            ),
        },
        form,
        totals_form,
        conflict=conflict,
    )


@require_GET
@login_required
def attendance_preview(request, pk):
    """What the page's current values would print, before saving: the same reading
    (``known_attendance``) over the records with the form's values in place. Only the
    rows the user may change are taken from the query; a value that does not parse
    answers 400 with its message."""
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    require(request.user, Action.CONTRIBUTE)
    form = CountsForm(request.GET, rows=attendance_rows(activity, request.user))
    errors = []
    known = known_attendance(activity)
    if form.is_valid():
        counts, _seen = form.counts()
        known = known_attendance_with(activity, counts, grid_organisations(activity))
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
    if "totals-total" in request.GET and can(request.user, Action.EDIT_YEAR, activity):
        totals = AttendanceTotalsForm(
            request.GET, kinds=municipality_kinds(activity.union), prefix="totals"
        )
        if totals.is_valid():
            values = totals.totals()
            known = with_totals(known, total=values["total"], composition=values["composition"])
        else:
            errors += [e for field_errors in totals.errors.values() for e in field_errors]
    html = render_to_string(
        "staff/includes/attendance_summary.html",
        {
            "summary": attendance_summary(known, activity.union.region_name),
            "errors": errors,
            "preview": True,
        },
        request=request,
    )
    return HttpResponse(html, status=400 if errors else 200)


def seminar_sessions(request, year):
    return (
        Activity.objects.filter(
            group__programme__fiscal_year=year, kind=ActivityKind.EXTERNAL_SEMINAR
        )
        .restrict(request.user)
        .select_related("group__programme__fiscal_year__union")
        .prefetch_related(
            "days",
            "compositions",
            "group__programme__fiscal_year__union__membership_set",
            Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
        )
        .order_by("group__number", "sub_number")
    )


def session_label(session) -> str:
    days = list(session.days.all())
    when = wareki.format_range_short(days[0].date, days[-1].last_date) if days else ""
    return _("%(series)s「%(title)s」%(when)s") % {
        "series": session.group.heading,
        "title": session.title,
        "when": when,
    }


def _save_sessions(request, sessions, own, form) -> AttendanceSaved:
    """Save the sheet's changed rows, all or none."""
    counts, seen = form.counts()
    changed = [
        s for s in sessions if s.pk in counts and counts[s.pk] != seen[s.pk]
    ]  # untouched rows: nothing to save, nothing to conflict with
    return record_attendance_of_many(
        request.user,
        [(s, {own: counts[s.pk]}, {own: seen[s.pk]}) for s in changed],
        reason=form.cleaned_data["reason"],
    )


@login_required
def seminar_attendance(request):
    year = current_year(request)
    staff = profile(request)
    require(request.user, Action.CONTRIBUTE)  # the year is in scope: current_year
    sessions = list(seminar_sessions(request, year))
    own = staff.organisation_id
    known = {s.pk: known_attendance(s) for s in sessions}
    rows = [(s.pk, session_label(s), known[s.pk].count_for(own), True) for s in sessions]
    form = CountsForm(request.POST or None, rows=rows)
    conflict = None
    if request.method == "POST" and form.is_valid():
        with service_errors(form, conflicts=True) as refusal:
            saved = _save_sessions(request, sessions, own, form)
            saved_message(request, saved, _("受講者数を保存しました。"))
            return redirect(request.get_full_path())
        conflict = refusal.conflict
    region = year.union.region_name
    return render(
        request,
        "staff/seminars.html",
        {
            "year": year,
            "form": form,
            "sessions": sessions,
            "conflict": conflict,
            "organisation": staff.organisation,
            "grid": list(
                zip(
                    form.grid(),
                    [attendance_summary(known[s.pk], region) for s in sessions],
                    strict=True,
                )
            ),
            "proposing": changes_wait_for_approval(request.user, year),
            "own_proposals": own_proposals(sessions, request.user),
        },
    )


def _save_grid(request, sessions, form) -> AttendanceSaved:
    """Save the grid's changed cells through ``record_attendance``, one session at a
    time, all in one transaction: a refused cell (a stale value, a held 照会 answer, a
    closed year without a reason) saves nothing."""
    counts, seen = form.counts()
    changed: dict[int, dict] = {}
    for key, value in counts.items():
        if value != seen[key]:
            session_id, org_id = split_key(key)
            changed.setdefault(session_id, {})[org_id] = (value, seen[key])
    return record_attendance_of_many(
        request.user,
        [
            (
                session,
                {org: value for org, (value, _seen) in changed[session.pk].items()},
                {org: was for org, (_value, was) in changed[session.pk].items()},
            )
            for session in sessions
            if session.pk in changed
        ],
        reason=form.cleaned_data["reason"],
    )


@login_required
def seminar_grid(request):
    """Every session of the year's external seminars by every organisation: the
    secretariat fills in any cell, member and partner staff their own column."""
    year = current_year(request)
    require(request.user, Action.CONTRIBUTE)  # the year is in scope: current_year
    sessions = list(seminar_sessions(request, year).prefetch_related("locks"))
    grid = SeminarGrid(
        sessions, organisations_of(year.union, sessions), request.user, session_label
    )
    form = CountsForm(request.POST or None, rows=grid.form_rows())
    for name, field in form.fields.items():
        if name.startswith("count_"):  # one help text above the grid, not one per cell
            field.widget.attrs["aria-describedby"] = "grid-help"
    conflict = None
    if request.method == "POST" and form.is_valid():
        with service_errors(form, conflicts=True) as refusal:
            saved = _save_grid(request, sessions, form)
            saved_message(request, saved, _("受講者数を保存しました。"))
            return redirect(request.get_full_path())
        conflict = refusal.conflict
    return render(
        request,
        "staff/seminar_grid.html",
        {
            "year": year,
            "form": form,
            "grid": grid,
            "rows": [
                (
                    session,
                    label,
                    [(cell, form[f"count_{cell.key}"], form[f"seen_{cell.key}"]) for cell in cells],
                    total,
                )
                for session, label, cells, total in grid.rows
            ],
            "conflict": conflict,
            "secretariat": can(request.user, Action.EDIT_YEAR, year),
            "proposing": changes_wait_for_approval(request.user, year),
        },
        status=409 if conflict else form_status(request, form),
    )
