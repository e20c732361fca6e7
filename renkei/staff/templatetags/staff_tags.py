"""Template filters of the staff screens: 和暦 dates, yen, sanitised Markdown, permissions."""

import markdown as markdown_lib  # type: ignore[import-untyped, unused-ignore]  # no types in some releases
import nh3
from django import template
from django.utils.safestring import mark_safe

from renkei import wareki
from renkei.audit.display import format_datetime
from renkei.staff.history_queries import changes_of, names_for
from renkei.tenancy.permissions import Action, can

register = template.Library()

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "a",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


@register.filter
def markdown(text: str) -> str:
    """Markdown to HTML, then cleaned to an allow-list (no scripts, no event handlers)."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists", "tables"])
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, link_rel="noopener noreferrer"))  # noqa: S308


@register.filter
def wareki_date(value, weekday: bool = False) -> str:
    return wareki.format_date(value, weekday=bool(weekday)) if value else ""


@register.filter
def wareki_datetime(value) -> str:
    """A moment as every staff screen writes it: 令和8年12月2日 10:30 (Japan time)."""
    return format_datetime(value) if value else ""


@register.filter
def may(user, action: str) -> bool:
    """Whether the user may do ``action`` (an ``Action`` value), for menus:
    ``{% if user|may:"view_history" %}``."""
    return can(user, Action(action))


@register.filter
def yen(value) -> str:
    if value is None or value == "":
        return ""
    return f"{int(value):,}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def subtract(value, other):
    return None if value is None else int(value) - int(other or 0)


@register.filter
def changes(entry) -> list:
    """An audit entry's changes as labelled old → new pairs (Japanese field names)."""
    return changes_of(entry)


@register.filter
def with_changes(entries) -> list:
    """Entries paired with their changes in words, the records they name by id looked up
    once for all of them: ``{% for entry, changes in history|with_changes %}``."""
    entries = list(entries or [])
    names = names_for(entries)
    return [(entry, changes_of(entry, names)) for entry in entries]
