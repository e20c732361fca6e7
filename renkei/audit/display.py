"""Reading the change log as a person would: a stored value shown through the model's
field (choices as their label, yes/no in words, related records by name, dates in 和暦),
internal fields left out, and schedules compared day by day. Renders what services
stored in ``AuditEntry.changes``; never changes it."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache, lru_cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from renkei import wareki
from renkei.tenancy.permissions import is_union_owned, union_path

from .services import field_label

# Keys that are bookkeeping, not content: ids, the optimistic-lock counter, timestamps
# the database sets, digests, the file a load came from and stored file paths.
INTERNAL_KEYS = frozenset(
    {
        "id",
        "pk",
        "version",
        "created_at",
        "updated_at",
        "sha256",
        "source",
        "password",
        "last_login",
        "data",
        "findings",
        "size",
    }
)
# Models where a key of INTERNAL_KEYS is content: an issued report's edition number.
CONTENT_KEYS = {"reports.issuedreport": frozenset({"version"})}
# The list of schedule days an activity's state keeps (programmes.services.activity_state).
SCHEDULE_KEYS = frozenset({"days"})
# Booleans whose label says more than はい/いいえ.
BOOLEAN_WORDS = {
    "is_public": (gettext_lazy("公開"), gettext_lazy("非公開")),
    "is_active": (gettext_lazy("有効"), gettext_lazy("無効")),
}
YES_NO = (gettext_lazy("はい"), gettext_lazy("いいえ"))
DELETED = gettext_lazy("（削除済み）")

_DAY = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:~(?P<end>\d{4}-\d{2}-\d{2}))?"
    r"(?: (?P<start_time>[\d:]*)-(?P<end_time>[\d:]*))?(?P<rest>.*)$"
)
_VENUES = re.compile(r"\s*\[(?P<venues>[^\]]*)\]$")
_PATH_IN_LABEL = re.compile(
    r"（[^（）]*[/\\][^（）]*）$|（[^（）]*\.(?:jpe?g|png|gif|webp|heic)）$", re.IGNORECASE
)


@lru_cache(maxsize=4096)  # fields are fixed once the apps are loaded; an export asks often
def _field(model_label: str, key: str):
    """The model's field ``key``; for a record of a user (a staff profile) whose service
    recorded a field of the user (is_active, username), the user's field."""
    try:
        meta = apps.get_model(model_label)._meta
    except (LookupError, ValueError):
        return None
    for candidate in (meta, _user_meta(meta)):
        try:
            return candidate.get_field(key) if candidate else None
        except FieldDoesNotExist:
            continue
    return None


def _user_meta(meta):
    try:
        user = meta.get_field("user")
    except FieldDoesNotExist:
        return None
    return user.related_model._meta if user.one_to_one else None


def is_internal(model_label: str, key: str) -> bool:
    """Whether a changed key is bookkeeping the history leaves out."""
    if key in CONTENT_KEYS.get(model_label, ()):
        return False
    found = _field(model_label, key)
    return key in INTERNAL_KEYS or isinstance(found, models.FileField | models.AutoField)


def _related_model(model_label: str, key: str):
    found = _field(model_label, key)
    if found is not None and found.is_relation and found.related_model is not None:
        return found.related_model
    return None


class Names:
    """Names of the records a page of entries refers to by id: collect every entry's ids
    first (``add``), then one query per kind of record (``resolve``), however many
    entries. A union-owned record is named only within the unions of the entries that
    refer to it, so an id never shows another union's record."""

    def __init__(self):
        self._wanted: dict[type, set] = {}
        self._unions: dict[type, set] = {}
        self._names: dict[tuple[type, str], str] = {}

    def add(self, model_label: str, changes, union_id=None) -> None:
        if not isinstance(changes, dict):
            return
        for key, value in changes.items():
            related = _related_model(model_label, key)
            if related is None:
                continue
            for pk in _flatten(value):
                if _is_id(pk):
                    self._wanted.setdefault(related, set()).add(int(pk))
                    self._unions.setdefault(related, set()).add(union_id)

    def resolve(self) -> "Names":
        for related, pks in self._wanted.items():
            manager = related._base_manager  # type: ignore[attr-defined]
            records = manager.select_related(*_naming_joins(related)).filter(pk__in=pks)
            unions = self._unions[related]
            if is_union_owned(related) and None not in unions:
                path = union_path(related)
                records = records.filter(**{f"{path}__in" if path else "pk__in": unions})
            for record in records:
                self._names[(related, str(record.pk))] = _name_of(record)
        self._wanted, self._unions = {}, {}
        return self

    def name(self, related, pk) -> str:
        return self._names.get((related, str(pk)), str(DELETED))


@cache
def _naming_joins(model, depth: int = 2) -> tuple[str, ...]:
    """The records a record's name may read (``__str__`` or ``label``: a budget line's
    section, a partnership's union and its organisation), to ``depth`` steps: joined into
    the one query per kind, so naming a thousand records never costs a query each."""
    joins: list[str] = []
    for found in model._meta.concrete_fields:
        if not found.is_relation or not (found.many_to_one or found.one_to_one):
            continue
        joins.append(found.name)
        if depth > 1 and found.related_model is not model:
            joins += [f"{found.name}__{deeper}" for deeper in _naming_joins(found.related_model, 1)]
    return tuple(joins)


