"""The entrepreneurs programme: startups, investors and their theses, introductions, deal
pipelines, cohort calls with judging, networking events with scheduled meetings, and the
innovation centre's services. One module per area; this package exports them all."""

from .choices import Currency, Instrument, InvestorType, LeadStyle, Sector, Stage
from .cohorts import ApplicationStatus, Call, CallStatus, CohortApplication
from .directory import Investor, Partner, Startup, TeamMember
from .intros import Introduction, IntroMessage, IntroStatus
from .pipeline import Deal, DealNote, DealStage, DealStageChange, Investment, InvestmentStatus

__all__ = [
    "ApplicationStatus", "Call", "CallStatus", "CohortApplication", "Currency", "Deal", "DealNote", "DealStage",
    "DealStageChange", "Instrument", "IntroMessage", "IntroStatus", "Introduction", "Investment", "InvestmentStatus",
    "Investor", "InvestorType", "LeadStyle", "Partner", "Sector", "Stage", "Startup", "TeamMember",
]
