"""Admin for organisations, unions with their members and partners, and staff roles."""

from django.contrib import admin

from renkei.admin_base import UnionScopedAdmin

from .models import Membership, Organisation, Partnership, StaffProfile, Union


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
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
class UnionAdmin(UnionScopedAdmin):
    list_display = ["__str__", "region_name", "slug"]
    inlines = [MembershipInline, PartnershipInline]


@admin.register(StaffProfile)
class StaffProfileAdmin(UnionScopedAdmin):
    list_display = ["user", "union", "organisation", "role"]
    list_filter = ["role", "organisation"]
