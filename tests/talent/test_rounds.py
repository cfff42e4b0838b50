"""Matching rounds: timeline, rankings, the match, its explanations, publication, second rounds."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forward import matching
from forward.matching.core import blocking_pairs, parse, solve_problem
from forward.talent import rounds as svc
from forward.talent import tasks
from forward.talent.models import (
    CandidateRank,
    EmployerRank,
    MatchResult,
    MatchRound,
    RoundJob,
    RoundOpening,
    RoundPhase,
)
from tests.talent import rounds_world
from tests.talent.rounds_world import (
    close_ranking,
    opening,
    rank_all,
    ranking_timeline,
    standard_rankings,
)

rw = rounds_world.rw  # the fixture

pytestmark = pytest.mark.django_db


def _start(actor, match_round) -> None:
    """Start the match as the page does; the queued task runs on commit (eager Celery)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        svc.match_start(actor=actor, match_round=match_round)


def _run(w, actor=None):
    close_ranking(w.round)
    _start(actor or w.uni_admin, w.round)
    w.round.refresh_from_db()
    return w.round


def _results(match_round) -> dict:
    return {r.candidate_id: (r.opening_id, r.choice) for r in MatchResult.objects.filter(round=match_round)}


# --- timeline ------------------------------------------------------------------------------------

def test_the_phase_follows_the_timeline_and_the_job(rw):
    r, now = rw.round, timezone.now()
    assert svc.phase_of(r, now) == RoundPhase.RANKING
    assert svc.phase_of(r, r.applications_close - timedelta(hours=1)) == RoundPhase.APPLICATIONS
    assert svc.phase_of(r, r.interviews_close - timedelta(hours=1)) == RoundPhase.INTERVIEWS
    assert svc.phase_of(r, r.ranking_close + timedelta(hours=1)) == RoundPhase.MATCHING
    r.published = False
    assert svc.phase_of(r, now) == RoundPhase.DRAFT
    r.published, r.results_published_at = True, now
    assert svc.phase_of(r, now) == RoundPhase.RESULTS
    assert svc.phase_of(r, r.acceptance_close + timedelta(seconds=1)) == RoundPhase.CLOSED


def test_a_timeline_out_of_order_is_refused_and_nothing_is_stored(rw):
    before = MatchRound.objects.count()
    t = ranking_timeline()
    with pytest.raises(ValidationError, match="in order"):
        svc.round_create(actor=rw.operator, name="Bad", **{**t, "ranking_close": t["applications_close"]
                                                            - timedelta(days=1)})
    assert MatchRound.objects.count() == before


@pytest.mark.parametrize("who", ["alice", "emp_admin", "other_uni_admin", "unverified_admin"])
def test_only_operators_and_career_offices_create_rounds_for_themselves(rw, who):
    with pytest.raises(PermissionDenied):
        svc.round_create(actor=getattr(rw, who), name="X", organization=rw.uni, **ranking_timeline())


def test_operators_and_career_offices_create_rounds(rw):
    assert svc.round_create(actor=rw.operator, name="Programme", **ranking_timeline()).organization is None
    assert svc.round_create(actor=rw.uni_admin, name="Ours", **ranking_timeline()).organization == rw.uni


def test_only_open_openings_of_verified_employers_join_with_their_seats(rw):
    r = svc.round_create(actor=rw.uni_admin, name="Two", organization=rw.uni, **ranking_timeline())
    with pytest.raises(ValidationError, match="verified employers"):
        svc.round_add_opening(actor=rw.uni_admin, match_round=r, opening=rw.shady_opening)
    entry = svc.round_add_opening(actor=rw.uni_admin, match_round=r, opening=rw.o2)
    assert entry.seats == 2
    with pytest.raises(ValidationError, match="already in this round"):
        svc.round_add_opening(actor=rw.uni_admin, match_round=r, opening=rw.o2)
    with pytest.raises(PermissionDenied):
        svc.round_add_opening(actor=rw.other_uni_admin, match_round=r, opening=rw.o1)


# --- rankings -----------------------------------------------------------------------------------

def test_a_candidate_ranks_the_openings_they_interviewed_for(rw):
    svc.candidate_rank_set(user=rw.alice, match_round=rw.round, openings=[str(rw.o2.uuid), str(rw.o1.uuid)])
    assert svc.candidate_ranking(match_round=rw.round, user=rw.alice) == [rw.o2.pk, rw.o1.pk]
    svc.candidate_rank_set(user=rw.alice, match_round=rw.round, openings=[str(rw.o3.uuid)])  # rewritten whole
    assert list(CandidateRank.objects.filter(round=rw.round, candidate=rw.alice).values_list("opening_id", "position")) \
        == [(rw.o3.pk, 1)]


