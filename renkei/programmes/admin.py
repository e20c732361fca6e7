"""Admin for the year's records: operators repair any union's year here (union staff use
the staff screens)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renkei.audit.services import fingerprint
from renkei.errors import RenkeiError
from renkei.tenancy.admin_base import AuditedAdmin, WarekiInline, wareki_with_iso

from .attendance import AttendanceValue, activity_attendance_phrase, value_of_count
from .images import prepare_photo
from .models import (
    Activity,
    ActivityGroup,
    ActivityLead,
    ActivitySection,
    Attendance,
    AttendanceComposition,
    FiscalYear,
    Lecturer,
    NarrativeSection,
    PartnershipProject,
    Photo,
    Pillar,
    PillarLine,
    Plan,
    Programme,
    ScheduleDay,
    Venue,
)
from .services import add_photo, delete_photo, record_attendance, update_photo


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ["name", "first_fiscal_year", "last_fiscal_year", "adopted_in"]


class NarrativeInline(admin.StackedInline):
    model = NarrativeSection
    extra = 0


class ProgrammeInline(admin.TabularInline):
    model = Programme
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(AuditedAdmin):
    list_display = ["__str__", "union", "state", "plan", "period"]
    list_filter = ["state", "union"]
    inlines = [ProgrammeInline, NarrativeInline]  # finance.admin adds the budget lines
    # The state moves only through the year's life cycle (reports/year_cycle.py), which
    # checks the settlement and the reason; the admin shows it.
    readonly_fields = ["state"]

    @admin.display(description=_("期間"))
    def period(self, obj):
        return f"{wareki_with_iso(obj.start)} ～ {wareki_with_iso(obj.end)}"


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["name", "number", "fiscal_year"]
    list_filter = ["fiscal_year__year"]


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ["sub_number", "title", "kind", "delivery_mode"]
    extra = 0
    show_change_link = True


@admin.register(ActivityGroup)
class ActivityGroupAdmin(AuditedAdmin):
    list_display = ["__str__", "programme", "kind"]
    list_filter = ["programme__fiscal_year__year", "programme__name", "kind"]
    inlines = [ActivityInline]


class ScheduleDayInline(WarekiInline, admin.TabularInline):
    model = ScheduleDay
    extra = 0


class LeadInline(admin.TabularInline):
    """The lead municipalities in their order (as the report prints them)."""

    model = ActivityLead
    fields = ["order", "organisation"]
    extra = 0
    autocomplete_fields = ["organisation"]


class LecturerInline(admin.TabularInline):
    model = Lecturer
    extra = 0


class AttendanceInline(admin.TabularInline):
    """Attendance per organisation (an empty count: took part, number unknown), saved
    through ``record_attendance`` like the staff screens."""

    model = Attendance
    extra = 0
    autocomplete_fields = ["organisation"]


class CompositionInline(admin.TabularInline):
    """How many member municipalities of each kind took part: shown here, kept on the
    staff screens' attendance page (``record_attendance_totals`` checks it against the
    union's members)."""

    model = AttendanceComposition
    extra = 0
    fields = ["kind", "number"]
    readonly_fields = ["kind", "number"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SectionInline(admin.StackedInline):
    model = ActivitySection
    extra = 0


class PhotoAdminForm(forms.ModelForm):
    """A photo in the activity's admin page. A new one is checked and re-encoded here (so
    a refused file is a message on its row) and saved by ``add_photo``; an existing one's
    image, organisation and date taken stay as they are (delete it and add another)."""

    class Meta:
        model = Photo
        fields = ["image", "organisation", "caption", "alt_text", "taken_on", "is_public"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared = None  # the checked, re-encoded upload of a new row
        self.fields["alt_text"].required = True
        if self.instance.pk:
            for name in ("image", "organisation", "taken_on"):
                self.fields[name].disabled = True

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if not self.instance.pk and image:
            try:
                self.prepared = prepare_photo(image)
            except RenkeiError as error:
                raise forms.ValidationError(error.message) from error
        return image

    def _post_clean(self):
        pass  # the services validate and save; the model instance is not touched here


class PhotoInline(WarekiInline, admin.TabularInline):
    model = Photo
    form = PhotoAdminForm
    extra = 0


@admin.register(Activity)
class ActivityAdmin(AuditedAdmin):
    list_display = ["label", "title", "kind", "first_day", "attendance"]
    list_filter = [
        "group__programme__fiscal_year__year",
        "group__programme__name",
        "pillars__name",
        "lead_organisations",
        "attendances__organisation",
        "kind",
        "is_public",
    ]
    search_fields = ["title", "theme", "description"]
    filter_horizontal = ["pillars"]
    inlines = [
        LeadInline,
        ScheduleDayInline,
        LecturerInline,
        AttendanceInline,
        CompositionInline,
        SectionInline,
        PhotoInline,
    ]

    def save_formset(self, request, form, formset, change):
        if formset.model is Photo:
            save_photos(request.user, form.instance, formset)
        elif formset.model is Attendance:
            save_attendance(request.user, form.instance, formset)
        else:
            super().save_formset(request, form, formset, change)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("group__programme__fiscal_year__union__organisation")
            .prefetch_related(
                "days",
                "attendances__organisation",
                "compositions",
                "group__programme__fiscal_year__union__membership_set",
            )
        )

    @admin.display(description=_("番号"), ordering="group__number")
    def label(self, obj):
        return f"{obj.group.programme.number}-({obj.group.number}){obj.circled_number}"

    @admin.display(description=_("日付"))
    def first_day(self, obj):
        days = list(obj.days.all())
        return wareki_with_iso(days[0].date) if days else "—"

    @admin.display(description=_("出席者"))
    def attendance(self, obj):
        return activity_attendance_phrase(obj) or "—"


def save_attendance(user, activity, formset) -> None:
    """The attendance rows of the activity's admin page, through ``record_attendance``
    (which writes the change log), compared with the rows as this request read them."""
    current = {a.organisation_id: a for a in activity.attendances.all()}
    counts: dict[int, AttendanceValue] = {}
    for row_form in formset.forms:
        data = row_form.cleaned_data
        if not data or not data.get("organisation"):
            continue
        org_id = data["organisation"].pk
        if row_form.instance.pk and row_form.instance.organisation_id != org_id:
            counts[row_form.instance.organisation_id] = None  # moved to another organisation
        counts[org_id] = None if data.get("DELETE") else value_of_count(data.get("count"))
    seen = {org_id: current[org_id].value if org_id in current else None for org_id in counts}
    record_attendance(
        activity, user, counts=counts, seen=seen, reason=gettext("運用者が管理画面で変更")
    )
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


def save_photos(user, activity, formset) -> None:
    """The photo rows of the activity's admin page, through the same services as the
    staff screens (which write the change log): added, changed, deleted."""
    reason = gettext("運用者が管理画面で変更")
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for photo_form in formset.forms:
        photo, data = photo_form.instance, photo_form.cleaned_data
        if not data:
            continue
        if photo.pk and data.get("DELETE"):
            delete_photo(photo, user, reason=reason)
            formset.deleted_objects.append(photo)
        elif photo.pk and photo_form.has_changed():
            # The admin sends no lock token: the operator's save compares with the row as
            # this request read it (operators only; the staff screens carry real tokens).
            update_photo(
                photo,
                user,
                caption=data["caption"],
                alt_text=data["alt_text"],
                expected=fingerprint(Photo.objects.get(pk=photo.pk)),
                is_public=data["is_public"],
                reason=reason,
            )
            formset.changed_objects.append((photo, photo_form.changed_data))
        elif not photo.pk and photo_form.prepared and not data.get("DELETE"):
            added = add_photo(
                activity,
                user,
                organisation=data["organisation"],
                upload=photo_form.prepared,
                caption=data["caption"],
                alt_text=data["alt_text"],
                taken_on=data["taken_on"],
                reason=reason,
            )
            if data["is_public"]:
                update_photo(
                    added,
                    user,
                    caption=added.caption,
                    alt_text=added.alt_text,
                    expected=fingerprint(added),
                    is_public=True,
                    reason=reason,
                )
            formset.new_objects.append(added)


@admin.register(ScheduleDay)
class ScheduleDayAdmin(AuditedAdmin):
    list_display = ["activity", "wareki_date", "start_time", "end_time"]
    list_filter = ["activity__group__programme__fiscal_year__year"]

    class VenueInline(admin.TabularInline):
        model = Venue
        extra = 0

    inlines = [VenueInline]

    @admin.display(description=_("日付"), ordering="date")
    def wareki_date(self, obj):
        return wareki_with_iso(obj.date)


class PillarLineInline(admin.TabularInline):
    model = PillarLine
    extra = 0


@admin.register(Pillar)
class PillarAdmin(AuditedAdmin):
    list_display = ["name", "project"]
    inlines = [PillarLineInline]


class PillarInline(admin.TabularInline):
    model = Pillar
    extra = 0
    show_change_link = True


@admin.register(PartnershipProject)
class PartnershipProjectAdmin(AuditedAdmin):
    list_display = ["name", "partner", "since_fiscal_year"]
    inlines = [PillarInline]
