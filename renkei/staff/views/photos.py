"""Photos of an activity: upload (checked, re-encoded), impressions, and serving images
only to those who may see the activity."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from renkei import wareki
from renkei.errors import RenkeiError
from renkei.programmes.models import ActivitySection, Photo, SectionKind
from renkei.programmes.services import add_photo, save_impressions, thumbnail_name
from renkei.tenancy.permissions import Action

from ..activity_queries import activity_detail_queryset
from ..forms import ImpressionsForm, PhotoForm
from ..images import process_upload
from .common import profile, require, scoped


@login_required
def photo_upload(request, pk):
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    require(request.user, Action.CONTRIBUTE)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            image = process_upload(data["image"])
            add_photo(activity, request.user, organisation=profile(request).organisation,
                      image_name=image.name, image_bytes=image.data,
                      thumbnail_bytes=image.thumbnail, caption=data["caption"],
                      alt_text=data["alt_text"], taken_on=image.taken_on, reason=data["reason"])
            if image.taken_on:
                messages.info(request, _("撮影日は%(date)sです。活動の日付と合っているか確認してください。")
                              % {"date": wareki.format_date(image.taken_on)})
            messages.success(request, _("写真を登録しました。"))
            return redirect("staff:activity_detail", pk=activity.pk)
        except RenkeiError as error:
            form.add_error(None, error.message)
    return render(request, "staff/activities/photo.html",
                  {"activity": activity, "form": form, "year": activity.fiscal_year})


@login_required
def photo_image(request, pk, size):
    photo = scoped(Photo.objects.select_related("activity"), request.user, pk=pk)
    require(request.user, Action.VIEW, photo)
    name = thumbnail_name(photo.image.name) if size == "thumb" else photo.image.name
    storage = photo.image.storage
    if not name or not storage.exists(name):
        raise Http404
    return FileResponse(storage.open(name, "rb"), content_type="image/jpeg")


@login_required
def impressions_edit(request, pk):
    activity = scoped(activity_detail_queryset(), request.user, pk=pk)
    require(request.user, Action.CONTRIBUTE)
    organisation = profile(request).organisation
    section = ActivitySection.objects.filter(activity=activity, kind=SectionKind.IMPRESSIONS,
                                             organisation=organisation).first()
    form = ImpressionsForm(request.POST or None, initial={"text": section.lead if section else ""})
    if request.method == "POST" and form.is_valid():
        try:
            save_impressions(activity, request.user, organisation=organisation,
                             text=form.cleaned_data["text"], reason=form.cleaned_data["reason"])
            messages.success(request, _("感想を保存しました。"))
            return redirect("staff:activity_detail", pk=activity.pk)
        except RenkeiError as error:
            form.add_error(None, error.message)
    return render(request, "staff/activities/impressions.html",
                  {"activity": activity, "form": form, "year": activity.fiscal_year})
