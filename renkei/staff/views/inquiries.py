"""The secretariat's 照会 screens: the list (each recipient's staff see their own parts
there), opening and editing a draft, sending, extending, closing, and the matrix of
recipients × asked items with its export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.inquiries.models import Inquiry, InquiryPart, InquiryState, MailOptOut
from renkei.inquiries.services import (
    close_inquiry,
    create_inquiry,
    extend_inquiry,
    send_inquiry,
    set_muted_mail,
    update_inquiry,
)
from renkei.staff.inquiry_forms import (
    ExtendForm,
    InquiryForm,
    MailSettingsForm,
    MatrixFilterForm,
    inquiry_initial,
)
from renkei.staff.inquiry_matrix import InquiryMatrixExporter, inquiry_matrix
from renkei.staff.spreadsheet_exports import download
from renkei.tenancy.permissions import Action, can, scope

from .common import current_year, history_of, profile, render_form, require, scoped, service_errors

INQUIRIES = Inquiry.objects.select_related("fiscal_year__union")


@login_required
def inquiry_list(request):
    """The secretariat's inquiries of the year; for everyone, the parts they may see."""
    year = current_year(request)
    require(request.user, Action.VIEW, year)
    manages = can(request.user, Action.MANAGE_INQUIRIES, year)
    parts = (
        scope(InquiryPart.objects.filter(inquiry__fiscal_year=year), request.user)
        .exclude(inquiry__state=InquiryState.DRAFT)
        .select_related("inquiry", "organisation")
        .order_by("-inquiry__pk", "organisation__code")
    )
    return render(
        request,
        "staff/inquiries/list.html",
        {
            "year": year,
            "manages": manages,
            "today": timezone.localdate(),
            "inquiries": year.inquiries.order_by("-pk") if manages else [],
            "parts": [] if manages else parts,
        },
    )


def _edit(request, inquiry, year):
    initial = inquiry_initial(inquiry) if inquiry.pk else {}
    form = InquiryForm(
        request.POST if request.method == "POST" else None, fiscal_year=year, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            if inquiry.pk:
                saved = update_inquiry(inquiry, request.user, form.as_data())
            else:
                saved = create_inquiry(year, request.user, form.as_data())
            messages.success(request, _("保存しました。"))
            return redirect("staff:inquiry_detail", pk=saved.pk)
    return render_form(
        request, "staff/inquiries/edit.html", {"form": form, "inquiry": inquiry, "year": year}, form
    )


@login_required
def inquiry_create(request):
    year = current_year(request)
    require(request.user, Action.MANAGE_INQUIRIES, year)
    return _edit(request, Inquiry(fiscal_year=year), year)


@login_required
def inquiry_edit(request, pk):
    inquiry = scoped(INQUIRIES, request.user, pk=pk)
    require(request.user, Action.MANAGE_INQUIRIES, inquiry)
    return _edit(request, inquiry, inquiry.fiscal_year)


def _matrix(request, inquiry):
    form = MatrixFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return form, inquiry_matrix(inquiry, status=status, today=timezone.localdate())


@login_required
def inquiry_detail(request, pk, extend_form=None, error=None):
    inquiry = scoped(INQUIRIES, request.user, pk=pk)
    require(request.user, Action.MANAGE_INQUIRIES, inquiry)
    form, (columns, rows) = _matrix(request, inquiry)
    return render(
        request,
        "staff/inquiries/detail.html",
        {
            "inquiry": inquiry,
            "year": inquiry.fiscal_year,
            "filter": form,
            "columns": columns,
            "rows": rows,
            "extend_form": extend_form or ExtendForm(),
            "error": error,
            "questions": inquiry.questions.all(),
            "history": history_of(inquiry, request.user),
            "query": request.GET.urlencode(),
        },
        status=400 if error else 200,
    )


@login_required
def inquiry_export(request, pk):
    inquiry = scoped(INQUIRIES, request.user, pk=pk)
    require(request.user, Action.MANAGE_INQUIRIES, inquiry)
    _form, (columns, rows) = _matrix(request, inquiry)
    return download(InquiryMatrixExporter(columns, rows), f"inquiry-{inquiry.pk}", "xlsx")


@login_required
@require_POST
def inquiry_state(request, pk, step):
    """POST: send, extend (``deadline``, ``reason``) or close the inquiry."""
    inquiry = scoped(INQUIRIES, request.user, pk=pk)
    require(request.user, Action.MANAGE_INQUIRIES, inquiry)
    form = ExtendForm(request.POST) if step == "extend" else None
    if form is not None and not form.is_valid():
        return inquiry_detail(
            request, pk, extend_form=form, error=_("新しい締切日を入力してください。")
        )
    with service_errors() as refusal:
        if step == "send":
            send_inquiry(inquiry, request.user)
            messages.success(request, _("照会を送付しました。"))
        elif form is not None:  # step "extend"
            extend_inquiry(
                inquiry,
                request.user,
                deadline=form.cleaned_data["deadline"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("締切を延長しました。"))
        else:
            close_inquiry(inquiry, request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("照会を締め切りました。"))
    if refusal.error:
        return inquiry_detail(request, pk, extend_form=form, error=refusal.error.message)
    return redirect("staff:inquiry_detail", pk=pk)


@login_required
def mail_settings(request):
    """Which 照会 mails the signed-in person receives (deadline reminders always)."""
    profile(request)
    muted = list(MailOptOut.objects.filter(user=request.user).values_list("kind", flat=True))
    form = MailSettingsForm(request.POST or None, initial={"muted": muted})
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            set_muted_mail(request.user, form.cleaned_data["muted"])
            messages.success(request, _("メールの設定を保存しました。"))
            return redirect("staff:mail_settings")
    return render(
        request, "staff/inquiries/mail.html", {"form": form}, status=400 if form.errors else 200
    )
