"""The appendix (参考資料): what is known of each member municipality's attendance.

Every cell says only what the records hold: a count; 「参加」 for an organisation that
took part without a count; 「－」 for no record (never zero); 「不明」 for an unknown
total. A total over cells some of which have no count is the counted part, 「N以上」. The
part of a known total no organisation is credited with is 内訳不明, never spread over the
members.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from renkei.programmes.attendance import KnownAttendance, count_of_value

from . import formatting as fmt
from .content import Cell, CostTable, ParticipationRow, Settlement, Statistics


@dataclass
class _Tally:
    """What is known of one cell, or of a column's total: the counted people, whether
    some took part (or a total is unknown) without a count, whether anything is recorded."""

    counted: int = 0
    uncounted: bool = False
    recorded: bool = False

    def add(self, count: int | None) -> "_Tally":
        """Add a count (None: taking part, or a total, without a number)."""
        self.recorded = True
        if count is None:
            self.uncounted = True
        else:
            self.counted += count
        return self

    def merge(self, other: "_Tally") -> None:
        self.counted += other.counted
        self.uncounted |= other.uncounted
        self.recorded |= other.recorded

    def cell(self, unknown: str) -> Cell:
        """The count; 「N以上」 when part is without a count; ``unknown`` when none of it
        is counted; 「－」 when nothing is recorded."""
        if not self.recorded:
            return "－"
        if not self.uncounted:
            return self.counted
        if self.counted:
            return _("%(n)s以上") % {"n": f"{self.counted:,}"}
        return unknown


def _row_tallies(known: KnownAttendance, member_ids: list[int]) -> list[_Tally]:
    """Per member, other organisations, 内訳不明 and 計: what the activity's records say."""
    members = []
    for pk in member_ids:
        value = known.count_for(pk)
        tally = _Tally()
        if value is not None:
            tally.add(count_of_value(value))
        members.append(tally)
    others = _Tally()
    for entry in known.entries:
        if not entry.is_member:
            others.add(entry.count)
    return [*members, others, _Tally().add(known.unattributed), _Tally().add(known.total)]


def _row(label: str, tallies: list[_Tally]) -> ParticipationRow:
    took_part, unknown = _("参加"), _("不明")
    words = [took_part] * (len(tallies) - 2) + [unknown, unknown]
    cells = [tally.cell(word) for tally, word in zip(tallies, words, strict=True)]
    return ParticipationRow(label, cells[:-3], cells[-3], cells[-2], cells[-1])


def statistics(
    activities, settlement: Settlement, ctx, costs: CostTable | None = None
) -> Statistics:
    """The charts' values and the participation table: a row per activity with
    attendance recorded, the column totals, and the initiatives each member led; and
    the cost of the work (``costs``, see ``renkei.reports.costs``)."""
    member_ids = ctx.member_ids
    index = {pk: n for n, pk in enumerate(member_ids)}
    led = [0] * len(member_ids)
    columns = [_Tally() for _n in range(len(member_ids) + 3)]
    rows = []
    for activity in activities:
        for org in activity.leads():
            if org.pk in index:
                led[index[org.pk]] += 1
        known = ctx.attendance(activity)
        if not known.is_recorded:
            continue
        tallies = _row_tallies(known, member_ids)
        for column, tally in zip(columns, tallies, strict=True):
            column.merge(tally)
        rows.append(_row(fmt.clean_text(activity.display_heading), tallies))
    sections: dict[str, int] = {}
    for line in settlement.expenditure:
        sections[line.section or line.item] = (
            sections.get(line.section or line.item, 0) + line.settled
        )
    members = [fmt.clean_text(org.label) for org in ctx.members]
    return Statistics(
        members=members,
        attendance_by_member=[column.counted for column in columns[: len(member_ids)]],
        attendance_unattributed=columns[-2].counted,
        expenditure_by_section=list(sections.items()),
        columns=[_("活動"), *members, _("その他の団体"), _("内訳不明"), _("計")],
        participation=rows,
        totals=_row(_("出席者計"), columns),
        led=ParticipationRow(_("主導した取組（件）"), list[Cell](led), "", "", sum(led)),
        legend=[
            _(
                "数字は人数（名）。参加: 参加したが人数の記録なし。－: 記録なし。"
                "N以上: 人数の記録がある分の計（ほかに人数の記録がない参加あり）。"
            ),
            _(
                "その他の団体: 構成市町以外（本組合、連携先を含む）。"
                "内訳不明: 出席者数の合計のうち、団体別の人数が記録されていない人数。"
            ),
        ],
        costs=costs,
    )
