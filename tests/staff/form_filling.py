"""Filling a staff form the way a person would: start from what the page shows (so the
lock tokens and untouched fields are sent back), then give fields new valid values chosen
from each field's type and choices. Used by the round-trip and lost-update tests."""

from datetime import date, time

from django import forms
from django.db import models

from renkei.forms import WarekiDateField
from renkei.staff.forms import AttendanceValueField

# The token an edit form was loaded at (hidden); it is sent back as shown, never changed.
LOCK_FIELDS = {"version", "expected"}
NEW_DATE = date(2024, 12, 3)


def _plain(value) -> object:
    """A value as a form posts it: "on"/"" for booleans, ISO dates, HH:MM times."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def shown_value(bound) -> object:
    """The POST value of a bound field as the page rendered it."""
    return _plain(bound.value())


def post_data(form, prefix: str = "") -> dict:
    """Every field of ``form`` as the page shows it (the booleans left out when false,
    as a browser does)."""
    data = {}
    for bound in form:
        value = shown_value(bound)
        if isinstance(bound.field, forms.BooleanField) and value != "on":
            continue
        data[bound.html_name if not prefix else f"{prefix}-{bound.name}"] = value
    return data


def _flat_choices(field) -> list[str]:
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):
            values += [str(v) for v, _label in label]
        else:
            values.append(str(value))
    return [v for v in values if v != ""]


def new_value(name: str, field, current):
    """A valid value for ``field`` other than ``current`` (the shown value)."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        pks = [str(pk) for pk in field.queryset.order_by("pk").values_list("pk", flat=True)]
        picked = pks[:2] if set(pks[:2]) != set(current or []) else pks[-1:]
        return picked
    if isinstance(field, forms.ModelChoiceField):
        pks = [str(pk) for pk in field.queryset.order_by("pk").values_list("pk", flat=True)]
        other = next((pk for pk in pks if pk != current), None)
        if other is None and not field.required:
            return ""  # the only choice is the current one: clearing it is the change
        return other
    if isinstance(field, forms.ChoiceField):
        return next(v for v in _flat_choices(field) if v != current)
    if isinstance(field, forms.BooleanField):
        return "" if current == "on" else "on"
    if isinstance(field, forms.IntegerField):
        number = int(current) + 1 if str(current).isdigit() else 7
        return str(min(number, field.max_value) if field.max_value is not None else number)
    if isinstance(field, WarekiDateField | forms.DateField):
        return NEW_DATE.isoformat() if current != NEW_DATE.isoformat() else "2024-12-04"
    if isinstance(field, forms.TimeField):
        return "09:30" if current != "09:30" else "10:45"
    if isinstance(field, AttendanceValueField):  # a count, 「参加」 or empty
        return (
            str(int(current) + 1) if str(current).isdigit() else ("参加" if current == "" else "7")
        )
    if isinstance(field, forms.EmailField):
        return "new-address@example.jp"
    if isinstance(field, forms.CharField):
        text = f"試験の{name}"
        return text[: field.max_length] if field.max_length else text
    raise AssertionError(f"no test value for {name} ({type(field).__name__}): add one")


def as_stored(value):
    """A model attribute as a comparable plain value (related objects by pk)."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, models.Manager):
        return sorted(str(pk) for pk in value.values_list("pk", flat=True))
    return _plain(value)


def as_posted(value):
    return sorted(value) if isinstance(value, list) else value


NOT_SAVED = {
    "seen_": "the value the page showed: the lock of an attendance row, compared, not stored",
    "DELETE": "the formset's delete box removes the row instead of storing a value",
}


def skipped(name: str) -> bool:
    return name in LOCK_FIELDS or any(name.startswith(prefix) for prefix in NOT_SAVED)


def fill(form, prefix: str = "", **fixed) -> tuple[dict, dict]:
    """(POST data, {field: value}) for ``form``: what the page shows, every field other
    than a lock given a new valid value (or the one in ``fixed``)."""
    data = post_data(form, prefix)
    changed = {}
    for bound in form:
        if skipped(bound.name):
            continue
        value = (
            fixed[bound.name]
            if bound.name in fixed
            else new_value(bound.name, bound.field, shown_value(bound))
        )
        key = f"{prefix}-{bound.name}" if prefix else bound.html_name
        data.pop(key, None)
        if value not in ("", []):
            data[key] = value
        changed[bound.name] = value
    return data, changed
