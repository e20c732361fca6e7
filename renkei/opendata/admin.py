from django.contrib import admin

from renkei.tenancy.admin_base import AuditedAdmin

from .models import PublishedId


@admin.register(PublishedId)
class PublishedIdAdmin(AuditedAdmin):
    list_display = ["pk", "activity", "title_kana", "first_published_at"]
    fields = ["activity", "title_kana"]
    readonly_fields = ["activity"]
    search_fields = ["activity__title", "title_kana"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