def _is_id(value) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.isdigit()
    )


def _flatten(value) -> list:
    if isinstance(value, list | tuple):
        return [item for part in value for item in _flatten(part)]
    return [] if value is None else [value]


def _name_of(record) -> str:
    if hasattr(record, "get_full_name"):
        return record.get_full_name() or record.get_username()
    return str(getattr(record, "label", None) or record)


def format_datetime(value: datetime) -> str:
    """The staff screens' one way of writing a moment: 令和8年12月2日 10:30 (local time)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{wareki.format_date(local.date())} {local:%H:%M}"


def _date_text(text: str) -> str:
    try:
        return wareki.format_date(date.fromisoformat(text))
    except (ValueError, TypeError):
        return text


def _time_text(text: str) -> str:
    try:
        return time.fromisoformat(text).strftime("%H:%M")
    except (ValueError, TypeError):
        return text


def day_text(stored: str) -> str:
    """A schedule day as stored ("2026-12-02 10:00:00-12:00:00 備考 [会場]") in words:
    令和8年12月2日 10:00〜12:00 備考 / 会場."""
    match = _DAY.match(stored or "")
    if not match:
        return stored
    text = _date_text(match["date"])
    if match["end"]:
        text += "〜" + _date_text(match["end"])
    if match["start_time"] or match["end_time"]:
        text += f" {_time_text(match['start_time'])}〜{_time_text(match['end_time'])}"
    rest = match["rest"].strip()
    venues = _VENUES.search(rest)
    if venues:
        rest = rest[: venues.start()].strip()
    if rest:
        text += " " + rest
    if venues and venues["venues"]:
        text += " / " + venues["venues"]
    return text


def _day_key(stored: str) -> str:
    match = _DAY.match(stored or "")
    return match["date"] if match else stored


def without_path(label: str) -> str:
    """A photo's label as a service stored it, 「説明（photos/…/a.jpg）」, without the path;
    a photo known only by its path reads 「説明のない写真」."""
    text = str(label)
    if re.fullmatch(
        r"[^\s（）]*[/\\][^\s（）]*|[^\s（）]+\.(?:jpe?g|png|gif|webp|heic)", text, re.IGNORECASE
    ):
        return _("説明のない写真")
    return _PATH_IN_LABEL.sub("", text)


def value_text(model_label: str, key: str, value, names: Names | None = None) -> str:
    """One stored value as a person would say it, read through the model's field."""
    if value is None or value == "" or value == []:
        return "—"
    found = _field(model_label, key)
    if isinstance(value, list | tuple):
        return "、".join(value_text(model_label, key, item, names) for item in value)
    if found is None:
        return without_path(value) if isinstance(value, str) else _plain_text(value)
    related = _related_model(model_label, key)
    if related is not None and _is_id(value):
        return names.name(related, value) if names is not None else str(DELETED)
    if related is not None:  # a service stored the related records by name already
        return str(value)
    if getattr(found, "choices", None):
        labels = {str(k): v for k, v in found.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(found, models.BooleanField):
        yes, no = BOOLEAN_WORDS.get(key, YES_NO)
        return str(yes if value in (True, "True", "true", 1) else no)
    if isinstance(found, models.DateTimeField) and isinstance(value, str):
        try:
            return format_datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(found, models.DateField) and isinstance(value, str):
        return _date_text(value)
    if isinstance(found, models.TimeField) and isinstance(value, str):
        return _time_text(value)
    if key == "version" and model_label in CONTENT_KEYS:
        return _("第%(n)s版") % {"n": value}
    return _plain_text(value)


def _plain_text(value) -> str:
    if isinstance(value, bool):
        return str(YES_NO[0] if value else YES_NO[1])
    return str(value)


@dataclass
class ListChange:
    """One item of a changed list: the day (or item) it concerns and its old and new text
    ("—" where it was added or removed)."""

    item: str
    old: str
    new: str


def schedule_changes(old: list | None, new: list | None) -> list[ListChange]:
    """Two schedules compared day by day: a day changed, added or removed, in date order."""
    before = {_day_key(day): day for day in old or []}
    after = {_day_key(day): day for day in new or []}
    found = []
    for key in sorted(before.keys() | after.keys()):
        old_day, new_day = before.get(key), after.get(key)
        if old_day == new_day:
            continue
        found.append(
            ListChange(
                _date_text(key),
                day_text(old_day) if old_day else "—",
                day_text(new_day) if new_day else "—",
            )
        )
    return found


def key_label(model_label: str, key: str) -> str:
    """A changed key's Japanese name: the field's (``field_label``), for a relation left
    with Django's English default the related record's kind (union → 組合), for a user's
    field a service records beside a staff profile the user's field's."""
    return _key_label(model_label, key, get_language())


@lru_cache(maxsize=4096)  # per language: the names are translated, the fields fixed
def _key_label(model_label: str, key: str, language: str | None) -> str:
    found = _field(model_label, key)
    related = _related_model(model_label, key)
    if related is not None and str(getattr(found, "verbose_name", "")) == key.replace("_", " "):
        return str(related._meta.verbose_name)
    if found is not None and found.model._meta.label_lower != model_label:
        return str(found.verbose_name)  # the user's field, beside a staff profile
    return field_label(model_label, key)
