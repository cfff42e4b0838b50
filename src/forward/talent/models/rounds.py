"""Matching rounds, as WaterlooWorks and the NRMP run them: a set of openings with seats, a
timeline, both sides' rankings, a worker that computes the candidate-optimal stable matching, and
results published to both sides at one moment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization

from .openings import Opening

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class RoundPhase(models.TextChoices):
    """Where the round is: set by its timeline (talent.rounds.phase_of) and by the match job."""

    DRAFT = "draft", _("Draft")
    APPLICATIONS = "applications", _("Applications")
    INTERVIEWS = "interviews", _("Interviews")
    RANKING = "ranking", _("Ranking")
    MATCHING = "matching", _("Matching")
    RESULTS = "results", _("Results published")
    CLOSED = "closed", _("Closed")


class RoundJob(models.TextChoices):
    IDLE = "idle", _("Not run")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class MatchRound(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # Who runs it: operators, or a verified university's career office (its admins).
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="match_rounds")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="next_rounds")  # a second round fills what the first left
    published = models.BooleanField(default=False)  # announced: visible to candidates and employers
    applications_close = models.DateTimeField(_("applications close"))
    interviews_close = models.DateTimeField(_("interviews close"))
    ranking_close = models.DateTimeField(_("ranking closes"))
    acceptance_close = models.DateTimeField(_("acceptance closes"), null=True, blank=True)
    # The match job (the row is the source of truth; the queue message carries only the id).
    job = models.CharField(max_length=16, choices=RoundJob.choices, default=RoundJob.IDLE)
    progress = models.PositiveSmallIntegerField(default=0)  # 0..100
    progress_note = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    results_published_at = models.DateTimeField(null=True, blank=True)  # both sides see results from here
    stats = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    phase_label: _StrPromise  # not a column: set by views_rounds.round_list for its template

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(applications_close__lte=models.F("interviews_close"))
                                   & Q(interviews_close__lte=models.F("ranking_close")),
                                   name="round_timeline_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class RoundOpening(models.Model):
    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="round_openings")
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="round_entries")
    seats = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "opening"], name="round_opening_once"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="round_seats_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.opening_id} in round {self.round_id} ({self.seats})"


class CandidateRank(models.Model):
    """A candidate's rank list: position 1 is their first choice."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="candidate_ranks")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["round", "candidate", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "candidate", "opening"], name="candidate_ranks_opening_once"),
            models.UniqueConstraint(fields=["round", "candidate", "position"], name="candidate_rank_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} #{self.position}: {self.opening_id}"


class EmployerRank(models.Model):
    """An employer's rank list for one opening: position 1 is their first choice."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="employer_ranks")
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["round", "opening", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "opening", "candidate"], name="employer_ranks_candidate_once"),
            models.UniqueConstraint(fields=["round", "opening", "position"], name="employer_rank_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.opening_id} #{self.position}: {self.candidate_id}"


class MatchResult(models.Model):
    """What the match gave one candidate (opening null: unmatched) and why, in plain data that the
    pages put into words: {"choice": 2, "above": [{"opening": id, "seats": 3, "reason": "full"}], ...}."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="results")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opening = models.ForeignKey(Opening, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)  # their rank of it: 1 = first choice
    explanation = models.JSONField(default=dict)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The candidate turned the match down (final: the seat goes back to the round's seats left).
    declined_at = models.DateTimeField(null=True, blank=True)

    answer: str  # not a column: set by views_rounds.employer_rank for its template (see rounds.answer_of)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "candidate"], name="one_result_per_candidate")]
        indexes = [models.Index(fields=["round", "opening"])]

    def __str__(self) -> str:
        return f"{self.candidate_id} → {self.opening_id}"
