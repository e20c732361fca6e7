"""Producing and issuing the annual report.

``render_report`` makes a document from the current records (a draft);
``issue_report`` makes the final one and stores it with its SHA-256 and the data it
was made from, as a new version: an issued report is never overwritten. Issuing the
public edition of a closed year reports the year (報告済み): a year is reported only once
its public report exists.
"""

import hashlib
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change
from renkei.files import files_on_commit
from renkei.tenancy.permissions import Action, can

from .checks import INQUIRY_CODES, Finding, find_problems
from .content import ReportData
from .data import build_report, report_json
from .errors import ReportError
from .models import IssuedReport, ReportEdition, ReportFormat, issued_upload_to
from .renderers import formats, render
from .year_cycle import mark_fiscal_year_reported


@dataclass(frozen=True)
class RenderedReport:
    """A rendered document with the data it was made from and the checks' findings."""

    content: bytes
    format: str
    filename: str
    data: ReportData
    findings: list[Finding]

    @property
    def content_type(self) -> str:
        return formats()[self.format].content_type


def check_format(fmt: str) -> None:
    if fmt not in formats():
        raise ReportError(
            _("報告書の形式「%(format)s」には対応していません（%(formats)s）。")
            % {"format": fmt, "formats": ", ".join(sorted(formats()))}
        )


def filename_for(data: ReportData, fmt: str, version: int | None = None) -> str:
    """okitama-fy2024-report.pdf, or okitama-fy2024-report-v2.pdf for an issued version;
    the public edition's names say so: okitama-fy2024-report-public-v2.pdf."""
    edition = "-public" if data.edition == ReportEdition.PUBLIC else ""
    suffix = f"-v{version}" if version else ""
    return f"{data.union_slug}-fy{data.year}-report{edition}{suffix}.{formats()[fmt].extension}"


def render_report(
    fiscal_year,
    fmt: str,
    *,
    strict: bool = False,
    edition: str = ReportEdition.INTERNAL,
    draft: bool = True,
    **options,
) -> RenderedReport:
    """The report of ``fiscal_year`` in ``fmt`` and ``edition`` from the current records:
    a draft marked 「案」 on every page, unless ``draft`` is False (``issue_report``).

    With ``strict`` any finding of the checks refuses it (ReportError listing them)."""
    check_format(fmt)
    data = replace(build_report(fiscal_year, edition), draft=draft)
    findings = find_problems(data)
    if strict and findings:
        raise ReportError(
            _("確認で%(n)s件の問題が見つかったため発行できません。\n%(list)s")
            % {"n": len(findings), "list": "\n".join(f"・{f}" for f in findings)}
        )
    content = render(data, fmt, **options)
    return RenderedReport(content, fmt, filename_for(data, fmt), data, findings)


def issue_report(
    fiscal_year,
    fmt: str,
    *,
    user=None,
    strict: bool = False,
    reason: str = "",
    edition: str = ReportEdition.INTERNAL,
    job=None,
    **options,
) -> IssuedReport:
    """Issue the final report: render it, store file, SHA-256 and data as a new version
    (versions are counted per format and edition).

    The file is named after its version (okitama-fy2024-report-v2.pdf) and takes that
    name only when the row is committed (``renkei.files``).

    ``user`` must be allowed ``Action.ISSUE_REPORT`` on the year; None is the
    installation's command line (``renkei report --final``, ``issue_fy2024_report``), run
    by whoever administers the machine. ``job``: the ReportJob issuing it (renkei/reports/
    jobs.py); a job issues at most one version (IssuedReport.job is unique)."""
    if user is not None and not can(user, Action.ISSUE_REPORT, fiscal_year):
        raise PermissionDenied
    rendered = render_report(
        fiscal_year, fmt, strict=strict, edition=edition, draft=False, **options
    )
    _require_reason(rendered.findings, reason)
    storage = IssuedReport._meta.get_field("file").storage
    with files_on_commit(storage) as store, transaction.atomic():
        # Lock the year's row so two issuers cannot take the same version number.
        locked = type(fiscal_year).objects.select_for_update().get(pk=fiscal_year.pk)
        latest = (
            IssuedReport.objects.filter(
                fiscal_year=fiscal_year,
                format=fmt,
                edition=rendered.data.edition,
            ).aggregate(latest=Max("version"))["latest"]
            or 0
        )
        version = latest + 1
        issued = IssuedReport(
            fiscal_year=fiscal_year,
            format=ReportFormat(fmt),
            version=version,
            edition=rendered.data.edition,
            sha256=hashlib.sha256(rendered.content).hexdigest(),
            size=len(rendered.content),
            data=report_json(rendered.data),
            findings=[str(f) for f in rendered.findings],
            issued_by=user if getattr(user, "is_authenticated", False) else None,
            job=job,
        )
        issued.file.name = issued_upload_to(issued, filename_for(rendered.data, fmt, version))
        issued.save()
        record_change(
            user=user,
            action=AuditEntry.Action.CREATE,
            instance=issued,
            union=fiscal_year.union,
            changes={
                "format": fmt,
                "edition": issued.edition,
                "version": version,
                "sha256": issued.sha256,
            },
            reason=reason,
        )
        mark_fiscal_year_reported(locked, issued, user)
        store(issued.file.name, rendered.content)
    fiscal_year.state = locked.state
    return issued


def _require_reason(findings: list[Finding], reason: str) -> None:
    """A 確定版 issued with findings left says why (the audit entry keeps the reason):
    open 照会 parts (issue 12) and every other finding alike."""
    if reason.strip() or not findings:
        return
    if any(f.code in INQUIRY_CODES for f in findings):
        raise ReportError(
            _(
                "照会に未提出・未承認の回答があります。このまま発行するには理由を入力してください。\n%(list)s"
            )
            % {"list": "\n".join(f"・{f}" for f in findings if f.code in INQUIRY_CODES)}
        )
    raise ReportError(
        _(
            "確認で%(n)s件の問題が残っています。このまま発行するには理由を入力してください。\n%(list)s"
        )
        % {"n": len(findings), "list": "\n".join(f"・{f}" for f in findings)}
    )
