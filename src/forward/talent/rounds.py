"""Matching rounds: services (every write and rule) and selectors (the reads pages and the API share).

A round runs on its timeline: applications → interviews → ranking → matching → results → closed.
During ranking, candidates (people whose application to an opening of the round reached the
interview stage or later) rank those openings, and each opening's employer ranks its interviewed
candidates and may change its seats. When ranking has closed, its operator or career office
starts the match: the row goes queued and a worker runs `run_match`, which reads every ranking in
bulk, solves the candidate-optimal stable matching with `forward.matching`, checks that no pair
blocks it, and writes the results and `results_published_at` in one transaction, so both sides
see them at the same moment. A finished round is never run again (`match_start` refuses it).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forward.core.audit import AuditAction
from forward.core.models import Membership, Organization, OrganizationKind, User
from forward.core.permissions import organizations_where
from forward.core.services import audit
from forward.matching.core import Problem, parse, solve_problem

from . import permissions
from .models import (
    Application,
    CandidateRank,
    EmployerRank,
    MatchResult,
    MatchRound,
    Opening,
    OpeningStatus,
    RoundJob,
    RoundOpening,
    RoundPhase,
    Stage,
)

log = logging.getLogger(__name__)
M = TypeVar("M", bound=Model)
T = TypeVar("T")

INTERVIEWED = (Stage.INTERVIEW, Stage.OFFER, Stage.HIRED)  # "interviewed": at interview or later
MAX_RANKED = 500  # the longest rank list a side may submit (a body is bounded before it is read)

# Reasons an opening a candidate preferred did not take them (MatchResult.explanation["above"]).
FULL = "full"  # it filled its seats with candidates it ranked higher
NOT_RANKED = "not_ranked"  # it did not rank the candidate


# --- phase -----------------------------------------------------------------------------------------

def phase_of(match_round: MatchRound, now: datetime | None = None) -> str:
    """Where the round is, from its timeline and its match job."""
    now = now or timezone.now()
    if match_round.results_published_at:
        if match_round.acceptance_close and now >= match_round.acceptance_close:
            return RoundPhase.CLOSED
        return RoundPhase.RESULTS
    if not match_round.published:
        return RoundPhase.DRAFT
    if match_round.job in (RoundJob.QUEUED, RoundJob.RUNNING):
        return RoundPhase.MATCHING
    if now < match_round.applications_close:
        return RoundPhase.APPLICATIONS
    if now < match_round.interviews_close:
        return RoundPhase.INTERVIEWS
    if now < match_round.ranking_close:
        return RoundPhase.RANKING
    return RoundPhase.MATCHING  # ranking has closed: the match is due (or failed and may be run again)


phase = phase_of


# --- selectors -------------------------------------------------------------------------------------

def interviewed_applications(match_round: MatchRound) -> QuerySet[Application]:
    """Applications that make their applicant a candidate of the round: at interview or later
    (still live: not withdrawn, rejected or declined), to an opening of the round; in a career
    office's round, only of that university's members; in a second round, only of people the
    first round left unmatched."""
    qs = Application.objects.filter(stage__in=INTERVIEWED, opening__round_entries__round=match_round)
    if match_round.organization_id:  # a career office's round is for its own students
        qs = qs.filter(applicant_id__in=Membership.objects.filter(organization_id=match_round.organization_id)
                       .values("user_id"))
    if match_round.previous_id:
        matched = MatchResult.objects.filter(round_id=match_round.previous_id, opening__isnull=False)
        qs = qs.exclude(applicant_id__in=matched.values("candidate_id"))
    return qs


def candidate_openings(*, match_round: MatchRound, user: User) -> list[Opening]:
    """The openings of the round this person interviewed for (what they may rank)."""
    if not user.is_authenticated:
        return []
    opening_ids = interviewed_applications(match_round).filter(applicant=user).values("opening_id")
    return list(Opening.objects.filter(pk__in=opening_ids).select_related("organization").order_by("title", "pk"))


def is_candidate(*, match_round: MatchRound, user: User) -> bool:
    return user.is_authenticated and interviewed_applications(match_round).filter(applicant=user).exists()


def opening_candidates(*, match_round: MatchRound, opening: Opening) -> list[User]:
    """The people an opening's employer may rank: those it interviewed."""
    ids = interviewed_applications(match_round).filter(opening=opening).values("applicant_id")
    return list(User.objects.filter(pk__in=ids).order_by("name", "pk"))


def employer_round_openings(*, match_round: MatchRound, user: User) -> list[RoundOpening]:
    """The round's openings this person ranks for (acting member of their verified employer)."""
    orgs = permissions.ranking_employers(user)
    return list(RoundOpening.objects.filter(round=match_round, opening__organization__in=orgs)
                .select_related("opening__organization").order_by("opening__title", "pk"))


