"""Grants (補助金・助成金): what was applied for and what was granted, per year.

The amount granted stays unknown (None) until the grantor decides; a decision has both
its date and its amount. Every change is in the change log."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change
from renkei.errors import ConflictError, RenkeiError
from renkei.tenancy.permissions import Action, can

from .models import Grant
from .services import lock_open_year

MAX_AMOUNT = 10**15
FIELDS = (
    "grantor",
    "purpose",
    "applied_on",
    "applied_amount",
    "decided_on",
    "granted_amount",
    "note",
)


@dataclass(frozen=True)
class GrantValues:
    """A grant as entered: the application, and the decision once known."""

    grantor: str
    purpose: str
    applied_on: date
    applied_amount: int
    decided_on: date | None = None
    granted_amount: int | None = None
    note: str = ""


def _amount(value, label: str, *, optional: bool = False):
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AMOUNT:
        raise RenkeiError(_("%(label)sは0以上の整数（円）で入力してください。") % {"label": label})
    return value


def _checked(values: GrantValues) -> dict:
    grantor, purpose = (values.grantor or "").strip(), (values.purpose or "").strip()
    if not grantor:
        raise RenkeiError(_("交付団体を入力してください。"))
    if not purpose:
        raise RenkeiError(_("名称・目的を入力してください。"))
    if not isinstance(values.applied_on, date):
        raise RenkeiError(_("申請日を入力してください。"))
    if (values.decided_on is None) != (values.granted_amount is None):
        raise RenkeiError(_("交付決定日と交付決定額は両方入力するか、両方空欄にしてください。"))
    if values.decided_on is not None and values.decided_on < values.applied_on:
        raise RenkeiError(_("交付決定日は申請日より後の日付にしてください。"))
    return {
        "grantor": grantor,
        "purpose": purpose,
        "applied_on": values.applied_on,
        "applied_amount": _amount(values.applied_amount, _("申請額")),
        "decided_on": values.decided_on,
        "granted_amount": _amount(values.granted_amount, _("交付決定額"), optional=True),
        "note": (values.note or "").strip(),
    }


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def save_grant(
    fiscal_year, user, values: GrantValues, *, grant: Grant | None = None, version=None
) -> Grant:
    """Record a new grant of the year, or change ``grant`` (loaded at ``version``: a
    change saved since is refused, not overwritten). Refused for a closed year."""
    target = grant or fiscal_year
    if not can(user, Action.EDIT_BUDGET, target):
        raise PermissionDenied
    data = _checked(values)
    with transaction.atomic():
        lock_open_year(fiscal_year, _("補助金・助成金"))
        if grant is None:
            grant, before, action = Grant(fiscal_year=fiscal_year), {}, AuditEntry.Action.CREATE
        else:
            grant = Grant.objects.select_for_update().get(pk=grant.pk, fiscal_year=fiscal_year)
            if version is not None and grant.version != version:
                raise ConflictError(
                    _("この補助金・助成金は他の人が先に更新しました。画面を開き直してください。")
                )
            before = {name: getattr(grant, name) for name in FIELDS}
            action = AuditEntry.Action.UPDATE
            grant.version += 1
        for name, value in data.items():
            setattr(grant, name, value)
        grant.save()
        record_change(
            user=user,
            action=action,
            instance=grant,
            union=fiscal_year.union,
            changes={
                name: [_plain(before.get(name)), _plain(value)]
                for name, value in data.items()
                if before.get(name) != value
            },
        )
    return grant


def delete_grant(grant: Grant, user, *, reason: str) -> None:
    """Remove a wrongly recorded grant, with a reason; the change log keeps it."""
    if not can(user, Action.EDIT_BUDGET, grant):
        raise PermissionDenied
    if not (reason or "").strip():
        raise RenkeiError(_("削除の理由を入力してください。"))
    with transaction.atomic():
        lock_open_year(grant.fiscal_year, _("補助金・助成金"))
        record_change(
            user=user,
            action=AuditEntry.Action.DELETE,
            instance=grant,
            union=grant.fiscal_year.union,
            reason=reason.strip(),
            changes={name: [_plain(getattr(grant, name)), None] for name in FIELDS},
        )
        grant.delete()
