"""Photos of an activity: upload (checked, re-encoded), edit, delete and reorder,
impressions, and serving images only to those who may see the activity."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei import wareki
from renkei.audit.services import fingerprint
from renkei.programmes.models import ActivitySection, Photo, SectionKind
from renkei.programmes.services import (
    add_photo,
    delete_photo,
    impressions_fingerprint,
    move_photo,
    open_photo,
    save_impressions,
    update_photo,
)
from renkei.staff.activity_queries import activity_detail_queryset
from renkei.staff.forms import (
    ImpressionsForm,
    PhotoChangeForm,
    PhotoEditForm,
    PhotoForm,
    require_reason_when_closed,
)
from renkei.tenancy.permissions import Action, can

from .common import profile, render_form, require, scoped, service_errors


@login_required
def photo_upload(request, pk):
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    require(request.user, Action.CONTRIBUTE)
    may_publish = can(request.user, Action.PUBLISH, activity)
    form = PhotoForm(request.POST or None, request.FILES or None, may_publish=may_publish)
    require_reason_when_closed(form, activity.fiscal_year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            photo = add_photo(
                activity,
                request.user,
                organisation=profile(request).organisation,
                upload=data["image"],
                caption=data["caption"],
                alt_text=data["alt_text"],
                is_public=data.get("is_public", False),
                reason=data["reason"],
            )
            if photo.taken_on:
                messages.info(
                    request,
                    _("撮影日は%(date)sです。活動の日付と合っているか確認してください。")
                    % {"date": wareki.format_date(photo.taken_on)},
                )
            messages.success(request, _("写真を登録しました。"))
            return redirect("staff:activity_detail", pk=activity.pk)
    return render_form(
        request,
        "staff/activities/photo.html",
        {"activity": activity, "form": form, "year": activity.fiscal_year},
    )


@login_required
def photo_image(request, pk, size):
    photo = scoped(Photo.objects.select_related("activity"), request.user, pk=pk)
    require(request.user, Action.VIEW, photo)
    image = open_photo(photo, size)
    if image is None:
        raise Http404
    return FileResponse(image, content_type="image/jpeg")


def _changeable_photo(request, pk) -> Photo:
    """A photo of the user's union (else 404) that the user may change (else 403): the
    secretariat any photo, member and partner staff those their organisation uploaded."""
    photo = scoped(
        Photo.objects.select_related(
            "activity__group__programme__fiscal_year__union", "organisation"
        ),
        request.user,
        pk=pk,
    )
    require(request.user, Action.CONTRIBUTE, photo)
    return photo


def _back_to(photo, fragment: str):
    """The activity page, scrolled to (and continuing keyboard focus from) ``fragment``."""
    return redirect(reverse("staff:activity_detail", args=[photo.activity_id]) + f"#{fragment}")


def _render_photo_page(request, template, photo, form, **extra):
    return render_form(
        request,
        f"staff/activities/{template}",
        {
            "photo": photo,
            "activity": photo.activity,
            "year": photo.activity.fiscal_year,
            "form": form,
            **extra,
        },
        form,
    )


@login_required
def photo_edit(request, pk):
    photo = _changeable_photo(request, pk)
    may_publish = can(request.user, Action.PUBLISH, photo)
    form = PhotoEditForm(
        request.POST if request.method == "POST" else None,
        may_publish=may_publish,
        initial={
            "caption": photo.caption,
            "alt_text": photo.alt_text,
            "is_public": photo.is_public,
            "publication_proposed": photo.publication_proposed,
            "expected": fingerprint(photo),
        },
    )
    require_reason_when_closed(form, photo.activity.fiscal_year)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form, conflicts=True) as refusal:
            update_photo(
                photo,
                request.user,
                caption=data["caption"],
                alt_text=data["alt_text"],
                is_public=data["is_public"] if may_publish else None,
                publication_proposed=data["publication_proposed"],
                expected=data["expected"],
                reason=data["reason"],
            )
            messages.success(request, _("写真の説明を保存しました。"))
            return _back_to(photo, f"photo-{photo.pk}")
        conflict = refusal.conflict
    return _render_photo_page(request, "photo_edit.html", photo, form, conflict=conflict)


@login_required
def photo_delete(request, pk):
    """A confirmation page; the POST from it deletes the photo."""
    photo = _changeable_photo(request, pk)
    form = PhotoChangeForm(request.POST if request.method == "POST" else None)
    require_reason_when_closed(form, photo.activity.fiscal_year)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            delete_photo(photo, request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("写真を削除しました。"))
            return _back_to(photo, "photos")
    return _render_photo_page(request, "photo_confirm.html", photo, form, delete=True)


@login_required
@require_POST
def photo_move(request, pk):
    """Move a photo one place earlier or later; in a closed year the page asks for a reason."""
    photo = _changeable_photo(request, pk)
    direction = request.POST.get("direction")
    form = PhotoChangeForm(request.POST)
    require_reason_when_closed(form, photo.activity.fiscal_year)
    if form.is_valid():
        with service_errors(form):
            move_photo(
                photo,
                request.user,
                step={"up": -1, "down": 1}.get(direction, 0),
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("写真の順序を変えました。"))
            return _back_to(photo, f"photo-{photo.pk}")
    return _render_photo_page(request, "photo_confirm.html", photo, form, direction=direction)


@login_required
def impressions_edit(request, pk):
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    require(request.user, Action.CONTRIBUTE)
    organisation = profile(request).organisation
    section = ActivitySection.objects.filter(
        activity=activity, kind=SectionKind.IMPRESSIONS, organisation=organisation
    ).first()
    form = ImpressionsForm(
        request.POST or None,
        initial={
            "text": section.lead if section else "",
            "expected": impressions_fingerprint(section),
        },
    )
    require_reason_when_closed(form, activity.fiscal_year)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form, conflicts=True) as refusal:
            save_impressions(
                activity,
                request.user,
                organisation=organisation,
                text=data["text"],
                expected=data["expected"],
                reason=data["reason"],
            )
            messages.success(request, _("感想を保存しました。"))
            return redirect("staff:activity_detail", pk=activity.pk)
        conflict = refusal.conflict
    return render_form(
        request,
        "staff/activities/impressions.html",
        {"activity": activity, "form": form, "year": activity.fiscal_year, "conflict": conflict},
        form,
        conflict=conflict,
    )
