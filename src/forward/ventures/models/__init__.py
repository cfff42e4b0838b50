"""The entrepreneurs programme: startups, investors and their theses, introductions, deal
pipelines, cohort calls with judging, networking events with scheduled meetings, and the
innovation centre's services. One module per area; this package exports them all."""

from .centre import (
    Assessment,
    CentreService,
    CreditBudget,
    CreditGrant,
    EntryKind,
    GrantStatus,
    LedgerEntry,
    OfficeHourSlot,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)
from .choices import Currency, Instrument, InvestorType, LeadStyle, Sector, Stage
from .cohorts import ApplicationStatus, Call, CallStatus, CohortApplication
from .directory import DeckShare, Investor, Partner, Startup, TeamMember, TractionMonth
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
    "Assessment",
    "Call",
    "CallStatus",
    "CentreService",
    "CohortApplication",
    "CreditBudget",
    "CreditGrant",
    "Currency",
    "DeckShare",
    "EntryKind",
    "Event",
    "EventSlot",
    "EventStatus",
    "GrantStatus",
    "Instrument",
    "Investor",
    "InvestorType",
    "LeadStyle",
    "LedgerEntry",
    "Mark",
    "MarkLevel",
    "Meeting",
    "OfficeHourSlot",
    "Partner",
    "Registrant",
    "RequestEvent",
    "RequestStatus",
    "ScheduleJob",
    "Sector",
    "ServiceRequest",
    "Side",
    "Stage",
    "Startup",
    "TeamMember",
    "TractionMonth",
]
