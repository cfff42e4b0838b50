"""Every write about submissions: create, score (in workers), requeue, select finals, finalize.

The database row is the source of truth for a submission's state. The queue message carries only
its id; scoring claims the row with a conditional update, so a redelivered or duplicated message
never scores twice at once, and scoring the same file twice stores the same result.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forward import scoring
from forward.core import jobs
from forward.core.models import User

from . import permissions, storage
from .models import (
    Advancement,
    Competition,
    LeaderboardEntry,
    Phase,
    PhaseResult,
    Submission,
    SubmissionStatus,
    Team,
    utc_day_start,
)

log = logging.getLogger(__name__)


def scoring_deadline() -> timedelta:
    """How long a submission may stay `running` before the reaper gives it to another worker."""
    return timedelta(seconds=getattr(settings, "FORWARD_SCORING_DEADLINE", 600))


def scoring_max_attempts() -> int:
    """How many times a submission may be claimed before an interruption ends it `failed`."""
    return getattr(settings, "FORWARD_SCORING_MAX_ATTEMPTS", 3)


def _interrupted_fields(attempts: int) -> dict[str, Any]:
    return {
        "status": SubmissionStatus.FAILED, "finished_at": timezone.now(), "counts_against_limit": False,
        "error": _("Scoring was interrupted %(n)d times; the file may be too large to score. Check it with "
                   "`forward score` or contact the host. This submission does not count against your limit.")
        % {"n": attempts},
    }


def submissions_used_today(*, team: Team, phase: Phase, now: datetime | None = None) -> int:
    return Submission.objects.filter(
        team=team, phase=phase, counts_against_limit=True, created_at__gte=utc_day_start(now)
    ).count()


def _enqueue(submission_id: int) -> None:
    from . import tasks

    # robust: a broker that refuses the message (or an eager task that raises) must not undo or
    # hide a committed row; the reaper re-sends queued rows whose message never left.
    transaction.on_commit(lambda: tasks.score_submission.delay(submission_id), robust=True)


def submission_create(*, user: User, phase: Phase, upload: UploadedFile, description: str = "") -> Submission:
    """Check team, round, limits and size; store the file; queue it for scoring."""
    competition: Competition = phase.competition
    team = permissions.team_of(user, competition)
    if team is None:
        raise ValidationError(_("Join or create a team before submitting."))
    return _submission_create(user=user, team=team, phase=phase, upload=upload, description=description)


def baseline_submit(*, actor: User, phase: Phase, upload: UploadedFile) -> Submission:
    """The host's baseline: scored like any submission and shown as a reference row. A refused file
    leaves no baseline team behind."""
    competition = phase.competition
    if not permissions.is_host(actor, competition):
        raise PermissionDenied
    with transaction.atomic():
        team, _created = Team.objects.get_or_create(
            competition=competition, is_baseline=True,
            defaults={"name": _("Host baseline"), "invite_code": f"baseline-{competition.pk}"},
        )
        return _submission_create(user=actor, team=team, phase=phase, upload=upload, description="baseline",
                                  baseline=True)


def _submission_create(*, user: User, team: Team, phase: Phase, upload: UploadedFile, description: str,
                       baseline: bool = False) -> Submission:
    competition = phase.competition
    name = upload.name or "submission.csv"
    suffix = storage.suffix_of(name)
    if suffix not in storage.SUBMISSION_SUFFIXES:
        raise ValidationError(_("%(name)s is not a .csv, .csv.gz or .zip file.") % {"name": name})
    if upload.size is not None and upload.size > competition.max_submission_bytes:
        raise ValidationError(_("The file is %(size).1f MB; this competition accepts up to %(limit)d MB.")
                              % {"size": upload.size / 1048576, "limit": competition.max_submission_mb})
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    now = timezone.now()
    if not baseline:
        if now < phase.starts_at:
            raise ValidationError(_("%(phase)s has not started yet.") % {"phase": phase.name})
        if now >= phase.ends_at:
            raise ValidationError(_("%(phase)s has ended; submissions are closed.") % {"phase": phase.name})
        if phase.advanced_only and not Advancement.objects.filter(phase=phase, team=team).exists():
            raise ValidationError(_("Only teams advanced from the previous round may submit to %(phase)s.")
                                  % {"phase": phase.name})
        if team.is_disqualified:
            raise ValidationError(_("The host disqualified your team: %(reason)s") % {"reason": team.disqualified_reason})
    if not phase.solution_file:
        raise ValidationError(_("The host has not uploaded this round's solution yet."))

    stored = storage.save(f"competitions/{competition.pk}/phase-{phase.number}/submissions/{team.pk}",
                          upload, suffix=suffix)
    committed = []  # set by the first on-commit hook: from then on the row owns the file
    try:
        with transaction.atomic():
            # Lock the team so that two uploads at once cannot both take the last slot of the day.
            Team.objects.select_for_update().get(pk=team.pk)
            if not baseline:
                used = submissions_used_today(team=team, phase=phase, now=now)
                if used >= phase.daily_limit:
                    raise ValidationError(
                        _("Your team has used all %(limit)d submissions for today. The count resets at "
                          "00:00 UTC.") % {"limit": phase.daily_limit})
            submission = Submission.objects.create(
                phase=phase, team=team, submitted_by=user, file=stored, original_name=name[:200],
                size=upload.size or 0, description=description.strip()[:500], created_at=now,
            )
            transaction.on_commit(lambda: committed.append(True))
            _enqueue(submission.pk)
    except BaseException:
        if not committed:  # never delete the file of a row that exists
            storage.delete(stored)
        raise
    return submission


# --- Scoring (runs in workers) ------------------------------------------------------------------


def _claim(submission_id: int) -> bool:
    """queued → running, for exactly one worker; a row out of attempts ends `failed` instead."""
    now = timezone.now()
    limit = scoring_max_attempts()
    claimed = Submission.objects.filter(pk=submission_id, status=SubmissionStatus.QUEUED,
                                        attempts__lt=limit).update(
        status=SubmissionStatus.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        Submission.objects.filter(pk=submission_id, status=SubmissionStatus.QUEUED, attempts__gte=limit).update(
            **_interrupted_fields(limit))
    return claimed == 1


_solutions: scoring.SolutionCache | None = None


def solution_cache() -> scoring.SolutionCache:
    """This worker process's parsed solutions, within FORWARD_SCORING_CACHE_MB."""
    global _solutions
    budget = getattr(settings, "FORWARD_SCORING_CACHE_MB", 512) * 1024**2
    if _solutions is None or _solutions.budget_bytes != budget:
        _solutions = scoring.SolutionCache(budget)
    return _solutions


