"""Revenue through the year: assessments (調定), receipts (収入) and write-offs (不納欠損)
of income lines, and the carry-over (翌年度繰越額) of expenditure lines at settlement.

A line's 調定額, 収入済額 and 不納欠損額 are the sums of its records; 収入未済額 = 調定額 −
収入済額 − 不納欠損額, never negative: a receipt or write-off beyond what is assessed is
refused (record the 調定 first). As with expenses, a line is kept by line (its settled
amount typed, FY2024) or by record: the first receipt turns a line whose settled amount
is 0 into a line kept by record, and from then on ``BudgetLine.settled`` is its 収入済額,
kept so in the same transaction. Each service locks the year, checks
``Action.EDIT_BUDGET``, writes the change log and raises ``RenkeiError``."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from renkei import wareki
from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change
from renkei.errors import RenkeiError
from renkei.tenancy.permissions import Action, can

from .budget_changes import line_name, yen
from .expenses import CLOSING_PERIOD_END, _settle
from .models import BudgetLine, Carryover, Direction, RevenueKind, RevenueRecord
from .services import lock_open_year


@dataclass(frozen=True)
class LineRevenue:
    """An income line's revenue in yen; None where the line is kept by line (no records)
    and the amount is therefore not known."""

    assessed: int | None  # 調定額
    received: int  # 収入済額
    written_off: int | None  # 不納欠損額

    @property
    def outstanding(self) -> int | None:
        """収入未済額."""
        if self.assessed is None or self.written_off is None:
            return None
        return self.assessed - self.received - self.written_off


def revenue_of(lines) -> dict[int, LineRevenue]:
    """The revenue of the given income lines by line id (one query)."""
    lines = list(lines)
    sums: dict[int, dict[str, int]] = {}
    rows = (
        RevenueRecord.objects.filter(line__in=[line.pk for line in lines])
        .values("line", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        sums.setdefault(row["line"], {})[row["kind"]] = row["total"]
    result = {}
    for line in lines:
        own = sums.get(line.pk)
        if own is None:  # kept by line: only the settled (received) amount is known
            result[line.pk] = LineRevenue(None, line.settled, None)
        else:
            result[line.pk] = LineRevenue(
                own.get(RevenueKind.ASSESSED, 0),
                own.get(RevenueKind.RECEIVED, 0),
                own.get(RevenueKind.WRITTEN_OFF, 0),
            )
    return result


def _check_fields(line: BudgetLine, kind, recorded_on, payer: str, amount) -> None:
    if line.direction != Direction.INCOME:
        raise RenkeiError(_("調定・収入・不納欠損は収入の行に記録してください。"))
    if kind not in RevenueKind.values:
        raise RenkeiError(_("種類（調定・収入・不納欠損）を選んでください。"))
    if not isinstance(recorded_on, date):
        raise RenkeiError(_("日付を入力してください。"))
    first, last = wareki.fiscal_year_bounds(line.fiscal_year.year)
    end = date(last.year, *CLOSING_PERIOD_END)
    if not first <= recorded_on <= end:
        raise RenkeiError(
            _("日付は%(first)sから%(end)s（出納整理期間の終わり）までの日付にしてください。")
            % {"first": wareki.format_date(first), "end": wareki.format_date(end)}
        )
    if not (payer or "").strip():
        raise RenkeiError(_("納入者を入力してください。"))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise RenkeiError(_("金額は1円以上の整数（円）で入力してください。"))


def _lock_line(line: BudgetLine, what: str) -> BudgetLine:
    lock_open_year(line.fiscal_year, what)
    return (
        BudgetLine.objects.select_for_update(of=("self",))
        .select_related("section", "fiscal_year__union")
        .get(pk=line.pk)
    )


def _check_not_beyond_assessed(line: BudgetLine, revenue: LineRevenue) -> None:
    if revenue.outstanding is not None and revenue.outstanding < 0:
        raise RenkeiError(
            _(
                "%(line)sの収入済額と不納欠損額の合計（%(done)s円）が調定額（%(assessed)s円）を"
                "%(over)s円超えます。先に調定を記録してください。保存していません。"
            )
            % {
                "line": line_name(line),
                "done": yen((revenue.received or 0) + (revenue.written_off or 0)),
                "assessed": yen(revenue.assessed or 0),
                "over": yen(-revenue.outstanding),
            }
        )


@transaction.atomic
def record_revenue(
    line: BudgetLine,
    user,
    *,
    kind: str,
    recorded_on: date,
    payer: str,
    amount: int,
    note: str = "",
) -> RevenueRecord:
    """Record an assessment, receipt or write-off of an income line."""
    if not can(user, Action.EDIT_BUDGET, line):
        raise PermissionDenied
    line = _lock_line(line, _("収入の記録"))
    _check_fields(line, kind, recorded_on, payer, amount)
    if line.settled and not line.revenue_records.exists():
        raise RenkeiError(
            _(
                "%(line)sの決算額（%(settled)s円）は行ごとに入力されています。"
                "収入を記録するには、先に決算額を0円にしてください。"
            )
            % {"line": line_name(line), "settled": yen(line.settled)}
        )
    record = RevenueRecord.objects.create(
        line=line,
        kind=kind,
        recorded_on=recorded_on,
        payer=payer.strip(),
        amount=amount,
        note=(note or "").strip(),
    )
    revenue = revenue_of([line])[line.pk]
    _check_not_beyond_assessed(line, revenue)
    if revenue.received != line.settled:
        _settle(line, user, revenue.received, reason=_("収入の記録"))
    record_change(
        user=user,
        action=AuditEntry.Action.CREATE,
        instance=record,
        union=line.fiscal_year.union,
        changes={
            "kind": [None, record.get_kind_display()],
            "recorded_on": [None, recorded_on.isoformat()],
            "payer": [None, record.payer],
            "amount": [None, amount],
            "line": [None, line_name(line)],
        },
    )
    return record


@transaction.atomic
def delete_revenue(record: RevenueRecord, user, *, reason: str) -> None:
    """Remove a wrongly recorded assessment, receipt or write-off, with a reason."""
    if not can(user, Action.EDIT_BUDGET, record):
        raise PermissionDenied
    if not (reason or "").strip():
        raise RenkeiError(_("削除の理由を入力してください。"))
    line = _lock_line(record.line, _("収入の記録"))
    record = RevenueRecord.objects.get(pk=record.pk)
    record_change(
        user=user,
        action=AuditEntry.Action.DELETE,
        instance=record,
        union=line.fiscal_year.union,
        reason=reason.strip(),
        changes={
            "kind": [record.get_kind_display(), None],
            "recorded_on": [record.recorded_on.isoformat(), None],
            "payer": [record.payer, None],
            "amount": [record.amount, None],
        },
    )
    record.delete()
    revenue = revenue_of([line])[line.pk]
    _check_not_beyond_assessed(line, revenue)
    if revenue.received != line.settled:
        _settle(line, user, revenue.received, reason=reason.strip())


@transaction.atomic
def record_carryover(line: BudgetLine, user, *, amount: int, reason: str) -> Carryover | None:
    """Set (or, with 0, remove) the amount of an expenditure line carried into the next
    year; it may not exceed what is left of the line's budget in force."""
    from .execution import execution_of_line

    if not can(user, Action.EDIT_BUDGET, line):
        raise PermissionDenied
    line = _lock_line(line, _("翌年度繰越額"))
    if line.direction != Direction.EXPENDITURE or line.is_reserve:
        raise RenkeiError(_("翌年度繰越額は予備費以外の支出の行に記録してください。"))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise RenkeiError(_("翌年度繰越額は0円以上の整数（円）で入力してください。"))
    if not (reason or "").strip():
        raise RenkeiError(_("理由を入力してください。"))
    execution = execution_of_line(line)
    if execution.remaining is None:
        raise RenkeiError(
            _("%(line)sは当初予算額が入力されていないため、翌年度繰越額を記録できません。")
            % {"line": line_name(line)}
        )
    existing = Carryover.objects.filter(line=line).first()
    before = existing.amount if existing else 0
    left = execution.remaining + before  # what is left before this line's carry-over
    if amount > left:
        raise RenkeiError(
            _(
                "翌年度繰越額（%(amount)s円）が%(line)sの残額（%(left)s円）を%(over)s円超えます。"
                "保存していません。"
            )
            % {
                "amount": yen(amount),
                "line": line_name(line),
                "left": yen(left),
                "over": yen(amount - left),
            }
        )
    record_change(
        user=user,
        action=AuditEntry.Action.UPDATE,
        instance=line,
        union=line.fiscal_year.union,
        reason=reason.strip(),
        changes={_("翌年度繰越額"): [before, amount]},
    )
    if amount == 0:
        if existing:
            existing.delete()
        return None
    carryover, _created = Carryover.objects.update_or_create(
        line=line, defaults={"amount": amount, "reason": reason.strip()}
    )
    return carryover
