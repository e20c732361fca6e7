"""Changes to the budget through the year: amendments (補正予算), transfers between
expenditure lines (流用) and uses of the reserve (予備費充用). Each is dated, with a reason
and who decided it; the budget in force (予算現額) follows from them
(``renkei.finance.execution``). Each service runs in one transaction with the year's row
locked, checks ``Action.EDIT_BUDGET``, writes the change log and raises ``RenkeiError``."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change
from renkei.errors import RenkeiError
from renkei.tenancy.permissions import Action, can

from .execution import execution_of
from .models import (
    AmendmentLine,
    BudgetAmendment,
    BudgetLine,
    BudgetTransfer,
    Direction,
    TransferKind,
)
from .services import lock_open_year


def yen(amount: int) -> str:
    return f"{amount:,}"


def line_name(line: BudgetLine) -> str:
    """How a message names a line: its section (節) and item."""
    return f"{line.label}「{line.item}」"


def _check_decision(decided_on, decided_by: str, reason: str) -> tuple[str, str]:
    if not isinstance(decided_on, date):
        raise RenkeiError(_("日付を入力してください。"))
    if not (decided_by or "").strip():
        raise RenkeiError(_("決定した者（議会・管理者など）を入力してください。"))
    if not (reason or "").strip():
        raise RenkeiError(_("理由を入力してください。"))
    return decided_by.strip(), reason.strip()


def _check_amount(amount, *, signed: bool = False) -> int:
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or amount == 0
        or (amount < 0 and not signed)
    ):
        raise RenkeiError(
            _("金額は1円以上の整数（円）で入力してください。")
            if not signed
            else _("補正額は0以外の整数（円）で入力してください。")
        )
    return amount


def _lines_of_year(fiscal_year, lines) -> dict[int, BudgetLine]:
    """The given lines reloaded from the year (refused if one is another year's)."""
    ids = {line.pk for line in lines}
    found = {
        line.pk: line
        for line in BudgetLine.objects.filter(fiscal_year=fiscal_year, pk__in=ids).select_related(
            "section"
        )
    }
    if len(found) != len(ids):
        raise RenkeiError(_("同じ年度の予算の行を選んでください。"))
    for line in found.values():
        if line.budgeted is None:
            raise RenkeiError(
                _(
                    "%(line)sは当初予算額が入力されていません。"
                    "先に当初予算額（0円でも）を入力してください。"
                )
                % {"line": line_name(line)}
            )
    return found


def check_within_budget(executions, changed_ids) -> None:
    """No changed line's budget in force may become negative, nor an expenditure line's
    fall below what is already spent (revenue received may exceed its budget); the
    message says by how much."""
    for pk in changed_ids:
        execution = executions[pk]
        if execution.current < 0:
            raise RenkeiError(
                _("%(line)sの予算現額が%(short)s円のマイナスになります。保存していません。")
                % {"line": line_name(execution.line), "short": yen(-execution.current)}
            )
        if execution.line.direction == Direction.EXPENDITURE and execution.remaining < 0:
            raise RenkeiError(
                _(
                    "%(line)sの予算現額（%(current)s円）が支出済額（%(spent)s円）を%(short)s円"
                    "下回ります。保存していません。"
                )
                % {
                    "line": line_name(execution.line),
                    "current": yen(execution.current),
                    "spent": yen(execution.spent),
                    "short": yen(-execution.remaining),
                }
            )


def _log_decision(decision, user, year, lines, before, after) -> None:
    """The change log of a recorded amendment or transfer: when and by whom it was decided,
    and each line's 予算現額 before and after it."""
    record_change(
        user=user,
        action=AuditEntry.Action.CREATE,
        instance=decision,
        union=year.union,
        reason=decision.reason,
        changes={
            "decided_on": [None, decision.decided_on.isoformat()],
            "decided_by": [None, decision.decided_by],
            **{
                _("予算現額 %(line)s") % {"line": line_name(line)}: [
                    before[pk].current,
                    after[pk].current,
                ]
                for pk, line in lines.items()
            },
        },
    )


@transaction.atomic
def record_amendment(
    fiscal_year,
    user,
    *,
    number: int,
    decided_on: date,
    decided_by: str,
    reason: str,
    amounts: dict[BudgetLine, int],
) -> BudgetAmendment:
    """Record a supplementary budget (補正予算) adding ``amounts`` (negative to reduce) to
    lines of the year; refused if a line would fall below zero or below its spending."""
    if not can(user, Action.EDIT_BUDGET, fiscal_year):
        raise PermissionDenied
    year = lock_open_year(fiscal_year, _("補正予算"))
    decided_by, reason = _check_decision(decided_on, decided_by, reason)
    amounts = {
        line: _check_amount(amount, signed=True) for line, amount in amounts.items() if amount != 0
    }
    if not amounts:
        raise RenkeiError(_("補正する行と金額を1つ以上入力してください。"))
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise RenkeiError(_("補正の号数は1以上の整数で入力してください。"))
    if BudgetAmendment.objects.filter(fiscal_year=year, number=number).exists():
        raise RenkeiError(_("第%(n)s号補正はすでに登録されています。") % {"n": number})
    lines = _lines_of_year(year, amounts)
    amendment = BudgetAmendment.objects.create(
        fiscal_year=year, number=number, decided_on=decided_on, decided_by=decided_by, reason=reason
    )
    before = execution_of(lines.values())
    AmendmentLine.objects.bulk_create(
        AmendmentLine(amendment=amendment, line=lines[line.pk], amount=amount)
        for line, amount in amounts.items()
    )
    after = execution_of(lines.values())
    check_within_budget(after, lines)
    _log_decision(amendment, user, year, lines, before, after)
    return amendment


@transaction.atomic
def record_transfer(
    fiscal_year,
    user,
    *,
    kind: str,
    source: BudgetLine,
    target: BudgetLine,
    amount: int,
    decided_on: date,
    decided_by: str,
    reason: str,
) -> BudgetTransfer:
    """Move ``amount`` of budget from ``source`` to ``target``, two expenditure lines of the
    year: a transfer (流用) between ordinary lines, or a use of the reserve (予備費充用) from
    the reserve line. Refused if the source would go below zero or below its spending."""
    if not can(user, Action.EDIT_BUDGET, fiscal_year):
        raise PermissionDenied
    year = lock_open_year(fiscal_year, _("流用・予備費充用"))
    decided_by, reason = _check_decision(decided_on, decided_by, reason)
    amount = _check_amount(amount)
    if kind not in TransferKind.values:
        raise RenkeiError(_("種類（流用・予備費充用）を選んでください。"))
    if source.pk == target.pk:
        raise RenkeiError(_("流用元と流用先に別の行を選んでください。"))
    lines = _lines_of_year(year, [source, target])
    source, target = lines[source.pk], lines[target.pk]
    if source.direction != Direction.EXPENDITURE or target.direction != Direction.EXPENDITURE:
        raise RenkeiError(_("流用・予備費充用は支出の行の間でだけできます。"))
    if target.is_reserve:
        raise RenkeiError(_("予備費へは流用・充用できません。"))
    if kind == TransferKind.RESERVE and not source.is_reserve:
        raise RenkeiError(_("予備費充用の充用元には予備費の行を選んでください。"))
    if kind == TransferKind.TRANSFER and source.is_reserve:
        raise RenkeiError(_("予備費からは流用ではなく予備費充用として登録してください。"))
    before = execution_of(lines.values())
    transfer = BudgetTransfer.objects.create(
        fiscal_year=year,
        kind=kind,
        source=source,
        target=target,
        amount=amount,
        decided_on=decided_on,
        decided_by=decided_by,
        reason=reason,
    )
    after = execution_of(lines.values())
    check_within_budget(after, [source.pk])
    _log_decision(transfer, user, year, lines, before, after)
    return transfer
