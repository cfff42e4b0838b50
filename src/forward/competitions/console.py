"""Every write of the host's console: disqualifying and reinstating teams, rescoring a round after a
corrected solution, messaging the winners.

Keyword-only arguments; each checks `permissions.can_run_console` itself (the hosting organization's
admins once it is verified, and operators) and is audited. Slow work (rescoring, sending emails)
runs in tasks enqueued after commit with only the row's id.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from forward.core import jobs
from forward.core.audit import AuditAction
from forward.core.models import User
from forward.core.services import audit

from . import permissions, selectors, services, storage
from .models import (
    ACTIVE_RESCORE,
    Competition,
    Phase,
    PhaseResult,
    RescoreJob,
    RescoreStatus,
    Submission,
    SubmissionStatus,
    Team,
    TeamMember,
    WinnersMessage,
)
from .submissions import (
    leaderboard_entry_refresh,
    private_standings_compute,
    score_outcome,
    scoring_deadline,
)

log = logging.getLogger(__name__)

REASON_MAX = 2000
RESCORE_CHUNK = 25
RESCORE_MAX_ATTEMPTS = 5  # runs a rescore may have (each carries on where the last stopped) before it fails
RESCORE_RESEND_AFTER = timedelta(minutes=3)  # a rescore queued this long has lost its message: send it again
SUBJECT_MAX = 150
MESSAGE_MAX = 10_000
WINNERS_MAX = 50
RESEND_WINDOW = timedelta(minutes=10)  # the same message again within this is a double click


def _require_console(actor: User, competition: Competition) -> None:
    if not permissions.can_run_console(actor, competition):
        raise PermissionDenied


# --- Disqualifying ------------------------------------------------------------------------------


@transaction.atomic
def team_disqualify(*, actor: User, team: Team, reason: str) -> Team:
    """Take a team off every leaderboard and award, with the reason its members are shown.
    Disqualifying a team that already is changes nothing (a double click is harmless)."""
    team = Team.objects.select_for_update().select_related("competition__host").get(pk=team.pk)
    _require_console(actor, team.competition)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the disqualification: the team's members will see it."))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("Keep the reason under %(n)d characters.") % {"n": REASON_MAX})
    if team.is_baseline:
        raise ValidationError(_("The host's baseline is not a team that can be disqualified."))
    if team.is_disqualified:
        return team
    team.disqualified_at = timezone.now()
    team.disqualified_reason = reason
    team.disqualified_by = actor if actor.is_authenticated else None
    team.save(update_fields=["disqualified_at", "disqualified_reason", "disqualified_by"])
    _restand(team)
    audit(actor=actor, action=AuditAction.TEAM_DISQUALIFY, organization=team.competition.host, target=team.name,
          team_id=team.pk, competition=team.competition.slug, reason=reason)
    return team


@transaction.atomic
def team_reinstate(*, actor: User, team: Team) -> Team:
    """Undo a disqualification: the team is back on the leaderboards with its scores."""
    team = Team.objects.select_for_update().select_related("competition__host").get(pk=team.pk)
    _require_console(actor, team.competition)
    if not team.is_disqualified:
        return team
    reason = team.disqualified_reason
    team.disqualified_at = None
    team.disqualified_reason = ""
    team.disqualified_by = None
    team.save(update_fields=["disqualified_at", "disqualified_reason", "disqualified_by"])
    _restand(team)
    audit(actor=actor, action=AuditAction.TEAM_REINSTATE, organization=team.competition.host, target=team.name,
          team_id=team.pk, competition=team.competition.slug, previous_reason=reason)
    return team


def _restand(team: Team) -> None:
    """The private standings (ranks and moves) of the team's finalized rounds, without or with it."""
    for phase in Phase.objects.select_related("competition").filter(
            competition_id=team.competition_id, result__isnull=False, entries__team=team):
        private_standings_compute(phase=phase)


# --- Rescoring ----------------------------------------------------------------------------------