@pytest.mark.parametrize("bad, message", [
    (lambda w: [str(w.o1.uuid), str(w.o1.uuid)], "twice"),
    (lambda w: [str(w.shady_opening.uuid)], "interviewed for"),
    (lambda w: ["00000000-0000-0000-0000-000000000000"], "interviewed for"),
    (lambda w: ["not-a-uuid"], "interviewed for"),
])
def test_a_bad_candidate_ranking_is_refused_and_the_old_one_kept(rw, bad, message):
    svc.candidate_rank_set(user=rw.alice, match_round=rw.round, openings=[str(rw.o1.uuid)])
    with pytest.raises(ValidationError, match=message):
        svc.candidate_rank_set(user=rw.alice, match_round=rw.round, openings=bad(rw))
    assert svc.candidate_ranking(match_round=rw.round, user=rw.alice) == [rw.o1.pk]


def test_someone_who_did_not_interview_cannot_rank(rw):
    with pytest.raises(PermissionDenied):
        svc.candidate_rank_set(user=rw.dave, match_round=rw.round, openings=[str(rw.o1.uuid)])


def test_an_employer_ranks_its_interviewed_candidates_and_sets_seats(rw):
    svc.employer_rank_set(actor=rw.emp_staff, match_round=rw.round, opening=rw.o1,
                          candidates=[rw.carol.pk, rw.alice.pk], seats=3)
    assert svc.employer_ranking(match_round=rw.round, opening=rw.o1) == [rw.carol.pk, rw.alice.pk]
    assert RoundOpening.objects.get(round=rw.round, opening=rw.o1).seats == 3


@pytest.mark.parametrize("candidates, seats, message", [
    (lambda w: [w.alice.pk, w.alice.pk], None, "twice"),
    (lambda w: [w.dave.pk], None, "interviewed"),
    (lambda w: [999_999], None, "interviewed"),
    (lambda w: ["1"], None, "numeric"),
    (lambda w: [w.alice.pk], 0, "Seats"),
])
def test_a_bad_employer_ranking_is_refused_and_stores_nothing(rw, candidates, seats, message):
    with pytest.raises(ValidationError, match=message):
        svc.employer_rank_set(actor=rw.emp_admin, match_round=rw.round, opening=rw.o1, candidates=candidates(rw),
                              seats=seats)
    assert not EmployerRank.objects.exists()
    assert RoundOpening.objects.get(round=rw.round, opening=rw.o1).seats == 1


@pytest.mark.parametrize("who", ["other_admin", "unverified_admin", "alice", "operator", "uni_admin"])
def test_only_the_openings_employer_ranks_for_it(rw, who):
    with pytest.raises(PermissionDenied):
        svc.employer_rank_set(actor=getattr(rw, who), match_round=rw.round, opening=rw.o1, candidates=[])


def test_rankings_change_only_during_ranking(rw):
    close_ranking(rw.round)
    with pytest.raises(ValidationError, match="ranking phase"):
        svc.candidate_rank_set(user=rw.alice, match_round=rw.round, openings=[str(rw.o1.uuid)])
    with pytest.raises(ValidationError, match="ranking phase"):
        svc.employer_rank_set(actor=rw.emp_admin, match_round=rw.round, opening=rw.o1, candidates=[rw.alice.pk])


# --- the match ------------------------------------------------------------------------------------

def test_the_match_is_candidate_optimal_stable_and_explained(rw):
    standard_rankings(rw)
    r = _run(rw)
    assert r.job == RoundJob.DONE and r.progress == 100 and r.results_published_at
    assert _results(r) == {rw.bob.pk: (rw.o1.pk, 1), rw.alice.pk: (rw.o2.pk, 2), rw.carol.pk: (rw.o3.pk, 2)}
    alice = MatchResult.objects.get(round=r, candidate=rw.alice)
    words = svc.explain(alice, svc.explanation_titles([alice]))
    assert words.headline == "Matched to Cloud intern, your 2nd choice."
    assert words.reasons == ["Your 1st choice, Data intern, filled its 1 seat with a candidate it ranked higher."]
    assert r.stats["matched"] == 3 and r.stats["seats_left"] == {str(rw.o2.pk): 1}


def test_an_unmatched_candidate_learns_why_for_each_choice_and_sees_seats_left(rw):
    rank_all(rw, candidates={rw.alice: [rw.o1, rw.o3], rw.bob: [rw.o1]},
             employers={rw.o1: [rw.bob, rw.alice], rw.o2: [rw.alice]})
    r = _run(rw)
    alice = MatchResult.objects.get(round=r, candidate=rw.alice)
    assert alice.opening_id is None
    words = svc.explain(alice, svc.explanation_titles([alice]))
    assert words.headline == "Not matched: none of the openings you ranked could take you."
    assert words.reasons == ["Your 1st choice, Data intern, filled its 1 seat with a candidate it ranked higher.",
                             "Your 2nd choice, ML intern, did not rank you."]
    assert [(o.pk, n) for o, n in svc.seats_left(r)] == [(rw.o2.pk, 2), (rw.o3.pk, 1)]


