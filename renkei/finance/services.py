"""Business rules for the budget and settlement: editing lines, importing them (closing
the year is the year's life cycle, renkei/reports/year_cycle.py). Each runs in one transaction, writes the change log and raises ``RenkeiError``."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.audit.models import AuditEntry
from renkei.audit.services import diff, record_change, snapshot
from renkei.errors import RenkeiError
from renkei.programmes.models import FiscalYear
from renkei.programmes.services import check_year_open, conflict, require_lock_token
from renkei.programmes.year_states import LOCKED_STATES
from renkei.tenancy.permissions import Action, can

from .execution import execution_of_line
from .models import BudgetLine, Direction

LINE_FIELDS = (
    "direction",
    "section",
    "section_label",
    "item",
    "budgeted",
    "settled",
    "note",
    "order",
    "is_reserve",
)


def lock_open_year(fiscal_year, what: str) -> FiscalYear:
    """Lock the year's row for the rest of the transaction (every change of its budget or
    spending waits for the one before, so a check of what is left sees the last word) and
    refuse a closed year: its budget changes and expenses wait for it to be reopened."""
    locked = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if locked.state in LOCKED_STATES:
        raise RenkeiError(
            _(
                "%(year)sは決算確定済みのため、%(what)sは登録できません。"
                "必要なら事務局が理由を添えて年度を再開してください。"
            )
            % {"year": locked, "what": what}
        )
    return locked


def _line_state(line: BudgetLine) -> dict:
    data = snapshot(line)
    data.pop("version", None)
    return data


def _validate(line: BudgetLine) -> None:
    if line.is_reserve:
        if line.direction != Direction.EXPENDITURE:
            raise RenkeiError(_("予備費は支出の行です。"))
        if line.section_id is not None:
            raise RenkeiError(_("予備費の行には節を選びません（節を空欄にしてください）。"))
    if line.direction == Direction.EXPENDITURE and line.section_id is None and not line.is_reserve:
        raise RenkeiError(_("支出の行には節を選んでください。"))
    if line.direction == Direction.INCOME:
        line.section = None
    if line.settled is None or line.settled < 0 or (line.budgeted or 0) < 0:
        raise RenkeiError(_("金額は0円以上の整数で入力してください。"))
    if not line.item.strip():
        raise RenkeiError(_("項目を入力してください。"))


@transaction.atomic
def save_budget_line(
    line: BudgetLine, user, *, fields: dict, expected_version: int | None = None, reason: str = ""
) -> BudgetLine:
    """Create or update one budget line; a stale form is refused (optimistic locking)
    and a closed year needs a reason."""
    if not can(user, Action.EDIT_BUDGET, line):
        raise PermissionDenied
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=line.fiscal_year_id)
    check_year_open(fiscal_year, reason)
    if line.pk is None:
        before = {}
        locked = line
    else:
        require_lock_token(expected_version)
        locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
        if locked.version != expected_version:
            raise conflict(_line_state(locked), "finance.budgetline", locked.pk, locked.version)
        before = _line_state(locked)
    for name in LINE_FIELDS:
        if name in fields:
            setattr(locked, name, fields[name])
    _validate(locked)
    if before:
        _check_recorded_line(locked, before)
    changes = diff(before, _line_state(locked))
    if not changes:
        return locked
    if locked.pk is not None:
        locked.version += 1
    locked.save()
    record_change(
        user=user,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        instance=locked,
        union=fiscal_year.union,
        changes=changes,
        reason=reason,
    )
    return locked


@transaction.atomic
def delete_budget_line(
    line: BudgetLine, user, *, expected_version: int | None = None, reason: str = ""
) -> None:
    """Remove one budget line; the change log keeps its amounts."""
    if not can(user, Action.EDIT_BUDGET, line):
        raise PermissionDenied
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=line.fiscal_year_id)
    check_year_open(fiscal_year, reason)
    require_lock_token(expected_version)
    locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if locked.version != expected_version:
        raise conflict(_line_state(locked), "finance.budgetline", locked.pk, locked.version)
    _check_unrecorded_line(locked)
    record_change(
        user=user,
        action=AuditEntry.Action.DELETE,
        instance=locked,
        union=fiscal_year.union,
        changes=diff(_line_state(locked), {}),
        reason=reason,
    )
    locked.delete()


def _check_recorded_line(line: BudgetLine, before: dict) -> None:
    """A line kept by record: its settled amount is the sum of its expenses, and its
    budget in force may not fall below them nor become unknown."""
    has_revenue = line.revenue_records.exists()
    if has_revenue and line.direction != before.get("direction"):
        raise RenkeiError(_("収入の記録がある行の収支の別は変えられません。"))
    if has_revenue and line.settled != before.get("settled"):
        raise RenkeiError(
            _(
                "この行の決算額は収入の記録の合計（%(received)s円）です。収入の記録を直してください。"
            )
            % {"received": f"{before['settled']:,}"}
        )
    has_expenses = line.expenses.exists()
    if has_expenses and line.settled != before.get("settled"):
        raise RenkeiError(
            _("この行の決算額は支出の記録の合計（%(spent)s円）です。支出の記録を直してください。")
            % {"spent": f"{before['settled']:,}"}
        )
    has_changes = (
        line.amendments.exists() or line.transfers_in.exists() or line.transfers_out.exists()
    )
    if (has_changes or has_expenses) and line.budgeted is None:
        raise RenkeiError(_("補正・流用・支出の記録がある行の当初予算額は空欄にできません。"))
    if (has_changes or has_expenses) and (
        line.is_reserve != before.get("is_reserve") or line.direction != before.get("direction")
    ):
        raise RenkeiError(_("補正・流用・支出の記録がある行の収支・予備費の別は変えられません。"))
    if not has_expenses:  # kept by line: the settled amount typed is not checked here
        return
    execution = execution_of_line(line)
    remaining = execution.remaining
    if execution.current is not None and remaining is not None and remaining < 0:
        raise RenkeiError(
            _("予算現額が支出済額を%(short)s円下回ります。保存していません。")
            % {"short": f"{-remaining:,}"}
        )


def _check_unrecorded_line(line: BudgetLine) -> None:
    if (
        line.expenses.exists()
        or line.amendments.exists()
        or line.transfers_in.exists()
        or line.transfers_out.exists()
        or line.revenue_records.exists()
    ):
        raise RenkeiError(_("補正・流用・支出・収入の記録がある行は削除できません。"))


@dataclass
class LineImport:
    """One budget line read from a spreadsheet row (already validated)."""

    row: int
    fields: dict


@transaction.atomic
def import_budget_lines(fiscal_year, user, *, rows: list[LineImport], reason: str = "") -> int:
    """Add the given lines to the year, all or nothing. Returns how many were added."""
    if not can(user, Action.EDIT_BUDGET, fiscal_year):
        raise PermissionDenied
    for entry in rows:
        try:
            save_budget_line(
                BudgetLine(fiscal_year=fiscal_year), user, fields=entry.fields, reason=reason
            )
        except RenkeiError as error:
            raise RenkeiError(
                _("%(row)s行目: %(message)s") % {"row": entry.row, "message": error.message}
            ) from error
    return len(rows)
