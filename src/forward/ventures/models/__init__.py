"""The entrepreneurs programme: startups, investors and their theses, introductions, deal
pipelines, cohort calls with judging, networking events with scheduled meetings, and the
innovation centre's services. One module per area; this package exports them all."""

from .choices import Currency, Instrument, InvestorType, LeadStyle, Sector, Stage
from .cohorts import ApplicationStatus, Call, CallStatus, CohortApplication
from .directory import Investor, Partner, Startup, TeamMember
from .events import (
    Event,
    EventSlot,
    EventStatus,
    Mark,
    MarkLevel,
    Meeting,
    Registrant,
    ScheduleJob,
    Side,
)

__all__ = [
    "ApplicationStatus",
    "Call",
    "CallStatus",
    "CohortApplication",
    "Currency",
    "Event",
    "EventSlot",
    "EventStatus",
    "Instrument",
    "Investor",
    "InvestorType",
    "LeadStyle",
    "Mark",
    "MarkLevel",
    "Meeting",
    "Partner",
    "Registrant",
    "ScheduleJob",
    "Sector",
    "Side",
    "Stage",
    "Startup",
    "TeamMember",
]
