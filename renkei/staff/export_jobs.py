"""The whole-year exports made as jobs (renkei/reports/jobs.py): the activity list, the
change history and the money sheets (budget lines, changes, expenses). The job keeps the
list's filters (its query string) and the worker reads the records again as the person
who asked, through the same queries and scoping as the screens."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _lazy

from renkei.errors import RenkeiError
from renkei.exporters import Exporter
from renkei.finance.models import BudgetLine
from renkei.reports.jobs import JobFile, JobKind, register_job_kind
from renkei.tenancy.permissions import EXECUTION_READERS, Action, scope

from . import finance_spreadsheets
from .activity_queries import activity_list, filter_choices
from .forms import ActivityFilterForm, HistoryFilterForm
from .history_queries import history_entries, history_users, kind_choices
from .spreadsheet_exports import CONTENT_TYPES, ActivityExporter, HistoryExporter

SJIS_CSV = "text/csv; charset=Shift_JIS"


def year_lines(user, year):
    """The year's budget lines the user may see, in the budget's order."""
    return (
        scope(BudgetLine.objects.filter(fiscal_year=year), user)
        .select_related("section")
        .order_by("direction", "order", "pk")
    )


def _spreadsheet(exporter: Exporter, stem: str, fmt: str) -> JobFile:
    content = exporter.to_csv_bytes() if fmt == "csv" else exporter.to_xlsx_bytes()
    return JobFile(f"{stem}.{fmt}", content, CONTENT_TYPES[fmt])


def _query(job) -> QueryDict:
    return QueryDict(job.params.get("query", ""))


def _activities(job) -> JobFile:
    user, year = job.requested_by, job.fiscal_year
    form = ActivityFilterForm(_query(job) or None, **filter_choices(user, year))
    filters = form.cleaned_data if form.is_valid() else {}
    exporter = ActivityExporter(activity_list(user, year, filters))
    return _spreadsheet(exporter, f"activities-{year.year}", job.format)


def _history(job) -> JobFile:
    user = job.requested_by
    form = HistoryFilterForm(
        _query(job) or None, users=history_users(job.union), kinds=kind_choices(user)
    )
    form.is_valid()  # as on the screen: an invalid field is left out, the valid ones filter
    entries = history_entries(user, getattr(form, "cleaned_data", {}))
    return _spreadsheet(HistoryExporter(entries), "history", job.format)


MONEY_EXPORTS = {
    # kind: (exporter, file stem, label)
    "budget_lines_export": (finance_spreadsheets.LineExporter, "budget-lines", _lazy("予算の明細")),
    "budget_changes_export": (
        finance_spreadsheets.ChangeExporter,
        "budget-changes",
        _lazy("予算の補正・流用"),
    ),
    "expenses_export": (finance_spreadsheets.ExpenseExporter, "expenses", _lazy("支出の記録")),
}


def _money(job) -> JobFile:
    exporter_class, stem, _label = MONEY_EXPORTS[job.kind]
    year = job.fiscal_year
    source = year_lines(job.requested_by, year) if job.kind == "budget_lines_export" else year
    exporter = exporter_class(source)
    if job.format == "xlsx":
        return _spreadsheet(exporter, f"{stem}-{year.year}", "xlsx")
    try:
        content = finance_spreadsheets.sjis_csv_bytes(exporter)
    except ValueError as error:
        raise RenkeiError(str(error)) from None  # names the cell, says what to do
    return JobFile(f"{stem}-{year.year}.csv", content, SJIS_CSV)


ACTIVITY_EXPORT = register_job_kind(
    JobKind("activity_export", _lazy("活動一覧の書き出し"), (Action.VIEW,), _activities)
)
HISTORY_EXPORT = register_job_kind(
    JobKind("history_export", _lazy("変更履歴の書き出し"), (Action.VIEW_HISTORY,), _history)
)
for _kind, (_exporter, _stem, _label) in MONEY_EXPORTS.items():
    register_job_kind(JobKind(_kind, _label, EXECUTION_READERS, _money))
