"""The union's change log for the history page and its export: filtered entries, and
rows of plain values (when, who, which record and its page, what changed) built with a
fixed number of queries."""

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from renkei import wareki
from renkei.audit import display
from renkei.audit.models import AuditEntry
from renkei.finance.models import BudgetLine
from renkei.programmes.models import Activity
from renkei.tenancy.permissions import Action, can

ACTIVITY, BUDGET_LINE = "programmes.activity", "finance.budgetline"


@dataclass
class Change:
    """One changed field: its label, and the old and new values (``old`` is None when the
    entry recorded a value only, as on creation)."""

    label: str
    old: str | None
    new: str
    whole: bool = False  # shown in full (a schedule day), not cut around the difference

    def __str__(self) -> str:
        return self.new if self.old is None else f"{self.old} → {self.new}"

    def excerpts(self, width: int = 80) -> tuple[str | None, str]:
        """The old and new values cut to ``width`` characters around where they first
        differ, so a change at the end of a long text is seen, not cut off."""
        old, new = self.old, self.new
        if self.whole:
            return old, new
        start = 0
        if old is not None:
            same = next(
                (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
                min(len(old), len(new)),
            )
            start = max(0, same - width // 4)

        def cut(text: str) -> str:
            piece = text[start : start + width]
            return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")

        return (None if old is None else cut(old)), cut(new)

    @property
    def old_excerpt(self) -> str | None:
        return self.excerpts()[0]

    @property
    def new_excerpt(self) -> str:
        return self.excerpts()[1]


@dataclass
class HistoryRow:
    """One audit entry as the page and the export show it."""

    at: datetime
    date_label: str
    time_label: str
    user_name: str
    action: str
    kind: str
    record: str
    object_id: str
    url: str | None
    reason: str
    changes: list[Change] = field(default_factory=list)


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def history_entries(user, filters: dict):
    """The change log of the user's union, newest first, filtered by period (dates, both
    ends included), user, kind of record, operation and words in the record or reason."""
    queryset = AuditEntry.objects.select_related("user").restrict(user)
    if filters.get("date_from"):
        queryset = queryset.filter(at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        queryset = queryset.filter(at__lt=_start_of(filters["date_to"] + timedelta(days=1)))
    if filters.get("user"):
        queryset = queryset.filter(user=filters["user"])
    if filters.get("model"):
        queryset = queryset.filter(model=filters["model"])
    if filters.get("action"):
        queryset = queryset.filter(action=filters["action"])
    text = unicodedata.normalize("NFKC", filters.get("q") or "").strip()
    for word in text.split():
        queryset = queryset.filter(Q(object_repr__icontains=word) | Q(reason__icontains=word))
    return queryset.order_by("-at", "-id")


def model_label(label: str) -> str:
    """The Japanese name of a kind of record ("programmes.activity" → 活動)."""
    return _model_label(label, get_language())


@cache  # per language: the names are translated, the models fixed
def _model_label(label: str, language: str | None) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def kind_choices(user) -> list[tuple[str, str]]:
    """The kinds of record that appear in the user's union's change log."""
    labels = (
        AuditEntry.objects.all()
        .restrict(user)
        .order_by()
        .values_list("model", flat=True)
        .distinct()
    )
    return sorted(((label, model_label(label)) for label in labels), key=lambda c: c[1])


def history_users(union):
    """Everyone who works for the union, also those no longer active (they made history)."""
    return (
        get_user_model()
        .objects.filter(staff_profile__union=union)
        .order_by("-is_active", "username")
    )


def user_name(user) -> str:
    return (user.get_full_name() or user.username) if user else "—"


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(_text(v) for v in value) or "—"
    return str(value)


def _field_order(label: str, key: str) -> tuple[int, str]:
    """Changes in the order of the model's fields, then other keys by name: the same on
    every database (PostgreSQL's jsonb keeps no key order)."""
    positions = _field_positions(label)
    return (positions.get(key, len(positions)), key)


@cache  # a model's fields are fixed once the apps are loaded
def _field_positions(label: str) -> dict[str, int]:
    try:
        fields = apps.get_model(label)._meta.get_fields()
    except (LookupError, ValueError):
        return {}
    positions: dict[str, int] = {}
    for index, found in enumerate(fields):
        positions.setdefault(found.name, index)
    return positions


def names_for(entries) -> display.Names:
    """The names of every record ``entries`` refer to by id: one query per kind."""
    names = display.Names()
    for entry in entries:
        names.add(entry.model, entry.changes, entry.union_id)
    return names.resolve()


def changes_of(entry: AuditEntry, names: display.Names | None = None) -> list[Change]:
    """The entry's changes as labelled old → new pairs in words (choices' labels, names
    instead of ids, 和暦 dates), internal fields left out and a schedule day by day; a bare
    value (as recorded on creation or for a load) has no old value. ``names`` resolves
    ids for a whole page at once (``names_for``); without it, this entry's alone."""
    if names is None:
        names = names_for([entry])
    changes = entry.changes if isinstance(entry.changes, dict) else {"": entry.changes}
    found = []
    for key, value in sorted(changes.items(), key=lambda item: _field_order(entry.model, item[0])):
        if display.is_internal(entry.model, key):
            continue
        label = display.key_label(entry.model, key)
        pair = isinstance(value, list) and len(value) == 2
        if key in display.SCHEDULE_KEYS and (pair or isinstance(value, list)):
            old, new = (
                value if pair and all(isinstance(v, list | None) for v in value) else (None, value)
            )
            for day in display.schedule_changes(old, new):
                found.append(
                    Change(
                        f"{label}（{day.item}）",
                        None if old is None else day.old,
                        day.new,
                        whole=True,
                    )
                )
            continue

        def text(v, key=key):
            return display.value_text(entry.model, key, v, names)

        if pair:
            old, new = text(value[0]), text(value[1])
            if old != new:  # None → "" on creation is no change to a reader
                found.append(Change(label, old, new))
        else:
            found.append(Change(label, None, text(value)))
    return found


def record_links(entries, user) -> dict[tuple[str, str], str]:
    """Staff pages of the activities and budget lines among ``entries`` that still exist
    and the user may open: two queries, however many entries."""
    ids: dict[str, set[int]] = {ACTIVITY: set(), BUDGET_LINE: set()}
    for entry in entries:
        if entry.model in ids and entry.object_id.isdigit():
            ids[entry.model].add(int(entry.object_id))
    links = {}
    if ids[ACTIVITY]:
        for pk in (
            Activity.objects.filter(pk__in=ids[ACTIVITY])
            .restrict(user)
            .values_list("pk", flat=True)
        ):
            links[(ACTIVITY, str(pk))] = reverse("staff:activity_detail", args=[pk])
    if ids[BUDGET_LINE]:
        lines = BudgetLine.objects.filter(pk__in=ids[BUDGET_LINE]).restrict(user)
        may_edit = can(user, Action.EDIT_BUDGET)
        for pk, year in lines.values_list("pk", "fiscal_year__year"):
            links[(BUDGET_LINE, str(pk))] = (
                reverse("staff:budget_line_edit", args=[pk])
                if may_edit
                else f"{reverse('staff:budget')}?year={year}"
            )
    return links


def history_row(
    entry: AuditEntry, url: str | None = None, names: display.Names | None = None
) -> HistoryRow:
    """One entry (with its user selected) as plain values."""
    local = timezone.localtime(entry.at)
    return HistoryRow(
        at=local,
        date_label=wareki.format_date(local.date()),
        time_label=local.strftime("%H:%M"),
        user_name=user_name(entry.user),
        action=entry.get_action_display(),
        kind=model_label(entry.model),
        record=entry.object_repr,
        object_id=entry.object_id,
        url=url,
        reason=entry.reason,
        changes=changes_of(entry, names),
    )


def history_rows(entries, user) -> list[HistoryRow]:
    """Rows of one page, with links to the records' staff pages."""
    entries = list(entries)
    links, names = record_links(entries, user), names_for(entries)
    return [
        history_row(entry, links.get((entry.model, entry.object_id)), names) for entry in entries
    ]