def test_the_result_equals_forward_matching_solve_on_random_rankings(rw):
    rng = random.Random(7)
    people = [rw.alice, rw.bob, rw.carol]
    openings = [rw.o1, rw.o2, rw.o3]
    rank_all(rw, candidates={p: rng.sample(openings, rng.randint(1, 3)) for p in people},
             employers={o: rng.sample(people, rng.randint(1, 3)) for o in openings})
    data = svc.read_rankings(rw.round.pk).problem()
    expected = matching.solve(data)
    r = _run(rw)
    got = {str(c): str(o) for c, (o, _) in _results(r).items() if o}
    assert got == {s: o for o, members in expected.matching.items() for s in members}
    assert sorted(str(c) for c, (o, _) in _results(r).items() if not o) == sorted(expected.unmatched)


def test_the_fast_stability_check_agrees_with_forward_matching(rw):
    rng = random.Random(3)
    for _ in range(200):
        students = [f"s{i}" for i in range(rng.randint(1, 8))]
        openings = [f"o{i}" for i in range(rng.randint(1, 5))]
        data = {"students": {s: rng.sample(openings, rng.randint(0, len(openings))) for s in students},
                "openings": {o: {"capacity": rng.randint(1, 3), "ranking": rng.sample(students, rng.randint(0, len(students)))}
                             for o in openings}}
        problem = parse(data)
        result = solve_problem(problem, rng.choice(["students", "openings"]))
        if rng.random() < 0.5:  # break it: move someone matched to nowhere
            matched = [(o, s) for o, members in result.matching.items() for s in members]
            if matched:
                o, s = rng.choice(matched)
                result.matching[o].remove(s)
        s_index = {s: i for i, s in enumerate(problem.students)}
        o_index = {o: i for i, o in enumerate(problem.openings)}
        at = {s_index[s]: o_index[o] for o, members in result.matching.items() for s in members}
        assert sorted(svc.stable_blocking_pairs(problem, at)) == sorted(blocking_pairs(data, result))


def test_no_result_is_visible_to_either_side_before_publication(rw):
    standard_rankings(rw)
    close_ranking(rw.round)
    assert svc.published_result(match_round=rw.round, user=rw.alice) is None
    assert svc.opening_results(match_round=rw.round, opening=rw.o1) == []
    # A job claimed but not finished: still nothing, on both sides.
    MatchRound.objects.filter(pk=rw.round.pk).update(job=RoundJob.RUNNING)
    rw.round.refresh_from_db()
    assert svc.published_result(match_round=rw.round, user=rw.alice) is None
    assert svc.opening_results(match_round=rw.round, opening=rw.o1) == []


def test_results_are_published_for_both_sides_in_one_moment(rw):
    standard_rankings(rw)
    r = _run(rw)
    assert svc.published_result(match_round=r, user=rw.bob).opening_id == rw.o1.pk
    assert [x.candidate_id for x in svc.opening_results(match_round=r, opening=rw.o1)] == [rw.bob.pk]


def test_running_twice_gives_the_same_result_and_a_finished_round_is_refused(rw):
    standard_rankings(rw)
    r = _run(rw)
    first = _results(r)
    with pytest.raises(ValidationError, match="already run"):
        svc.match_start(actor=rw.uni_admin, match_round=r)
    assert svc.run_match(r.pk) is None  # the task again (a redelivered message): a no-op
    assert _results(r) == first
    # Solving the same rankings again from scratch gives the same matching.
    MatchResult.objects.filter(round=r).delete()
    MatchRound.objects.filter(pk=r.pk).update(job=RoundJob.QUEUED, results_published_at=None)
    svc.run_match(r.pk)
    assert _results(r) == first


def test_a_double_click_queues_one_job(rw, django_capture_on_commit_callbacks):
    close_ranking(rw.round)
    with django_capture_on_commit_callbacks() as callbacks:
        svc.match_start(actor=rw.uni_admin, match_round=rw.round)
        svc.match_start(actor=rw.uni_admin, match_round=rw.round)
    assert len(callbacks) == 1


def test_the_match_waits_for_ranking_to_close(rw):
    with pytest.raises(ValidationError, match="Ranking is still open"):
        svc.match_start(actor=rw.uni_admin, match_round=rw.round)


@pytest.mark.parametrize("who", ["other_uni_admin", "emp_admin", "alice"])
def test_only_the_rounds_managers_run_it(rw, who):
    close_ranking(rw.round)
    with pytest.raises(PermissionDenied):
        svc.match_start(actor=getattr(rw, who), match_round=rw.round)


