"""Budget changes (補正予算, 流用, 予備費充用) and expenses read from a spreadsheet, saved all
or nothing through the same services as the screens: each row (or each amendment's rows)
goes through ``record_amendment``, ``record_transfer`` or ``record_expense`` in one
transaction, and the first refusal undoes every row before it, its message prefixed with
the spreadsheet's row number."""

from dataclasses import dataclass, field
from datetime import date
from typing import cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.errors import RenkeiError
from renkei.programmes.models import Activity
from renkei.tenancy.permissions import Action, can

from .budget_changes import record_amendment, record_transfer
from .expenses import Allocation, record_expense
from .models import BudgetLine


@dataclass
class ChangeImport:
    """One amendment (its rows' lines and amounts) or one transfer, as read."""

    rows: list[int]
    kind: str  # "amendment", or a TransferKind value
    decided_on: date
    decided_by: str
    reason: str
    number: int | None = None
    amounts: dict[int, int] = field(default_factory=dict)  # amendment: line id → amount
    source: int | None = None  # transfer: line ids
    target: int | None = None
    amount: int | None = None


@dataclass
class ExpenseImport:
    row: int
    line: int
    spent_on: date
    payee: str
    amount: int
    purpose: str
    allocations: dict[int, int] = field(default_factory=dict)  # activity id → amount


def _rows_label(rows: list[int]) -> str:
    return "、".join(str(row) for row in rows)


def _lines(fiscal_year, ids) -> dict[int, BudgetLine]:
    found = BudgetLine.objects.filter(fiscal_year=fiscal_year, pk__in=set(ids)).in_bulk()
    if len(found) != len(set(ids)):
        raise RenkeiError(_("同じ年度の予算の行を選んでください。"))
    return found


@transaction.atomic
def import_changes(fiscal_year, user, changes: list[ChangeImport]) -> int:
    """Record the amendments and transfers in order, all or nothing."""
    if not can(user, Action.EDIT_BUDGET, fiscal_year):
        raise PermissionDenied
    for change in changes:
        try:
            if change.kind == "amendment":
                lines = _lines(fiscal_year, change.amounts)
                record_amendment(
                    fiscal_year,
                    user,
                    number=cast(int, change.number),
                    decided_on=change.decided_on,
                    decided_by=change.decided_by,
                    reason=change.reason,
                    amounts={lines[pk]: amount for pk, amount in change.amounts.items()},
                )
            else:
                source, target = cast(int, change.source), cast(int, change.target)
                lines = _lines(fiscal_year, [source, target])
                record_transfer(
                    fiscal_year,
                    user,
                    kind=change.kind,
                    source=lines[source],
                    target=lines[target],
                    amount=cast(int, change.amount),
                    decided_on=change.decided_on,
                    decided_by=change.decided_by,
                    reason=change.reason,
                )
        except RenkeiError as error:
            raise RenkeiError(
                _("%(row)s行目: %(message)s")
                % {"row": _rows_label(change.rows), "message": error.message}
            ) from error
    return len(changes)


@transaction.atomic
def import_expenses(fiscal_year, user, expenses: list[ExpenseImport]) -> int:
    """Record the expenses in order (without vouchers), all or nothing."""
    if not can(user, Action.EDIT_BUDGET, fiscal_year):
        raise PermissionDenied
    lines = _lines(fiscal_year, [e.line for e in expenses])
    activities = Activity.objects.filter(
        group__programme__fiscal_year=fiscal_year,
        pk__in={pk for e in expenses for pk in e.allocations},
    ).in_bulk()
    for expense in expenses:
        try:
            if not set(expense.allocations) <= set(activities):
                raise RenkeiError(_("内訳には同じ年度の活動を選んでください。"))
            record_expense(
                lines[expense.line],
                user,
                spent_on=expense.spent_on,
                payee=expense.payee,
                amount=expense.amount,
                purpose=expense.purpose,
                allocations=[
                    Allocation(activities[pk], amount) for pk, amount in expense.allocations.items()
                ],
            )
        except RenkeiError as error:
            raise RenkeiError(
                _("%(row)s行目: %(message)s") % {"row": expense.row, "message": error.message}
            ) from error
    return len(expenses)
