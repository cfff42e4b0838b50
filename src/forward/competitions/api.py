"""The /api/v1 endpoints for competitions. Later work builds on these shapes; keep them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import File, Form, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from forward import scoring
from forward.api_auth import PUBLIC
from forward.api_common import MAX_PAGE, PUBLIC_SECURITY, Slug, Text, errors
from forward.core.models import MAX_ID

from . import console, permissions, selectors, submissions
from .models import Competition, RescoreJob, Submission, Team

router = Router(tags=["competitions"])


class PhaseOut(Schema):
    number: int
    name: str
    starts_at: datetime
    ends_at: datetime
    daily_limit: int
    final_limit: int
    advanced_only: bool


class CompetitionOut(Schema):
    slug: str
    title: str
    subtitle: str
    host: str
    state: str
    metric: str
    higher_is_better: bool
    team_size_limit: int
    max_submission_mb: int
    phases: list[PhaseOut]
    url: str


class CompetitionPage(Schema):
    count: int
    page: int
    pages: int
    results: list[CompetitionOut]


class SubmissionOut(Schema):
    id: int
    competition: str
    phase: int
    team: str
    status: str
    public_score: float | None
    private_score: float | None
    rows: int | None
    error: str
    description: str
    selected: bool
    created_at: datetime
    finished_at: datetime | None
    submissions_left_today: int | None


class LeaderboardRowOut(Schema):
    rank: int
    team: str
    score: float | None
    entries: int
    last_submission: datetime | None
    improvement_pct: float | None
    move: int | None = None


class LeaderboardOut(Schema):
    competition: str
    phase: int
    view: str
    metric: str
    higher_is_better: bool
    baseline: float | None
    page: int
    pages: int
    count: int
    rows: list[LeaderboardRowOut]


def _visible(request, slug: str) -> Competition:
    competition = get_object_or_404(Competition.objects.select_related("host").prefetch_related("phases"), slug=slug)
    if not permissions.can_view(request.auth, competition):
        raise HttpError(404, "Not found.")
    return competition


def _competition_out(request, competition: Competition) -> CompetitionOut:
    return CompetitionOut(
        slug=competition.slug, title=competition.title, subtitle=competition.subtitle, host=competition.host.name,
        state=selectors.competition_state(competition), metric=competition.metric,
        higher_is_better=scoring.get_metric(competition.metric).higher_is_better,
        team_size_limit=competition.team_size_limit, max_submission_mb=competition.max_submission_mb,
        phases=[PhaseOut(number=p.number, name=p.name, starts_at=p.starts_at, ends_at=p.ends_at,
                         daily_limit=p.daily_limit, final_limit=p.final_limit, advanced_only=p.advanced_only)
                for p in competition.phases.all()],
        url=request.build_absolute_uri(f"/competitions/{competition.slug}/"),
    )


def submission_out(submission: Submission, *, left_today: int | None = None) -> SubmissionOut:
    phase = submission.phase
    # Private scores are never returned before the round has ended.
    private = submission.private_score if phase.has_ended() else None
    return SubmissionOut(
        id=submission.pk, competition=phase.competition.slug, phase=phase.number, team=submission.team.name,
        status=submission.status, public_score=submission.public_score, private_score=private,
        rows=submission.rows, error=submission.error, description=submission.description,
        selected=submission.selected, created_at=submission.created_at, finished_at=submission.finished_at,
        submissions_left_today=left_today,
    )


PAGE_SIZE = 50


@router.get("/competitions", response={200: CompetitionPage, **errors(401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="Competitions you can see")
def competition_list(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    queryset = selectors.competition_list(user=request.auth)
    count = queryset.count()
    pages = max(1, -(-count // PAGE_SIZE))
    if page > pages:
        raise HttpError(404, f"page {page} does not exist; there are {pages}")
    rows = queryset[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return CompetitionPage(count=count, page=page, pages=pages, results=[_competition_out(request, c) for c in rows])


@router.get("/competitions/{slug}", response={200: CompetitionOut, **errors(401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="One competition")
def competition_detail(request, slug: Slug):
    return _competition_out(request, _visible(request, slug))


@router.post("/competitions/{slug}/submissions", response={201: SubmissionOut, **errors(400, 401, 403, 404, 413, 422)},
             summary="Submit predictions (multipart: file, description)")
def submission_create(request, slug: Slug, file: UploadedFile = File(...), description: Text = Form("")):  # noqa: B008
    competition = _visible(request, slug)
    phase = selectors.current_phase(competition)
    if phase is None:
        raise HttpError(400, "This competition has no round to submit to.")
    try:
        submission = submissions.submission_create(user=request.auth, phase=phase, upload=file,
                                                   description=description)
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    except PermissionDenied:
        raise HttpError(403, "You may not submit to this competition.") from None
    submission = Submission.objects.select_related("phase__competition", "team").get(pk=submission.pk)
    left = max(0, phase.daily_limit - submissions.submissions_used_today(team=submission.team, phase=phase))
    return Status(201, submission_out(submission, left_today=left))


@router.get("/submissions/{submission_id}", response={200: SubmissionOut, **errors(401, 404, 422)},
            summary="A submission of your team")
def submission_detail(request, submission_id: int = Path(..., ge=1, le=MAX_ID)):
    submission = Submission.objects.select_related("phase__competition", "team").filter(pk=submission_id).first()
    if submission is None:
        raise HttpError(404, "Not found.")
    competition = submission.phase.competition
    team = permissions.team_of(request.auth, competition)
    mine = team is not None and team.pk == submission.team_id
    if not mine and not permissions.is_host(request.auth, competition):
        raise HttpError(404, "Not found.")  # the same answer as a missing id
    left = None
    if mine and team is not None:
        left = max(0, submission.phase.daily_limit
                   - submissions.submissions_used_today(team=team, phase=submission.phase))
    return submission_out(submission, left_today=left)


@router.get("/competitions/{slug}/leaderboard", response={200: LeaderboardOut, **errors(401, 403, 404, 422)},
            auth=PUBLIC, openapi_extra=PUBLIC_SECURITY,
            summary="Leaderboard (public; private after the end with view=private)")
def leaderboard(request, slug: Slug, page: int = Query(1, ge=1, le=MAX_PAGE), phase: int | None = None,
                view: Literal["public", "private"] = "public"):
    competition = _visible(request, slug)
    if not permissions.can_view_leaderboard(request.auth, competition):
        raise HttpError(404, "Not found.")
    phases = {p.number: p for p in competition.phases.all()}
    shown = phases.get(phase) if phase is not None else selectors.current_phase(competition)
    if shown is None:
        raise HttpError(404, f"round {phase} does not exist")
    private = view == "private"
    if private and not selectors.private_available(shown):
        if shown.has_ended():
            raise HttpError(403, "The round has ended and its private leaderboard is being finalized; "
                                 "try again in a minute.")
        raise HttpError(403, "The private leaderboard is published when the round has ended.")
    board = selectors.leaderboard(phase=shown, page=page, private=private)
    if page > board.pages:
        raise HttpError(404, f"page {page} does not exist; there are {board.pages}")
    return LeaderboardOut(
        competition=competition.slug, phase=shown.number, view=view, metric=competition.metric,
        higher_is_better=board.higher_is_better, baseline=board.baseline, page=board.page, pages=board.pages,
        count=board.count,
        rows=[LeaderboardRowOut(rank=r.rank, team=r.team, score=r.score, entries=r.entries,
                                last_submission=r.last_submission, improvement_pct=r.improvement, move=r.move)
              for r in board.rows],
    )


# --- the host's console: disqualifying and rescoring (the hosting organization's admins, operators) ----

class TeamStandingOut(Schema):
    id: int
    team: str
    disqualified: bool
    disqualified_at: datetime | None
    reason: str


class DisqualifyIn(Schema):
    reason: Text


class RescoreOut(Schema):
    id: int
    competition: str
    phase: int
    status: str
    total: int
    done: int
    failed: int
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _console(request, slug: str) -> Competition:
    """Forged or foreign ids answer 404, like a missing one; a visible competition's console 403."""
    competition = _visible(request, slug)
    if not permissions.can_run_console(request.auth, competition):
        raise HttpError(403, "Only the hosting organization's admins and programme operators may do this.")
    return competition


