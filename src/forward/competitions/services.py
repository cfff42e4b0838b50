"""Every write in competitions: hosting, registration, teams. Submissions live in submissions.py.

Keyword-only arguments; one transaction each; permission checked here as well as in views.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from forward import scoring
from forward.core.audit import AuditAction
from forward.core.models import Organization, User
from forward.core.services import audit

from . import permissions, storage
from .models import (
    DEFAULT_PHASE_NAME,
    Advancement,
    Competition,
    CompetitionStatus,
    DataFile,
    LeaderboardEntry,
    Phase,
    Registration,
    Submission,
    Team,
    TeamMember,
)

EDITABLE_FIELDS = (
    "title", "subtitle", "overview", "rules", "prize", "metric", "eligibility", "team_size_limit",
    "merger_deadline", "max_submission_mb", "leaderboard_hidden",
)


def _require_host(actor: User, competition: Competition) -> None:
    if not permissions.is_host(actor, competition):
        raise PermissionDenied


def _check_metric(metric: str) -> str:
    try:
        return scoring.get_metric(metric).name
    except scoring.ScoringError as exc:
        raise ValidationError(str(exc)) from None


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "competition"
    slug, n = base, 2
    while Competition.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Hosting ------------------------------------------------------------------------------------


@transaction.atomic
def competition_create(*, actor: User, host: Organization, title: str, metric: str, starts_at: datetime,
                       ends_at: datetime, **fields: Any) -> Competition:
    if not permissions.can_create_competition(actor, host):
        raise PermissionDenied
    if ends_at <= starts_at:
        raise ValidationError(_("The end time must be after the start time."))
    phase_fields = {k: fields.pop(k) for k in ("daily_limit", "final_limit", "phase_name") if k in fields}
    competition = Competition(
        slug=_unique_slug(title), title=title.strip(), host=host, metric=_check_metric(metric),
        created_by=actor, **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS},
    )
    competition.full_clean()
    competition.save()
    Phase.objects.create(
        competition=competition, number=1, name=phase_fields.get("phase_name") or DEFAULT_PHASE_NAME,
        starts_at=starts_at, ends_at=ends_at, daily_limit=phase_fields.get("daily_limit", 5),
        final_limit=phase_fields.get("final_limit", 2),
    )
    audit(actor=actor, action=AuditAction.COMPETITION_CREATE, organization=host, target=competition.title)
    return competition


@transaction.atomic
def competition_update(*, actor: User, competition: Competition, **fields: Any) -> Competition:
    """Edit a competition. Every change after publishing is written to the audit log."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    _require_host(actor, competition)
    changed: dict[str, dict[str, str]] = {}
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValidationError(_("%(field)s cannot be edited.") % {"field": name})
        if name == "metric":
            value = _check_metric(value)
            if value != competition.metric and Submission.objects.filter(phase__competition=competition).exists():
                raise ValidationError(_("The metric cannot change once teams have submitted."))
        if getattr(competition, name) != value:
            changed[name] = {"from": str(getattr(competition, name)), "to": str(value)}
            setattr(competition, name, value)
    competition.full_clean()
    competition.save()
    if changed and competition.status == CompetitionStatus.PUBLISHED:
        audit(actor=actor, action=AuditAction.COMPETITION_EDIT, organization=competition.host,
              target=competition.slug, changed=changed)
    return competition


