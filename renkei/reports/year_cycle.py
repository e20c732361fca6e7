"""A fiscal year's life cycle, the one module every caller uses (staff screens, admin,
commands, issuing the report): open a year, move it between planning and running, close
it (決算確定), reopen it with a reason, and mark it reported (報告済み).

Each function checks its own permission, runs in one transaction and writes the change
log. Which move is allowed from which state, to whom, and with what reason is the table
in ``renkei/programmes/year_states.py`` (the only writer of the state); this module adds
what only the higher layers know: closing needs a balanced settlement (finance), and a
year is reported when its public report is issued (reports). It lives in reports because
that is the highest layer its steps need (docs/adr/0010-year-life-cycle.md).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.audit.models import AuditEntry
from renkei.audit.services import diff, record_change, snapshot
from renkei.errors import RenkeiError
from renkei.finance.statement import statement_for
from renkei.programmes.models import ActivityGroup, FiscalYear, FiscalYearState, Programme
from renkei.programmes.structure import validated
from renkei.programmes.year_states import (
    HAND_MOVES_ONLY,
    OPEN_STATES,
    TRANSITIONS,
    lock_year,
    move_year,
)
from renkei.tenancy.permissions import Action, can

from .models import IssuedReport, ReportEdition


@transaction.atomic
def open_fiscal_year(
    union,
    user,
    *,
    year: int,
    plan=None,
    report_title: str = "",
    copy_from: FiscalYear | None = None,
) -> FiscalYear:
    """Open a new fiscal year in planning, optionally with the programmes and items of an
    earlier year (numbers, names, kinds and providers; no activities, money or prose)."""
    new = FiscalYear(union=union, year=year, plan=plan, report_title=report_title)
    if not can(user, Action.EDIT_YEAR, new):
        raise PermissionDenied
    if copy_from is not None and copy_from.union_id != union.pk:
        raise PermissionDenied
    if FiscalYear.objects.filter(union=union, year=year).exists():
        raise RenkeiError(_("%(year)sはすでにあります。") % {"year": new})
    validated(new)
    new.save()
    copied = [_copy_programme(programme, new) for programme in _programmes_of(copy_from)]
    changes = diff({}, snapshot(new))
    if copied:
        changes[_("引き継いだ事業")] = [None, "、".join(copied)]
    record_change(
        user=user, action=AuditEntry.Action.CREATE, instance=new, union=union, changes=changes
    )
    return new


def _programmes_of(year: FiscalYear | None):
    return [] if year is None else year.programmes.prefetch_related("groups")


def _copy_programme(programme: Programme, into: FiscalYear) -> str:
    twin = Programme.objects.create(fiscal_year=into, number=programme.number, name=programme.name)
    ActivityGroup.objects.bulk_create(
        ActivityGroup(
            programme=twin,
            number=g.number,
            title=g.title,
            short_title=g.short_title,
            kind=g.kind,
            provider_id=g.provider_id,
            note=g.note,
        )
        for g in programme.groups.all()
    )
    return programme.name


@transaction.atomic
def set_fiscal_year_state(year: FiscalYear, user, *, state: str) -> FiscalYear:
    """Move a year between planning and running by hand; choosing the state it is in
    changes nothing. Closing is ``close_fiscal_year``, reporting is issuing the report."""
    if not can(user, TRANSITIONS["run"].action, year):
        raise PermissionDenied
    if state not in OPEN_STATES:
        raise RenkeiError(HAND_MOVES_ONLY)
    locked = lock_year(year)
    if locked.state == state:
        return locked
    return move_year(year, user, "plan" if state == FiscalYearState.PLANNING else "run")


def close_fiscal_year(year: FiscalYear, user) -> FiscalYear:
    """Fix the settlement (決算確定): the year is locked and later changes need a reason.

    Refused for a year without lines and for one whose settled income and expenditure
    differ (the statement's 差引 is not 0): the report's 収支決算書 and its check before
    issuing require that balance, so a year closed otherwise could not be reported."""
    return move_year(year, user, "close", check=_settlement_closes)


def _settlement_closes(locked: FiscalYear) -> None:
    if not locked.budget_lines.exists():
        raise RenkeiError(
            _("%(year)sには予算・決算の行がないため、決算を確定できません。") % {"year": locked}
        )
    statement = statement_for(locked)
    if not statement.balanced:
        raise RenkeiError(
            _(
                "収入と支出の決算額が一致しません（差引 %(diff)s円）。行を確認してから確定してください。"
            )
            % {"diff": f"{statement.difference:,}"}
        )


def reopen_fiscal_year(year: FiscalYear, user, *, reason: str) -> FiscalYear:
    """Reopen a closed year (決算確定 → 実施中) for the secretariat, with a stated reason
    kept in the change log. A reported year is not reopened: its report is issued, and a
    correction is made with a reason and a new version of the report."""
    return move_year(year, user, "reopen", reason=reason)


def mark_fiscal_year_reported(year: FiscalYear, issued: IssuedReport, user) -> None:
    """A closed year whose public edition has just been issued becomes 報告済み (the state
    the portal's /annual-reports/ then agrees with); any other issue leaves it as it is.
    Called by ``issue_report`` inside its transaction, with the year's row locked."""
    if issued.edition != ReportEdition.PUBLIC or year.state != FiscalYearState.CLOSED:
        return
    move_year(
        year,
        user,
        "report",
        reason=_("公開版の報告書（%(name)s）を発行したため")
        % {"name": issued.file.name.rsplit("/", 1)[-1]},
    )
