"""Spending through the year: expenses charged to expenditure lines, split over the
activities they paid for.

A line is kept either by line (its settled amount typed, as FY2024's are) or by record
(its settled amount is the sum of its expenses). The first expense turns a line whose
settled amount is 0 into a line kept by record; from then on the services below keep
``BudgetLine.settled`` equal to the sum of its expenses in the same transaction, so the
statement and the report read one amount either way. A line whose settled amount was
typed (not 0) takes no expense: that would silently replace the typed figure.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from renkei import wareki
from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change
from renkei.errors import RenkeiError
from renkei.files import files_on_commit
from renkei.programmes.models import Activity
from renkei.tenancy.permissions import Action, can

from .budget_changes import line_name, yen
from .execution import execution_of
from .models import BudgetLine, Direction, Expense, ExpenseAllocation, Voucher, voucher_upload_to
from .services import lock_open_year
from .vouchers import prepare_voucher

# Payments of a fiscal year may be made until 31 May of the next (出納整理期間).
CLOSING_PERIOD_END = (5, 31)


@dataclass(frozen=True)
class Allocation:
    """The part of an expense that paid for one activity."""

    activity: Activity
    amount: int


def _check_fields(line: BudgetLine, spent_on, payee: str, amount, purpose: str) -> None:
    if line.direction != Direction.EXPENDITURE:
        raise RenkeiError(_("支出は支出の行に記録してください。"))
    if line.is_reserve:
        raise RenkeiError(_("予備費からは直接支出できません。予備費充用で他の行へ移してください。"))
    if not isinstance(spent_on, date):
        raise RenkeiError(_("支出日を入力してください。"))
    first, last = wareki.fiscal_year_bounds(line.fiscal_year.year)
    end = date(last.year, *CLOSING_PERIOD_END)
    if not first <= spent_on <= end:
        raise RenkeiError(
            _("支出日は%(first)sから%(end)s（出納整理期間の終わり）までの日付にしてください。")
            % {"first": wareki.format_date(first), "end": wareki.format_date(end)}
        )
    if not (payee or "").strip():
        raise RenkeiError(_("支払先を入力してください。"))
    if not (purpose or "").strip():
        raise RenkeiError(_("目的・内容を入力してください。"))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise RenkeiError(_("金額は1円以上の整数（円）で入力してください。"))


def _check_allocations(line: BudgetLine, amount: int, allocations: list[Allocation]) -> None:
    """The parts, if any, are positive, name distinct activities of the line's year and
    sum exactly to the amount."""
    if not allocations:
        return
    activities = [part.activity.pk for part in allocations]
    if len(set(activities)) != len(activities):
        raise RenkeiError(_("同じ活動が内訳に2回入っています。1行にまとめてください。"))
    own = set(
        Activity.objects.filter(
            pk__in=activities, group__programme__fiscal_year=line.fiscal_year_id
        ).values_list("pk", flat=True)
    )
    if own != set(activities):
        raise RenkeiError(_("内訳には同じ年度の活動を選んでください。"))
    for part in allocations:
        if isinstance(part.amount, bool) or not isinstance(part.amount, int) or part.amount <= 0:
            raise RenkeiError(_("内訳の金額は1円以上の整数（円）で入力してください。"))
    total = sum(part.amount for part in allocations)
    if total != amount:
        raise RenkeiError(
            _(
                "活動別の内訳の合計（%(total)s円）が支出額（%(amount)s円）と"
                "%(diff)s円違います。内訳の合計を支出額に合わせてください。"
            )
            % {"total": yen(total), "amount": yen(amount), "diff": yen(abs(total - amount))}
        )


def _overspend_message(execution, amount: int, others) -> str:
    """How far the expense goes beyond the line's budget in force, and which transfer
    would allow it: the lines of the year with enough left on their own, else those whose
    room together is enough, else an amendment."""
    over = amount - execution.remaining
    with_room = sorted(
        (e for e in others if e.remaining is not None and e.remaining > 0),
        key=lambda e: -e.remaining,
    )
    enough = [e for e in with_room if e.remaining >= over]
    message = _(
        "%(line)sの予算現額（%(current)s円）を%(over)s円超えるため、記録していません"
        "（支出済額 %(spent)s円、今回 %(amount)s円）。"
    ) % {
        "line": line_name(execution.line),
        "current": yen(execution.current),
        "over": yen(over),
        "spent": yen(execution.spent),
        "amount": yen(amount),
    }
    if sum(e.remaining for e in with_room) < over:
        return message + _("同じ年度の行の残額を合わせても足りないため、補正予算が必要です。")
    names = "、".join(
        _("%(line)s（残額 %(left)s円）") % {"line": line_name(e.line), "left": yen(e.remaining)}
        for e in (enough or with_room)[:3]
    )
    template = (
        _("次のいずれかの行から%(over)s円以上を流用（予備費なら充用）すれば記録できます: %(names)s")
        if enough
        else _(
            "次の行から合わせて%(over)s円以上を流用（予備費なら充用）すれば記録できます: %(names)s"
        )
    )
    return message + template % {"over": yen(over), "names": names}


def _lock_line(line: BudgetLine) -> BudgetLine:
    lock_open_year(line.fiscal_year, _("支出"))
    # of=("self",): PostgreSQL locks no outer-joined row (the reserve line has no section).
    return (
        BudgetLine.objects.select_for_update(of=("self",))
        .select_related("section", "fiscal_year__union")
        .get(pk=line.pk)
    )


def record_expense(
    line: BudgetLine,
    user,
    *,
    spent_on: date,
    payee: str,
    amount: int,
    purpose: str,
    allocations: Sequence[Allocation] = (),
    vouchers=(),
) -> Expense:
    """Record one payment charged to ``line`` with its vouchers (uploaded files, checked
    first; they reach their final place with the commit); refused beyond the line's budget
    in force (予算現額) with the amount over and the transfers that would allow it."""
    if not can(user, Action.EDIT_BUDGET, line):
        raise PermissionDenied
    prepared = [prepare_voucher(upload) for upload in vouchers]
    storage = Voucher._meta.get_field("file").storage
    with files_on_commit(storage) as store, transaction.atomic():
        expense = _record_expense(
            line,
            user,
            spent_on=spent_on,
            payee=payee,
            amount=amount,
            purpose=purpose,
            allocations=allocations,
        )
        for voucher in prepared:
            _store_voucher(expense, user, voucher, store, storage)
    return expense


def _store_voucher(expense: Expense, user, voucher, store, storage) -> Voucher:
    row = Voucher(
        expense=expense,
        original_name=voucher.original_name,
        content_type=voucher.content_type,
        size=len(voucher.data),
        sha256=voucher.sha256,
    )
    row.save()
    row.file.name = voucher_upload_to(row, storage.get_valid_name(f"{row.pk}-{voucher.name}"))
    row.save(update_fields=["file"])
    store(row.file.name, voucher.data)
    record_change(
        user=user,
        action=AuditEntry.Action.UPDATE,
        instance=expense,
        union=expense.line.fiscal_year.union,
        changes={_("証憑"): [None, f"{voucher.original_name} ({len(voucher.data):,} B)"]},
    )
    return row


def _record_expense(
    line: BudgetLine, user, *, spent_on, payee, amount, purpose, allocations
) -> Expense:
    line = _lock_line(line)
    _check_fields(line, spent_on, payee, amount, purpose)
    allocations = list(allocations)
    _check_allocations(line, amount, allocations)
    if line.settled and not line.expenses.exists():
        raise RenkeiError(
            _(
                "%(line)sの決算額（%(settled)s円）は行ごとに入力されています。"
                "支出を記録するには、先に決算額を0円にしてください。"
            )
            % {"line": line_name(line), "settled": yen(line.settled)}
        )
    siblings = BudgetLine.objects.filter(
        fiscal_year=line.fiscal_year_id, direction=Direction.EXPENDITURE
    ).select_related("section")
    executions = execution_of(siblings)
    execution = executions[line.pk]
    if execution.current is None:
        raise RenkeiError(
            _("%(line)sは当初予算額が入力されていないため、支出を記録できません。")
            % {"line": line_name(line)}
        )
    if amount > execution.remaining:
        others = [e for pk, e in executions.items() if pk != line.pk]
        raise RenkeiError(
            _overspend_message(execution, amount, others),
            details={"over": amount - execution.remaining},
        )
    expense = Expense.objects.create(
        line=line, spent_on=spent_on, payee=payee.strip(), amount=amount, purpose=purpose.strip()
    )
    ExpenseAllocation.objects.bulk_create(
        ExpenseAllocation(expense=expense, activity=part.activity, amount=part.amount)
        for part in allocations
    )
    _settle(line, user, line.settled + amount, reason=_("支出の記録"))
    record_change(
        user=user,
        action=AuditEntry.Action.CREATE,
        instance=expense,
        union=line.fiscal_year.union,
        changes={
            "spent_on": [None, spent_on.isoformat()],
            "payee": [None, expense.payee],
            "amount": [None, amount],
            "purpose": [None, expense.purpose],
            "line": [None, line_name(line)],
            "allocations": [None, [f"{p.activity.title} {yen(p.amount)}円" for p in allocations]],
        },
    )
    return expense


def _settle(line: BudgetLine, user, settled: int, *, reason: str) -> None:
    """Keep the line's settled amount the sum of its expenses (logged on the line)."""
    record_change(
        user=user,
        action=AuditEntry.Action.UPDATE,
        instance=line,
        union=line.fiscal_year.union,
        changes={"settled": [line.settled, settled]},
        reason=reason,
    )
    line.settled = settled
    line.version += 1
    line.save(update_fields=["settled", "version"])


@transaction.atomic
def delete_expense(expense: Expense, user, *, reason: str) -> None:
    """Remove a wrongly recorded expense, with a reason; the change log keeps it."""
    if not can(user, Action.EDIT_BUDGET, expense):
        raise PermissionDenied
    if not (reason or "").strip():
        raise RenkeiError(_("削除の理由を入力してください。"))
    line = _lock_line(expense.line)
    expense = Expense.objects.get(pk=expense.pk)
    storage = Voucher._meta.get_field("file").storage
    names = [voucher.file.name for voucher in expense.vouchers.all()]

    # The files go once the deletion is committed (a rolled-back deletion keeps them).
    def delete_files() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete_files)
    record_change(
        user=user,
        action=AuditEntry.Action.DELETE,
        instance=expense,
        union=line.fiscal_year.union,
        reason=reason.strip(),
        changes={
            "spent_on": [expense.spent_on.isoformat(), None],
            "payee": [expense.payee, None],
            "amount": [expense.amount, None],
        },
    )
    expense.delete()
    _settle(line, user, line.settled - expense.amount, reason=reason.strip())
