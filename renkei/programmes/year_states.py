"""The states of a fiscal year and the moves between them: one table, one writer.

``TRANSITIONS`` is the only statement of which move a year may make, from which states,
with which permission (renkei/tenancy/permissions.py) and whether it needs a reason.
``move_year`` is the only code that writes ``FiscalYear.state``. The services people
call — open, plan/run, close, reopen, report — are composed above, in
``renkei/reports/year_cycle.py``, where the settlement's balance (finance) and the issued
report (reports) can be checked (docs/adr/0010-year-life-cycle.md).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change
from renkei.errors import RenkeiError
from renkei.tenancy.permissions import Action, can

from .models import FiscalYear, FiscalYearState

S = FiscalYearState

# The states a secretariat moves a year between by hand.
OPEN_STATES = (S.PLANNING, S.RUNNING)
# A year in these states changes only with a stated reason (programmes.services).
LOCKED_STATES = (S.CLOSED, S.REPORTED)


@dataclass(frozen=True)
class Transition:
    """One move of a year: from ``sources`` to ``target``, allowed to ``action``."""

    sources: tuple[str, ...]
    target: str
    action: Action
    log_as: str = AuditEntry.Action.STATE
    # Why the move is refused from a state not in ``sources`` (per state, else "*").
    refused: Mapping[str, Promise] = field(default_factory=dict)
    # The message when a reason is required and missing; None: no reason required.
    reason_required: Promise | None = None


_NOT_FROM_HERE = _("%(year)sは今の状態からは変更できません。")
HAND_MOVES_ONLY = _("決算確定後の年度の状態は、ここでは変更できません。")
_HAND_MOVE_REFUSED = {"*": HAND_MOVES_ONLY}

TRANSITIONS: dict[str, Transition] = {
    "plan": Transition(
        (S.RUNNING,), S.PLANNING, Action.EDIT_YEAR, AuditEntry.Action.UPDATE, _HAND_MOVE_REFUSED
    ),
    "run": Transition(
        (S.PLANNING,), S.RUNNING, Action.EDIT_YEAR, AuditEntry.Action.UPDATE, _HAND_MOVE_REFUSED
    ),
    "close": Transition(
        OPEN_STATES,
        S.CLOSED,
        Action.CLOSE_YEAR,
        refused={"*": _("%(year)sはすでに決算確定済みです。")},
    ),
    "reopen": Transition(
        (S.CLOSED,),
        S.RUNNING,
        Action.CLOSE_YEAR,
        refused={
            S.REPORTED: _(
                "%(year)sは報告書を発行済みのため再開できません。訂正は理由を入力して行い、"
                "報告書の新しい版を発行してください。"
            ),
            "*": _("%(year)sは決算確定されていません。"),
        },
        reason_required=_("年度を再開する理由を入力してください。"),
    ),
    "report": Transition((S.CLOSED,), S.REPORTED, Action.ISSUE_REPORT, AuditEntry.Action.UPDATE),
}


def lock_year(year: FiscalYear) -> FiscalYear:
    """The year's row as saved now, locked for the rest of the transaction."""
    return FiscalYear.objects.select_for_update().select_related("union").get(pk=year.pk)


@transaction.atomic
def move_year(
    year: FiscalYear,
    user,
    name: str,
    *,
    reason: str = "",
    check: Callable[[FiscalYear], None] | None = None,
) -> FiscalYear:
    """Make the move ``TRANSITIONS[name]`` under the year's row lock and log it.

    ``check`` is the composing layer's own rule (the settlement's balance), run on the
    locked year after the table allows the move. ``user`` None is the installation's
    command line (see ``reports.services.issue_report``). The caller's ``year`` object
    gets the new state too."""
    step = TRANSITIONS[name]
    if user is not None and not can(user, step.action, year):
        raise PermissionDenied
    locked = lock_year(year)
    if locked.state not in step.sources:
        message = step.refused.get(locked.state) or step.refused.get("*") or _NOT_FROM_HERE
        raise RenkeiError(str(message) % {"year": locked})
    reason = (reason or "").strip()
    if step.reason_required is not None and not reason:
        raise RenkeiError(step.reason_required)
    if check is not None:
        check(locked)
    old, locked.state = locked.state, step.target
    locked.save(update_fields=["state"])
    record_change(
        user=user,
        action=step.log_as,
        instance=locked,
        union=locked.union,
        changes={"state": [old, locked.state]},
        reason=reason,
    )
    year.state = locked.state
    return locked
