"""What is known of an activity's attendance, and the report's phrase for it.

The records keep what the source knows, in any mix:

- a count per organisation (``Attendance.count``);
- an organisation that took part without a count (``Attendance.count`` is None);
- how many member municipalities of each kind took part, named or not
  (``AttendanceComposition``: 「置賜3市4町」 when the source does not say which);
- a recorded total (``Activity.attendee_total``).

``KnownAttendance`` is the one reading of those records every output uses: the phrase
(「置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名」), the total, and the part of
the total no organisation is credited with (内訳不明). A recorded total stands until the
counts account for it; counts never replace it.
"""

import unicodedata
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

# Member municipalities are counted by kind under the union's region name, in this order.
KIND_SUFFIXES = (("city", "市"), ("special_ward", "区"), ("town", "町"), ("village", "村"))
MUNICIPALITY_KINDS = tuple(kind for kind, _suffix in KIND_SUFFIXES)

# An organisation took part, the number of its people unknown.
TOOK_PART: Literal["took_part"] = "took_part"
# What one organisation's attendance can be: no record (None), took part, or a count.
AttendanceValue = int | Literal["took_part"] | None
TOOK_PART_WORDS = ("参加", "○", "〇", "◯")


def value_of_count(count: int | None) -> AttendanceValue:
    """A recorded row's value: its count, or TOOK_PART when it has none."""
    return TOOK_PART if count is None else count


def count_of_value(value: AttendanceValue) -> int | None:
    """The count a row stores for a value (None for TOOK_PART; not for "no record")."""
    return None if value == TOOK_PART else value


@dataclass(frozen=True)
class AttendanceEntry:
    """One organisation's attendance, as plain values; ``count`` None: took part, the
    number unknown."""

    label: str
    kind: str
    count: int | None
    is_member: bool = False
    is_union: bool = False
    organisation_id: int | None = None

    @property
    def took_part(self) -> bool:
        return self.count is None or self.count > 0


@dataclass(frozen=True)
class KnownAttendance:
    """An activity's attendance as the records know it."""

    entries: tuple[AttendanceEntry, ...] = ()
    # (municipality kind, how many members of that kind took part, named or not)
    composition: tuple[tuple[str, int], ...] = ()
    recorded_total: int | None = None

    @property
    def is_recorded(self) -> bool:
        return bool(self.entries or self.composition) or self.recorded_total is not None

    def named_members_by_kind(self) -> dict[str, int]:
        named: dict[str, int] = {}
        for entry in self.entries:
            if entry.is_member and entry.took_part:
                named[entry.kind] = named.get(entry.kind, 0) + 1
        return named

    def members_by_kind(self) -> dict[str, int]:
        """How many member municipalities of each kind took part: the recorded
        composition, or the named ones when they are more."""
        named = self.named_members_by_kind()
        stated = dict(self.composition)
        return {
            kind: n
            for kind in MUNICIPALITY_KINDS
            if (n := max(stated.get(kind, 0), named.get(kind, 0)))
        }

    @property
    def unnamed_members(self) -> int:
        """Member municipalities that took part without being named."""
        named = self.named_members_by_kind()
        return sum(max(n - named.get(kind, 0), 0) for kind, n in self.composition)

    @property
    def composition_exceeded(self) -> bool:
        """More members of a kind are named than the composition says took part."""
        named = self.named_members_by_kind()
        return any(named.get(kind, 0) > n for kind, n in self.composition)

    @property
    def counted(self) -> int:
        """The people credited to a named organisation."""
        return sum(entry.count or 0 for entry in self.entries)

    @property
    def is_complete(self) -> bool:
        """Every organisation that took part is named and counted."""
        return (
            bool(self.entries)
            and not self.unnamed_members
            and all(entry.count is not None for entry in self.entries)
        )

    @property
    def total(self) -> int | None:
        """The recorded total; without one, the counts' sum when they are complete."""
        if self.recorded_total is not None:
            return self.recorded_total
        return self.counted if self.is_complete else None

    @property
    def unattributed(self) -> int | None:
        """People of the total no organisation is credited with (内訳不明); None when
        the total itself is unknown."""
        if self.total is None:
            return None
        return max(self.total - self.counted, 0)

    @property
    def exceeds_total(self) -> bool:
        """The counts add up to more than the recorded total: one of them is wrong."""
        return self.recorded_total is not None and self.counted > self.recorded_total

    def count_for(self, organisation_id: int) -> AttendanceValue:
        """One organisation's value: a count, TOOK_PART or None (no record)."""
        for entry in self.entries:
            if entry.organisation_id == organisation_id:
                return value_of_count(entry.count)
        return None

    def phrase(self, region_name: str) -> str:
        """Who came and how many, as the report writes it. Organisations with a count of
        0 are left out; others keep the entries' order. Nothing recorded: ""."""
        present = [entry for entry in self.entries if entry.took_part]
        by_kind = self.members_by_kind()
        parts = []
        counted = "".join(
            f"{by_kind[kind]}{suffix}" for kind, suffix in KIND_SUFFIXES if by_kind.get(kind)
        )
        if counted:
            parts.append(f"{region_name}{counted}")
        parts.extend(e.label for e in present if not e.is_member and not e.is_union)
        who = "、".join(parts)
        if any(entry.is_union for entry in present):
            who = f"{who}職員及び本組合職員" if who else "本組合職員"
        total = self.total
        if not who:
            return f"{total:,}名" if total else ""
        if total is None:
            return _("%(who)s（人数不明）") % {"who": who}
        return f"{who} {total:,}名"