def rescore_start(*, actor: User, phase: Phase, upload: UploadedFile) -> RescoreJob:
    """Replace the round's solution with a corrected one (checked like any solution) and rescore
    every scored submission of the round in the background. One rescore per round at a time."""
    competition = phase.competition
    _require_console(actor, competition)
    if RescoreJob.objects.filter(phase=phase, status__in=ACTIVE_RESCORE).exists():
        raise ValidationError(_("A rescore of this round is already running; wait for it to finish."))
    solution, digest = services.solution_read(competition=competition, upload=upload)
    stored = services.solution_store(competition=competition, phase=phase, upload=upload)
    try:
        with transaction.atomic():
            locked = Phase.objects.select_for_update().get(pk=phase.pk)
            scored = Submission.objects.filter(phase=locked, status=SubmissionStatus.SCORED)
            last_id = scored.order_by("-pk").values_list("pk", flat=True).first() or 0
            try:
                with transaction.atomic():
                    job = RescoreJob.objects.create(phase=locked, created_by=actor, total=scored.count(),
                                                    last_id=last_id)
            except IntegrityError:
                raise ValidationError(_("A rescore of this round is already running; wait for it to finish.")) from None
            services.solution_set(phase=locked, stored=stored, solution=solution, digest=digest)
            audit(actor=actor, action=AuditAction.PHASE_RESCORE, organization=competition.host, target=str(locked),
                  job=job.pk, rows=solution.rows, public_rows=solution.public_rows, submissions=job.total)
            _rescore_enqueue(job.pk)
    except BaseException:
        storage.delete(stored)
        raise
    return job


def _rescore_enqueue(job_id: int) -> None:
    from . import tasks

    transaction.on_commit(lambda: tasks.rescore_phase.delay(job_id), robust=True)


def rescore_lease() -> timedelta:
    """How long a rescore run may go without a sign of life before another worker may take the job
    over. A run renews its lease after every submission, and scoring one takes at most the time a
    scoring worker has (FORWARD_SCORING_DEADLINE)."""
    return scoring_deadline()


def _lease_expired(now: datetime) -> Q:
    return Q(status=RescoreStatus.RUNNING) & (Q(heartbeat_at__lt=now - rescore_lease()) | Q(heartbeat_at__isnull=True))


def _rescore_interrupted() -> dict[str, Any]:
    return {"status": RescoreStatus.FAILED, "finished_at": timezone.now(),
            "error": _("The rescore was interrupted %(n)d times: the workers running it stopped before it finished. "
                       "Submissions rescored so far keep their new scores; upload the corrected solution again to "
                       "rescore the round.") % {"n": RESCORE_MAX_ATTEMPTS}}


def rescore_run(*, job_id: int) -> str:
    """Work through a rescore job in chunks (a worker's task). Safe to run again: it carries on from
    the last chunk recorded, and rescoring a file again stores the same scores.

    The run claims the job with one conditional update, only while it is queued or the lease of
    the run before has expired (that worker died), so two runs never work side by side; a job
    claimed RESCORE_MAX_ATTEMPTS times ends failed instead. Returns the job's status."""
    now = timezone.now()
    claimable = RescoreJob.objects.filter(Q(status=RescoreStatus.QUEUED) | _lease_expired(now), pk=job_id)
    if not claimable.filter(attempts__lt=RESCORE_MAX_ATTEMPTS).update(
            status=RescoreStatus.RUNNING, started_at=Coalesce(F("started_at"), now), heartbeat_at=now,
            attempts=F("attempts") + 1):
        claimable.filter(attempts__gte=RESCORE_MAX_ATTEMPTS).update(**_rescore_interrupted())
        return RescoreJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    job = RescoreJob.objects.select_related("phase__competition").get(pk=job_id)
    phase = job.phase
    # This run's lease: the job, still running, not claimed again since.
    lease = RescoreJob.objects.filter(pk=job.pk, status=RescoreStatus.RUNNING, attempts=job.attempts)
    try:
        while _rescore_chunk(job, phase, lease):
            pass
        with transaction.atomic():
            if lease.update(status=RescoreStatus.DONE, finished_at=timezone.now()) and \
                    PhaseResult.objects.filter(phase=phase).exists():
                private_standings_compute(phase=phase)
    except Exception:
        log.exception("rescore job %s failed", job_id)
        lease.update(status=RescoreStatus.FAILED, finished_at=timezone.now(),
                     error=_("The rescore stopped because of an unexpected error; it has been logged for the site's "
                             "operators. Submissions rescored so far keep their new scores."))
    return RescoreJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""


def _rescore_chunk(job: RescoreJob, phase: Phase, lease: QuerySet[RescoreJob]) -> bool:
    """Rescore the next few submissions and record them with the counts, all or nothing; False when
    none are left or this run no longer holds the lease (whoever holds it now does the chunk)."""
    batch = list(Submission.objects.filter(phase=phase, status=SubmissionStatus.SCORED, pk__gt=job.cursor,
                                           pk__lte=job.last_id).order_by("pk")[:RESCORE_CHUNK])
    if not batch:
        return False
    outcomes = []
    for submission in batch:
        outcomes.append((submission, *score_outcome(submission=submission, phase=phase)))
        if not lease.update(heartbeat_at=timezone.now()):
            return False
    done = sum(1 for _, status, _ in outcomes if status == SubmissionStatus.SCORED)
    failed = len(outcomes) - done
    with transaction.atomic():
        # Count the chunk once: only while this run holds the lease and no run recorded it first.
        # A submission queued when the job started and scored since is rescored too (harmlessly: it
        # was scored against the corrected solution), so the total grows to cover it.
        if not lease.filter(cursor=job.cursor).update(
                cursor=batch[-1].pk, done=F("done") + done, failed=F("failed") + failed,
                total=Greatest(F("total"), F("done") + F("failed") + done + failed), heartbeat_at=timezone.now()):
            return False
        for submission, status, fields in outcomes:
            Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.SCORED).update(status=status, **fields)
        for team_id in sorted({submission.team_id for submission, _, _ in outcomes}):
            leaderboard_entry_refresh(phase_id=phase.pk, team_id=team_id)
    job.cursor = batch[-1].pk
    return True