def can_view_round(user: User, match_round: MatchRound) -> bool:
    """Its managers always; once announced, its candidates and the employers of its openings."""
    if permissions.can_manage_round(user, match_round):
        return True
    if not match_round.published or not user.is_authenticated:
        return False
    return (is_candidate(match_round=match_round, user=user)
            or bool(employer_round_openings(match_round=match_round, user=user))
            or has_result(match_round=match_round, user=user))


def rounds_for(*, user: User) -> QuerySet[MatchRound]:
    """The rounds this person sees in the list: those they manage, and announced rounds they take
    part in (as a candidate or for an employer). Three subqueries, one query."""
    if not user.is_authenticated:
        return MatchRound.objects.none()
    qs = MatchRound.objects.select_related("organization")
    if permissions.is_operator(user):
        return qs
    managed = Q(organization__in=permissions.career_offices(user))
    interviewed = Application.objects.filter(applicant=user, stage__in=INTERVIEWED)
    member_of = organizations_where(user)
    as_candidate = (Q(round_openings__opening_id__in=interviewed.values("opening_id"))
                    & (Q(organization__isnull=True) | Q(organization_id__in=member_of)))
    as_employer = Q(round_openings__opening__organization__in=permissions.ranking_employers(user))
    ids = MatchRound.objects.filter(Q(published=True) & (as_candidate | as_employer)).values("pk")
    return qs.filter(managed | Q(pk__in=ids))


def round_openings(match_round: MatchRound) -> list[RoundOpening]:
    return list(RoundOpening.objects.filter(round=match_round).select_related("opening__organization")
                .order_by("opening__organization__name", "opening__title", "pk"))


def ranking_counts(match_round: MatchRound) -> dict[str, int]:
    """How many candidates and openings have submitted a ranking (two queries)."""
    return {
        "candidates": CandidateRank.objects.filter(round=match_round).values("candidate_id").distinct().count(),
        "openings": EmployerRank.objects.filter(round=match_round).values("opening_id").distinct().count(),
    }


def candidate_ranking(*, match_round: MatchRound, user: User) -> list[int]:
    """The opening ids this candidate ranked, best first."""
    return list(_live(CandidateRank.objects.filter(round=match_round, candidate=user), match_round)
                .order_by("position").values_list("opening_id", flat=True))


def employer_ranking(*, match_round: MatchRound, opening: Opening) -> list[int]:
    return list(_live(EmployerRank.objects.filter(round=match_round, opening=opening), match_round)
                .order_by("position").values_list("candidate_id", flat=True))


def published_result(*, match_round: MatchRound, user: User) -> MatchResult | None:
    """This candidate's result, only once the round's results are published."""
    if not match_round.results_published_at or not user.is_authenticated:
        return None
    return MatchResult.objects.filter(round=match_round, candidate=user).select_related(
        "opening__organization").first()


def opening_results(*, match_round: MatchRound, opening: Opening) -> list[MatchResult]:
    """Who an opening got, best ranked first, only once the results are published."""
    if not match_round.results_published_at:
        return []
    ranked = {c: i for i, c in enumerate(employer_ranking(match_round=match_round, opening=opening))}
    results = list(MatchResult.objects.filter(round=match_round, opening=opening).select_related("candidate"))
    return sorted(results, key=lambda r: ranked.get(r.candidate_id, len(ranked)))


def answer_counts(match_round: MatchRound) -> dict[str, int] | None:
    """How many matched candidates accepted, declined, have not answered (one query), once published."""
    if not match_round.results_published_at:
        return None
    return MatchResult.objects.filter(round=match_round, opening__isnull=False).aggregate(
        declined=Count("pk", filter=Q(declined_at__isnull=False)),
        accepted=Count("pk", filter=Q(declined_at__isnull=True, accepted_at__isnull=False)),
        pending=Count("pk", filter=Q(declined_at__isnull=True, accepted_at__isnull=True)))


def has_result(*, match_round: MatchRound, user: User) -> bool:
    """A published result stays the candidate's to see and answer, even if their application moved on."""
    return (bool(match_round.results_published_at) and user.is_authenticated
            and MatchResult.objects.filter(round=match_round, candidate=user).exists())


def seats_left(match_round: MatchRound) -> list[tuple[Opening, int]]:
    """After the match: openings of the round with seats nobody took, most seats first."""
    left = (match_round.stats or {}).get("seats_left") or {}
    openings = Opening.objects.filter(pk__in=[int(k) for k in left]).select_related("organization")
    return sorted(((o, left[str(o.pk)]) for o in openings), key=lambda pair: (-pair[1], pair[0].title))


# --- explanation words -----------------------------------------------------------------------------

