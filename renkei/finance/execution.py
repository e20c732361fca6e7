"""Execution of the budget through the year: each line's 予算現額 and what is left.

予算現額 (the budget in force) = 当初予算 + 補正 + 流用 (in less out) + 予備費充用 (in less
out). It is computed here from the records of the changes, never stored or typed, and is
unknown (None) when the line's initial budget is unknown: nothing derived from an unknown
is a number. 支出済額 of an expenditure line is its settled amount, which for a line kept
by record is the sum of its expenses (the expense services keep it so, see
``renkei.finance.expenses``), and for a line kept by line (FY2024) is the amount typed.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum
from django.utils.translation import gettext as _

from .models import AmendmentLine, BudgetLine, BudgetTransfer, Carryover, TransferKind


def current_budget(initial: int | None, amended: int, transferred: int, reserve: int) -> int | None:
    """予算現額: the one formula. None while the initial budget is unknown."""
    if initial is None:
        return None
    return initial + amended + transferred + reserve


@dataclass(frozen=True)
class LineExecution:
    """One line's budget in force and its spending, in yen."""

    line: BudgetLine
    amended: int = 0  # 補正
    transferred: int = 0  # 流用, in less out
    reserve: int = 0  # 予備費充用, in less out (negative on the reserve line)
    carried: int = 0  # 翌年度繰越額: budget kept for next year, not to be spent this year

    @property
    def initial(self) -> int | None:
        return self.line.budgeted

    @property
    def current(self) -> int | None:
        return current_budget(self.initial, self.amended, self.transferred, self.reserve)

    @property
    def spent(self) -> int:
        return self.line.settled

    @property
    def remaining(self) -> int | None:
        """What may still be spent this year: 予算現額 less 支出済額 and 翌年度繰越額."""
        return None if self.current is None else self.current - self.spent - self.carried

    @property
    def moved(self) -> int:
        """流用 and 充用 together, as the execution table prints them."""
        return self.transferred + self.reserve


def _sums(queryset, key: str) -> dict[int, int]:
    return {row[key]: row["total"] for row in queryset.values(key).annotate(total=Sum("amount"))}


def execution_of(lines) -> dict[int, LineExecution]:
    """The execution of the given lines (all of one year), by line id (five queries)."""
    lines = list(lines)
    ids = [line.pk for line in lines]
    amended = _sums(AmendmentLine.objects.filter(line__in=ids), "line")
    moves = {}
    for kind in TransferKind:
        transfers = BudgetTransfer.objects.filter(kind=kind)
        incoming = _sums(transfers.filter(target__in=ids), "target")
        outgoing = _sums(transfers.filter(source__in=ids), "source")
        moves[kind] = {pk: incoming.get(pk, 0) - outgoing.get(pk, 0) for pk in ids}
    carried = dict(Carryover.objects.filter(line__in=ids).values_list("line", "amount"))
    return {
        line.pk: LineExecution(
            line,
            amended.get(line.pk, 0),
            moves[TransferKind.TRANSFER][line.pk],
            moves[TransferKind.RESERVE][line.pk],
            carried.get(line.pk, 0),
        )
        for line in lines
    }


def execution_of_line(line: BudgetLine) -> LineExecution:
    return execution_of([line])[line.pk]


@dataclass(frozen=True)
class HistoryStep:
    """One step in how a line's 予算現額 came about."""

    on: date | None
    label: str
    reason: str
    decided_by: str
    amount: int | None
    total: int | None


def line_history(line: BudgetLine) -> list[HistoryStep]:
    """The initial budget, then every amendment and transfer touching the line in date
    order, each with the 予算現額 it left."""
    events = []
    for part in AmendmentLine.objects.filter(line=line).select_related("amendment"):
        a = part.amendment
        events.append(
            (
                a.decided_on,
                0,
                a.pk,
                _("%(amendment)s（%(by)s議決）") % {"amendment": a, "by": a.decided_by},
                a.reason,
                a.decided_by,
                part.amount,
            )
        )
    transfers = BudgetTransfer.objects.filter(source=line) | BudgetTransfer.objects.filter(
        target=line
    )
    for t in transfers.select_related("source__section", "target__section"):
        incoming = t.target_id == line.pk
        other = t.source if incoming else t.target
        template = _("%(kind)s（%(other)sから）") if incoming else _("%(kind)s（%(other)sへ）")
        label = template % {"kind": t.get_kind_display(), "other": f"{other.label} {other.item}"}
        events.append(
            (
                t.decided_on,
                1,
                t.pk,
                label,
                t.reason,
                t.decided_by,
                t.amount if incoming else -t.amount,
            )
        )
    events.sort(key=lambda e: e[:3])
    total = line.budgeted
    steps = [HistoryStep(None, _("当初予算"), "", "", line.budgeted, total)]
    for on, _order, _pk, label, reason, decided_by, amount in events:
        total = None if total is None else total + amount
        steps.append(HistoryStep(on, label, reason, decided_by, amount, total))
    return steps
