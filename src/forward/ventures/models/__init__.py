"""The entrepreneurs programme: startups, investors and their theses, introductions, deal
pipelines, cohort calls with judging, networking events with scheduled meetings, and the
innovation centre's services. One module per area; this package exports them all."""

from .choices import Currency, Instrument, InvestorType, LeadStyle, Sector, Stage
from .cohorts import (
    DECISIONS,
    Answer,
    ApplicationStatus,
    Call,
    CallStatus,
    CohortApplication,
    Conflict,
    Criterion,
    Panel,
    PanelJudge,
    Question,
    QuestionKind,
    Score,
)
from .directory import Investor, Partner, Startup, TeamMember

__all__ = [
    "DECISIONS", "Answer", "ApplicationStatus", "Call", "CallStatus", "CohortApplication", "Conflict", "Criterion",
    "Currency", "Instrument", "Investor", "InvestorType", "LeadStyle", "Panel", "PanelJudge", "Partner", "Question",
    "QuestionKind", "Score", "Sector", "Stage", "Startup", "TeamMember",
]
