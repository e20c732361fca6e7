"""Admin plumbing shared by the apps: scoping to the user's union, the change log,
dates typed and shown as 和暦."""

from django.contrib import admin
from django.db import models

from renkei import wareki
from renkei.audit.models import AuditEntry
from renkei.audit.services import diff, record_change, snapshot
from renkei.forms import WarekiDateField

# How each union-owned model reaches its union, for limiting choices in forms.
UNION_LOOKUPS = {
    "tenancy.union": "pk",
    "programmes.plan": "union",
    "programmes.partnershipproject": "union",
    "programmes.pillar": "project__union",
    "programmes.fiscalyear": "union",
    "programmes.programme": "fiscal_year__union",
    "programmes.activitygroup": "programme__fiscal_year__union",
    "programmes.activity": "group__programme__fiscal_year__union",
}


def user_union(user):
    profile = getattr(user, "staff_profile", None)
    return profile.union if profile else None


def wareki_with_iso(value) -> str:
    """令和7年3月11日 (2025-03-11): both forms, for lists."""
    return f"{wareki.format_date(value)}（{value.isoformat()}）" if value else "—"


class UnionScopedAdmin(admin.ModelAdmin):
    """Shows and saves only the records of the signed-in user's union.

    ``union_lookup`` is the path from the model to its union, e.g.
    ``"group__programme__fiscal_year__union"``. Superusers see every union.
    """

    union_lookup: str = "union"
    formfield_overrides = {models.DateField: {"form_class": WarekiDateField}}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        union = user_union(request.user)
        return queryset.filter(**{self.union_lookup: union.pk if union else None})

    def _limit_choices(self, db_field, request, kwargs):
        lookup = UNION_LOOKUPS.get(db_field.related_model._meta.label_lower)
        if lookup and not request.user.is_superuser:
            union = user_union(request.user)
            kwargs["queryset"] = db_field.related_model.objects.filter(
                **{lookup: union.pk if union else None}
            )
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._limit_choices(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._limit_choices(db_field, request, kwargs)
        )

    def union_of(self, obj):
        union = obj
        for step in self.union_lookup.split("__"):
            union = getattr(union, step)
        return union

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        action = AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE
        record_change(user=request.user, action=action, instance=obj,
                      changes=diff(before, snapshot(obj)), union=self.union_of(obj))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        union = self.union_of(form.instance)
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
        union = self.union_of(obj)
        record_change(user=request.user, action=AuditEntry.Action.DELETE, instance=obj,
                      changes=snapshot(obj), union=union)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class WarekiInline:
    """Inline mixin: date fields typed and shown as 和暦."""

    formfield_overrides = {models.DateField: {"form_class": WarekiDateField}}
