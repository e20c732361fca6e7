"""The seminar grid: every session of a year's external seminars against every
organisation, one attendance value per cell (a count, 「参加」 or empty, as on the
attendance page), with totals per session and per organisation. The secretariat changes
any cell; member and partner staff see the whole grid and change only their own column.
A cell its organisation handed in with a 照会 answer (``RecordLock``) is shown held: read
only for that organisation, and the secretariat's change needs a reason."""

from dataclasses import dataclass

from renkei.programmes.attendance import TOOK_PART, AttendanceValue, attendance_value_text
from renkei.programmes.models import Attendance
from renkei.tenancy.permissions import Action, can, profile_of


@dataclass(frozen=True)
class Cell:
    key: str  # the CountsForm key: "<session id>_<organisation id>"
    value: AttendanceValue
    editable: bool
    own: bool  # the user's own organisation's column
    held: str  # what holds it (a submitted 照会 answer), "" when nothing does

    @property
    def text(self) -> str:
        return attendance_value_text(self.value)


@dataclass(frozen=True)
class Total:
    """The counted people of some cells, and how many cells say 「参加」 (number unknown)."""

    counted: int = 0
    took_part: int = 0
    cells: int = 0

    def __add__(self, value: AttendanceValue) -> "Total":
        if value is None:
            return self
        if value == TOOK_PART:
            return Total(self.counted, self.took_part + 1, self.cells + 1)
        return Total(self.counted + value, self.took_part, self.cells + 1)


def cell_key(session_id: int, organisation_id: int) -> str:
    return f"{session_id}_{organisation_id}"


def split_key(key: str) -> tuple[int, int]:
    session_id, organisation_id = key.split("_")
    return int(session_id), int(organisation_id)


class SeminarGrid:
    """Rows (sessions, with ``days``, ``attendances`` and ``locks`` prefetched) by
    columns (organisations), built once per request without further queries."""

    def __init__(self, sessions, organisations, user, label):
        profile = profile_of(user)
        own = profile.organisation_id if profile else None
        self.organisations = organisations
        self.rows = []
        column_totals = {org.pk: Total() for org in organisations}
        for session in sessions:
            values = {a.organisation_id: a.value for a in session.attendances.all()}
            held = {lock.organisation_id: lock.label for lock in session.locks.all()}
            secretariat = can(user, Action.EDIT_YEAR, session)
            cells, total = [], Total()
            for org in organisations:
                value = values.get(org.pk)
                editable = can(
                    user, Action.CONTRIBUTE, Attendance(activity=session, organisation=org)
                ) and (secretariat or org.pk not in held)
                cells.append(
                    Cell(
                        cell_key(session.pk, org.pk),
                        value,
                        editable,
                        org.pk == own,
                        held.get(org.pk, ""),
                    )
                )
                total += value
                column_totals[org.pk] += value
            self.rows.append((session, label(session), cells, total))
        self.column_totals = [column_totals[org.pk] for org in organisations]
        grand = Total()
        for row_total in (t for *_r, t in self.rows):
            grand = Total(
                grand.counted + row_total.counted,
                grand.took_part + row_total.took_part,
                grand.cells + row_total.cells,
            )
        self.total = grand

    def form_rows(self) -> list[tuple]:
        """The CountsForm rows: (key, label, value, editable) per cell."""
        return [
            (cell.key, f"{label} {org.label}", cell.value, cell.editable)
            for _session, label, cells, _total in self.rows
            for org, cell in zip(self.organisations, cells, strict=True)
        ]
