"""Filters the report templates use: amounts in yen and dictionary look-ups."""

from django import template

from renkei.reports.formatting import yen as format_yen

register = template.Library()


@register.filter
def yen(amount):
    """3,018,451 (△ for a negative amount)."""
    return format_yen(amount)


@register.filter
def money_cell(cell):
    """A cell of the cost table: an amount or count with separators (3,018,451), or the
    word it holds (不明)."""
    return format_yen(cell) if isinstance(cell, int) else cell


@register.filter
def lookup(mapping, key):
    """mapping[key], or an empty string."""
    return mapping.get(key, "") if mapping else ""