@transaction.atomic
def phase_add(*, actor: User, competition: Competition, name: str, starts_at: datetime, ends_at: datetime,
              daily_limit: int = 5, final_limit: int = 2) -> Phase:
    """Add the next round; only teams advanced from the previous round may submit there."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    _require_host(actor, competition)
    last = competition.phases.order_by("-number").first()
    if ends_at <= starts_at:
        raise ValidationError(_("The end time must be after the start time."))
    if last and starts_at < last.ends_at:
        raise ValidationError(_("A new round must start after %(name)s ends.") % {"name": last.name})
    phase = Phase.objects.create(
        competition=competition, number=(last.number + 1) if last else 1, name=name.strip(),
        starts_at=starts_at, ends_at=ends_at, daily_limit=daily_limit, final_limit=final_limit,
        advanced_only=last is not None,
    )
    audit(actor=actor, action=AuditAction.PHASE_ADD, organization=competition.host, target=str(phase))
    return phase


def solution_read(*, competition: Competition, upload: UploadedFile) -> tuple[scoring.Solution, str]:
    """Check an uploaded solution file: the parsed solution and its SHA-256, or a ValidationError
    that says what is wrong with it."""
    with storage.upload_path(upload) as path:
        try:
            solution = scoring.load_solution(path, competition.metric)
        except scoring.SolutionError as exc:
            raise ValidationError(str(exc)) from None
        return solution, scoring.file_sha256(path)


def solution_store(*, competition: Competition, phase: Phase, upload: UploadedFile) -> str:
    return storage.save(f"private/competitions/{competition.pk}/phase-{phase.number}", upload, suffix=".csv")


def solution_set(*, phase: Phase, stored: str, solution: scoring.Solution, digest: str) -> str:
    """Point the (locked) round at a new solution file; the old file is deleted after commit."""
    old = phase.solution_file
    phase.solution_file = stored
    phase.solution_rows = solution.rows
    phase.solution_sha256 = digest
    phase.solution_public_rows = solution.public_rows
    phase.sample_columns = solution.columns
    phase.solution_uploaded_at = timezone.now()
    phase.save()
    if old:
        transaction.on_commit(lambda: storage.delete(old))
    return old


def solution_upload(*, actor: User, phase: Phase, upload: UploadedFile) -> Phase:
    """Validate the hidden solution and store it. A refused file changes nothing."""
    competition = phase.competition
    _require_host(actor, competition)
    solution, digest = solution_read(competition=competition, upload=upload)
    stored = solution_store(competition=competition, phase=phase, upload=upload)
    try:
        with transaction.atomic():
            locked = Phase.objects.select_for_update().get(pk=phase.pk)
            if locked.submissions.exclude(team__is_baseline=True).exists():
                raise ValidationError(_("Teams have already submitted to this round; its solution cannot change."))
            solution_set(phase=locked, stored=stored, solution=solution, digest=digest)
            audit(actor=actor, action=AuditAction.SOLUTION_UPLOAD, organization=competition.host, target=str(locked),
                  rows=solution.rows, public_rows=solution.public_rows)
    except BaseException:
        storage.delete(stored)
        raise
    return locked


def datafile_upload(*, actor: User, phase: Phase, upload: UploadedFile, description: str = "") -> DataFile:
    _require_host(actor, phase.competition)
    name = (upload.name or "data").replace("/", "_").replace("\\", "_")[:200]
    stored = storage.save(f"competitions/{phase.competition_id}/phase-{phase.number}/data", upload)
    try:
        with transaction.atomic():
            existing = DataFile.objects.select_for_update().filter(phase=phase, name=name).first()
            old = existing.file if existing else ""
            datafile, _created = DataFile.objects.update_or_create(
                phase=phase, name=name,
                defaults={"file": stored, "size": upload.size or 0, "description": description[:300],
                          "uploaded_at": timezone.now()},
            )
            audit(actor=actor, action=AuditAction.DATAFILE_UPLOAD, organization=phase.competition.host, target=name)
    except BaseException:
        storage.delete(stored)
        raise
    if old:
        transaction.on_commit(lambda: storage.delete(old))
    return datafile


@transaction.atomic
def competition_publish(*, actor: User, competition: Competition) -> Competition:
    competition = Competition.objects.select_for_update().select_related("host").get(pk=competition.pk)
    _require_host(actor, competition)
    if not permissions.can_publish(actor, competition):
        raise ValidationError(_("%(org)s is not verified yet: a programme operator verifies an organization before "
                                "it publishes competitions.") % {"org": competition.host.name})
    first = competition.phases.order_by("number").first()
    if first is None or not first.solution_file:
        raise ValidationError(_("Upload the solution of the first round before publishing."))
    if competition.status != CompetitionStatus.PUBLISHED:
        competition.status = CompetitionStatus.PUBLISHED
        competition.published_at = timezone.now()
        competition.save(update_fields=["status", "published_at"])
        audit(actor=actor, action=AuditAction.COMPETITION_PUBLISH, organization=competition.host, target=competition.slug)
    return competition


# --- Participation ------------------------------------------------------------------------------


@transaction.atomic
def register(*, user: User, competition: Competition) -> Registration:
    """Accept the rules. Registering twice is harmless."""
    if not user.is_authenticated:
        raise PermissionDenied
    if not permissions.can_view(user, competition):
        raise PermissionDenied
    if permissions.is_host_member(user, competition):
        raise ValidationError(_("You belong to %(host)s, which hosts this competition, so you cannot enter it.")
                              % {"host": competition.host.name})
    if not permissions.is_eligible(user, competition):
        raise ValidationError(_("This competition is open only to members of partner universities. "
                                "Ask your university's admin on Forward to invite you."))
    last = competition.phases.order_by("-number").first()
    if last and last.has_ended():
        raise ValidationError(_("This competition has ended."))
    registration, _created = Registration.objects.get_or_create(user=user, competition=competition)
    return registration


def _new_invite_code() -> str:
    return secrets.token_urlsafe(9)


@transaction.atomic
def team_create(*, user: User, competition: Competition, name: str) -> Team:
    name = name.strip()
    if not name:
        raise ValidationError(_("Give your team a name."))
    if not permissions.is_registered(user, competition):
        raise ValidationError(_("Accept the rules first."))
    if TeamMember.objects.filter(user=user, competition=competition).exists():
        raise ValidationError(_("You are already in a team in this competition. Leave it first."))
    if Team.objects.filter(competition=competition, name__iexact=name).exists():
        raise ValidationError(_("The team name %(name)s is taken.") % {"name": name})
    try:
        with transaction.atomic():
            team = Team.objects.create(competition=competition, name=name[:80], invite_code=_new_invite_code())
            TeamMember.objects.create(team=team, user=user, competition=competition)
    except IntegrityError:
        raise ValidationError(_("You are already in a team, or the name is taken. Reload the page.")) from None
    audit(actor=user, action=AuditAction.TEAM_CREATE, organization=competition.host, target=team.name)
    return team


@transaction.atomic
def team_join(*, user: User, competition: Competition, invite_code: str) -> Team:
    team = Team.objects.select_for_update().filter(competition=competition, invite_code=invite_code.strip(),
                                                   is_baseline=False).first()
    if team is None:
        raise ValidationError(_("No team in this competition has that invite code. Check it with your team."))
    if not permissions.is_registered(user, competition):
        raise ValidationError(_("Accept the rules first."))
    if TeamMember.objects.filter(user=user, competition=competition).exists():
        raise ValidationError(_("You are already in a team in this competition. Leave it first."))
    if team.members.count() >= competition.team_size_limit:
        raise ValidationError(_("%(team)s is full (%(n)d members).") % {"team": team.name,
                                                                       "n": competition.team_size_limit})
    try:
        with transaction.atomic():
            TeamMember.objects.create(team=team, user=user, competition=competition)
    except IntegrityError:
        raise ValidationError(_("You are already in a team in this competition.")) from None
    audit(actor=user, action=AuditAction.TEAM_JOIN, organization=competition.host, target=team.name)
    return team


@transaction.atomic
def team_leave(*, user: User, competition: Competition) -> None:
    member = TeamMember.objects.select_related("team").filter(user=user, competition=competition).first()
    if member is None:
        raise ValidationError(_("You are not in a team in this competition."))
    team = Team.objects.select_for_update().get(pk=member.team_id)
    member.delete()
    audit(actor=user, action=AuditAction.TEAM_LEAVE, organization=competition.host, target=team.name)
    if not team.members.exists() and not team.submissions.exists():
        team.delete()


@transaction.atomic
def team_merge(*, user: User, competition: Competition, invite_code: str) -> Team:
    """Merge the team with ``invite_code`` into the user's team (before the merger deadline).

    Allowed only if the merged team fits the size limit and its submissions to date fit the
    daily limit on every day of every round.
    """
    mine = permissions.team_of(user, competition)
    if mine is None:
        raise ValidationError(_("Create or join a team first."))
    now = timezone.now()
    if competition.merger_deadline and now > competition.merger_deadline:
        raise ValidationError(_("The team merger deadline has passed."))
    last = competition.phases.order_by("-number").first()
    if last and last.has_ended(now):
        raise ValidationError(_("This competition has ended."))
    teams = list(Team.objects.select_for_update().filter(competition=competition, pk=mine.pk)) + list(
        Team.objects.select_for_update().filter(competition=competition, invite_code=invite_code.strip(),
                                                is_baseline=False).exclude(pk=mine.pk))
    if len(teams) != 2:
        raise ValidationError(_("No other team in this competition has that invite code."))
    team, other = teams
    size = TeamMember.objects.filter(team__in=teams).count()
    if size > competition.team_size_limit:
        raise ValidationError(_("Together the teams have %(n)d members; the limit is %(limit)d.")
                              % {"n": size, "limit": competition.team_size_limit})
    per_day = (
        Submission.objects.filter(team__in=teams, counts_against_limit=True)
        .annotate(day=TruncDate("created_at")).values("phase_id", "phase__daily_limit", "day")
        .annotate(n=Count("pk"))
    )
    for row in per_day:
        if row["n"] > row["phase__daily_limit"]:
            raise ValidationError(
                _("Together the teams made %(n)d submissions on %(day)s; the daily limit is %(limit)d, "
                  "so they cannot merge.") % {"n": row["n"], "day": row["day"], "limit": row["phase__daily_limit"]})
    TeamMember.objects.filter(team=other).update(team=team)
    Submission.objects.filter(team=other).update(team=team)
    Advancement.objects.filter(team=other).exclude(phase__in=Advancement.objects.filter(
        team=team).values("phase")).update(team=team)
    LeaderboardEntry.objects.filter(team__in=teams).delete()
    other.delete()
    from .submissions import leaderboard_entry_refresh

    for phase_id in Submission.objects.filter(team=team).values_list("phase_id", flat=True).distinct():
        leaderboard_entry_refresh(phase_id=phase_id, team_id=team.pk)
    audit(actor=user, action=AuditAction.TEAM_MERGE, organization=competition.host, target=f"{other.name} → {team.name}")
    return team


@transaction.atomic
def phase_advance(*, actor: User, phase: Phase, top_n: int | None = None, team_ids: list[int] | None = None) -> int:
    """Let the top N teams of the previous round (or chosen teams) into ``phase``."""
    phase = Phase.objects.select_for_update().select_related("competition").get(pk=phase.pk)
    _require_host(actor, phase.competition)
    previous = phase.competition.phases.filter(number=phase.number - 1).first()
    if previous is None:
        raise ValidationError(_("The first round is open to every team; there is nothing to advance from."))
    from .selectors import leaderboard_team_ids

    if team_ids:
        valid = set(Team.objects.filter(competition=phase.competition, pk__in=team_ids,
                                        is_baseline=False).values_list("pk", flat=True))
        unknown = set(team_ids) - valid
        if unknown:
            raise ValidationError(_("Unknown team ids: %(ids)s") % {"ids": ", ".join(map(str, sorted(unknown)))})
        chosen = sorted(valid)
    elif top_n and top_n > 0:
        chosen = leaderboard_team_ids(phase=previous, limit=top_n, private=previous.has_ended())
    else:
        raise ValidationError(_("Say how many top teams advance, or choose teams."))
    existing = set(Advancement.objects.filter(phase=phase).values_list("team_id", flat=True))
    Advancement.objects.bulk_create([Advancement(phase=phase, team_id=t) for t in chosen if t not in existing])
    audit(actor=actor, action=AuditAction.PHASE_ADVANCE, organization=phase.competition.host, target=str(phase),
          teams=len(chosen))
    return len(chosen)
