"""Business rules for the budget and settlement: editing lines, importing them, closing
the year. Each runs in one transaction, writes the change log and raises ``RenkeiError``."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.audit.models import AuditEntry
from renkei.audit.services import diff, record_change, snapshot
from renkei.errors import RenkeiError
from renkei.programmes.models import FiscalYear, FiscalYearState
from renkei.programmes.services import check_year_open, conflict, require_lock_token
from renkei.tenancy.permissions import Action, can

from .models import BudgetLine, Direction
from .statement import statement_for

LINE_FIELDS = ("direction", "section", "section_label", "item", "budgeted", "settled", "note",
               "order")


def _line_state(line: BudgetLine) -> dict:
    data = snapshot(line)
    data.pop("version", None)
    return data


def _validate(line: BudgetLine) -> None:
    if line.direction == Direction.EXPENDITURE and line.section_id is None:
        raise RenkeiError(_("支出の行には節を選んでください。"))
    if line.direction == Direction.INCOME:
        line.section = None
    if line.settled is None or line.settled < 0 or (line.budgeted or 0) < 0:
        raise RenkeiError(_("金額は0円以上の整数で入力してください。"))
    if not line.item.strip():
        raise RenkeiError(_("項目を入力してください。"))


@transaction.atomic
def save_budget_line(line: BudgetLine, user, *, fields: dict, expected_version: int | None = None,
                     reason: str = "") -> BudgetLine:
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
    changes = diff(before, _line_state(locked))
    if not changes:
        return locked
    if locked.pk is not None:
        locked.version += 1
    locked.save()
    record_change(user=user, action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
                  instance=locked, union=fiscal_year.union, changes=changes, reason=reason)
    return locked


@transaction.atomic
def delete_budget_line(line: BudgetLine, user, *, expected_version: int | None = None,
                       reason: str = "") -> None:
    """Remove one budget line; the change log keeps its amounts."""
    if not can(user, Action.EDIT_BUDGET, line):
        raise PermissionDenied
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=line.fiscal_year_id)
    check_year_open(fiscal_year, reason)
    require_lock_token(expected_version)
    locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if locked.version != expected_version:
        raise conflict(_line_state(locked), "finance.budgetline", locked.pk, locked.version)
    record_change(user=user, action=AuditEntry.Action.DELETE, instance=locked,
                  union=fiscal_year.union, changes=diff(_line_state(locked), {}), reason=reason)
    locked.delete()


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
            save_budget_line(BudgetLine(fiscal_year=fiscal_year), user, fields=entry.fields,
                             reason=reason)
        except RenkeiError as error:
            raise RenkeiError(_("%(row)s行目: %(message)s")
                              % {"row": entry.row, "message": error.message}) from error
    return len(rows)


@transaction.atomic
def close_fiscal_year(fiscal_year, user) -> FiscalYear:
    """Fix the settlement: the year is locked and later changes need a reason."""
    if not can(user, Action.CLOSE_YEAR, fiscal_year):
        raise PermissionDenied
    locked = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if locked.state in (FiscalYearState.CLOSED, FiscalYearState.REPORTED):
        raise RenkeiError(_("%(year)sはすでに決算確定済みです。") % {"year": locked})
    statement = statement_for(locked)
    if not statement.balanced:
        raise RenkeiError(
            _("収入と支出の決算額が一致しません（差引 %(diff)s円）。行を確認してから確定してください。")
            % {"diff": f"{statement.difference:,}"}
        )
    old = locked.state
    locked.state = FiscalYearState.CLOSED
    locked.save(update_fields=["state"])
    record_change(user=user, action=AuditEntry.Action.STATE, instance=locked, union=locked.union,
                  changes={"state": [old, locked.state]})
    return locked
