"""Data competitions: phases with hidden solutions, teams, submissions scored by workers."""

from __future__ import annotations

import functools
import operator
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization


class Eligibility(models.TextChoices):
    OPEN = "open", _("Open to everyone")
    UNIVERSITIES = "universities", _("Members of university organizations only")


class CompetitionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class CompetitionQuerySet(models.QuerySet["Competition"]):
    def published(self) -> CompetitionQuerySet:
        return self.filter(status=CompetitionStatus.PUBLISHED)


class Competition(models.Model):
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("one-line summary"), max_length=300, blank=True)
    banner = models.CharField(_("banner"), max_length=120, blank=True)  # core.images stored name stem
    host = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="competitions")
    overview = models.TextField(_("overview (Markdown)"), blank=True)
    rules = models.TextField(_("rules (Markdown)"), blank=True)
    prize = models.CharField(_("prizes"), max_length=500, blank=True)
    metric = models.CharField(_("metric"), max_length=32)
    eligibility = models.CharField(_("eligibility"), max_length=16, choices=Eligibility.choices,
                                   default=Eligibility.OPEN)
    team_size_limit = models.PositiveSmallIntegerField(_("team size limit"), default=5)
    merger_deadline = models.DateTimeField(_("team merger deadline"), null=True, blank=True)
    max_submission_mb = models.PositiveIntegerField(_("submission size limit (MB)"), default=200)
    leaderboard_hidden = models.BooleanField(_("hide the leaderboard from the public"), default=False)
    status = models.CharField(max_length=16, choices=CompetitionStatus.choices, default=CompetitionStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = CompetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def max_submission_bytes(self) -> int:
        return self.max_submission_mb * 1024 * 1024


DEFAULT_PHASE_NAME = "Main round"  # stored in English; pages show it in the reader's language


@functools.cache
def _default_phase_names() -> frozenset[str]:
    """The default round name in every site language: rows written before the name was stored in
    English hold the creator's translation, and are shown in the reader's language all the same."""
    names = {DEFAULT_PHASE_NAME}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(gettext("Main round")))
    return frozenset(names)


class Phase(models.Model):
    """A round (preliminary, semi-final, final): its own dates, data, solution, limits, leaderboards."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("name"), max_length=100, default=DEFAULT_PHASE_NAME)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    daily_limit = models.PositiveSmallIntegerField(_("submissions per team per day"), default=5)
    final_limit = models.PositiveSmallIntegerField(_("final submissions a team may select"), default=2)
    advanced_only = models.BooleanField(default=False)  # only teams advanced from the previous phase
    # The hidden solution: never served by any URL except to the host's members.
    solution_file = models.CharField(max_length=300, blank=True)
    solution_rows = models.PositiveIntegerField(default=0)
    solution_public_rows = models.PositiveIntegerField(default=0)
    solution_uploaded_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the solution file's bytes: workers keep parsed solutions under it (blank: not known,
    # the worker computes it from the file).
    solution_sha256 = models.CharField(max_length=64, blank=True)
    sample_columns = models.JSONField(default=list, blank=True)  # columns a submission must have

    class Meta:
        ordering = ["competition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "number"], name="phase_number_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="phase_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.competition} · {self.name}"

    @property
    def display_name(self) -> str:
        """The name for pages: the default round name in the reader's language, a host's own name as
        they wrote it."""
        if self.name.strip() in _default_phase_names():
            return str(gettext("Main round"))
        return self.name

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    def has_ended(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.ends_at


def utc_day_start(now: datetime | None = None) -> datetime:
    now = (now or timezone.now()).astimezone(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def next_utc_midnight(now: datetime | None = None) -> datetime:
    return utc_day_start(now) + timedelta(days=1)


class DataFile(models.Model):
    """A public file of a phase (train, test, sample submission): for registered participants."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="data_files")
    name = models.CharField(max_length=200)
    file = models.CharField(max_length=300)
    size = models.BigIntegerField(default=0)
    description = models.CharField(max_length=300, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["phase", "name"], name="datafile_name_unique")]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    accepted_rules_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["competition", "user"], name="registration_once")]

    def __str__(self) -> str:
        return f"{self.user_id} accepted the rules of {self.competition_id}"


