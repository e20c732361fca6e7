"""What a change to a record is, below every app: the record's fields as plain values
(``snapshot``), what changed (``diff``), a digest for optimistic locking
(``fingerprint``), the kinds of change (``ChangeAction``), and ``announce_change`` for
the layers below the audit app.

The audit app writes the change log (``audit.services.record_change``); apps above it
call it directly. Tenancy and the admin base sit below it and may not import it
(docs/adr/0009-layers.md): they announce the change and the audit app, connected in
``AuditConfig.ready``, records it synchronously, inside the announcing service's
transaction. A change that nobody records is refused, never lost silently.
"""

import hashlib
import json
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.dispatch import Signal
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    """The kinds of change the change log knows (``AuditEntry.Action``)."""

    CREATE = "create", _("作成")
    UPDATE = "update", _("変更")
    DELETE = "delete", _("削除")
    LOAD = "load", _("読み込み")
    STATE = "state", _("状態の変更")


def _plain(value):
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return sorted(_plain(v) for v in value)
    if hasattr(value, "name") and hasattr(value, "url"):  # file fields
        return value.name or ""
    return value


def snapshot(instance: models.Model) -> dict:
    """The instance's editable fields as JSON-ready values, for diffing."""
    data = model_to_dict(instance)
    return {key: _plain(value) for key, value in data.items()}


def fingerprint(instance: models.Model) -> str:
    """A short digest of the record's saved fields. A form sends back the fingerprint of
    what it showed; a different one under the row lock means someone saved in between
    (optimistic locking for records without a version column)."""
    data = json.dumps(snapshot(instance), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def diff(before: dict, after: dict) -> dict:
    """Fields whose value changed, as {field: [old, new]}."""
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


# Sent with user, action, instance, changes, reason, union.
changed = Signal()


def announce_change(
    *,
    user,
    action: ChangeAction,
    instance: models.Model,
    changes: dict | None = None,
    reason: str = "",
    union=None,
) -> None:
    """Have the change log record a change (call inside the service's transaction)."""
    responses = changed.send(
        sender=type(instance),
        user=user,
        action=action,
        instance=instance,
        changes=changes,
        reason=reason,
        union=union,
    )
    if not responses:
        raise ImproperlyConfigured("No change log records announced changes (renkei.audit).")