def known_attendance(activity, *, member_ids=None, label=None) -> KnownAttendance:
    """What the records know of ``activity``'s attendance. Reads prefetched
    ``attendances`` (with their organisation) and ``compositions`` when there are any;; ``member_ids`` (the union's members) and ``label`` (an organisation's printed
    name) let a caller that reads many activities pass what it already has."""
    union = activity.union
    compositions = list(activity.compositions.all())
    if member_ids is None:
        # Only a composition makes membership matter to the total; the phrase always.
        member_ids = {m.organisation_id for m in union.membership_set.all()}
    label = label or (lambda org: org.label)
    rows = sorted(
        activity.attendances.all(),
        key=lambda a: (a.organisation.code is None, a.organisation.code or "", a.organisation.name),
    )
    entries = tuple(
        AttendanceEntry(
            label=label(row.organisation),
            kind=row.organisation.kind,
            count=row.count,
            is_member=row.organisation_id in member_ids,
            is_union=row.organisation_id == union.organisation_id,
            organisation_id=row.organisation_id,
        )
        for row in rows
    )
    order = {kind: n for n, kind in enumerate(MUNICIPALITY_KINDS)}
    composition = tuple(
        sorted(
            ((c.kind, c.number) for c in compositions),
            key=lambda pair: order.get(pair[0], len(order)),
        )
    )
    return KnownAttendance(entries, composition, activity.attendee_total)


def activity_attendance_phrase(activity) -> str:
    """The attendance phrase of one activity."""
    return known_attendance(activity).phrase(activity.union.region_name)


def parse_attendance_value(text) -> AttendanceValue:
    """A value as people type it in a form or a spreadsheet cell: empty (no record),
    「参加」 or 「○」 (took part, number unknown), or a count ("3", "３", "3名").
    Raises ValueError with a Japanese message otherwise."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(_("人数は0以上の整数か「参加」で入力してください。"))
    if isinstance(text, int):
        value = text
    elif isinstance(text, float) and text.is_integer():
        value = int(text)
    else:
        cleaned = unicodedata.normalize("NFKC", str(text)).strip().removesuffix("名").strip()
        if not cleaned:
            return None
        if cleaned in TOOK_PART_WORDS:
            return TOOK_PART
        if not cleaned.isdecimal():
            raise ValueError(_("人数は0以上の整数か「参加」で入力してください。"))
        value = int(cleaned)
    if value < 0:
        raise ValueError(_("人数は0以上の整数か「参加」で入力してください。"))
    return value


def attendance_value_text(value: AttendanceValue) -> str:
    """A value as a form or a spreadsheet shows it: "", 「参加」 or the count."""
    if value is None:
        return ""
    return _("参加") if value == TOOK_PART else str(value)