def test_a_failing_match_is_marked_failed_with_a_message_and_the_worker_lives(rw, monkeypatch):
    standard_rankings(rw)
    close_ranking(rw.round)
    monkeypatch.setattr(svc, "stable_blocking_pairs", lambda problem, at: [("7", "9")])
    _start(rw.uni_admin, rw.round)
    rw.round.refresh_from_db()
    assert rw.round.job == RoundJob.FAILED
    assert "not stable" in rw.round.error and "Nothing was published" in rw.round.error
    assert not MatchResult.objects.exists() and rw.round.results_published_at is None
    monkeypatch.undo()
    _start(rw.uni_admin, rw.round)  # may run again once fixed
    rw.round.refresh_from_db()
    assert rw.round.job == RoundJob.DONE


def test_progress_is_recorded_while_it_runs(rw, monkeypatch):
    standard_rankings(rw)
    close_ranking(rw.round)
    seen = []
    original = svc.build_results

    def spy(rankings, m):
        seen.append(MatchRound.objects.values_list("progress", "progress_note").get(pk=rw.round.pk))
        return original(rankings, m)

    monkeypatch.setattr(svc, "build_results", spy)
    _start(rw.uni_admin, rw.round)
    assert seen == [(75, "Writing the results")]


def test_a_stale_running_job_is_requeued_and_finishes(rw, monkeypatch):
    standard_rankings(rw)
    close_ranking(rw.round)
    MatchRound.objects.filter(pk=rw.round.pk).update(
        published=True, job=RoundJob.RUNNING, started_at=timezone.now() - timedelta(hours=2))
    assert tasks.requeue_rounds() == 1
    rw.round.refresh_from_db()
    assert rw.round.job == RoundJob.DONE and MatchResult.objects.filter(round=rw.round).count() == 3


def test_reading_the_rankings_takes_a_constant_number_of_queries(rw):
    standard_rankings(rw)
    with CaptureQueriesContext(connection) as few:
        svc.read_rankings(rw.round.pk)
    extra = opening(rw.straits, "More", 5)
    RoundOpening.objects.create(round=rw.round, opening=extra, seats=5)
    CandidateRank.objects.create(round=rw.round, candidate=rw.dave, opening=extra, position=1)
    with CaptureQueriesContext(connection) as more:
        svc.read_rankings(rw.round.pk)
    assert len(few) == len(more) == 4  # the round, the seats, both sides' rankings (live pairs only)


# --- a second round ---------------------------------------------------------------------------------

def test_a_second_round_fills_the_seats_left_with_candidates_left_unmatched(rw):
    rank_all(rw, candidates={rw.alice: [rw.o1], rw.bob: [rw.o1], rw.carol: [rw.o3]},
             employers={rw.o1: [rw.bob, rw.alice], rw.o3: [rw.carol]})
    first = _run(rw)
    assert _results(first)[rw.alice.pk] == (None, None)
    second = svc.round_create_next(actor=rw.uni_admin, previous=first, name="Summer 2027: second round",
                                   **ranking_timeline())
    assert dict(RoundOpening.objects.filter(round=second).values_list("opening_id", "seats")) == {rw.o2.pk: 2}
    svc.round_announce(actor=rw.uni_admin, match_round=second)
    assert svc.is_candidate(match_round=second, user=rw.alice)
    assert not svc.is_candidate(match_round=second, user=rw.bob)  # matched in the first round
    svc.candidate_rank_set(user=rw.alice, match_round=second, openings=[str(rw.o2.uuid)])
    svc.employer_rank_set(actor=rw.emp_admin, match_round=second, opening=rw.o2, candidates=[rw.alice.pk])
    with pytest.raises(ValidationError, match="interviewed"):
        svc.employer_rank_set(actor=rw.emp_admin, match_round=second, opening=rw.o2, candidates=[rw.bob.pk])
    close_ranking(second)
    _start(rw.uni_admin, second)
    assert _results(second) == {rw.alice.pk: (rw.o2.pk, 1)}


def test_a_second_round_needs_the_first_results(rw):
    with pytest.raises(ValidationError, match="run its match first"):
        svc.round_create_next(actor=rw.uni_admin, previous=rw.round, name="Too early", **ranking_timeline())


def test_a_queued_job_whose_message_was_lost_is_sent_again_but_a_fresh_one_is_not(rw):
    standard_rankings(rw)
    close_ranking(rw.round)
    MatchRound.objects.filter(pk=rw.round.pk).update(job=RoundJob.QUEUED, started_at=timezone.now())
    assert tasks.requeue_rounds() == 0  # just queued: its message is on its way
    MatchRound.objects.filter(pk=rw.round.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    assert tasks.requeue_rounds() == 1
    rw.round.refresh_from_db()
    assert rw.round.job == RoundJob.DONE
