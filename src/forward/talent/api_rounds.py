"""Talent API: matching rounds. Whoever may not see a round gets 404, the same answer as a
missing id; a result is there only once the round's results are published."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from forward.api_common import MAX_PAGE, errors
from forward.core.models import MAX_ID

from . import permissions
from . import rounds as svc
from .models import MatchRound, RoundOpening

router = Router(tags=["talent"])
PAGE_SIZE = 20


class RoundOut(Schema):
    id: int
    name: str
    run_by: str | None = Field(description="The career office's name; null for the programme's operators.")
    phase: str = Field(description="draft, applications, interviews, ranking, matching, results or closed")
    applications_close: datetime
    interviews_close: datetime
    ranking_close: datetime
    acceptance_close: datetime | None
    job: str = Field(description="The match job: idle, queued, running, done or failed")
    progress: int
    progress_note: str
    results_published_at: datetime | None
    previous: int | None
    url: str


class RoundPage(Schema):
    count: int
    page: int
    pages: int
    results: list[RoundOut]


class CandidateRankingIn(Schema):
    openings: list[UUID] = Field(max_length=svc.MAX_RANKED,
                                 description="The openings of the round you interviewed for, best first (uuids). "
                                             "An empty list withdraws your ranking.")


class EmployerRankingIn(Schema):
    candidates: list[int] = Field(max_length=svc.MAX_RANKED,
                                  description="The ids of candidates you interviewed for this opening, best first.")
    seats: int | None = Field(None, ge=1, le=10_000, description="The opening's seats in this round (unchanged if null).")


class RankingOut(Schema):
    round: int
    ranking: list[str]
    seats: int | None = None


class ReasonOut(Schema):
    opening: str = Field(description="The opening's uuid")
    choice: int = Field(description="Your rank of it: 1 = your first choice")
    reason: str = Field(description="full (it filled its seats with candidates it ranked higher) or not_ranked")
    seats: int | None = None
    text: str


class ResultOut(Schema):
    round: int
    matched: bool
    opening: str | None = Field(description="The uuid of the opening you were matched to")
    opening_title: str | None
    choice: int | None
    headline: str
    reasons: list[ReasonOut]
    published_at: datetime
    answer: str = Field(description="accepted, declined or pending (matched, not answered yet); empty if unmatched")
    accepted_at: datetime | None
    declined_at: datetime | None
    acceptance_open: bool = Field(description="Whether a matched candidate may still accept or decline")


def _round_out(match_round: MatchRound, now: datetime) -> RoundOut:
    return RoundOut(
        id=match_round.pk, name=match_round.name,
        run_by=match_round.organization.name if match_round.organization is not None else None,
        phase=svc.phase_of(match_round, now), applications_close=match_round.applications_close,
        interviews_close=match_round.interviews_close, ranking_close=match_round.ranking_close,
        acceptance_close=match_round.acceptance_close, job=match_round.job, progress=match_round.progress,
        progress_note=match_round.progress_note, results_published_at=match_round.results_published_at,
        previous=match_round.previous_id, url=f"/talent/rounds/{match_round.pk}/")


def _visible(request, round_id: int) -> MatchRound:
    match_round = MatchRound.objects.select_related("organization").filter(pk=round_id).first()
    if match_round is None or not svc.can_view_round(request.auth, match_round):
        raise HttpError(404, "Not found.")
    return match_round


def _bad(exc: ValidationError) -> HttpError:
    return HttpError(400, " ".join(exc.messages))


@router.get("/rounds", response={200: RoundPage, **errors(401, 404, 422)},
            summary="Matching rounds you manage or take part in")
def round_list(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    queryset = svc.rounds_for(user=request.auth)
    count = queryset.count()
    pages = max(1, -(-count // PAGE_SIZE))
    if page > pages:
        raise HttpError(404, f"page {page} does not exist; there are {pages}")
    now = timezone.now()
    rows = queryset[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return RoundPage(count=count, page=page, pages=pages, results=[_round_out(r, now) for r in rows])


@router.get("/rounds/{round_id}", response={200: RoundOut, **errors(401, 404, 422)}, summary="One matching round")
def round_detail(request, round_id: int = Path(..., ge=1, le=MAX_ID)):
    return _round_out(_visible(request, round_id), timezone.now())


@router.put("/rounds/{round_id}/ranking", response={200: RankingOut, **errors(400, 401, 404, 422)},
            summary="Replace your ranking of the openings you interviewed for (candidates, during ranking)")
def candidate_ranking(request, body: CandidateRankingIn, round_id: int = Path(..., ge=1, le=MAX_ID)):
    match_round = _visible(request, round_id)
    try:
        ranked = svc.candidate_rank_set(user=request.auth, match_round=match_round,
                                        openings=[str(u) for u in body.openings])
    except PermissionDenied:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise _bad(exc) from None
    return RankingOut(round=match_round.pk, ranking=[str(o.uuid) for o in ranked])


@router.put("/rounds/{round_id}/openings/{opening_uuid}/ranking",
            response={200: RankingOut, **errors(400, 401, 404, 422)},
            summary="Replace an opening's ranking of its interviewed candidates and its seats (its employer)")
def employer_ranking(request, body: EmployerRankingIn, opening_uuid: UUID, round_id: int = Path(..., ge=1, le=MAX_ID)):
    match_round = _visible(request, round_id)
    entry = RoundOpening.objects.select_related("opening__organization").filter(
        round=match_round, opening__uuid=opening_uuid).first()
    if entry is None or not permissions.can_rank_for_opening(request.auth, entry.opening):
        raise HttpError(404, "Not found.")
    try:
        ranked = svc.employer_rank_set(actor=request.auth, match_round=match_round, opening=entry.opening,
                                       candidates=body.candidates, seats=body.seats)
    except PermissionDenied:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise _bad(exc) from None
    entry.refresh_from_db()
    return RankingOut(round=match_round.pk, ranking=[str(u.pk) for u in ranked], seats=entry.seats)


@router.post("/rounds/{round_id}/run", response={202: RoundOut, **errors(400, 401, 404, 422)},
             summary="Run the match once ranking has closed (the round's operators or career office)")
def round_run(request, round_id: int = Path(..., ge=1, le=MAX_ID)):
    match_round = MatchRound.objects.select_related("organization").filter(pk=round_id).first()
    if match_round is None or not permissions.can_manage_round(request.auth, match_round):
        raise HttpError(404, "Not found.")
    try:
        match_round = svc.match_start(actor=request.auth, match_round=match_round)
    except ValidationError as exc:
        raise _bad(exc) from None
    return Status(202, _round_out(match_round, timezone.now()))


def _result_out(match_round: MatchRound, result) -> ResultOut:
    published_at = match_round.results_published_at
    if published_at is None:  # published_result() reads published rounds only
        raise HttpError(404, _("Results are not published yet."))
    titles = svc.explanation_titles([result])
    explained = svc.explain(result, titles)
    uuids = dict(RoundOpening.objects.filter(round=match_round).values_list("opening_id", "opening__uuid"))
    above = (result.explanation or {}).get("above", [])
    reasons = [ReasonOut(opening=str(uuids.get(item["opening"], "")), choice=item["choice"], reason=item["reason"],
                         seats=item.get("seats"), text=text) for item, text in zip(above, explained.reasons, strict=True)]
    return ResultOut(round=match_round.pk, matched=result.opening_id is not None,
                     opening=str(result.opening.uuid) if result.opening_id else None,
                     opening_title=result.opening.title if result.opening_id else None, choice=result.choice,
                     headline=explained.headline, reasons=reasons, published_at=published_at,
                     answer=svc.answer_of(result), accepted_at=result.accepted_at, declined_at=result.declined_at,
                     acceptance_open=bool(result.opening_id) and svc.acceptance_open(match_round))


def _own_result(request, round_id: int):
    match_round = _visible(request, round_id)
    result = svc.published_result(match_round=match_round, user=request.auth)
    if result is None:
        if not match_round.results_published_at:
            raise HttpError(404, _("Results are not published yet."))
        raise HttpError(404, _("You have no result in this round."))
    return match_round, result


@router.get("/rounds/{round_id}/result", response={200: ResultOut, **errors(401, 404, 422)},
            summary="Your result in a round, once its results are published")
def round_result(request, round_id: int = Path(..., ge=1, le=MAX_ID)):
    return _result_out(*_own_result(request, round_id))


def _answer(request, round_id: int, service) -> ResultOut:
    match_round, _result = _own_result(request, round_id)
    try:
        result = service(user=request.auth, match_round=match_round)
    except PermissionDenied:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise _bad(exc) from None
    return _result_out(match_round, svc.published_result(match_round=match_round, user=result.candidate))


@router.post("/rounds/{round_id}/result/accept", response={200: ResultOut, **errors(400, 401, 404, 422)},
             summary="Accept your match (until acceptance closes; accepting twice changes nothing)")
def round_accept(request, round_id: int = Path(..., ge=1, le=MAX_ID)):
    """400 if you were not matched, declined already, or acceptance has closed; 404 if the round is
    not yours or its results are not published."""
    return _answer(request, round_id, svc.result_accept)


@router.post("/rounds/{round_id}/result/decline", response={200: ResultOut, **errors(400, 401, 404, 422)},
             summary="Decline your match (also after accepting, until acceptance closes; final: the seat is freed)")
def round_decline(request, round_id: int = Path(..., ge=1, le=MAX_ID)):
    """400 if you were not matched or acceptance has closed; 404 if the round is not yours or its
    results are not published. Declining twice changes nothing."""
    return _answer(request, round_id, svc.result_decline)
