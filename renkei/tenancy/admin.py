"""Admin for organisations (the shared catalogue, changed only by operators), unions with
their members and partners, and staff roles."""

from django.contrib import admin

from .admin_base import AuditedAdmin
from .models import Membership, Organisation, Partnership, StaffProfile, Union


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "short_name", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "kana", "code", "short_name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Union)
class UnionAdmin(AuditedAdmin):
    list_display = ["__str__", "region_name", "slug"]
    inlines = [MembershipInline, PartnershipInline]


@admin.register(StaffProfile)
class StaffProfileAdmin(AuditedAdmin):
    list_display = ["user", "union", "organisation", "role"]
    list_filter = ["role", "organisation"]
