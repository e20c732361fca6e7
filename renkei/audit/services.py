"""Writing the change log. Every service that changes a record calls ``record_change``."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from renkei.changes import diff, fingerprint, snapshot

from .models import AuditEntry

# What a record's change is (snapshot, diff, fingerprint) is defined below the apps, in
# renkei.changes; the services above the audit app take it from here with the log.
__all__ = [
    "diff",
    "field_label",
    "fingerprint",
    "record_change",
    "record_announced_change",
    "snapshot",
]


def field_label(model_label: str, key: str) -> str:
    """The Japanese name of a field in the change log ("programmes.activity", "days" → 日程):
    the field's verbose name, or for a relation the related records' plural name; a key
    that is not a field (a label written by a service) is already the name."""
    try:
        found = apps.get_model(model_label)._meta.get_field(key)
    except (LookupError, ValueError, FieldDoesNotExist):
        return key
    name = getattr(found, "verbose_name", None) or found.related_model._meta.verbose_name_plural
    return str(name)


def record_change(
    *,
    user,
    action: str,
    instance: models.Model,
    changes: dict | None = None,
    reason: str = "",
    union=None,
) -> AuditEntry:
    """Append one entry to the change log (call inside the service's transaction)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEntry.objects.create(
        union=union,
        user=user,
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes or {},
        reason=reason,
    )


def record_announced_change(
    sender, *, user, action, instance, changes, reason, union, **_kwargs
) -> AuditEntry:
    """``renkei.changes.changed``: a change announced by a layer below the audit app
    (tenancy, the admin base), written in the announcing service's transaction."""
    return record_change(
        user=user,
        action=AuditEntry.Action(action),
        instance=instance,
        changes=changes,
        reason=reason,
        union=union,
    )
