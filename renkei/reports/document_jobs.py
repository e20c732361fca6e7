"""The documents other than the report made as jobs (renkei/reports/jobs.py): every
member's 負担金 notice in one ZIP, and the examination-form 決算書. Each is a kind the
worker knows once the reports app is ready; the permission is the one their synchronous
pages had (renkei/tenancy/permissions.py)."""

import io
import zipfile

from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from renkei.finance.examination import examination_for
from renkei.finance.shares import share_table
from renkei.tenancy.permissions import EXECUTION_READERS, Action

from .jobs import JobFile, JobKind, ReportJob, job_year, register_job_kind
from .notices import render_notice_docx, render_notice_pdf, share_notice
from .renderers import document_formats, render_document

NOTICE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def all_notices_zip(fiscal_year, fmt: str) -> bytes:
    """Every member's notice of the year in ``fmt`` (pdf or docx), one file each, in
    規約 order; a RenkeiError (why in Japanese) while a share cannot be computed."""
    table = share_table(fiscal_year)
    render = render_notice_pdf if fmt == "pdf" else render_notice_docx
    today = timezone.localdate()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, share in enumerate(table.shares, start=1):
            notice = share_notice(table, share, today)
            name = f"{number:02d}-{notice.file_stem}.{fmt}"
            archive.writestr(zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0)), render(notice))
    return buffer.getvalue()


def _notices(job: ReportJob) -> JobFile:
    content = all_notices_zip(job_year(job), job.format)
    return JobFile(
        f"share-notices-{job_year(job).year}-{job.format}.zip", content, "application/zip"
    )


def _examination(job: ReportJob) -> JobFile:
    renderer = document_formats("examination")[job.format]
    content = render_document("examination", examination_for(job_year(job)), job.format)
    name = f"examination-{job_year(job).year}.{renderer.extension}"
    return JobFile(name, content, renderer.content_type)


SHARE_NOTICES = register_job_kind(
    JobKind(
        "share_notices", _lazy("負担金の額の通知書（全構成団体）"), (Action.VIEW_SHARES,), _notices
    )
)
EXAMINATION = register_job_kind(
    JobKind("examination", _lazy("決算書（審査様式）"), EXECUTION_READERS, _examination)
)
