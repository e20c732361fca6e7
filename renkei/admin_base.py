"""Admin plumbing shared by the apps: scoping to the user's union, the change log,
dates typed and shown as 和暦."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db import models

from renkei import wareki
from renkei.audit.models import AuditEntry
from renkei.audit.services import diff, record_change, snapshot
from renkei.forms import WarekiDateField
from renkei.tenancy.permissions import UNION_PATHS, profile_of, union_of, union_path
from renkei.tenancy.signin import ThrottledSignInFormMixin


def user_union(user):
    """The union the user works for, or None."""
    profile = profile_of(user)
    return profile.union if profile else None


def union_filter(model, union) -> dict:
    """Filter keywords limiting ``model`` to ``union`` (paths from tenancy.permissions)."""
    return {union_path(model) or "pk": union.pk if union else None}


def wareki_with_iso(value) -> str:
    """令和7年3月11日 (2025-03-11): both forms, for lists."""
    return f"{wareki.format_date(value)}（{value.isoformat()}）" if value else "—"


class AdminSignInForm(ThrottledSignInFormMixin, AdminAuthenticationForm):
    """The admin's sign-in behind the same throttle as the staff screens and the API."""


class ReadOnlyAdmin:
    """Mixin for records nobody changes once written (the change log, issued reports):
    the admin shows them and offers no add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UnionScopedAdmin(admin.ModelAdmin):
    """Shows and saves only the records of the signed-in user's union.

    The path from each model to its union is the one in ``tenancy.permissions``.
    Superusers see every union.
    """

    formfield_overrides = {models.DateField: {"form_class": WarekiDateField}}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**union_filter(self.model, user_union(request.user)))

    def _limit_choices(self, db_field, request, kwargs):
        related = db_field.related_model
        if related._meta.label_lower in UNION_PATHS and not request.user.is_superuser:
            union = user_union(request.user)
            kwargs["queryset"] = related.objects.filter(**union_filter(related, union))
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._limit_choices(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._limit_choices(db_field, request, kwargs)
        )

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        action = AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE
        record_change(user=request.user, action=action, instance=obj,
                      changes=diff(before, snapshot(obj)), union=union_of(obj))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        union = union_of(form.instance)
        for obj in formset.new_objects:
            record_change(user=request.user, action=AuditEntry.Action.CREATE, instance=obj,
                          changes=snapshot(obj), union=union)
        for obj, fields in formset.changed_objects:
            record_change(user=request.user, action=AuditEntry.Action.UPDATE, instance=obj,
                          changes={f: snapshot(obj).get(f) for f in fields}, union=union)
        for obj in formset.deleted_objects:
            record_change(user=request.user, action=AuditEntry.Action.DELETE, instance=obj,
                          union=union)

    def delete_model(self, request, obj):
        union = union_of(obj)
        record_change(user=request.user, action=AuditEntry.Action.DELETE, instance=obj,
                      changes=snapshot(obj), union=union)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class WarekiInline:
    """Inline mixin: date fields typed and shown as 和暦."""

    formfield_overrides = {models.DateField: {"form_class": WarekiDateField}}
