"""Writing the change log. Every service that changes a record calls ``record_change``."""

import hashlib
import json
from datetime import date, datetime, time
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms.models import model_to_dict

from .models import AuditEntry


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


def diff(before: dict, after: dict) -> dict:
    """Fields whose value changed, as {field: [old, new]}."""
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def record_change(*, user, action: str, instance: models.Model, changes: dict | None = None,
                  reason: str = "", union=None) -> AuditEntry:
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
