"""The cost of the work: each activity's cost is the expenditure allocated to it
(``ExpenseAllocation``), and its cost per participant that cost over the known number of
participants, rounded to the yen (half up); an unknown number gives an unknown cost per
participant, never a number.

The external seminars' fee (研修負担金) is paid once for a series of sessions: it is
recorded as one expense spread over the sessions by ``SEMINAR_FEE_RULE`` (equally; the yen
that do not divide go one each to the first sessions), so that each session's cost reads
like any other activity's.
"""

from collections.abc import Sequence
from fractions import Fraction

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.errors import RenkeiError

from .expenses import Allocation, record_expense
from .models import Expense, ExpenseAllocation

SEMINAR_FEE_RULE = gettext_lazy(
    "研修負担金は受講した各回に均等に配分し、割り切れない円は最初の回から順に1円ずつ加えます。"
)
PER_PARTICIPANT_RULE = gettext_lazy(
    "1人当たりの費用は、活動の費用を出席者数で割り、円未満を四捨五入した額です。"
    "出席者数が分からない活動は「不明」とします。"
)


def spread_equally(amount: int, sessions: Sequence) -> list[Allocation]:
    """``amount`` yen over ``sessions`` (activities, in their order) by SEMINAR_FEE_RULE.
    Sessions that would get 0 yen (more sessions than yen) are left out."""
    if not sessions:
        raise RenkeiError(_("配分する研修の回がありません。"))
    base, left = divmod(amount, len(sessions))
    parts = [
        Allocation(session, base + (1 if n < left else 0)) for n, session in enumerate(sessions)
    ]
    return [part for part in parts if part.amount > 0]


def record_seminar_fee(line, user, *, sessions: Sequence, amount: int, **expense) -> Expense:
    """Record a seminar fee paid for ``sessions`` as one expense spread over them."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise RenkeiError(_("金額は1円以上の整数（円）で入力してください。"))
    return record_expense(
        line, user, amount=amount, allocations=spread_equally(amount, list(sessions)), **expense
    )


def activity_costs(fiscal_year) -> dict[int, int]:
    """Each activity's cost in yen (the expenditure allocated to it), by activity id;
    an activity without an allocation is absent, not 0 (one query)."""
    rows = (
        ExpenseAllocation.objects.filter(expense__line__fiscal_year=fiscal_year)
        .values("activity")
        .annotate(total=Sum("amount"))
    )
    return {row["activity"]: row["total"] for row in rows}


def expenditure_recorded(fiscal_year) -> tuple[int, int] | None:
    """The year's spending kept by record (the sum of its expenses) and the part of it
    allocated to activities; None when the year has no expense records (two queries)."""
    spent = Expense.objects.filter(line__fiscal_year=fiscal_year).aggregate(s=Sum("amount"))["s"]
    if spent is None:
        return None
    allocated = ExpenseAllocation.objects.filter(expense__line__fiscal_year=fiscal_year).aggregate(
        s=Sum("amount")
    )["s"]
    return spent, allocated or 0


def cost_per_participant(cost: int | None, participants: int | None) -> int | None:
    """The cost per participant to the yen (half up); None when either is unknown or
    nobody took part."""
    if cost is None or participants is None or participants <= 0:
        return None
    share = Fraction(cost, participants)
    return int(share + Fraction(1, 2))  # half up; costs are never negative