def ordinal(n: int) -> str:
    """1st, 2nd, 3rd… as a translatable word."""
    if n % 100 in (11, 12, 13):
        return _("%(n)dth") % {"n": n}
    return {1: _("%(n)dst"), 2: _("%(n)dnd"), 3: _("%(n)drd")}.get(n % 10, _("%(n)dth")) % {"n": n}


@dataclass
class Explained:
    headline: str
    reasons: list[str]


def explain(result: MatchResult, titles: dict[int, str]) -> Explained:
    """The plain data of a result, in words for the candidate. `titles`: opening id → title."""
    data = result.explanation or {}
    if result.opening_id:
        headline = _("Matched to %(opening)s, your %(choice)s choice.") % {
            "opening": titles.get(result.opening_id, "?"), "choice": ordinal(result.choice or 1)}
    elif not data.get("ranked"):
        headline = _("Not matched: you did not rank any opening in this round.")
    else:
        headline = _("Not matched: none of the openings you ranked could take you.")
    reasons = []
    for item in data.get("above", []):
        title = titles.get(item["opening"], "?")
        choice = ordinal(item["choice"])
        if item["reason"] == FULL:
            reasons.append(ngettext(
                "Your %(choice)s choice, %(opening)s, filled its %(seats)d seat with a candidate it ranked higher.",
                "Your %(choice)s choice, %(opening)s, filled its %(seats)d seats with candidates it ranked higher.",
                item["seats"]) % {"choice": choice, "opening": title, "seats": item["seats"]})
        else:
            reasons.append(_("Your %(choice)s choice, %(opening)s, did not rank you.")
                           % {"choice": choice, "opening": title})
    return Explained(headline, reasons)


def explanation_titles(results: list[MatchResult]) -> dict[int, str]:
    ids = set()
    for r in results:
        if r.opening_id:
            ids.add(r.opening_id)
        ids.update(item["opening"] for item in (r.explanation or {}).get("above", []))
    return dict(Opening.objects.filter(pk__in=ids).values_list("pk", "title"))


# --- services: creating and announcing -------------------------------------------------------------

def _check_timeline(applications_close: datetime | None, interviews_close: datetime | None,
                    ranking_close: datetime | None, acceptance_close: datetime | None) -> None:
    if not (applications_close and interviews_close and ranking_close):
        raise ValidationError(_("Give the round all three dates: applications close, interviews close, "
                                "ranking closes."))
    if not applications_close <= interviews_close <= ranking_close:
        raise ValidationError(_("The timeline must run in order: applications close, then interviews "
                                "close, then ranking closes."))
    if acceptance_close and acceptance_close < ranking_close:
        raise ValidationError(_("Acceptance must close after ranking closes."))


def round_create(*, actor: User, name: str, applications_close: datetime, interviews_close: datetime,
                 ranking_close: datetime, acceptance_close: datetime | None = None,
                 organization: Organization | None = None, previous: MatchRound | None = None) -> MatchRound:
    """An operator's round (organization None), or a career office's (its university)."""
    if organization is None and not permissions.is_operator(actor):
        offices = list(permissions.career_offices(actor)[:2])
        if len(offices) != 1:
            raise PermissionDenied
        organization = offices[0]
    if organization is not None and not permissions.can_run_rounds_for(actor, organization):
        raise PermissionDenied
    if previous is not None and not permissions.can_manage_round(actor, previous):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the round a name."))
    _check_timeline(applications_close, interviews_close, ranking_close, acceptance_close)
    with transaction.atomic():
        match_round = MatchRound.objects.create(
            name=name[:200], organization=organization, previous=previous, applications_close=applications_close,
            interviews_close=interviews_close, ranking_close=ranking_close, acceptance_close=acceptance_close,
            created_by=actor)
        audit(actor=actor, action=AuditAction.TALENT_ROUND_CREATE, organization=organization,
              target=f"round:{match_round.pk}", name=match_round.name)
    return match_round


def _seats_taken(previous: MatchRound) -> dict[int, int]:
    return dict(MatchResult.objects.filter(round=previous, opening__isnull=False, declined_at__isnull=True)
                .values("opening_id")
                .annotate(n=Count("pk")).values_list("opening_id", "n"))