def rescore_jobs_reap(*, now: datetime | None = None) -> dict[str, list[int]]:
    """The reaper: a rescore whose worker died (running past its lease) goes back to the queue and
    carries on from its last chunk, or ends failed with a message for the host after
    RESCORE_MAX_ATTEMPTS runs; a queued rescore whose message was lost is sent again."""
    now = now or timezone.now()
    requeued = jobs.requeue_stale(
        stale=RescoreJob.objects.filter(_lease_expired(now)),
        requeue={"status": RescoreStatus.QUEUED, "heartbeat_at": now}, enqueue=_rescore_enqueue,
        max_attempts=RESCORE_MAX_ATTEMPTS, interrupted=_rescore_interrupted)
    cutoff = now - RESCORE_RESEND_AFTER
    resent = jobs.resend_waiting(
        waiting=RescoreJob.objects.filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff),
                                          status=RescoreStatus.QUEUED),
        touch={"heartbeat_at": now}, enqueue=_rescore_enqueue)
    return {"requeued": requeued, "resent": resent}


# --- Messaging the winners ----------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def winners_message_send(*, actor: User, competition: Competition, subject: str, body: str,
                         top_n: int) -> WinnersMessage:
    """Email the members of the top N teams of the final private leaderboard (after commit, from a
    task). The same message sent again within a few minutes is the first one (a double click)."""
    _require_console(actor, competition)
    subject, body = _one_line(subject), (body or "").strip()
    if not subject or not body:
        raise ValidationError(_("Write a subject and a message."))
    if len(subject) > SUBJECT_MAX or len(body) > MESSAGE_MAX:
        raise ValidationError(_("Keep the subject under %(s)d and the message under %(m)d characters.")
                              % {"s": SUBJECT_MAX, "m": MESSAGE_MAX})
    if not 1 <= top_n <= WINNERS_MAX:
        raise ValidationError(_("Choose between 1 and %(n)d top teams.") % {"n": WINNERS_MAX})
    final = competition.phases.order_by("-number").first()
    if final is None or not selectors.private_available(final):
        raise ValidationError(_("The winners are known when the final round has ended and its private "
                                "leaderboard is computed."))
    with transaction.atomic():
        Competition.objects.select_for_update().get(pk=competition.pk)
        earlier = WinnersMessage.objects.filter(competition=competition, subject=subject, body=body, top_n=top_n,
                                                created_at__gte=timezone.now() - RESEND_WINDOW).first()
        if earlier is not None:
            return earlier
        team_ids = selectors.leaderboard_team_ids(phase=final, limit=top_n, private=True)
        if not team_ids:
            raise ValidationError(_("The final private leaderboard has no teams to message."))
        names = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
        recipients = list(TeamMember.objects.filter(team_id__in=team_ids).order_by("user_id")
                          .values_list("user_id", flat=True))
        message = WinnersMessage.objects.create(
            competition=competition, sent_by=actor, subject=subject, body=body, top_n=top_n,
            recipients=recipients, teams=[names[t] for t in team_ids])
        audit(actor=actor, action=AuditAction.COMPETITION_MESSAGE_WINNERS, organization=competition.host,
              target=competition.slug, message=message.pk, teams=len(team_ids), recipients=len(recipients))
        from . import tasks

        transaction.on_commit(lambda: tasks.send_winners_message.delay(message.pk), robust=True)
    return message


def winners_message_deliver(*, message_id: int) -> int:
    """Send a winners message's emails, once: the worker that takes the row sends them. Returns how
    many were sent (0 if another worker took it)."""
    if not WinnersMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(sent_at=timezone.now()):
        return 0
    message = WinnersMessage.objects.select_related("competition").get(pk=message_id)
    sent = 0
    for user in User.objects.filter(pk__in=message.recipients, is_active=True).order_by("pk"):
        if user.email:
            # Plain text: what the host wrote is sent as written, never as markup.
            EmailMessage(message.subject, message.body, None, [user.email]).send()
            sent += 1
    return sent