def _team_out(team) -> TeamStandingOut:
    return TeamStandingOut(id=team.pk, team=team.name, disqualified=team.is_disqualified,
                           disqualified_at=team.disqualified_at, reason=team.disqualified_reason)


def _rescore_out(job) -> RescoreOut:
    return RescoreOut(id=job.pk, competition=job.phase.competition.slug, phase=job.phase.number, status=job.status,
                      total=job.total, done=job.done, failed=job.failed, error=job.error, created_at=job.created_at,
                      started_at=job.started_at, finished_at=job.finished_at)


@router.post("/competitions/{slug}/teams/{team_id}/disqualify",
             response={200: TeamStandingOut, **errors(400, 401, 403, 404, 422)},
             summary="Disqualify a team, with the reason its members see (again: no change)")
def team_disqualify(request, slug: Slug, body: DisqualifyIn, team_id: int = Path(..., ge=1, le=MAX_ID)):
    competition = _console(request, slug)
    team = get_object_or_404(Team, pk=team_id, competition=competition, is_baseline=False)
    try:
        return _team_out(console.team_disqualify(actor=request.auth, team=team, reason=body.reason))
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None


@router.post("/competitions/{slug}/teams/{team_id}/reinstate",
             response={200: TeamStandingOut, **errors(401, 403, 404, 422)}, summary="Reinstate a disqualified team")
def team_reinstate(request, slug: Slug, team_id: int = Path(..., ge=1, le=MAX_ID)):
    competition = _console(request, slug)
    team = get_object_or_404(Team, pk=team_id, competition=competition, is_baseline=False)
    return _team_out(console.team_reinstate(actor=request.auth, team=team))


@router.post("/competitions/{slug}/rescores", response={202: RescoreOut, **errors(400, 401, 403, 404, 422)},
             summary="Replace a round's solution with a corrected one and rescore it (multipart: file, phase)")
def rescore_start(request, slug: Slug, file: UploadedFile = File(...), phase: int = Form(1, ge=1, le=100)):  # noqa: B008
    competition = _console(request, slug)
    shown = next((p for p in competition.phases.all() if p.number == phase), None)
    if shown is None:
        raise HttpError(404, f"round {phase} does not exist")
    try:
        job = console.rescore_start(actor=request.auth, phase=shown, upload=file)
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    job.refresh_from_db()
    return Status(202, _rescore_out(job))


@router.get("/competitions/{slug}/rescores/{job_id}", response={200: RescoreOut, **errors(401, 403, 404, 422)},
            summary="A rescore's progress")
def rescore_detail(request, slug: Slug, job_id: int = Path(..., ge=1, le=MAX_ID)):
    competition = _console(request, slug)
    job = get_object_or_404(RescoreJob.objects.select_related("phase__competition"), pk=job_id,
                            phase__competition=competition)
    return _rescore_out(job)
