"""The talent pool: profiles built from verified achievements, employers' openings, applications,
interview slots and matching rounds. One module per area; this package exports them all."""

from .applications import Application, ApplicationNote, InterviewSlot, Stage, StageChange
from .openings import Opening, OpeningKind, OpeningStatus, PayPeriod, Remote, WhoMayApply
from .profiles import Availability, Profile, ProfileSkill, Visibility
from .rounds import (
    CandidateRank,
    EmployerRank,
    MatchResult,
    MatchRound,
    RoundJob,
    RoundOpening,
    RoundPhase,
)

__all__ = [
    "Application", "ApplicationNote", "Availability", "CandidateRank", "EmployerRank", "InterviewSlot",
    "MatchResult", "MatchRound", "Opening", "OpeningKind", "OpeningStatus", "PayPeriod", "Profile", "ProfileSkill",
    "Remote", "RoundJob", "RoundOpening", "RoundPhase", "Stage", "StageChange", "Visibility", "WhoMayApply",
]
