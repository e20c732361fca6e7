"""A recipient's part as a workbook: download it pre-filled, fill it in offline, upload
it, check the preview (an error per row) and save it all or nothing."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from renkei.inquiries.services import InitiativeRow, save_part
from renkei.staff.inquiry_workbook import (
    ITEM,
    KEY,
    PartWorkbookExporter,
    parse_part_workbook,
    part_items,
)
from renkei.staff.spreadsheet_exports import download
from renkei.tenancy.permissions import Action

from .common import require, scoped, service_errors
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


def _initiatives(values) -> list[InitiativeRow]:
    return [
        InitiativeRow(
            group=v["group"],
            title=v["title"],
            when=date.fromisoformat(v["when"]),
            venue=v["venue"],
            description=v["content"],
            activity=v["initiative"],
            version=v["version"],
            schedule_changed=v["schedule_changed"],
        )
        for v in values
        if "group" in v and not v.get("skip")
    ]


def _save(request, part, rows) -> None:
    values = [row["values"] for row in rows]
    initiatives = _initiatives(values)
    values = [v for v in values if "group" not in v]
    attendance = {v["activity"]: v["value"] for v in values if "activity" in v}
    seen = {v["activity"]: v["previous"] for v in values if "activity" in v}
    impressions = {v["impressions"]: v["text"] for v in values if "impressions" in v}
    expected = {v["impressions"]: v["expected"] for v in values if "impressions" in v}
    answers = {int(v["key"][1:]): v["text"] for v in values if v["key"].startswith("Q")}
    save_part(
        part,
        request.user,
        attendance=attendance,
        seen=seen,
        answers=answers,
        impressions=impressions,
        expected=expected,
        initiatives=initiatives,
    )


@login_required
def part_upload(request, pk):
    part = answering_part(request, pk)
    require(request.user, Action.ANSWER_INQUIRY, part)
    items = part_items(part, attendance_rows(part))
    form, rows, confirmed = _preview(
        request, f"import:part:{pk}", lambda table: parse_part_workbook(table, items)
    )
    if confirmed:
        with service_errors(request=request):
            _save(request, part, rows)
            messages.success(request, _("%(n)s行を読み込みました。") % {"n": len(rows)})
            return redirect("staff:part_detail", pk=pk)
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