def _score_in_child(phase: Phase, submission_path: Path, metric: str) -> scoring.Score:
    """Score the file in a child process with the configured limits.

    The round's solution is read and indexed once per worker (in a limited child too) and kept
    under its content hash; the child that scores a submission inherits it from this process.
    """
    memory_mb = getattr(settings, "FORWARD_SCORING_MEMORY_MB", 2048)
    timeout = getattr(settings, "FORWARD_SCORING_TIMEOUT", 300)
    cache = solution_cache()
    if cache.budget_bytes == 0:
        with storage.local_path(phase.solution_file) as solution_path:
            return scoring.run_limited(scoring.score_files, solution_path, submission_path, metric,
                                       memory_mb=memory_mb, timeout=timeout)
    started = time.monotonic()
    solution = cache.get((phase.solution_sha256, metric)) if phase.solution_sha256 else None
    if solution is None:
        try:
            with storage.local_path(phase.solution_file) as solution_path:
                key = (phase.solution_sha256 or scoring.file_sha256(solution_path), metric)
                solution = cache.solution(key, lambda: scoring.run_limited(
                    scoring.load_solution, solution_path, metric, memory_mb=memory_mb, timeout=timeout))
            if not phase.solution_sha256:  # a row from before hashes were recorded: record it, for this file only
                Phase.objects.filter(pk=phase.pk, solution_file=phase.solution_file, solution_sha256="").update(
                    solution_sha256=key[0])
        except FileNotFoundError:  # the host's file, not the participant's: not "your upload was lost"
            raise scoring.SolutionError(f"The solution file {phase.solution_file} is missing from storage.") from None
    remaining = max(timeout - (time.monotonic() - started), 1.0)
    return scoring.run_limited(scoring.score, solution, submission_path, memory_mb=memory_mb, timeout=remaining)