def round_add_opening(*, actor: User, match_round: MatchRound, opening: Opening, seats: int | None = None) -> RoundOpening:
    """Add an open opening of a verified employer, with its seats (the opening's by default; in a
    second round, the seats the first left)."""
    if not permissions.can_manage_round(actor, match_round):
        raise PermissionDenied
    if match_round.results_published_at or match_round.job != RoundJob.IDLE:
        raise ValidationError(_("This round's match has started; its openings can no longer change."))
    organization = opening.organization
    if (opening.status != OpeningStatus.OPEN or organization.kind != OrganizationKind.EMPLOYER
            or not organization.is_verified):
        raise ValidationError(_("Only open openings of verified employers can be part of a round; "
                                "%(title)s is not one.") % {"title": opening.title})
    if seats is None:
        seats = opening.seats
        if match_round.previous_id:
            previous_entry = RoundOpening.objects.filter(round_id=match_round.previous_id, opening=opening).first()
            if previous_entry is not None and match_round.previous is not None:
                seats = previous_entry.seats - _seats_taken(match_round.previous).get(opening.pk, 0)
            if seats < 1:
                raise ValidationError(_("%(title)s has no seats left after the first round.") % {"title": opening.title})
    if not isinstance(seats, int) or isinstance(seats, bool) or not 1 <= seats <= 10_000:
        raise ValidationError(_("Seats must be a whole number from 1 to 10,000."))
    try:
        with transaction.atomic():
            entry = RoundOpening.objects.create(round=match_round, opening=opening, seats=seats)
            audit(actor=actor, action=AuditAction.TALENT_ROUND_ADD_OPENING, organization=match_round.organization,
                  target=f"round:{match_round.pk}", opening=str(opening.uuid), seats=seats)
    except IntegrityError:
        raise ValidationError(_("%(title)s is already in this round.") % {"title": opening.title}) from None
    return entry


def round_remove_opening(*, actor: User, match_round: MatchRound, opening: Opening) -> None:
    if not permissions.can_manage_round(actor, match_round):
        raise PermissionDenied
    if match_round.published:
        raise ValidationError(_("The round is announced; its openings can no longer be removed."))
    with transaction.atomic():
        RoundOpening.objects.filter(round=match_round, opening=opening).delete()
        audit(actor=actor, action=AuditAction.TALENT_ROUND_REMOVE_OPENING, organization=match_round.organization,
              target=f"round:{match_round.pk}", opening=str(opening.uuid))


def round_announce(*, actor: User, match_round: MatchRound) -> MatchRound:
    """Candidates and employers see the round from now on."""
    if not permissions.can_manage_round(actor, match_round):
        raise PermissionDenied
    if match_round.published:
        return match_round
    if not RoundOpening.objects.filter(round=match_round).exists():
        raise ValidationError(_("Add at least one opening before announcing the round."))
    with transaction.atomic():
        MatchRound.objects.filter(pk=match_round.pk).update(published=True)
        audit(actor=actor, action=AuditAction.TALENT_ROUND_ANNOUNCE, organization=match_round.organization,
              target=f"round:{match_round.pk}")
    match_round.published = True
    return match_round


def round_create_next(*, actor: User, previous: MatchRound, name: str, applications_close: datetime,
                      interviews_close: datetime, ranking_close: datetime,
                      acceptance_close: datetime | None = None) -> MatchRound:
    """A second round over the openings the first left with seats, for the candidates it left
    unmatched (candidates matched in the first cannot take part)."""
    if not permissions.can_manage_round(actor, previous):
        raise PermissionDenied
    if not previous.results_published_at:
        raise ValidationError(_("A second round starts from the first one's results; run its match first."))
    left = {int(k): v for k, v in ((previous.stats or {}).get("seats_left") or {}).items() if v > 0}
    openings = list(Opening.objects.filter(pk__in=left, status=OpeningStatus.OPEN,
                                           organization__verified_at__isnull=False).select_related("organization"))
    if not openings:
        raise ValidationError(_("The first round filled every seat; there is nothing for a second round to fill."))
    with transaction.atomic():
        match_round = round_create(actor=actor, name=name, applications_close=applications_close,
                                   interviews_close=interviews_close, ranking_close=ranking_close,
                                   acceptance_close=acceptance_close, organization=previous.organization,
                                   previous=previous)
        RoundOpening.objects.bulk_create([RoundOpening(round=match_round, opening=o, seats=left[o.pk])
                                          for o in openings])
    return match_round


# --- services: ranking -----------------------------------------------------------------------------

def _check_ranking_open(match_round: MatchRound) -> None:
    if phase_of(match_round) != RoundPhase.RANKING:
        raise ValidationError(_("Rankings can be changed only while the round is in its ranking phase "
                                "(until %(when)s).") % {"when": timezone.localtime(match_round.ranking_close)
                                                       .strftime("%Y-%m-%d %H:%M %Z")})


def _ordered_unique(items: list[T], what: str) -> list[T]:
    if len(items) > MAX_RANKED:
        raise ValidationError(_("Rank at most %(n)d %(what)s.") % {"n": MAX_RANKED, "what": what})
    seen = set()
    for item in items:
        if item in seen:
            raise ValidationError(_("%(item)s appears twice in your ranking; list each once.") % {"item": item})
        seen.add(item)
    return items


