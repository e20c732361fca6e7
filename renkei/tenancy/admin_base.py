"""The admin: the installation's operators' tool, not a union's.

Operators (active superusers) keep the shared catalogues (organisations, expenditure
sections) and repair records of any union; every save writes the change log. Union
staff, the secretariat included, work in the staff screens, which go through the domain
services and the permission table; the admin cannot without duplicating them, so it
lets nobody else in (see docs/development/README.md, "The admin").

It is the tenancy app's (who is an operator, the one sign-in throttle) and every app's
admin builds on it; the change log is the audit app's, above tenancy, so saves announce
their changes through ``renkei.changes``.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models

from renkei import wareki
from renkei.changes import ChangeAction, announce_change, diff, snapshot
from renkei.forms import WarekiDateField

from .permissions import is_operator, is_union_owned, union_of
from .signin import ThrottledSignInFormMixin

# Date fields typed and shown as 和暦 (each admin's and inline's ``formfield_overrides``).
WAREKI_DATES: Mapping[type[models.Field], Mapping[str, Any]] = {
    models.DateField: {"form_class": WarekiDateField}
}


class OperatorAuthenticationForm(ThrottledSignInFormMixin, AdminAuthenticationForm):
    """The admin's sign-in, behind the same throttle as the staff screens and the API,
    refuses everyone but operators as a wrong password is refused."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not is_operator(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class OperatorAdminSite(admin.AdminSite):
    """Only operators use the admin; anyone else is sent to its sign-in from every URL."""

    login_form = OperatorAuthenticationForm

    def has_permission(self, request):
        return is_operator(request.user)


def union_or_none(obj):
    """The union a record belongs to; None for the shared catalogues."""
    return union_of(obj) if is_union_owned(type(obj)) else None


def wareki_with_iso(value) -> str:
    """令和7年3月11日 (2025-03-11): both forms, for lists."""
    return f"{wareki.format_date(value)}（{value.isoformat()}）" if value else "—"


class ReadOnlyAdmin:
    """Mixin for records nobody changes once written (the change log, issued reports):
    the admin shows them and offers no add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Every operator's save, inline change and deletion goes into the change log, under
    the record's union (none for the shared catalogues). Dates are typed as 和暦."""

    formfield_overrides = WAREKI_DATES

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        action = ChangeAction.UPDATE if change else ChangeAction.CREATE
        announce_change(
            user=request.user,
            action=action,
            instance=obj,
            changes=diff(before, snapshot(obj)),
            union=union_or_none(obj),
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        self.record_formset(request, form, formset)

    def record_formset(self, request, form, formset):
        """The change log of an inline formset just saved."""
        union = union_or_none(form.instance)
        for obj in formset.new_objects:
            announce_change(
                user=request.user,
                action=ChangeAction.CREATE,
                instance=obj,
                changes=snapshot(obj),
                union=union,
            )
        for obj, fields in formset.changed_objects:
            announce_change(
                user=request.user,
                action=ChangeAction.UPDATE,
                instance=obj,
                changes={f: snapshot(obj).get(f) for f in fields},
                union=union,
            )
        for obj in formset.deleted_objects:
            announce_change(
                user=request.user, action=ChangeAction.DELETE, instance=obj, union=union
            )

    def delete_model(self, request, obj):
        announce_change(
            user=request.user,
            action=ChangeAction.DELETE,
            instance=obj,
            changes=snapshot(obj),
            union=union_or_none(obj),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class WarekiInline:
    """Inline mixin: date fields typed and shown as 和暦."""

    formfield_overrides = WAREKI_DATES