def submission_score(*, submission_id: int, isolated: bool = True) -> str | None:
    """Score a queued submission. Returns the final status, or None if it was not ours to score.

    Scoring runs in a child process with the memory and time limits; ``isolated=False`` scores
    in this process, only for files the platform generated itself (the demo's seeded submissions).
    """
    if not _claim(submission_id):
        return None
    submission = Submission.objects.select_related("phase__competition").get(pk=submission_id)
    phase = submission.phase
    status, fields = score_outcome(submission=submission, phase=phase, isolated=isolated)
    with transaction.atomic():
        # Only the worker that holds the running row records the result.
        updated = Submission.objects.filter(pk=submission_id, status=SubmissionStatus.RUNNING).update(
            status=status, finished_at=timezone.now(), **fields)
        if updated and status == SubmissionStatus.SCORED:
            leaderboard_entry_refresh(phase_id=phase.pk, team_id=submission.team_id)
    return status if updated else None


def score_outcome(*, submission: Submission, phase: Phase, isolated: bool = True) -> tuple[str, dict[str, Any]]:
    """Score one submission's file against the round's solution: the status it ends in and the fields
    to store (scores, or an error text a person can act on). Never raises for a bad file."""
    submission_id = submission.pk
    metric = phase.competition.metric
    status: str = SubmissionStatus.SCORED
    fields: dict[str, Any] = {}
    try:
        # From object storage the file is copied to this machine, at most as large as was accepted: the
        # limit, or the file's recorded size if the host lowered the limit since (a rescore still works).
        bound = max(phase.competition.max_submission_bytes, submission.size or 0)
        with storage.local_path(submission.file, max_bytes=bound) as submission_path:
            if isolated:
                result = _score_in_child(phase, submission_path, metric)
            else:
                with storage.local_path(phase.solution_file) as solution_path:
                    result = scoring.score_files(solution_path, submission_path, metric)
        fields = {"public_score": result.public, "private_score": result.private, "rows": result.rows,
                  "error": "", "counts_against_limit": True}
    except scoring.LimitExceeded as exc:
        # The file broke the memory or time limit: it would again, so it is not retried, and it
        # counts against the daily limit because it cost a worker that much.
        log.warning("submission %s broke the %s limit", submission_id, exc.kind)
        status = SubmissionStatus.FAILED
        fields = {"error": str(exc), "counts_against_limit": True}
    except scoring.JobCrashed as exc:
        log.error("scoring submission %s crashed: %s", submission_id, exc.detail)
        status, fields = SubmissionStatus.FAILED, _unexpected_failure()
    except scoring.SubmissionError as exc:
        status = SubmissionStatus.FAILED
        fields = {"error": str(exc), "counts_against_limit": False}
    except scoring.SolutionError as exc:
        log.error("solution of %s is invalid: %s", phase, exc)
        status = SubmissionStatus.FAILED
        fields = {"error": _("The host's solution file could not be read; the host has been told. "
                             "This submission does not count against your limit."),
                  "counts_against_limit": False}
    except storage.StoredFileTooLarge as exc:  # only the submission is bounded; the host's solution is not
        log.warning("submission %s not scored: %s", submission_id, exc)
        status = SubmissionStatus.FAILED
        fields = {"error": _("The file is %(size).1f MB; this competition accepts up to %(limit)d MB.")
                  % {"size": exc.size / 1048576, "limit": phase.competition.max_submission_mb},
                  "counts_against_limit": False}
    except FileNotFoundError:
        status = SubmissionStatus.FAILED
        fields = {"error": _("The uploaded file was lost before scoring; please submit it again."),
                  "counts_against_limit": False}
    except Exception:  # anything else must still end the row, never leave it `running`
        log.exception("scoring submission %s failed unexpectedly", submission_id)
        status, fields = SubmissionStatus.FAILED, _unexpected_failure()
    return status, fields


