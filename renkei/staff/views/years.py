"""A year's structure, kept by the secretariat: the years, their programmes and items
(the report's "1" and "(1)"), and the report's prose. Everyone in the union may read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.errors import RenkeiError
from renkei.programmes.models import ActivityGroup, FiscalYear, NarrativeSection, Programme
from renkei.programmes.services import next_number
from renkei.programmes.structure import delete_record, fiscal_year_of, save_record
from renkei.programmes.year_states import OPEN_STATES
from renkei.reports.year_cycle import open_fiscal_year, set_fiscal_year_state
from renkei.staff.year_forms import (
    FiscalYearForm,
    GroupForm,
    NarrativeForm,
    NewYearForm,
    ProgrammeForm,
    YearStateForm,
)
from renkei.tenancy.permissions import Action, can

from .common import history_of, profile, render_form, require, scoped, service_errors


def year_url(year) -> str:
    return reverse("staff:year_detail", args=[year.pk])


YEARS = FiscalYear.objects.select_related("union")
PROGRAMMES = Programme.objects.select_related("fiscal_year__union")
GROUPS = ActivityGroup.objects.select_related("programme__fiscal_year__union")
NARRATIVES = NarrativeSection.objects.select_related("fiscal_year__union")


def _editable(request, queryset, pk):
    """A record of the user's union (else 404) that the user may edit (else 403)."""
    record = scoped(queryset, request.user, pk=pk)
    require(request.user, Action.EDIT_YEAR, record)
    return record


@login_required
def year_list(request):
    require(request.user, Action.VIEW)
    years = (
        FiscalYear.objects.select_related("plan")
        .restrict(request.user)
        .order_by("-year")
        .annotate(
            programme_count=Count("programmes", distinct=True),
            activity_count=Count("programmes__groups__activities", distinct=True),
        )
    )
    return render(
        request,
        "staff/years/list.html",
        {
            "years": years,
            "may_create": can(request.user, Action.EDIT_YEAR),
        },
    )


@login_required
def year_create(request):
    require(request.user, Action.EDIT_YEAR)
    union = profile(request).union
    form = NewYearForm(request.POST or None, union=union)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form):
            year = open_fiscal_year(
                union,
                request.user,
                year=data["year"],
                plan=data["plan"],
                copy_from=data["copy_from"],
            )
            messages.success(request, _("%(year)sを作成しました。") % {"year": year})
            return redirect(year_url(year))
    return render_form(request, "staff/years/create.html", {"form": form}, form)


@login_required
def year_detail(request, pk):
    groups = ActivityGroup.objects.select_related("provider").annotate(
        activity_count=Count("activities")
    )
    year = scoped(
        FiscalYear.objects.select_related("union", "plan").prefetch_related(
            # django-stubs cannot infer a Prefetch's type variables through a custom queryset.
            Prefetch("programmes", Programme.objects.prefetch_related(Prefetch("groups", groups))),  # type: ignore[arg-type]
            "narratives",
        ),
        request.user,
        pk=pk,
    )
    may_edit = can(request.user, Action.EDIT_YEAR, year)
    return render(
        request,
        "staff/years/detail.html",
        {
            "year": year,
            "may_edit": may_edit,
            "state_form": YearStateForm(initial={"state": year.state})
            if may_edit and year.state in OPEN_STATES
            else None,
            "history": history_of(year, request.user, limit=20),
        },
    )


@login_required
@require_POST
def year_state(request, pk):
    year = _editable(request, YEARS, pk)
    form = YearStateForm(request.POST)
    with service_errors(request=request):
        if not form.is_valid():
            raise RenkeiError(_("状態を選んでください。"))
        set_fiscal_year_state(year, request.user, state=form.cleaned_data["state"])
        messages.success(request, _("年度の状態を変更しました。"))
    return redirect(year_url(year))


def _edit(request, instance, form_class, *, title, **form_kwargs):
    """Show and save one record of the structure; a stale form shows the other change."""
    year = fiscal_year_of(instance)
    form = form_class(request.POST or None, instance=instance, **form_kwargs)
    conflict = None
    if request.method == "POST" and form.is_valid():
        with service_errors(form, conflicts=True) as refusal:
            save_record(
                instance,
                request.user,
                fields=form.service_fields(),
                expected=form.cleaned_data["expected"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("保存しました。"))
            return redirect(year_url(year))
        conflict = refusal.conflict
    return render_form(
        request,
        "staff/years/record_edit.html",
        {
            "year": year,
            "form": form,
            "record": instance,
            "title": title,
            "conflict": conflict,
            "history": history_of(instance, request.user) if instance.pk else None,
            "delete_url": _delete_url(instance),
        },
        form,
        conflict=conflict,
    )


def _delete_url(instance) -> str | None:
    names = {
        Programme: "programme_delete",
        ActivityGroup: "group_delete",
        NarrativeSection: "narrative_delete",
    }
    name = names.get(type(instance))
    return reverse(f"staff:{name}", args=[instance.pk]) if name and instance.pk else None


@login_required
def year_edit(request, pk):
    year = _editable(request, YEARS, pk)
    return _edit(request, year, FiscalYearForm, title=_("年度の設定"), union=year.union)


@login_required
def programme_create(request, year_pk):
    year = _editable(request, YEARS, year_pk)
    programme = Programme(fiscal_year=year, number=next_number(year.programmes))
    return _edit(request, programme, ProgrammeForm, title=_("事業の追加"))


@login_required
def programme_edit(request, pk):
    programme = _editable(request, PROGRAMMES, pk)
    return _edit(request, programme, ProgrammeForm, title=_("事業の編集"))


@login_required
def group_create(request, programme_pk):
    programme = _editable(request, PROGRAMMES, programme_pk)
    group = ActivityGroup(programme=programme, number=next_number(programme.groups))
    return _edit(request, group, GroupForm, title=_("項目の追加"))


@login_required
def group_edit(request, pk):
    group = _editable(request, GROUPS, pk)
    return _edit(request, group, GroupForm, title=_("項目の編集"))


@login_required
def narrative_create(request, year_pk):
    year = _editable(request, YEARS, year_pk)
    section = NarrativeSection(
        fiscal_year=year,
        order=next_number(year.narratives, "order"),
        key=NarrativeSection.Key.OTHER,
    )
    return _edit(request, section, NarrativeForm, title=_("報告書の文章の追加"))


@login_required
def narrative_edit(request, pk):
    section = _editable(request, NARRATIVES, pk)
    return _edit(request, section, NarrativeForm, title=_("報告書の文章の編集"))


def _delete(request, queryset, pk):
    record = _editable(request, queryset, pk)
    year = fiscal_year_of(record)
    with service_errors(request=request):
        delete_record(
            record,
            request.user,
            expected=request.POST.get("expected") or None,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("「%(name)s」を削除しました。") % {"name": record})
    return redirect(year_url(year))


@login_required
@require_POST
def programme_delete(request, pk):
    return _delete(request, PROGRAMMES, pk)


@login_required
@require_POST
def group_delete(request, pk):
    return _delete(request, GROUPS, pk)


@login_required
@require_POST
def narrative_delete(request, pk):
    return _delete(request, NARRATIVES, pk)
