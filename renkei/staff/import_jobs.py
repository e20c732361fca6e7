"""The commit of a confirmed import as a job (renkei/reports/jobs.py): the preview stays
in the request (the file is read, every row checked and shown); once the person
confirms, the checked rows are the job's ``params`` and the worker records them through
the same service the screens call, all or nothing, as the person who asked. The job's
page then says how many were recorded, or which row was refused and why, and leads back
to the page the import filled.

The kinds: the money imports (expenses, budget changes), the budget lines, an activity's
attendance, the members' populations and a recipient's part of a 照会 (its workbook)."""

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from renkei.finance.imports import import_changes, import_expenses
from renkei.finance.services import import_budget_lines
from renkei.finance.shares import set_population_figures
from renkei.inquiries.models import InquiryPart
from renkei.programmes.models import Activity
from renkei.programmes.services import record_attendance
from renkei.reports.jobs import JobKind, job_year, register_job_kind
from renkei.tenancy.permissions import Action, can, profile_of, scope

from . import finance_spreadsheets
from .inquiry_workbook import save_part_rows
from .share_forms import populations_to_import
from .spreadsheet_imports import budget_lines_to_import

MONEY_IMPORTS: dict[str, tuple[Callable[..., Any], Callable[..., int], Promise]] = {
    # kind: (rows to the service's input, the service, label)
    "changes_import": (
        finance_spreadsheets.changes_to_import,
        import_changes,
        _lazy("予算の補正・流用の読み込み"),
    ),
    "expenses_import": (
        finance_spreadsheets.expenses_to_import,
        import_expenses,
        _lazy("支出の記録の読み込み"),
    ),
}


def _money_import(job) -> str:
    to_import, save, _label = MONEY_IMPORTS[job.kind]
    count = save(job_year(job), job.requested_by, to_import(job.params["rows"]))
    return _("%(n)s件を読み込みました。") % {"n": count}


def _budget_page(job) -> str:
    return f"{reverse('staff:budget')}?year={job.fiscal_year.year}"


for _kind, (_to_import, _save, _label) in MONEY_IMPORTS.items():
    register_job_kind(
        JobKind(
            _kind,
            _label,
            (Action.EDIT_BUDGET,),
            _money_import,
            atomic=True,
            back_url=_budget_page,
        )
    )


def _budget_lines(job) -> str:
    year = job_year(job)
    lines = budget_lines_to_import(job.params["rows"], year)
    count = import_budget_lines(year, job.requested_by, rows=lines, reason=job.reason)
    return _("%(n)s行を読み込みました。") % {"n": count}


BUDGET_LINES_IMPORT = register_job_kind(
    JobKind(
        "budget_import",
        _lazy("予算の行の読み込み"),
        (Action.EDIT_BUDGET,),
        _budget_lines,
        atomic=True,
        back_url=_budget_page,
    )
)


def _attendance(job) -> str:
    activity = Activity.objects.get(pk=job.params["activity"])
    rows = job.params["rows"]
    saved = record_attendance(
        activity,
        job.requested_by,
        counts={row["values"]["organisation"]: row["values"]["count"] for row in rows},
        seen={row["values"]["organisation"]: row["values"]["previous"] for row in rows},
        reason=job.reason,
    )
    if saved.proposals:
        return _("変更を提案しました（%(n)s件）。事務局の承認を待っています。") % {
            "n": len(saved.proposals)
        }
    return _("%(n)s行を読み込みました。") % {"n": len(rows)}


def _may_import_attendance(user, job) -> bool:
    """The view's check: a role that contributes attendance, on an activity the person
    sees; the service then checks each row's organisation (a member's own only)."""
    activities = scope(Activity.objects.all(), user).filter(pk=job.params.get("activity"))
    return can(user, Action.CONTRIBUTE) and activities.exists()


def _activity_page(job) -> str:
    return reverse("staff:activity_detail", args=[job.params["activity"]])


ATTENDANCE_IMPORT = register_job_kind(
    JobKind(
        "attendance_import",
        _lazy("出席者数の読み込み"),
        # CONTRIBUTE is a member's on their own organisation's rows, not on the year: the
        # year is seen (VIEW) and the condition asks what the view asks.
        (Action.VIEW,),
        _attendance,
        allowed=_may_import_attendance,
        atomic=True,
        back_url=_activity_page,
    )
)


def _populations(job) -> str:
    entries = populations_to_import(job.params["rows"])
    changed = set_population_figures(job_year(job), job.requested_by, entries)
    return _("人口を%(n)s件更新しました。") % {"n": changed}


def _shares_page(job) -> str:
    return reverse("staff:share_list", args=[job.fiscal_year_id])


POPULATION_IMPORT = register_job_kind(
    JobKind(
        "population_import",
        _lazy("人口の読み込み"),
        (Action.EDIT_BUDGET,),
        _populations,
        atomic=True,
        back_url=_shares_page,
    )
)


def _part_workbook(job) -> str:
    part = InquiryPart.objects.get(pk=job.params["part"])
    save_part_rows(part, job.requested_by, job.params["rows"])
    return _("%(n)s行を読み込みました。") % {"n": len(job.params["rows"])}


def _may_answer_part(user, job) -> bool:
    """The view's check: a role that answers, and the own organisation's part, in scope.
    Whether the part still takes answers (not submitted, the 照会 not closed) the service
    says, with the reason a person can act on."""
    profile = profile_of(user)
    parts = scope(InquiryPart.objects.all(), user).filter(pk=job.params.get("part"))
    if profile is None or not can(user, Action.ANSWER_INQUIRY):
        return False
    return parts.filter(organisation_id=profile.organisation_id).exists()


def _part_page(job) -> str:
    return reverse("staff:part_detail", args=[job.params["part"]])


PART_WORKBOOK_IMPORT = register_job_kind(
    JobKind(
        "part_workbook_import",
        _lazy("照会の回答の読み込み"),
        # ANSWER_INQUIRY is on the part, not on the year: the year is seen (VIEW) and the
        # condition asks what the view asks.
        (Action.VIEW,),
        _part_workbook,
        allowed=_may_answer_part,
        atomic=True,
        back_url=_part_page,
    )
)
