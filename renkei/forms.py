"""Form fields shared by every screen: dates typed as 和暦 or ISO; integers read from
query strings and files."""

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from renkei import wareki

# ASCII digits only: str.isdigit() and int() also take "²" or "٣", which then fail or
# surprise later; 18 digits stay within a 64-bit database integer.
ASCII_INT = re.compile(r"[0-9]{1,18}")


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field ``name``, declared a ``ModelChoiceField`` (or a multiple one),
    to narrow its queryset or choices at binding (``form.fields`` holds plain Fields)."""
    return cast(forms.ModelChoiceField, form.fields[name])


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name``, declared a ``ChoiceField``, to set its choices."""
    return cast(forms.ChoiceField, form.fields[name])


def cleaned_data_of(form: forms.BaseForm) -> dict[str, Any]:
    """The form's cleaned data, for a ``clean()`` after ``super().clean()`` (which returns
    it, though Django's types allow None)."""
    return form.cleaned_data


def ascii_int(text) -> int | None:
    """The non-negative integer ``text`` spells in ASCII digits, else None."""
    if isinstance(text, str) and ASCII_INT.fullmatch(text):
        return int(text)
    return None


class WarekiDateInput(forms.DateInput):
    """A text input showing a stored date as 和暦 (R7.3.11 form is accepted back)."""

    input_type = "text"

    def format_value(self, value):
        if hasattr(value, "isoformat"):
            return wareki.format_date(value)
        return value

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "placeholder": "例: 令和7年3月11日 / R7.3.11 / 2025-03-11",
                "size": 24,
                **(attrs or {}),
            }
        )


class WarekiDateField(forms.DateField):
    """A date field that reads 令和7年3月11日, R7.3.11, 2025-03-11 and the like."""

    widget = WarekiDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "isoformat"):
            return value
        try:
            return wareki.parse_date(str(value))
        except wareki.WarekiError as error:
            raise ValidationError(str(error), code="invalid") from error

    def strptime(self, value, format):  # noqa: A002 - Django's signature
        return wareki.parse_date(value)
