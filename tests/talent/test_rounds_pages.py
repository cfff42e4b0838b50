"""Matching rounds' pages, for every role: who sees what, who gets 404, and forms that work
without JavaScript."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from forward.talent import rounds as svc
from forward.talent.models import CandidateRank, EmployerRank, MatchRound, RoundJob, RoundOpening
from tests.conftest import client_for
from tests.talent import rounds_world
from tests.talent.rounds_world import close_ranking, ranking_timeline, standard_rankings

pytestmark = pytest.mark.django_db
rw = rounds_world.rw  # the fixture

EVERYONE = ["alice", "dave", "emp_admin", "emp_staff", "other_admin", "stranger_admin", "unverified_admin",
            "uni_admin", "other_uni_admin", "operator"]


def get(w, who, url):
    return client_for(getattr(w, who) if who else None).get(url)


def test_anonymous_visitors_are_sent_to_sign_in(rw):
    for url in ("/talent/rounds/", f"/talent/rounds/{rw.round.pk}/", f"/talent/rounds/{rw.round.pk}/rank/",
                f"/talent/rounds/{rw.round.pk}/result/", f"/talent/rounds/{rw.round.pk}/openings/{rw.o1.uuid}/rank/"):
        response = get(rw, None, url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who, listed", [
    ("alice", True), ("dave", False), ("emp_admin", True), ("emp_staff", True), ("other_admin", True),
    ("stranger_admin", False), ("unverified_admin", False), ("uni_admin", True), ("other_uni_admin", False),
    ("operator", True)])
def test_the_list_shows_the_rounds_each_person_manages_or_takes_part_in(rw, who, listed):
    response = get(rw, who, "/talent/rounds/")
    assert response.status_code == 200
    assert ("Summer 2027" in response.content.decode()) is listed


@pytest.mark.parametrize("who, status", [
    ("alice", 200), ("dave", 404), ("emp_admin", 200), ("emp_staff", 200), ("other_admin", 200),
    ("stranger_admin", 404), ("unverified_admin", 404), ("uni_admin", 200), ("other_uni_admin", 404),
    ("operator", 200)])
def test_the_round_page_for_every_role(rw, who, status):
    response = get(rw, who, f"/talent/rounds/{rw.round.pk}/")
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert ("Rankings submitted" in text) is (who in ("uni_admin", "operator"))  # managers only
        assert ("Rank your openings" in text) is (who == "alice")


def test_an_unannounced_round_is_seen_only_by_its_managers(rw):
    draft = svc.round_create(actor=rw.uni_admin, name="Draft round", organization=rw.uni, **ranking_timeline())
    svc.round_add_opening(actor=rw.uni_admin, match_round=draft, opening=rw.o1)
    for who in EVERYONE:
        expected = 200 if who in ("uni_admin", "operator") else 404
        assert get(rw, who, f"/talent/rounds/{draft.pk}/").status_code == expected, who


def test_the_managers_page_shows_timeline_openings_seats_and_counts(rw):
    standard_rankings(rw)
    text = get(rw, "uni_admin", f"/talent/rounds/{rw.round.pk}/").content.decode()
    assert "Rankings submitted: 3 candidates, 3 openings." in text
    assert "Data intern" in text and "Cloud intern" in text and "ML intern" in text
    assert 'data-testid="timeline"' in text and "Straits Fintech" in text


@pytest.mark.parametrize("who, status", [
    ("alice", 200), ("dave", 404), ("emp_admin", 404), ("other_uni_admin", 404), ("operator", 404)])
def test_only_candidates_open_the_candidate_ranking_page(rw, who, status):
    assert get(rw, who, f"/talent/rounds/{rw.round.pk}/rank/").status_code == status


def test_a_candidate_ranks_with_one_select_per_row(rw):
    client = client_for(rw.alice)
    page = client.get(f"/talent/rounds/{rw.round.pk}/rank/").content.decode()
    assert f'name="position_{rw.o1.uuid}"' in page
    response = client.post(f"/talent/rounds/{rw.round.pk}/rank/", {
        f"position_{rw.o1.uuid}": "2", f"position_{rw.o3.uuid}": "1", f"position_{rw.o2.uuid}": ""})
    assert response.status_code == 302
    assert svc.candidate_ranking(match_round=rw.round, user=rw.alice) == [rw.o3.pk, rw.o1.pk]


@pytest.mark.parametrize("form, message", [
    ({"o1": "1", "o3": "1"}, "Two openings have position 1"),
    ({"o1": "9"}, "Positions go from 1 to 3."),
    ({"o1": "x"}, "Positions go from 1 to 3."),
])
def test_a_bad_ranking_form_says_what_to_fix_and_stores_nothing(rw, form, message):
    data = {f"position_{getattr(rw, k).uuid}": v for k, v in form.items()}
    response = client_for(rw.alice).post(f"/talent/rounds/{rw.round.pk}/rank/", data, follow=True)
    assert message in response.content.decode()
    assert not CandidateRank.objects.exists()


@pytest.mark.parametrize("who, status", [
    ("emp_admin", 200), ("emp_staff", 200), ("other_admin", 404), ("unverified_admin", 404),
    ("stranger_admin", 404), ("alice", 404), ("uni_admin", 404), ("operator", 404), ("other_uni_admin", 404)])
def test_only_the_openings_employer_opens_its_ranking_page(rw, who, status):
    assert get(rw, who, f"/talent/rounds/{rw.round.pk}/openings/{rw.o1.uuid}/rank/").status_code == status


def test_an_employer_ranks_candidates_and_sets_seats_without_javascript(rw):
    client = client_for(rw.emp_staff)
    url = f"/talent/rounds/{rw.round.pk}/openings/{rw.o2.uuid}/rank/"
    assert f'name="position_{rw.carol.pk}"' in client.get(url).content.decode()
    response = client.post(url, {f"position_{rw.carol.pk}": "1", f"position_{rw.alice.pk}": "2",
                                 f"position_{rw.bob.pk}": "", "seats": "3"})
    assert response.status_code == 302
    assert svc.employer_ranking(match_round=rw.round, opening=rw.o2) == [rw.carol.pk, rw.alice.pk]
    assert RoundOpening.objects.get(round=rw.round, opening=rw.o2).seats == 3
    response = client.post(url, {f"position_{rw.carol.pk}": "1", "seats": "0"}, follow=True)
    assert "Seats must be a whole number" in response.content.decode()
    assert RoundOpening.objects.get(round=rw.round, opening=rw.o2).seats == 3
    assert EmployerRank.objects.filter(opening=rw.o2).count() == 2


@pytest.mark.parametrize("who, status", [("uni_admin", 302), ("operator", 302), ("other_uni_admin", 404),
                                         ("emp_admin", 404), ("alice", 404)])
def test_only_the_rounds_managers_run_the_match(rw, who, status):
    standard_rankings(rw)
    close_ranking(rw.round)
    client = client_for(getattr(rw, who))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/talent/rounds/{rw.round.pk}/run/")
    assert response.status_code == status
    rw.round.refresh_from_db()
    assert (rw.round.job == RoundJob.DONE) is (status == 302)


def test_the_round_page_shows_progress_and_polls_while_the_match_runs(rw):
    close_ranking(rw.round)
    MatchRound.objects.filter(pk=rw.round.pk).update(job=RoundJob.RUNNING, progress=60,
                                                     progress_note="Checking that no pair blocks the match")
    client = client_for(rw.uni_admin)
    text = client.get(f"/talent/rounds/{rw.round.pk}/").content.decode()
    assert 'value="60"' in text and "Checking that no pair blocks the match" in text and "hx-trigger" in text
    partial = client.get(f"/talent/rounds/{rw.round.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="match-job"') and "<html" not in partial
    assert "<script>" not in text  # the site's CSP forbids inline scripts


def test_no_page_shows_results_before_publication(rw):
    standard_rankings(rw)
    close_ranking(rw.round)
    MatchRound.objects.filter(pk=rw.round.pk).update(job=RoundJob.RUNNING)
    candidate = get(rw, "alice", f"/talent/rounds/{rw.round.pk}/result/").content.decode()
    assert "Results are not published yet" in candidate and "Matched to" not in candidate
    employer = get(rw, "emp_admin", f"/talent/rounds/{rw.round.pk}/openings/{rw.o1.uuid}/rank/").content.decode()
    assert 'data-testid="opening-results"' not in employer


def test_both_sides_see_the_result_with_its_explanation(rw):
    standard_rankings(rw)
    close_ranking(rw.round)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client_for(rw.uni_admin).post(f"/talent/rounds/{rw.round.pk}/run/")
    alice = get(rw, "alice", f"/talent/rounds/{rw.round.pk}/result/").content.decode()
    assert "Matched to Cloud intern, your 2nd choice." in alice
    assert "Your 1st choice, Data intern, filled its 1 seat with a candidate it ranked higher." in alice
    employer = get(rw, "emp_admin", f"/talent/rounds/{rw.round.pk}/openings/{rw.o1.uuid}/rank/").content.decode()
    assert 'data-testid="opening-results"' in employer and "Bob Lim" in employer.split("opening-results")[1][:200]
    manager = get(rw, "uni_admin", f"/talent/rounds/{rw.round.pk}/").content.decode()
    assert 'data-testid="round-stats"' in manager


def test_career_offices_create_rounds_and_others_may_not(rw):
    client = client_for(rw.uni_admin)
    assert client.get("/talent/rounds/new/").status_code == 200
    t = ranking_timeline()
    data = {"name": "Winter", "organization": rw.uni.pk,
            **{k: v.strftime("%Y-%m-%dT%H:%M") for k, v in t.items()}}
    response = client.post("/talent/rounds/new/", data)
    assert response.status_code == 302
    assert MatchRound.objects.filter(name="Winter", organization=rw.uni).exists()
    # Another university's office cannot create in this one's name.
    response = client_for(rw.other_uni_admin).post("/talent/rounds/new/", {**data, "name": "Forged"})
    assert response.status_code == 200 and not MatchRound.objects.filter(name="Forged").exists()
    for who in ("alice", "emp_admin", "unverified_admin"):
        assert get(rw, who, "/talent/rounds/new/").status_code == 403


def test_the_round_list_takes_a_constant_number_of_queries(rw):
    client = client_for(rw.uni_admin)
    client.get("/talent/rounds/")
    with CaptureQueriesContext(connection) as one:
        client.get("/talent/rounds/")
    for i in range(6):
        svc.round_create(actor=rw.uni_admin, name=f"Round {i}", organization=rw.uni, **ranking_timeline())
    with CaptureQueriesContext(connection) as seven:
        client.get("/talent/rounds/")
    assert len(one) == len(seven)


def test_the_polling_partial_reloads_the_page_once_the_match_has_finished(rw):
    close_ranking(rw.round)
    client = client_for(rw.uni_admin)
    MatchRound.objects.filter(pk=rw.round.pk).update(job=RoundJob.QUEUED)
    assert "HX-Refresh" not in client.get(f"/talent/rounds/{rw.round.pk}/", headers={"HX-Request": "true"})
    MatchRound.objects.filter(pk=rw.round.pk).update(job=RoundJob.DONE)
    assert client.get(f"/talent/rounds/{rw.round.pk}/", headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_the_office_starts_a_second_round_from_the_first_results_page(rw):
    rounds_world.rank_all(rw, candidates={rw.alice: [rw.o1], rw.bob: [rw.o1]}, employers={rw.o1: [rw.bob, rw.alice]})
    close_ranking(rw.round)
    client = client_for(rw.uni_admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/talent/rounds/{rw.round.pk}/run/")
    assert get(rw, "other_uni_admin", f"/talent/rounds/{rw.round.pk}/next/").status_code == 404
    page = client.get(f"/talent/rounds/{rw.round.pk}/next/").content.decode()
    assert "Summer 2027: second round" in page
    data = {"name": "Second", **{k: v.strftime("%Y-%m-%dT%H:%M") for k, v in ranking_timeline().items()}}
    response = client.post(f"/talent/rounds/{rw.round.pk}/next/", data)
    second = MatchRound.objects.get(name="Second")
    assert response.status_code == 302 and second.previous_id == rw.round.pk
    assert dict(RoundOpening.objects.filter(round=second).values_list("opening_id", "seats")) == {
        rw.o2.pk: 2, rw.o3.pk: 1}
