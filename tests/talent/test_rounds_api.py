"""The matching rounds API (/api/v1/talent/rounds…), for every role."""

from __future__ import annotations

import pytest
from django.test import TestCase

from forward.talent import rounds as svc
from forward.talent.models import CandidateRank, EmployerRank, RoundJob, RoundOpening
from tests.conftest import client_for
from tests.talent import rounds_world
from tests.talent.rounds_world import close_ranking, standard_rankings

pytestmark = pytest.mark.django_db
rw = rounds_world.rw  # the fixture
API = "/api/v1/talent"


def call(w, who, method, url, body=None):
    client = client_for(getattr(w, who) if who else None)
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    return getattr(client, method)(API + url, **kwargs)


def test_anonymous_callers_get_401_everywhere(rw):
    r = rw.round.pk
    for method, url, body in (("get", "/rounds", None), ("get", f"/rounds/{r}", None),
                              ("put", f"/rounds/{r}/ranking", {"openings": []}),
                              ("put", f"/rounds/{r}/openings/{rw.o1.uuid}/ranking", {"candidates": []}),
                              ("post", f"/rounds/{r}/run", None), ("get", f"/rounds/{r}/result", None)):
        assert call(rw, None, method, url, body).status_code == 401, url


@pytest.mark.parametrize("who, count", [("alice", 1), ("dave", 0), ("emp_admin", 1), ("other_admin", 1),
                                        ("stranger_admin", 0), ("unverified_admin", 0), ("uni_admin", 1),
                                        ("other_uni_admin", 0), ("operator", 1)])
def test_the_list_and_detail_for_every_role(rw, who, count):
    listed = call(rw, who, "get", "/rounds").json()
    assert listed["count"] == count
    detail = call(rw, who, "get", f"/rounds/{rw.round.pk}")
    assert detail.status_code == (200 if count else 404)
    if count:
        assert detail.json()["phase"] == "ranking" and detail.json()["run_by"] == "NUS"


def test_a_candidate_puts_a_ranking(rw):
    response = call(rw, "alice", "put", f"/rounds/{rw.round.pk}/ranking",
                    {"openings": [str(rw.o3.uuid), str(rw.o1.uuid)]})
    assert response.status_code == 200
    assert response.json()["ranking"] == [str(rw.o3.uuid), str(rw.o1.uuid)]
    assert svc.candidate_ranking(match_round=rw.round, user=rw.alice) == [rw.o3.pk, rw.o1.pk]


@pytest.mark.parametrize("body, status", [
    ({"openings": ["00000000-0000-0000-0000-000000000001"]}, 400),  # a forged id
    ({"openings": "o1"}, 422),  # the wrong type
    ({}, 422),
])
def test_a_bad_candidate_ranking_gets_a_clear_4xx_and_stores_nothing(rw, body, status):
    response = call(rw, "alice", "put", f"/rounds/{rw.round.pk}/ranking", body)
    assert response.status_code == status
    assert response.json()["detail"]
    assert not CandidateRank.objects.exists()


def test_a_duplicate_in_a_ranking_is_a_400(rw):
    response = call(rw, "alice", "put", f"/rounds/{rw.round.pk}/ranking", {"openings": [str(rw.o1.uuid)] * 2})
    assert response.status_code == 400 and "twice" in response.json()["detail"]


@pytest.mark.parametrize("who", ["dave", "emp_admin", "other_uni_admin", "stranger_admin"])
def test_non_candidates_cannot_put_a_candidate_ranking(rw, who):
    response = call(rw, who, "put", f"/rounds/{rw.round.pk}/ranking", {"openings": [str(rw.o1.uuid)]})
    assert response.status_code == 404


def test_an_employer_puts_a_ranking_and_seats(rw):
    response = call(rw, "emp_staff", "put", f"/rounds/{rw.round.pk}/openings/{rw.o1.uuid}/ranking",
                    {"candidates": [rw.carol.pk, rw.bob.pk], "seats": 2})
    assert response.status_code == 200 and response.json() == {
        "round": rw.round.pk, "ranking": [str(rw.carol.pk), str(rw.bob.pk)], "seats": 2}
    assert RoundOpening.objects.get(round=rw.round, opening=rw.o1).seats == 2


@pytest.mark.parametrize("body, status", [
    ({"candidates": [999_999]}, 400),
    ({"candidates": [1], "seats": 0}, 422),
    ({"candidates": ["x"]}, 422),
])
def test_a_bad_employer_ranking_gets_a_clear_4xx_and_stores_nothing(rw, body, status):
    response = call(rw, "emp_admin", "put", f"/rounds/{rw.round.pk}/openings/{rw.o1.uuid}/ranking", body)
    assert response.status_code == status
    assert not EmployerRank.objects.exists()


@pytest.mark.parametrize("who", ["other_admin", "unverified_admin", "stranger_admin", "alice", "uni_admin",
                                 "operator"])
def test_only_the_openings_employer_puts_its_ranking(rw, who):
    response = call(rw, who, "put", f"/rounds/{rw.round.pk}/openings/{rw.o1.uuid}/ranking",
                    {"candidates": [rw.alice.pk]})
    assert response.status_code == 404


@pytest.mark.parametrize("who, status", [("uni_admin", 202), ("operator", 202), ("other_uni_admin", 404),
                                         ("emp_admin", 404), ("alice", 404)])
def test_run_for_every_role(rw, who, status):
    standard_rankings(rw)
    close_ranking(rw.round)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = call(rw, who, "post", f"/rounds/{rw.round.pk}/run")
    assert response.status_code == status
    if status == 202:
        rw.round.refresh_from_db()
        assert rw.round.job == RoundJob.DONE
        again = call(rw, who, "post", f"/rounds/{rw.round.pk}/run")
        assert again.status_code == 400 and "already run" in again.json()["detail"]


def test_run_before_ranking_closes_is_a_400(rw):
    response = call(rw, "uni_admin", "post", f"/rounds/{rw.round.pk}/run")
    assert response.status_code == 400 and "Ranking is still open" in response.json()["detail"]


def test_the_result_only_after_publication_with_its_explanation(rw):
    standard_rankings(rw)
    close_ranking(rw.round)
    response = call(rw, "alice", "get", f"/rounds/{rw.round.pk}/result")
    assert response.status_code == 404 and response.json()["detail"] == "Results are not published yet."
    with TestCase.captureOnCommitCallbacks(execute=True):
        call(rw, "uni_admin", "post", f"/rounds/{rw.round.pk}/run")
    body = call(rw, "alice", "get", f"/rounds/{rw.round.pk}/result").json()
    assert body["matched"] and body["opening"] == str(rw.o2.uuid) and body["choice"] == 2
    assert body["headline"] == "Matched to Cloud intern, your 2nd choice."
    assert body["reasons"] == [{"opening": str(rw.o1.uuid), "choice": 1, "reason": "full", "seats": 1,
                                "text": "Your 1st choice, Data intern, filled its 1 seat with a candidate it "
                                        "ranked higher."}]
    assert call(rw, "dave", "get", f"/rounds/{rw.round.pk}/result").status_code == 404
    assert call(rw, "uni_admin", "get", f"/rounds/{rw.round.pk}/result").status_code == 404  # no result of theirs


def test_a_missing_or_huge_round_id_is_a_404_or_422(rw):
    assert call(rw, "operator", "get", "/rounds/999999").status_code == 404
    assert call(rw, "operator", "get", f"/rounds/{2**70}").status_code == 422
