"""What is a member's or the partner's own to do in a year, first on their home page:
their organisation's parts of the 照会 still open, the activities it organises or leads,
and their attendance proposals still waiting for (or returned by) the secretariat."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from renkei.inquiries.models import InquiryPart, InquiryState, PartStatus
from renkei.programmes.models import Activity
from renkei.staff.attendance_rows import own_proposals
from renkei.tenancy.permissions import Action, can, profile_of


@dataclass(frozen=True)
class OwnWork:
    organisation: str
    parts: list[InquiryPart]  # sent, not yet approved; the nearest deadline first
    activities: list[Activity]  # organised or led by the organisation (or a branch of it)
    proposals: list  # the user's attendance proposals, pending or rejected
    today: date

    @property
    def is_empty(self) -> bool:
        return not (self.parts or self.activities or self.proposals)


def own_activities(fiscal_year, user, organisation) -> list[Activity]:
    """Activities of the year the organisation (or a branch under it) organises or leads."""
    ours = (
        Q(organiser=organisation)
        | Q(organiser__parent=organisation)
        | Q(lead_links__organisation=organisation)
        | Q(lead_links__organisation__parent=organisation)
    )
    return list(
        Activity.objects.filter(group__programme__fiscal_year=fiscal_year)
        .restrict(user)
        .filter(ours)
        .distinct()
        .select_related("group__programme")
        .prefetch_related("days")
        .order_by("group__programme__number", "group__number", "sub_number", "pk")
    )


def own_work(fiscal_year, user, today: date) -> OwnWork | None:
    """The user's own work in ``fiscal_year``, for staff who answer for an organisation
    (members, the partner); None for the secretariat and auditors, whose home is the
    union's dashboard."""
    staff = profile_of(user)
    if staff is None or not can(user, Action.ANSWER_INQUIRY) or can(user, Action.EDIT_YEAR):
        return None
    parts = (
        InquiryPart.objects.filter(
            inquiry__fiscal_year=fiscal_year, inquiry__state=InquiryState.SENT
        )
        .restrict(user)
        .exclude(status=PartStatus.APPROVED)
        .select_related("inquiry", "organisation")
        .order_by("deadline", "inquiry__pk")
    )
    year_activities = Activity.objects.filter(group__programme__fiscal_year=fiscal_year).restrict(
        user
    )
    return OwnWork(
        organisation=staff.organisation.label,
        parts=list(parts),
        activities=own_activities(fiscal_year, user, staff.organisation),
        proposals=own_proposals(year_activities, user),
        today=today,
    )
