"""The cost of the work in the appendix and on the staff screens: each activity's cost
(the expenditure allocated to it), its known participants and the cost per participant.

What is unknown is printed as unknown: an activity whose number of participants is not
known has 「不明」 per participant, and a year whose spending is not kept expense by
expense (FY2024) says that the cost is not recorded, never 0円.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from renkei.finance.costs import (
    PER_PARTICIPANT_RULE,
    SEMINAR_FEE_RULE,
    activity_costs,
    cost_per_participant,
    expenditure_recorded,
)
from renkei.programmes.attendance import known_attendance
from renkei.programmes.models import Attendance

from . import formatting as fmt
from .content import CostRow, CostTable


def cost_columns() -> list[str]:
    return [_("活動"), _("費用（円）"), _("出席者数（名）"), _("1人当たり（円）")]


def cost_table(activities, fiscal_year, attendance) -> CostTable:
    """The table for ``activities`` (in report order) of ``fiscal_year``; ``attendance``
    gives an activity's ``KnownAttendance`` (three queries in all)."""
    recorded = expenditure_recorded(fiscal_year)
    if recorded is None:
        return CostTable(
            recorded=False,
            columns=cost_columns(),
            rows=[],
            notes=[
                _("この年度は支出を1件ずつ記録していないため、活動別の費用は記録されていません。")
            ],
        )
    costs = activity_costs(fiscal_year)
    unknown = _("不明")
    rows = []
    for activity in activities:
        cost = costs.get(activity.pk)
        if cost is None:
            continue
        total = attendance(activity).total
        per_head = cost_per_participant(cost, total)
        rows.append(
            CostRow(
                label=fmt.clean_text(activity.display_heading),
                cost=cost,
                participants=unknown if total is None else total,
                per_participant=unknown if per_head is None else per_head,
            )
        )
    spent, allocated = recorded
    notes = [
        _("支出の記録の合計 %(spent)s円のうち、活動に配分した額 %(allocated)s円。")
        % {"spent": f"{spent:,}", "allocated": f"{allocated:,}"},
        str(PER_PARTICIPANT_RULE),
        str(SEMINAR_FEE_RULE),
    ]
    if not rows:
        notes.insert(0, _("活動に配分した支出の記録はありません。"))
    return CostTable(recorded=True, columns=cost_columns(), rows=rows, notes=notes)


def year_cost_table(fiscal_year, activities) -> CostTable:
    """The table for a queryset of the year's activities (the staff screen: those the
    user may see), with what their attendance records know."""
    member_ids = {m.organisation_id for m in fiscal_year.union.membership_set.all()}
    activities = list(
        activities.select_related("group__programme__fiscal_year__union").prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("organisation")),
            "compositions",
        )
    )
    return cost_table(activities, fiscal_year, lambda a: known_attendance(a, member_ids=member_ids))
