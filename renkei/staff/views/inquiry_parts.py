"""A recipient's part of a 照会: its staff see what is asked, add the initiatives they
led, enter their attendance, impressions and answers, and submit; the secretariat reads
it and approves or returns it with a comment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.errors import ConflictError
from renkei.inquiries.models import InquiryPart
from renkei.inquiries.services import (
    approve_part,
    create_initiative,
    refusal,
    return_part,
    save_part_answers,
    save_part_attendance,
    submit_part,
)
from renkei.programmes.models import Activity, ActivityGroup, prefetch_leads
from renkei.staff.activity_queries import venue_municipalities
from renkei.staff.forms import (
    ActivityForm,
    DayFormSet,
    LecturerFormSet,
    adds_rows,
    formset_rows,
    hold_errors,
    posted_venue_slots,
    venue_slots,
    with_added_day,
)
from renkei.staff.inquiry_forms import PartAnswersForm, PartAttendanceForm, PartDecisionForm
from renkei.tenancy.permissions import Action, can

from .common import history_of, profile, render_form, require, scoped, service_errors

PARTS = InquiryPart.objects.select_related("inquiry__fiscal_year__union", "organisation")


def attendance_rows(part):
    org = part.organisation_id
    rows = []
    for activity in (
        part.inquiry.activities.select_related("group__programme")
        .prefetch_related("attendances")
        .order_by("group__programme__number", "group__number", "sub_number")
    ):
        row = next((a for a in activity.attendances.all() if a.organisation_id == org), None)
        rows.append(
            (activity, None if row is None else ("took_part" if row.count is None else row.count))
        )
    return rows


def _initiatives(part):
    """The activities the recipient leads in the asked programmes, by programme."""
    programmes = list(part.inquiry.programmes.order_by("number").prefetch_related("groups"))
    led = (
        Activity.objects.filter(
            group__programme__in=programmes, lead_links__organisation=part.organisation
        )
        .select_related("group")
        .prefetch_related(prefetch_leads(), "days", "photos")
    )
    return [(p, [a for a in led if a.group.programme_id == p.pk]) for p in programmes]


def _part_page(
    request, part, *, attendance=None, answers=None, decision=None, error=None, status=200
):
    user = request.user
    return render(
        request,
        "staff/inquiries/part.html",
        {
            "part": part,
            "inquiry": part.inquiry,
            "year": part.inquiry.fiscal_year,
            "may_answer": can(user, Action.ANSWER_INQUIRY, part),
            "may_decide": can(user, Action.MANAGE_INQUIRIES, part),
            "locked_reason": None if part.accepts_answers else refusal(part),
            "days_left": (part.deadline - timezone.localdate()).days,
            "initiatives": _initiatives(part),
            "attendance": attendance or PartAttendanceForm(rows=attendance_rows(part)),
            "answers": answers or PartAnswersForm(part=part),
            "decision": decision or PartDecisionForm(),
            "error": error,
            "history": history_of(part, user),
        },
        status=status,
    )


@login_required
def part_detail(request, pk):
    part = scoped(PARTS, request.user, pk=pk)
    require(request.user, Action.VIEW, part)
    return _part_page(request, part)


def answering_part(request, pk):
    """The part a POST of its recipient changes: 404 outside the user's scope, 403 for
    someone who may not answer it at all (the service says why a locked one is refused)."""
    part = scoped(PARTS, request.user, pk=pk)
    if part.organisation_id != profile(request).organisation_id:
        raise PermissionDenied
    return part


def _refused(request, part, error, **forms):
    status = 409 if isinstance(error, ConflictError) else 400
    part.refresh_from_db()
    return _part_page(request, part, error=error.message, status=status, **forms)


@login_required
@require_POST
def part_attendance(request, pk):
    part = answering_part(request, pk)
    form = PartAttendanceForm(request.POST, rows=attendance_rows(part))
    if not form.is_valid():
        return _part_page(
            request,
            part,
            attendance=form,
            error=_("出席者数の入力を確認してください。"),
            status=400,
        )
    values, seen = form.values()
    with service_errors() as refusal:
        save_part_attendance(
            part, request.user, values=values, seen=seen, reason=form.cleaned_data["reason"]
        )
    if refusal.error:
        return _refused(request, part, refusal.error, attendance=form)
    messages.success(request, _("出席者数を保存しました。"))
    return redirect("staff:part_detail", pk=pk)


@login_required
@require_POST
def part_answers(request, pk):
    part = answering_part(request, pk)
    form = PartAnswersForm(request.POST, part=part)
    if not form.is_valid():
        return _part_page(
            request, part, answers=form, error=_("回答の入力を確認してください。"), status=400
        )
    with service_errors() as refusal:
        impressions, expected = form.impressions_and_expected()
        save_part_answers(
            part,
            request.user,
            answers=form.answers(),
            impressions=impressions,
            expected=expected,
        )
    if refusal.error:
        return _refused(request, part, refusal.error, answers=form)
    messages.success(request, _("回答を保存しました。"))
    return redirect("staff:part_detail", pk=pk)


@login_required
@require_POST
def part_submit(request, pk):
    part = answering_part(request, pk)
    with service_errors() as refusal:
        submit_part(part, request.user)
    if refusal.error:
        return _refused(request, part, refusal.error)
    messages.success(request, _("提出しました。事務局の確認を待っています。"))
    return redirect("staff:part_detail", pk=pk)


@login_required
@require_POST
def part_decide(request, pk):
    """The secretariat approves the part or returns it with a comment."""
    part = scoped(PARTS, request.user, pk=pk)
    require(request.user, Action.MANAGE_INQUIRIES, part)
    form = PartDecisionForm(request.POST)
    if not form.is_valid():
        return _part_page(
            request, part, decision=form, error=_("判断を選んでください。"), status=400
        )
    with service_errors() as refusal:
        if form.cleaned_data["decision"] == "approve":
            approve_part(part, request.user)
            messages.success(
                request, _("%(org)sの回答を承認しました。") % {"org": part.organisation.label}
            )
        else:
            return_part(part, request.user, comment=form.cleaned_data["comment"])
            messages.success(
                request, _("%(org)sの回答を差し戻しました。") % {"org": part.organisation.label}
            )
    if refusal.error:
        return _refused(request, part, refusal.error, decision=form)
    return redirect("staff:inquiry_detail", pk=part.inquiry_id)


@login_required
def initiative_create(request, pk, group_pk):
    """A new initiative the recipient led, in an item of an asked programme (the activity
    form, without the secretariat's fields; the recipient is its lead)."""
    part = answering_part(request, pk)
    group = scoped(
        ActivityGroup.objects.select_related("programme__fiscal_year__union"),
        request.user,
        pk=group_pk,
    )
    if not part.inquiry.programmes.filter(pk=group.programme_id).exists():
        raise Http404
    if not part.accepts_answers:
        return _part_page(request, part, error=refusal(part), status=409)
    require(request.user, Action.LEAD_ACTIVITY, part)
    activity = Activity(group=group)
    data = with_added_day(request.POST) if request.method == "POST" else None
    union = part.inquiry.union
    form = ActivityForm(
        data,
        instance=activity,
        union=union,
        may_reassign=False,
        may_publish=False,
        initial={"lead_organisations": [part.organisation]},
    )
    slots = posted_venue_slots(request, venue_slots(activity))
    days = DayFormSet(
        data,
        prefix="days",
        form_kwargs={
            "municipalities": venue_municipalities(union, activity),
            "venue_slots": slots,
        },
    )
    lecturers = LecturerFormSet(data, prefix="lecturers")
    if adds_rows(request):
        for each in (form, days, lecturers):
            hold_errors(each)
    elif request.method == "POST" and all(f.is_valid() for f in (form, days, lecturers)):
        with service_errors(form):
            saved = create_initiative(
                part,
                request.user,
                group=group,
                fields=form.service_fields(),
                days=formset_rows(days),
                lecturers=formset_rows(lecturers),
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("取組を追加しました。写真はこの画面から追加できます。"))
            return redirect("staff:activity_detail", pk=saved.pk)
    return render_form(
        request,
        "staff/activities/edit.html",
        {
            "activity": activity,
            "form": form,
            "days": days,
            "lecturers": lecturers,
            "venue_slots": slots,
            "year": part.inquiry.fiscal_year,
            "part": part,
        },
        form,
        days,
        lecturers,
    )
