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
    # The job that issued it, if a job did: unique, so one job issues at most one version.
    job = models.OneToOneField(
        "ReportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issued",
        verbose_name=_("発行したジョブ"),
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


class ReportJobKind(models.TextChoices):
    """The report's own kinds of job; other kinds register in renkei/reports/jobs.py."""

    DRAFT = "draft", _("下書き（現在の記録から）")
    ISSUE = "issue", _("発行")


class ReportJobStatus(models.TextChoices):
    QUEUED = "queued", _("順番待ち")
    RUNNING = "running", _("作成中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")


def job_upload_to(job: "ReportJob", filename: str) -> str:
    year = job.fiscal_year.year if job.fiscal_year is not None else "union"
    return f"report-jobs/{job.union.slug}/{year}/{job.pk}/{filename}"


class ReportJob(models.Model):
    """Long work asked for through the screens and done by a job worker
    (renkei/reports/jobs.py): a report (draft or issue), or any registered kind (notices,
    the 決算書, whole-year exports). Who asked, what (``kind`` and its ``params``, for a
    year or for the union), how far it is, why it failed, and the result — the job's file,
    or the issued report (``issued``: at most one per job, a unique column of
    IssuedReport, so a job run again after a worker died never issues a second version).
    The model keeps its first name (ReportJob): renaming it would move its table."""

    union_path = "union"

    union = models.ForeignKey(
        "tenancy.Union", on_delete=models.CASCADE, related_name="+", verbose_name=_("組合")
    )
    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("年度"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("依頼した人"),
    )
    kind = models.CharField(_("種類"), max_length=40)
    format = models.CharField(_("形式"), max_length=10, blank=True)
    edition = models.CharField(
        _("版の種類"), max_length=10, choices=ReportEdition.choices, blank=True
    )
    strict = models.BooleanField(_("指摘があれば発行しない"), default=True)
    reason = models.TextField(_("理由"), blank=True)
    # What else the kind needs to do the work again exactly (filters of an export …).
    params = models.JSONField(_("条件"), default=dict, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=ReportJobStatus.choices, default=ReportJobStatus.QUEUED
    )
    error = models.TextField(_("失敗の理由"), blank=True)
    file = models.FileField(_("ファイル"), upload_to=job_upload_to, max_length=300, blank=True)
    content_type = models.CharField(_("ファイルの種類"), max_length=100, blank=True)
    # What a job that makes records (an import) did, in Japanese, when it has no file.
    result = models.TextField(_("結果"), blank=True)
    attempts = models.PositiveIntegerField(_("実行回数"), default=0)
    task_id = models.CharField(_("ジョブの番号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    mailed = models.BooleanField(_("メールで知らせた"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("作成依頼")
        verbose_name_plural = _("作成依頼")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.target} {self.kind} {self.format}".strip()

    @property
    def target(self):
        """What the job is about, and what its permission is checked on: the year, or
        the union for work over every year (the change history)."""
        return self.fiscal_year if self.fiscal_year_id else self.union

    @property
    def finished(self) -> bool:
        return self.status in (ReportJobStatus.DONE, ReportJobStatus.FAILED)
