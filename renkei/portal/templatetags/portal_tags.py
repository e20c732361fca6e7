"""Template filters of the public pages: era dates, places and query strings."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from renkei import wareki
from renkei.portal.calendar import location
from renkei.portal.cards import Card, card_of
from renkei.programmes.public import span

register = template.Library()


@register.filter
def date_range(activity) -> str:
    """令和7年3月11日(火)～12日(水), or an empty string without a schedule."""
    first, last, _f, _l = span(activity)
    return wareki.format_range(first, last, weekday=True) if first else ""


def card(activity) -> Card:
    """The card of an activity: itself if it is one, else built from the model instance."""
    return activity if isinstance(activity, Card) else card_of(activity)


@register.simple_tag
def activity_card(activity) -> str:
    """An activity's card (``<li class="card">``), built here rather than with an
    ``{% include %}`` per card, which cost a timeline page about a fifth of its render."""
    c = card(activity)
    label = wareki.format_fiscal_year(c.fiscal_year)
    when = c.when or _("%(label)s（日付の記録なし）") % {"label": label}
    return format_html(
        '<li class="card">\n'
        '  <h3 class="card-title"><a href="{}">{}<span class="card-year">（{}）</span></a></h3>\n'
        '  <p class="card-meta">{}{}</p>\n'
        '  <ul class="tags" aria-label="{}">\n'
        '    <li class="tag">{}</li>\n'
        "    {}\n"
        "    {}\n"
        "  </ul>\n"
        "</li>\n",
        reverse("portal:activity_detail", args=[c.pk]),
        c.title,
        label,
        when,
        format_html("　{}", c.place) if c.place else "",
        _("分類"),
        c.kind_label,
        format_html_join("", '<li class="tag tag-pillar">{}</li>', ((p,) for p in c.pillars)),
        format_html_join("", '<li class="tag">{}</li>', ((n,) for n in c.leads)),
    )


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


@register.filter
def updated_on(moment) -> str:
    """A page's update date in the one date style of the site: 令和8年12月2日."""
    return wareki.format_date(timezone.localdate(moment)) if moment else ""


@register.filter
def local_iso_date(moment) -> str:
    return timezone.localdate(moment).isoformat() if moment else ""


@register.filter
def month_label(first) -> str:
    """令和6年11月"""
    return wareki.format_date(first).rsplit("月", 1)[0] + "月" if first else ""


@register.filter
def month_param(first) -> str:
    return f"{first.year:04d}-{first.month:02d}" if first else ""


@register.filter
def webcal(url: str) -> str:
    """A feed's address for calendar apps to subscribe to (webcal://, or webcals://)."""
    scheme, sep, rest = url.partition("://")
    return f"webcal://{rest}" if sep and scheme in ("http", "https") else url
