"""A recipient's part as a workbook: download it pre-filled, fill it in offline, upload
it, check the preview (an error per row) and have a job save it all or nothing."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from renkei.reports.views import ask_for_job
from renkei.staff.import_jobs import PART_WORKBOOK_IMPORT
from renkei.staff.inquiry_workbook import (
    ITEM,
    KEY,
    PartWorkbookExporter,
    parse_part_workbook,
    part_items,
)
from renkei.staff.spreadsheet_exports import download
from renkei.tenancy.permissions import Action

from .common import require, scoped
from .inquiry_parts import PARTS, answering_part, attendance_rows
from .spreadsheets import _import_page, _preview  # the imports' preview and page, shared


@login_required
def part_workbook(request, pk):
    part = scoped(PARTS, request.user, pk=pk)
    require(request.user, Action.VIEW, part)
    items = part_items(part, attendance_rows(part))
    return download(
        PartWorkbookExporter(items), f"inquiry-{part.inquiry_id}-{part.organisation_id}", "xlsx"
    )


@login_required
def part_upload(request, pk):
    """Preview in the request; the confirmed part is saved by a job
    (staff/import_jobs.py), all or nothing, whose page says what was refused and why."""
    part = answering_part(request, pk)
    require(request.user, Action.ANSWER_INQUIRY, part)
    items = part_items(part, attendance_rows(part))
    form, rows, confirmed = _preview(
        request, f"import:part:{pk}", lambda table: parse_part_workbook(table, items)
    )
    if confirmed:
        return ask_for_job(
            request,
            PART_WORKBOOK_IMPORT.name,
            fiscal_year=part.inquiry.fiscal_year,
            params={"part": part.pk, "rows": rows},
        )
    response = _import_page(
        request,
        {
            "form": form,
            "rows": rows,
            "year": part.inquiry.fiscal_year,
            "kind": "part",
            "columns": [KEY, ITEM, _("回答")],
            "part": part,
        },
    )
    if request.method == "POST" and (form.errors or any(r["errors"] for r in rows or [])):
        response.status_code = 400
    return response
