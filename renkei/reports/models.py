"""The archive of issued reports: each final report's file, its hash and its data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.programmes.models import FiscalYear
from renkei.tenancy.querysets import RestrictedQuerySet

from .errors import ReportError


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word (.docx)")
    HTML = "html", "HTML"
    XLSX = "xlsx", _("Excel (.xlsx)")


class ReportEdition(models.TextChoices):
    """Who a report is for. The public edition (the portal's) holds only published
    activities and photos and impressions from organisations that took part; the internal
    edition, for the council and the auditors, holds every record."""

    PUBLIC = "public", _("公開版")
    INTERNAL = "internal", _("内部版")


def issued_upload_to(report: "IssuedReport", filename: str) -> str:
    fiscal_year = report.fiscal_year
    return f"reports/{fiscal_year.union.slug}/{fiscal_year.year}/{filename}"


class IssuedReport(models.Model):
    """A final annual report as issued: never changed afterwards; a re-issue is a new version."""

    union_path = "fiscal_year__union"  # how a record reaches its union (tenancy.permissions)

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="issued_reports", verbose_name=_("年度")
    )
    format = models.CharField(_("形式"), max_length=10, choices=ReportFormat.choices)
    edition = models.CharField(_("版の種類"), max_length=10, choices=ReportEdition.choices)
    version = models.PositiveIntegerField(_("版"))
    file = models.FileField(_("ファイル"), upload_to=issued_upload_to, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("サイズ（バイト）"))
    data = models.JSONField(_("作成に用いたデータ"))
    findings = models.JSONField(_("発行時の指摘事項"), default=list, blank=True)
    issued_at = models.DateTimeField(_("発行日時"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("発行者"),
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("発行済み報告書")
        verbose_name_plural = _("発行済み報告書")
        ordering = ["fiscal_year", "format", "edition", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "format", "edition", "version"],
                name="issuedreport_unique_version",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="issuedreport_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.fiscal_year} {self.get_format_display()} {self.get_edition_display()} "
            f"第{self.version}版"
        )

    def save(self, *args, **kwargs):
        # An issued report is a record of what was published: refuse to change it.
        if self.pk is not None:
            raise ReportError(_("発行済みの報告書は変更できません。新しい版を発行してください。"))
        super().save(*args, **kwargs)