def candidate_rank_set(*, user: User, match_round: MatchRound, openings: list[str]) -> list[Opening]:
    """Replace this candidate's ranking (opening uuids as strings, best first; empty clears it)."""
    if not is_candidate(match_round=match_round, user=user):
        raise PermissionDenied
    _check_ranking_open(match_round)
    wanted = _ordered_unique([str(u).strip().lower() for u in openings], _("openings"))
    eligible = {str(o.uuid): o for o in candidate_openings(match_round=match_round, user=user)}
    unknown = [u for u in wanted if u not in eligible]
    if unknown:
        raise ValidationError(_("You can rank only the openings of this round you interviewed for; "
                                "%(id)s is not one of them.") % {"id": unknown[0]})
    ranked = [eligible[u] for u in wanted]
    with transaction.atomic():
        MatchRound.objects.select_for_update().filter(pk=match_round.pk).first()  # one writer at a time
        CandidateRank.objects.filter(round=match_round, candidate=user).delete()
        CandidateRank.objects.bulk_create([CandidateRank(round=match_round, candidate=user, opening=o, position=i)
                                           for i, o in enumerate(ranked, start=1)])
    return ranked


def employer_rank_set(*, actor: User, match_round: MatchRound, opening: Opening, candidates: list[int],
                      seats: int | None = None) -> list[User]:
    """Replace an opening's ranking (candidate user ids, best first) and, if given, its seats."""
    entry = RoundOpening.objects.filter(round=match_round, opening=opening).first()
    if entry is None or not permissions.can_rank_for_opening(actor, opening):
        raise PermissionDenied
    _check_ranking_open(match_round)
    if seats is not None and (not isinstance(seats, int) or isinstance(seats, bool) or not 1 <= seats <= 10_000):
        raise ValidationError(_("Seats must be a whole number from 1 to 10,000."))
    for c in candidates:
        if not isinstance(c, int) or isinstance(c, bool):
            raise ValidationError(_("Candidates are given by their numeric ids; %(id)r is not one.") % {"id": c})
    wanted = _ordered_unique(list(candidates), _("candidates"))
    eligible = {u.pk: u for u in opening_candidates(match_round=match_round, opening=opening)}
    unknown = [c for c in wanted if c not in eligible]
    if unknown:
        raise ValidationError(_("You can rank only candidates you interviewed for this opening; %(id)s is "
                                "not one of them.") % {"id": unknown[0]})
    with transaction.atomic():
        MatchRound.objects.select_for_update().filter(pk=match_round.pk).first()
        EmployerRank.objects.filter(round=match_round, opening=opening).delete()
        EmployerRank.objects.bulk_create([EmployerRank(round=match_round, opening=opening, candidate_id=c, position=i)
                                          for i, c in enumerate(wanted, start=1)])
        if seats is not None and seats != entry.seats:
            RoundOpening.objects.filter(pk=entry.pk).update(seats=seats)
            audit(actor=actor, action=AuditAction.TALENT_ROUND_SEATS, organization=opening.organization,
                  target=f"round:{match_round.pk}", opening=str(opening.uuid), before=entry.seats, after=seats)
    return [eligible[c] for c in wanted]


# --- services: the match ---------------------------------------------------------------------------

def match_start(*, actor: User, match_round: MatchRound) -> MatchRound:
    """Queue the match once ranking has closed. A second click while it is queued or running
    returns the same job; a failed match may be started again; a finished one is refused."""
    from . import tasks

    if not permissions.can_manage_round(actor, match_round):
        raise PermissionDenied
    if match_round.job == RoundJob.DONE or match_round.results_published_at:
        raise ValidationError(_("This round's match has already run and its results are published; "
                                "running it again would give the same result."))
    if not match_round.published:
        raise ValidationError(_("Announce the round before running its match."))
    if timezone.now() < match_round.ranking_close:
        raise ValidationError(_("Ranking is still open; the match can run once ranking closes."))
    with transaction.atomic():
        claimed = MatchRound.objects.filter(pk=match_round.pk, job__in=[RoundJob.IDLE, RoundJob.FAILED]).update(
            job=RoundJob.QUEUED, progress=0, progress_note=_("Waiting for a worker"), error="",
            started_at=timezone.now(), finished_at=None)  # started_at: queued at, until a worker claims it
        if claimed:
            audit(actor=actor, action=AuditAction.TALENT_ROUND_RUN, organization=match_round.organization,
                  target=f"round:{match_round.pk}")
            round_id = match_round.pk
            transaction.on_commit(lambda: tasks.run_match.delay(round_id))
    match_round.refresh_from_db()
    return match_round


def _progress(round_id: int, percent: int, note: str) -> None:
    MatchRound.objects.filter(pk=round_id, job=RoundJob.RUNNING).update(progress=percent, progress_note=note[:200])


