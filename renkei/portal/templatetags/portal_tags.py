"""Template filters of the public pages: era dates, places and query strings."""

from django import template
from django.utils.http import urlencode

from renkei import wareki
from renkei.portal.calendar import location
from renkei.programmes.public import span

register = template.Library()


@register.filter
def date_range(activity) -> str:
    """令和7年3月11日(火)～12日(水), or an empty string without a schedule."""
    first, last, _f, _l = span(activity)
    return wareki.format_range(first, last, weekday=True) if first else ""


@register.filter
def iso_first(activity) -> str:
    first = span(activity)[0]
    return first.isoformat() if first else ""


@register.filter
def place(activity) -> str:
    return location(activity)


@register.filter
def fiscal_year(year: int) -> str:
    return f"{wareki.format_fiscal_year(year)}（{year}年度）"


@register.filter
def era_fiscal_year(year: int) -> str:
    """令和6年度"""
    return wareki.format_fiscal_year(year)


@register.filter
def era_date(value) -> str:
    return wareki.format_date(value, weekday=True) if value else ""


@register.simple_tag
def query_with(query, key, value) -> str:
    params = {k: v for k, v in query.items() if k != key}
    params[key] = str(value)
    return urlencode(params)


@register.simple_tag
def query_without(query, key) -> str:
    return urlencode({k: v for k, v in query.items() if k != key})