class Team(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("team name"), max_length=80)
    invite_code = models.CharField(max_length=24, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    is_baseline = models.BooleanField(default=False)  # the host's reference row
    # A disqualified team stays (its members see why) but leaves every leaderboard and award.
    disqualified_at = models.DateTimeField(null=True, blank=True)
    disqualified_reason = models.TextField(blank=True)
    disqualified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "name"], name="team_name_unique"),
            models.UniqueConstraint(fields=["competition"], condition=Q(is_baseline=True),
                                    name="one_baseline_team"),
            models.CheckConstraint(condition=Q(disqualified_at__isnull=True) | ~Q(disqualified_reason=""),
                                   name="team_disqualified_with_reason"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_disqualified(self) -> bool:
        return self.disqualified_at is not None


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    # Denormalised so the database enforces "at most one team per person per competition".
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["competition", "user"], name="one_team_per_competition")]

    def __str__(self) -> str:
        return f"{self.user_id} in team {self.team_id}"


class Advancement(models.Model):
    """A team allowed into a phase that takes only advanced teams."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="advancements")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="advancements")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["phase", "team"], name="advance_once")]

    def __str__(self) -> str:
        return f"team {self.team_id} → phase {self.phase_id}"


class SubmissionStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Scoring")
    SCORED = "scored", _("Scored")
    FAILED = "failed", _("Failed")


class Submission(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="submissions")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="submissions")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    file = models.CharField(max_length=300)
    original_name = models.CharField(max_length=200)
    size = models.BigIntegerField(default=0)
    description = models.CharField(_("description"), max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.QUEUED)
    public_score = models.FloatField(null=True, blank=True)
    private_score = models.FloatField(null=True, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    # A failed validation (the participant's file) does not count against the daily limit.
    counts_against_limit = models.BooleanField(default=True)
    selected = models.BooleanField(default=False)  # chosen for the private leaderboard
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["phase", "status", "team"]),
            models.Index(fields=["team", "phase", "created_at"]),
            models.Index(fields=["status", "started_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.team} {self.status}"


# The leaderboard order, the one definition every board, chart, rank, award and finalization uses:
# the best score first (the sort keys are signed so that ascending is best), then the team that
# reached it earlier, then the lower team id (two teams tied to the microsecond still have one order).
PUBLIC_ORDER = ("sort_key", "best_at", "team_id")
PRIVATE_ORDER = ("private_sort_key", "private_at", "team_id")


def ahead_of_outer(order: tuple[str, ...]) -> Q:
    """Entries strictly ahead, in `order`, of the entry the enclosing query is on (`OuterRef`):
    so a rank is the count of these plus one, and agrees with `order_by(*order)`."""
    return functools.reduce(operator.or_, (
        Q(**{prior: models.OuterRef(prior) for prior in order[:i]}, **{f"{name}__lt": models.OuterRef(name)})
        for i, name in enumerate(order)))


class LeaderboardEntryQuerySet(models.QuerySet["LeaderboardEntry"]):
    def public_order(self) -> LeaderboardEntryQuerySet:
        """Best public score first, ties by `PUBLIC_ORDER`."""
        return self.order_by(*PUBLIC_ORDER)

    def private_order(self) -> LeaderboardEntryQuerySet:
        """The entries with a private score, best first, ties by `PRIVATE_ORDER`."""
        return self.filter(private_sort_key__isnull=False).order_by(*PRIVATE_ORDER)

    def in_order(self, *, private: bool = False) -> LeaderboardEntryQuerySet:
        return self.private_order() if private else self.public_order()

    def ahead_of_outer(self, *, private: bool = False) -> LeaderboardEntryQuerySet:
        """The entries ranked ahead of the enclosing query's entry (a subquery with `OuterRef`)."""
        return self.filter(ahead_of_outer(PRIVATE_ORDER if private else PUBLIC_ORDER))