def _unexpected_failure() -> dict[str, Any]:
    return {"error": _("Scoring failed because of an unexpected error; it has been logged for the site's "
                       "operators. This submission does not count against your limit."),
            "counts_against_limit": False}


def leaderboard_entry_refresh(*, phase_id: int, team_id: int) -> None:
    """Recompute one team's public standing from its scored submissions (idempotent)."""
    phase = Phase.objects.select_related("competition").get(pk=phase_id)
    higher = scoring.get_metric(phase.competition.metric).higher_is_better
    scored = Submission.objects.filter(phase_id=phase_id, team_id=team_id, status=SubmissionStatus.SCORED)
    order = ("-public_score" if higher else "public_score", "created_at", "pk")
    best = scored.order_by(*order).first()
    with transaction.atomic():
        LeaderboardEntry.objects.select_for_update().filter(phase_id=phase_id, team_id=team_id).first()
        if best is None:
            LeaderboardEntry.objects.filter(phase_id=phase_id, team_id=team_id).delete()
            return
        best_public = best.public_score
        assert best_public is not None  # scoring writes a scored submission's public score
        last = scored.order_by("-created_at").values_list("created_at", flat=True).first()
        LeaderboardEntry.objects.update_or_create(
            phase_id=phase_id, team_id=team_id,
            defaults={
                "best_public": best_public,
                "sort_key": -best_public if higher else best_public,
                "best_submission": best, "best_at": best.created_at,
                "entries": scored.count(), "last_submission_at": last,
            },
        )


def submissions_requeue_stale(*, now: datetime | None = None) -> list[int]:
    """The reaper: submissions running past the deadline go back to the queue.

    A worker that died mid-scoring leaves its row `running`; nothing is ever stuck because this
    puts it back, and the claim in `submission_score` makes a late original worker harmless. A
    row that has already been claimed FORWARD_SCORING_MAX_ATTEMPTS times ends `failed` instead,
    so a file that kills whatever scores it is not handed from worker to worker forever.
    Returns the requeued ids.
    """
    now = now or timezone.now()
    limit = scoring_max_attempts()
    return jobs.requeue_stale(
        stale=Submission.objects.filter(status=SubmissionStatus.RUNNING, started_at__lt=now - scoring_deadline()),
        requeue={"status": SubmissionStatus.QUEUED, "started_at": None}, enqueue=_enqueue,
        max_attempts=limit, interrupted=lambda: _interrupted_fields(limit))


def submissions_enqueue_waiting(*, older_than: timedelta = timedelta(minutes=10)) -> list[int]:
    """Re-send queued submissions whose message may have been lost (e.g. the broker restarted)."""
    return jobs.resend_waiting(
        waiting=Submission.objects.filter(status=SubmissionStatus.QUEUED, created_at__lt=timezone.now() - older_than),
        enqueue=_enqueue)


