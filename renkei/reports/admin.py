"""Issued reports in the admin: read-only (an issued
report is never changed; a re-issue is a new version)."""

from django.contrib import admin

from renkei.tenancy.admin_base import AuditedAdmin, ReadOnlyAdmin

from .models import IssuedReport


@admin.register(IssuedReport)
class IssuedReportAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = (
        "fiscal_year",
        "format",
        "edition",
        "version",
        "issued_at",
        "issued_by",
        "sha256",
    )
    list_filter = ("format",)
    exclude = ("data",)
    readonly_fields = (
        "fiscal_year",
        "format",
        "edition",
        "version",
        "file",
        "sha256",
        "size",
        "findings",
        "issued_at",
        "issued_by",
    )
