"""The report's attendance phrase: "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名".

Member cities, towns and villages are counted by kind under the union's region name;
other bodies are named; the union's own staff close the phrase as 本組合職員.
"""

from dataclasses import dataclass

KIND_SUFFIXES = (("city", "市"), ("special_ward", "区"), ("town", "町"), ("village", "村"))


@dataclass(frozen=True)
class AttendanceEntry:
    """One organisation's attendance, as plain values."""

    label: str
    kind: str
    count: int
    is_member: bool = False
    is_union: bool = False


def attendance_phrase(region_name: str, entries: list[AttendanceEntry]) -> str:
    """Who came and how many, as the report writes it. Entries with no one are left out;
    others keep the order given. An empty attendance gives an empty string."""
    present = [entry for entry in entries if entry.count > 0]
    if not present:
        return ""
    parts = []
    members = [entry for entry in present if entry.is_member]
    if members:
        counted = "".join(
            f"{n}{suffix}"
            for kind, suffix in KIND_SUFFIXES
            if (n := sum(1 for entry in members if entry.kind == kind))
        )
        parts.append(f"{region_name}{counted}")
    parts.extend(e.label for e in present if not e.is_member and not e.is_union)
    who = "、".join(parts)
    if any(entry.is_union for entry in present):
        who = f"{who}職員及び本組合職員" if who else "本組合職員"
    total = sum(entry.count for entry in present)
    return f"{who} {total:,}名"


def entries_for(activity) -> list[AttendanceEntry]:
    """Attendance entries of an activity (expects attendances and their organisations loaded)."""
    union = activity.union
    member_ids = {m.organisation_id for m in union.membership_set.all()}
    rows = sorted(
        activity.attendances.all(),
        key=lambda a: (a.organisation.code is None, a.organisation.code or "", a.organisation.name),
    )
    return [
        AttendanceEntry(
            label=row.organisation.label,
            kind=row.organisation.kind,
            count=row.count,
            is_member=row.organisation_id in member_ids,
            is_union=row.organisation_id == union.organisation_id,
        )
        for row in rows
    ]


def activity_attendance_phrase(activity) -> str:
    """The attendance phrase of one activity."""
    return attendance_phrase(activity.union.region_name, entries_for(activity))