@dataclass
class Rankings:
    """Both sides' rankings of a round as plain ids (read with three queries)."""

    capacity: dict[int, int]  # opening id → seats
    candidates: dict[int, list[int]]  # candidate id → opening ids, best first
    openings: dict[int, list[int]]  # opening id → candidate ids, best first

    def problem(self) -> dict[str, Any]:
        """As `forward match` reads it (string ids)."""
        cands = set(self.candidates)
        for ranking in self.openings.values():
            cands.update(ranking)
        return {
            "students": {str(c): [str(o) for o in self.candidates.get(c, ())] for c in sorted(cands)},
            "openings": {str(o): {"capacity": seats, "ranking": [str(c) for c in self.openings.get(o, ())]}
                         for o, seats in sorted(self.capacity.items())},
        }


def _live(queryset: QuerySet[M], match_round: MatchRound) -> QuerySet[M]:
    """Ranking rows whose candidate–opening pair is still live: the application is at interview or
    later (not withdrawn or rejected since) and the candidate may take part in the round."""
    return queryset.filter(Exists(interviewed_applications(match_round).filter(
        applicant_id=OuterRef("candidate_id"), opening_id=OuterRef("opening_id"))))


def read_rankings(round_id: int) -> Rankings:
    """Every ranking of the round, in bulk (values_list, ordered; no per-row queries). Entries
    naming an opening no longer in the round, a pair whose application is no longer live
    (withdrawn, rejected) or a candidate outside a career office's university are ignored."""
    match_round = MatchRound.objects.get(pk=round_id)
    capacity = dict(RoundOpening.objects.filter(round_id=round_id).values_list("opening_id", "seats"))
    candidates: dict[int, list[int]] = defaultdict(list)
    for candidate, opening in (_live(CandidateRank.objects.filter(round_id=round_id), match_round)
                               .order_by("candidate_id", "position")
                               .values_list("candidate_id", "opening_id").iterator(chunk_size=20_000)):
        if opening in capacity:
            candidates[candidate].append(opening)
    openings: dict[int, list[int]] = defaultdict(list)
    for opening, candidate in (_live(EmployerRank.objects.filter(round_id=round_id), match_round)
                               .order_by("opening_id", "position")
                               .values_list("opening_id", "candidate_id").iterator(chunk_size=20_000)):
        if opening in capacity:
            openings[opening].append(candidate)
    return Rankings(capacity, dict(candidates), dict(openings))


def stable_blocking_pairs(problem: Problem, at: dict[int, int]) -> list[tuple[str, str]]:
    """Pairs (student, opening) that would both rather have each other than what they got, in one
    pass over the mutually acceptable pairs. `at`: student index → opening index it got. (The same
    answer as `forward.matching.blocking_pairs`, in linear time for a round of 100,000.)"""
    n_o = len(problem.openings)
    held = [0] * n_o
    worst = [-1] * n_o  # the opening's rank of the worst candidate it holds
    s_pref, s_rank, s_off = problem.s_pref, problem.s_rank, problem.s_off
    for s, o in at.items():
        held[o] += 1
        for k in range(s_off[s], s_off[s + 1]):
            if s_pref[k] == o:
                worst[o] = max(worst[o], s_rank[k])
                break
    pairs = []
    capacity = problem.capacity
    for s in range(len(problem.students)):
        current = at.get(s)
        for k in range(s_off[s], s_off[s + 1]):
            o = s_pref[k]
            if o == current:
                break
            if held[o] < capacity[o] or s_rank[k] < worst[o]:
                pairs.append((problem.students[s], problem.openings[o]))
    return pairs


