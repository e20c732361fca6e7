"""The commit of a confirmed import as a job (renkei/reports/jobs.py): the preview stays
in the request (the file is read, every row checked and shown); once the person
confirms, the checked rows are the job's ``params`` and the worker records them through
the same service the screens call, all or nothing, as the person who asked. The job's
page then says how many were recorded, or which row was refused and why, and leads back
to the page the import filled.

The kinds: the money imports (expenses, budget changes) and the budget lines."""

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from renkei.finance.imports import import_changes, import_expenses
from renkei.finance.services import import_budget_lines
from renkei.reports.jobs import JobKind, job_year, register_job_kind
from renkei.tenancy.permissions import Action

from . import finance_spreadsheets
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
