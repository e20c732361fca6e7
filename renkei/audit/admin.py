"""The change log, read-only in the admin."""

from django.contrib import admin

from renkei.tenancy.admin_base import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["at", "user", "action", "model", "object_repr", "reason"]
    list_filter = ["action", "model"]
    search_fields = ["object_repr", "reason"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")