@transaction.atomic
def submission_select(*, user: User, submission: Submission, selected: bool) -> Submission:
    """Choose (or unchoose) a submission for the private leaderboard, until the round ends."""
    phase = submission.phase
    team = permissions.team_of(user, phase.competition)
    if team is None or team.pk != submission.team_id:
        raise PermissionDenied
    if phase.has_ended():
        raise ValidationError(_("%(phase)s has ended; final submissions can no longer change.")
                              % {"phase": phase.name})
    Team.objects.select_for_update().get(pk=team.pk)
    submission = Submission.objects.get(pk=submission.pk)
    if selected and not submission.selected:
        if submission.status != SubmissionStatus.SCORED:
            raise ValidationError(_("Only scored submissions can be selected."))
        chosen = Submission.objects.filter(phase=phase, team=team, selected=True).count()
        if chosen >= phase.final_limit:
            raise ValidationError(_("You may select %(n)d final submissions; unselect one first.")
                                  % {"n": phase.final_limit})
    submission.selected = selected
    submission.save(update_fields=["selected"])
    return submission


def phase_finalize(*, phase_id: int) -> bool:
    """Compute the private leaderboard of an ended round, once. Returns True if it did the work.

    Each team's private score is the best private score among its selected submissions, or, if it
    selected none, among its best public submissions up to the round's final limit.
    """
    phase = Phase.objects.select_related("competition").get(pk=phase_id)
    if not phase.has_ended() or PhaseResult.objects.filter(phase=phase).exists():
        return False
    with transaction.atomic():
        if PhaseResult.objects.select_for_update().filter(phase=phase).exists():
            return False
        private_standings_compute(phase=phase)
        PhaseResult.objects.create(phase=phase)
        if not Phase.objects.filter(competition=phase.competition, number__gt=phase.number).exists():
            from forward.credentials.services import batch_start

            from .awards import batch_details

            batch_start(actor=None, **batch_details(phase.competition))  # awards for the top teams
    return True


class _ScoredRow(TypedDict):
    team_id: int
    private_score: float | None
    public_score: float | None
    created_at: datetime
    selected: bool


def private_standings_compute(*, phase: Phase) -> None:
    """Each team's private score (from its chosen submissions) and public rank, as they stand now.

    Run inside the caller's transaction: once when the round is finalized, and again after a
    rescore. A disqualified team keeps its scores but takes no rank.
    """
    higher = scoring.get_metric(phase.competition.metric).higher_is_better
    public_order = ("-public_score" if higher else "public_score", "created_at", "pk")
    entries = list(LeaderboardEntry.objects.select_for_update(of=("self",)).select_related("team")
                   .filter(phase=phase).public_order())
    scored = Submission.objects.filter(phase=phase, status=SubmissionStatus.SCORED).order_by(
        "team_id", *public_order).values("team_id", "private_score", "public_score", "created_at", "selected")
    by_team: dict[int, list[_ScoredRow]] = {}
    for row in scored.iterator(chunk_size=5000):
        by_team.setdefault(row["team_id"], []).append(row)
    rank = 0
    for entry in entries:
        rows = by_team.get(entry.team_id, [])
        picked = [r for r in rows if r["selected"]] or rows[: phase.final_limit]
        chosen = [(r["private_score"], r["created_at"]) for r in picked if r["private_score"] is not None]
        entry.private_score = entry.private_sort_key = entry.private_at = None
        if chosen:
            scores = [score for score, _at in chosen]
            best = max(scores) if higher else min(scores)
            entry.private_score = best
            entry.private_sort_key = -best if higher else best
            entry.private_at = min(at for score, at in chosen if score == best)  # ties: the earliest
        entry.public_rank = None
        if not entry.team.is_baseline and not entry.team.is_disqualified:
            rank += 1
            entry.public_rank = rank
    LeaderboardEntry.objects.bulk_update(
        entries, ["private_score", "private_sort_key", "private_at", "public_rank"], batch_size=2000)


def phases_finalize_ended() -> list[int]:
    """Periodic: finalize every round that has ended and is not finalized yet."""
    done = []
    ended = Phase.objects.filter(ends_at__lte=timezone.now(), result__isnull=True).values_list("pk", flat=True)
    for pk in list(ended[:100]):
        if phase_finalize(phase_id=pk):
            done.append(pk)
    return done