class LeaderboardEntry(models.Model):
    """One team's standing in a phase, kept up to date by the scoring service.

    Denormalised so that a leaderboard page is one indexed, paginated query whatever the number
    of teams and submissions. Its order is `PUBLIC_ORDER` / `PRIVATE_ORDER`: read it through
    `LeaderboardEntry.objects.public_order()` / `.private_order()`.
    """

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="entries")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="entries")
    best_public = models.FloatField()
    # The best public score, signed so that ascending order is always best first.
    sort_key = models.FloatField()
    best_submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    best_at = models.DateTimeField()
    entries = models.PositiveIntegerField(default=0)
    last_submission_at = models.DateTimeField()
    # Filled when the phase has ended (never shown before).
    private_score = models.FloatField(null=True, blank=True)
    private_sort_key = models.FloatField(null=True, blank=True)
    private_at = models.DateTimeField(null=True, blank=True)
    public_rank = models.PositiveIntegerField(null=True, blank=True)

    objects = LeaderboardEntryQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["phase", "team"], name="leaderboard_entry_once")]
        indexes = [
            models.Index(fields=["phase", "sort_key", "best_at", "team"], name="lb_public_order"),
            models.Index(fields=["phase", "private_sort_key", "private_at", "team"], name="lb_private_order"),
        ]

    def __str__(self) -> str:
        return f"team {self.team_id} in phase {self.phase_id}: {self.best_public}"


class PhaseResult(models.Model):
    """Marks a phase whose private leaderboard has been computed (once, after it ended)."""

    phase = models.OneToOneField(Phase, on_delete=models.CASCADE, related_name="result")
    finalized_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"phase {self.phase_id} finalized {self.finalized_at:%Y-%m-%d %H:%M}"


class RescoreStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Rescoring")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


ACTIVE_RESCORE = (RescoreStatus.QUEUED, RescoreStatus.RUNNING)


class RescoreJob(models.Model):
    """Re-scoring every scored submission of a round after the host corrected its solution.

    The row is the job's state; a worker works through the submissions in id order in chunks and
    moves ``cursor`` (the last id done) with the counts, so a retried task carries on where the
    last one stopped and counts nothing twice.

    A run holds a lease: claiming the job counts an attempt and stamps ``heartbeat_at``, which the
    run renews after every submission. A job is claimed only while it is queued or its lease has
    run out (the worker died), and only the holder of the latest attempt records anything. While
    the job is queued, ``heartbeat_at`` is when its message was last sent.
    """

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="rescores")
    status = models.CharField(max_length=16, choices=RescoreStatus.choices, default=RescoreStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    last_id = models.BigIntegerField(default=0)  # the newest submission the job covers
    cursor = models.BigIntegerField(default=0)  # the last submission rescored
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the last sign of life (see above)
    attempts = models.PositiveSmallIntegerField(default=0)  # runs that claimed it; the latest holds the lease

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["phase"], condition=Q(status__in=["queued", "running"]),
                                    name="one_active_rescore_per_phase"),
            models.CheckConstraint(condition=Q(done__lte=models.F("total") - models.F("failed")),
                                   name="rescore_counts_within_total"),
        ]

    def __str__(self) -> str:
        return f"rescore of phase {self.phase_id}: {self.status} {self.done}/{self.total}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RESCORE

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class WinnersMessage(models.Model):
    """A message from the host to the members of the top teams of the final private leaderboard."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="winners_messages")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=150)
    body = models.TextField()
    top_n = models.PositiveSmallIntegerField()
    recipients = models.JSONField(default=list)  # user ids, fixed when the host sent it
    teams = models.JSONField(default=list)  # team names, in rank order
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)  # when a worker took it and sent the emails

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} → {len(self.recipients)} people"
