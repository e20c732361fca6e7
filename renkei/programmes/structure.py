"""Business rules for a year's structure, kept by the secretariat: the fiscal year's
fields, its programmes (事業), their numbered items (事業項目) and the report's prose.

These records carry no version column; a stale form is detected by a fingerprint of the
record as the form showed it (``fingerprint``), compared under a row lock when saving.
Every function runs in one transaction, checks ``Action.EDIT_YEAR``, writes the change
log and raises ``RenkeiError`` with a message a person can act on.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.audit.models import AuditEntry
from renkei.audit.services import diff, fingerprint, record_change, snapshot
from renkei.errors import RenkeiError
from renkei.tenancy.permissions import Action, can, union_of

from .models import ActivityGroup, FiscalYear, Programme
from .services import check_year_open, conflict, require_lock_token


def fiscal_year_of(instance) -> FiscalYear:
    if isinstance(instance, FiscalYear):
        return instance
    if isinstance(instance, ActivityGroup):
        return instance.programme.fiscal_year
    return instance.fiscal_year


def validated(instance) -> None:
    """The model's own rules (unique numbers, lengths, required fields) as one message."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise RenkeiError(" ".join(error.messages)) from error


def _locked_copy(instance, expected: str | None):
    require_lock_token(expected, "expected")
    locked = type(instance).objects.select_for_update().get(pk=instance.pk)
    if fingerprint(locked) != expected:
        raise conflict(snapshot(locked), locked._meta.label_lower, locked.pk, fingerprint(locked))
    return locked


def _lock_year(instance) -> FiscalYear:
    """Serialise structure changes of one year and return it as saved now."""
    year = fiscal_year_of(instance)
    if year.pk is None:
        return year
    return FiscalYear.objects.select_for_update().select_related("union").get(pk=year.pk)


@transaction.atomic
def save_record(instance, user, *, fields: dict, expected: str | None = None, reason: str = ""):
    """Create or update a fiscal year, programme, item or narrative section. ``expected``
    is the fingerprint the form was loaded with; a record changed since is refused."""
    if not can(user, Action.EDIT_YEAR, instance):
        raise PermissionDenied
    year = _lock_year(instance)
    check_year_open(year, reason)
    if instance.pk is None:
        locked, before = instance, {}
    else:
        locked = _locked_copy(instance, expected)
        before = snapshot(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    validated(locked)
    changes = diff(before, snapshot(locked))
    if not changes:
        return locked
    locked.save()
    record_change(
        user=user,
        instance=locked,
        union=union_of(locked),
        changes=changes,
        reason=reason,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
    )
    return locked


def _refuse_if_in_use(instance) -> None:
    if isinstance(instance, Programme) and instance.groups.exists():
        raise RenkeiError(
            _("この事業には項目があります。先に項目を削除するか、別の事業に移してください。")
        )
    if isinstance(instance, ActivityGroup) and instance.activities.exists():
        raise RenkeiError(
            _(
                "この項目には活動が登録されています。先に活動を削除するか、"
                "別の項目に移してください。"
            )
        )
    if isinstance(instance, FiscalYear):
        raise RenkeiError(_("年度は削除できません。"))


@transaction.atomic
def delete_record(instance, user, *, expected: str | None = None, reason: str = "") -> None:
    """Delete an empty programme or item, or a narrative section; nothing that still
    holds records below it."""
    if not can(user, Action.EDIT_YEAR, instance):
        raise PermissionDenied
    year = _lock_year(instance)
    check_year_open(year, reason)
    locked = _locked_copy(instance, expected)
    _refuse_if_in_use(locked)
    union = union_of(locked)
    before = snapshot(locked)
    record_change(
        user=user,
        action=AuditEntry.Action.DELETE,
        instance=locked,
        union=union,
        changes=diff(before, {}),
        reason=reason,
    )
    locked.delete()