def build_results(rankings: Rankings, matching: dict[str, list[str]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Each candidate's result and its explanation in plain data, and the round's stats."""
    got: dict[int, int] = {int(c): int(o) for o, members in matching.items() for c in members}
    ranked_by = {o: set(cands) for o, cands in rankings.openings.items()}
    filled = {int(o): len(members) for o, members in matching.items()}
    everyone = set(rankings.candidates)
    for ranking in rankings.openings.values():
        everyone.update(ranking)
    rows = []
    for candidate in sorted(everyone):
        prefs = rankings.candidates.get(candidate, [])
        opening = got.get(candidate)
        choice = prefs.index(opening) + 1 if opening is not None else None
        above = []
        for i, o in enumerate(prefs[:choice - 1] if choice else prefs, start=1):
            if candidate in ranked_by.get(o, ()):
                above.append({"opening": o, "choice": i, "reason": FULL, "seats": rankings.capacity[o]})
            else:
                above.append({"opening": o, "choice": i, "reason": NOT_RANKED})
        rows.append({"candidate": candidate, "opening": opening, "choice": choice,
                     "explanation": {"ranked": len(prefs), "above": above}})
    left = {str(o): seats - filled.get(o, 0) for o, seats in rankings.capacity.items() if seats > filled.get(o, 0)}
    by_choice: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["choice"]:
            by_choice[str(row["choice"])] += 1
    matched = sum(1 for row in rows if row["opening"] is not None)
    stats = {"candidates": len(rows), "openings": len(rankings.capacity), "seats": sum(rankings.capacity.values()),
             "matched": matched, "unmatched": len(rows) - matched,
             "by_choice": dict(sorted(by_choice.items(), key=lambda kv: int(kv[0]))), "seats_left": left}
    return rows, stats


def _write_results(round_id: int, rows: list[dict[str, Any]]) -> None:
    """All results in bulk, inside the caller's transaction: PostgreSQL's COPY (Django's bulk
    insert quotes 100,000 JSON explanations client-side, six times slower), bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(MatchResult._meta.db_table)
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {table} (round_id, candidate_id, opening_id, choice, explanation) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((round_id, row["candidate"], row["opening"], row["choice"],
                                json.dumps(row["explanation"], separators=(",", ":"))))
        return
    MatchResult.objects.bulk_create(
        (MatchResult(round_id=round_id, candidate_id=row["candidate"], opening_id=row["opening"],
                     choice=row["choice"], explanation=row["explanation"]) for row in rows), batch_size=5_000)


def _announce(round_id: int) -> None:
    from . import tasks

    tasks.announce_results.delay(round_id)


class MatchFailed(Exception):
    """The match cannot be published; the message says why (shown to the round's managers)."""


def run_match(round_id: int, *, timings: dict[str, float] | None = None) -> MatchRound | None:
    """Worker side: claim the queued round, solve it, check it, publish it. Safe to run twice: a
    round that is not queued (done, running elsewhere) is left alone. A failure marks the job
    failed with its message; the worker carries on."""
    import time

    claimed = MatchRound.objects.filter(pk=round_id, job=RoundJob.QUEUED).update(
        job=RoundJob.RUNNING, started_at=timezone.now(), progress=1, progress_note=_("Reading the rankings"))
    if not claimed:
        return None
    timings = timings if timings is not None else {}
    try:
        started = time.perf_counter()
        rankings = read_rankings(round_id)
        timings["read"] = time.perf_counter() - started
        _progress(round_id, 30, _("Solving the match"))
        t = time.perf_counter()
        if not rankings.capacity:
            raise MatchFailed(_("The round has no openings."))
        problem = parse(rankings.problem())
        matching = solve_problem(problem, "students")
        timings["solve"] = time.perf_counter() - t
        _progress(round_id, 60, _("Checking that no pair blocks the match"))
        t = time.perf_counter()
        student_index = {s: i for i, s in enumerate(problem.students)}
        opening_index = {o: i for i, o in enumerate(problem.openings)}
        at = {student_index[c]: opening_index[o] for o, members in matching.matching.items() for c in members}
        blocking = stable_blocking_pairs(problem, at)
        if blocking:
            student, opening = blocking[0]
            raise MatchFailed(_("The match is not stable: candidate %(c)s and opening %(o)s would both rather "
                                "have each other (%(n)d blocking pairs). Nothing was published.")
                              % {"c": student, "o": opening, "n": len(blocking)})
        timings["check"] = time.perf_counter() - t
        _progress(round_id, 75, _("Writing the results"))
        t = time.perf_counter()
        rows, stats = build_results(rankings, matching.matching)
        stats["one_sided_entries_ignored"] = problem.dropped
        now = timezone.now()
        with transaction.atomic():
            locked = MatchRound.objects.select_for_update().get(pk=round_id)
            if locked.job != RoundJob.RUNNING or locked.results_published_at:  # another run published it
                return None
            MatchResult.objects.filter(round_id=round_id).delete()
            _write_results(round_id, rows)
            MatchRound.objects.filter(pk=round_id).update(
                job=RoundJob.DONE, progress=100, progress_note=_("Results published"), finished_at=now,
                results_published_at=now, stats=stats)
            # The mails are their own task (a round of 100,000 is 100,000 messages), sent once committed.
            transaction.on_commit(lambda: _announce(round_id), robust=True)
        timings["write"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - started
    except Exception as exc:
        log.exception("matching round %s failed", round_id)
        message = str(exc) if isinstance(exc, MatchFailed) else _("The match failed: %(error)s") % {"error": exc}
        MatchRound.objects.filter(pk=round_id, job=RoundJob.RUNNING).update(
            job=RoundJob.FAILED, finished_at=timezone.now(), error=message[:2000], progress_note="")
        return MatchRound.objects.get(pk=round_id)
    return MatchRound.objects.get(pk=round_id)


# --- services: acceptance --------------------------------------------------------------------------

def acceptance_open(match_round: MatchRound, now: datetime | None = None) -> bool:
    """Matched candidates answer from the results until acceptance closes (if the round sets it)."""
    now = now or timezone.now()
    return bool(match_round.results_published_at) and (
        match_round.acceptance_close is None or now < match_round.acceptance_close)


def answer_of(result: MatchResult) -> str:
    """accepted, declined or pending (a matched candidate who has not answered); "" if unmatched."""
    if not result.opening_id:
        return ""
    if result.declined_at:
        return "declined"
    return "accepted" if result.accepted_at else "pending"


def _answerable(*, user: User, match_round: MatchRound) -> MatchResult:
    """The candidate's own matched result, locked, with the round locked first; checks the window."""
    if not user.is_authenticated:
        raise PermissionDenied
    locked = MatchRound.objects.select_for_update().get(pk=match_round.pk)  # one answer at a time per round
    match_round.results_published_at, match_round.acceptance_close = locked.results_published_at, locked.acceptance_close
    if not match_round.results_published_at:
        raise PermissionDenied
    result = (MatchResult.objects.select_for_update(of=("self",)).select_related("opening__organization")
              .filter(round=match_round, candidate=user).first())
    if result is None:
        raise PermissionDenied
    if not result.opening_id:
        raise ValidationError(_("You were not matched in this round, so there is nothing to accept or decline."))
    if not acceptance_open(match_round):
        raise ValidationError(_("Acceptance closed on %(when)s; your answer can no longer change.") % {
            "when": timezone.localtime(match_round.acceptance_close).strftime("%Y-%m-%d %H:%M %Z")})
    return result


def result_accept(*, user: User, match_round: MatchRound) -> MatchResult:
    """Accept the match. Accepting twice changes nothing; after declining, the seat is gone."""
    with transaction.atomic():
        result = _answerable(user=user, match_round=match_round)
        if result.declined_at:
            raise ValidationError(_("You declined this match; its seat went back to the round, so it can no "
                                    "longer be accepted."))
        if result.accepted_at:
            return result
        result.accepted_at = timezone.now()
        result.save(update_fields=["accepted_at"])
        opening = result.opening
        assert opening is not None, "_answerable refuses a result with no match"
        audit(actor=user, action=AuditAction.TALENT_ROUND_ACCEPT, organization=opening.organization,
              target=f"round:{match_round.pk}", opening=str(opening.uuid))
    return result


def result_decline(*, user: User, match_round: MatchRound) -> MatchResult:
    """Decline the match (also after accepting, until acceptance closes). Final: the seat goes
    back to the round's seats left, which a second round fills. Declining twice changes nothing."""
    with transaction.atomic():
        result = _answerable(user=user, match_round=match_round)
        if result.declined_at:
            return result
        before = answer_of(result)
        result.declined_at = timezone.now()
        result.save(update_fields=["declined_at"])
        stats = MatchRound.objects.get(pk=match_round.pk).stats or {}
        left = stats.setdefault("seats_left", {})
        key = str(result.opening_id)
        left[key] = left.get(key, 0) + 1
        stats["declined"] = stats.get("declined", 0) + 1
        MatchRound.objects.filter(pk=match_round.pk).update(stats=stats)
        match_round.stats = stats
        opening = result.opening
        assert opening is not None, "_answerable refuses a result with no match"
        audit(actor=user, action=AuditAction.TALENT_ROUND_DECLINE, organization=opening.organization,
              target=f"round:{match_round.pk}", opening=str(opening.uuid), before=before)
    return result


def rounds_requeue_stale(*, queued_minutes: int = 2, running_minutes: int = 30) -> int:
    """Periodic: matches nobody picked up are sent again; matches running far too long (a worker
    died) go back to queued and are sent again. Publishing is one transaction, so nothing doubles."""
    from . import tasks

    now = timezone.now()
    with transaction.atomic():
        dead = list(MatchRound.objects.filter(job=RoundJob.RUNNING, started_at__lt=now - timedelta(
            minutes=running_minutes)).values_list("pk", flat=True)[:100])
        MatchRound.objects.filter(pk__in=dead, job=RoundJob.RUNNING).update(
            job=RoundJob.QUEUED, progress=0, progress_note=_("Waiting for a worker"), started_at=now)
    unclaimed = list(MatchRound.objects.filter(job=RoundJob.QUEUED).filter(
        Q(started_at__lt=now - timedelta(minutes=queued_minutes)) | Q(started_at__isnull=True))
        .values_list("pk", flat=True)[:100])
    stale = sorted(set(dead) | set(unclaimed))
    for pk in stale:
        tasks.run_match.delay(pk)
    return len(stale)
