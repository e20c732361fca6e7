"""The records of a cooperation year: plans, years, programmes, the partnership project,
activities with their schedule, lecturers, attendance, content and photos."""

from .activities import (
    Activity,
    ActivityKind,
    ActivityLead,
    ActivitySection,
    Attendance,
    AttendanceComposition,
    AttendanceProposal,
    DeliveryMode,
    Lecturer,
    Photo,
    ProposalState,
    ScheduleDay,
    SectionKind,
    Venue,
    prefetch_leads,
)
from .locks import RecordLock
from .years import (
    ActivityGroup,
    FiscalYear,
    FiscalYearState,
    GroupKind,
    NarrativeSection,
    PartnershipProject,
    Pillar,
    PillarLine,
    Plan,
    Programme,
)

__all__ = [
    "Activity", "ActivityGroup", "ActivityKind", "ActivityLead", "ActivitySection", "Attendance",
    "AttendanceProposal", "ProposalState", "AttendanceComposition",
    "DeliveryMode", "FiscalYear", "FiscalYearState", "GroupKind", "Lecturer",
    "NarrativeSection", "PartnershipProject", "Photo", "Pillar", "PillarLine", "Plan",
    "Programme", "RecordLock", "ScheduleDay", "SectionKind", "Venue", "prefetch_leads",
]  # fmt: skip
