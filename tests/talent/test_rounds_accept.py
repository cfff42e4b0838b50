"""The last steps of a round's timeline: candidates accept or decline their match, both sides are
told by mail when results are published, a career office's round is for its own students, and
only live applications count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from forward.core.models import AuditEvent, Membership, Role
from forward.talent import rounds as svc
from forward.talent.models import (
    Application,
    CandidateRank,
    EmployerRank,
    MatchResult,
    MatchRound,
    Stage,
)
from tests.conftest import client_for, make_user
from tests.talent import rounds_world
from tests.talent.rounds_world import (
    close_ranking,
    interviewed,
    rank_all,
    ranking_timeline,
    standard_rankings,
)

pytestmark = pytest.mark.django_db
rw = rounds_world.rw  # the fixture
API = "/api/v1/talent"


def run(w, capture) -> MatchRound:
    """Close ranking and run the match (the task runs on commit, the mails after it)."""
    close_ranking(w.round)
    with capture(execute=True):
        svc.match_start(actor=w.uni_admin, match_round=w.round)
    w.round.refresh_from_db()
    assert w.round.results_published_at
    return w.round


@pytest.fixture
def published(rw, django_capture_on_commit_callbacks):
    """standard_rankings run: alice → Cloud intern (o2, 2 seats), bob → Data intern (o1), carol → ML intern (o3)."""
    standard_rankings(rw)
    run(rw, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    return rw


def result_of(w, user) -> MatchResult:
    return MatchResult.objects.get(round=w.round, candidate=user)


def post(w, who, what):
    return client_for(getattr(w, who) if who else None).post(f"/talent/rounds/{w.round.pk}/result/{what}/")


def api(w, who, what):
    return client_for(getattr(w, who) if who else None).post(f"{API}/rounds/{w.round.pk}/result/{what}")


def close_acceptance(w) -> None:
    MatchRound.objects.filter(pk=w.round.pk).update(acceptance_close=timezone.now() - timedelta(minutes=1))
    w.round.refresh_from_db()


# --- acceptance: pages ----------------------------------------------------------------------------

def test_a_matched_candidate_accepts_on_the_result_page_and_a_double_click_is_harmless(published):
    w = published
    page = client_for(w.alice).get(f"/talent/rounds/{w.round.pk}/result/").content.decode()
    assert 'data-testid="accept"' in page and 'data-testid="decline"' in page and "You have not answered yet." in page
    response = post(w, "alice", "accept")
    assert response.status_code == 302 and response["Location"] == f"/talent/rounds/{w.round.pk}/result/"
    first = result_of(w, w.alice).accepted_at
    assert first is not None
    assert post(w, "alice", "accept").status_code == 302  # the second click
    assert result_of(w, w.alice).accepted_at == first
    assert AuditEvent.objects.filter(action="talent.round.accept", actor=w.alice).count() == 1
    page = client_for(w.alice).get(f"/talent/rounds/{w.round.pk}/result/").content.decode()
    assert "You accepted this match" in page and 'data-testid="accept"' not in page and 'data-testid="decline"' in page


def test_declining_frees_the_seat_for_seats_left_and_a_second_round(published):
    w = published
    assert dict((o.pk, n) for o, n in svc.seats_left(w.round)) == {w.o2.pk: 1}
    assert post(w, "bob", "decline").status_code == 302
    assert post(w, "bob", "decline").status_code == 302  # the second click changes nothing
    w.round.refresh_from_db()
    assert dict((o.pk, n) for o, n in svc.seats_left(w.round)) == {w.o1.pk: 1, w.o2.pk: 1}
    assert w.round.stats["declined"] == 1
    assert result_of(w, w.bob).declined_at is not None
    assert AuditEvent.objects.filter(action="talent.round.decline", actor=w.bob).count() == 1
    second = svc.round_create_next(actor=w.uni_admin, previous=w.round, name="Second", **ranking_timeline())
    assert {e.opening_id: e.seats for e in second.round_openings.all()} == {w.o1.pk: 1, w.o2.pk: 1}
    page = client_for(w.bob).get(f"/talent/rounds/{w.round.pk}/result/").content.decode()
    assert "You declined this match" in page and 'data-testid="accept"' not in page


def test_declining_after_accepting_is_allowed_but_accepting_after_declining_is_not(published):
    w = published
    post(w, "alice", "accept")
    post(w, "alice", "decline")
    result = result_of(w, w.alice)
    assert result.declined_at is not None and svc.answer_of(result) == "declined"
    response = client_for(w.alice).post(f"/talent/rounds/{w.round.pk}/result/accept/", follow=True)
    assert "You declined this match; its seat went back to the round" in response.content.decode()
    assert svc.answer_of(result_of(w, w.alice)) == "declined"


def test_after_acceptance_closes_nothing_changes_and_the_page_says_so(published):
    w = published
    post(w, "alice", "accept")
    close_acceptance(w)
    for what in ("accept", "decline"):
        response = client_for(w.bob).post(f"/talent/rounds/{w.round.pk}/result/{what}/", follow=True)
        assert "Acceptance closed on" in response.content.decode()
    response = client_for(w.alice).post(f"/talent/rounds/{w.round.pk}/result/decline/", follow=True)
    assert "your answer can no longer change" in response.content.decode()
    assert svc.answer_of(result_of(w, w.alice)) == "accepted" and svc.answer_of(result_of(w, w.bob)) == "pending"
    assert 'data-testid="decline"' not in response.content.decode()
    assert not AuditEvent.objects.filter(action="talent.round.decline").exists()


@pytest.mark.parametrize("who, status", [("dave", 404), ("emp_admin", 404), ("other_admin", 404),
                                         ("stranger_admin", 404), ("uni_admin", 404), ("operator", 404),
                                         ("other_uni_admin", 404)])
def test_only_the_candidate_answers_for_themselves(published, who, status):
    w = published
    for what in ("accept", "decline"):
        assert post(w, who, what).status_code == status
        assert api(w, who, what).status_code == status
    assert not MatchResult.objects.filter(round=w.round).exclude(accepted_at=None, declined_at=None).exists()


def test_anonymous_visitors_sign_in_and_get_is_not_allowed(published):
    w = published
    assert post(w, None, "accept")["Location"].startswith("/accounts/login/")
    assert api(w, None, "accept").status_code == 401
    assert client_for(w.alice).get(f"/talent/rounds/{w.round.pk}/result/accept/").status_code == 405
    assert result_of(w, w.alice).accepted_at is None


def test_the_answer_needs_the_csrf_token(published):
    w = published
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.alice)
    assert client.post(f"/talent/rounds/{w.round.pk}/result/accept/").status_code == 403
    assert result_of(w, w.alice).accepted_at is None


def test_before_publication_there_is_nothing_to_answer(rw):
    standard_rankings(rw)
    assert post(rw, "alice", "accept").status_code == 404
    assert api(rw, "alice", "accept").json()["detail"] == "Results are not published yet."
    with pytest.raises(PermissionDenied):
        svc.result_accept(user=rw.alice, match_round=rw.round)


def test_an_unmatched_candidate_is_told_there_is_nothing_to_accept(rw, django_capture_on_commit_callbacks):
    rank_all(rw, candidates={rw.alice: [rw.o1], rw.bob: [rw.o1]}, employers={rw.o1: [rw.bob, rw.alice]})
    run(rw, django_capture_on_commit_callbacks)
    assert result_of(rw, rw.alice).opening_id is None
    response = api(rw, "alice", "accept")
    assert response.status_code == 400 and "not matched" in response.json()["detail"]
    with pytest.raises(ValidationError):
        svc.result_decline(user=rw.alice, match_round=rw.round)
    page = client_for(rw.alice).get(f"/talent/rounds/{rw.round.pk}/result/").content.decode()
    assert 'data-testid="accept"' not in page


def test_employers_see_who_accepted_declined_or_has_not_answered(published):
    w = published
    post(w, "alice", "accept")
    post(w, "bob", "decline")
    data = client_for(w.emp_staff).get(f"/talent/rounds/{w.round.pk}/openings/{w.o2.uuid}/rank/").content.decode()
    assert "Alice Tan</span> <span class=\"badge\" data-testid=\"answer\">accepted" in data
    data = client_for(w.emp_admin).get(f"/talent/rounds/{w.round.pk}/openings/{w.o1.uuid}/rank/").content.decode()
    assert "Bob Lim</span> <span class=\"badge\" data-testid=\"answer\">declined: the seat is free again" in data
    assert "0 of 1 seats filled." in data
    data = client_for(w.other_admin).get(f"/talent/rounds/{w.round.pk}/openings/{w.o3.uuid}/rank/").content.decode()
    assert "Carol Ng</span> <span class=\"badge\" data-testid=\"answer\">has not answered" in data


# --- acceptance: API -------------------------------------------------------------------------------

def test_the_api_accepts_and_declines_with_the_documented_answer(published):
    w = published
    response = api(w, "alice", "accept")
    assert response.status_code == 200
    body = response.json()
    assert body["answer"] == "accepted" and body["accepted_at"] and body["declined_at"] is None
    assert body["acceptance_open"] is True and body["opening"] == str(w.o2.uuid)
    assert api(w, "alice", "accept").json()["accepted_at"] == body["accepted_at"]  # idempotent
    declined = api(w, "alice", "decline").json()
    assert declined["answer"] == "declined" and declined["declined_at"]
    refused = api(w, "alice", "accept")
    assert refused.status_code == 400 and "can no longer be accepted" in refused.json()["detail"]
    got = client_for(w.alice).get(f"{API}/rounds/{w.round.pk}/result").json()
    assert got["answer"] == "declined"
    close_acceptance(w)
    closed = api(w, "bob", "accept")
    assert closed.status_code == 400 and "Acceptance closed" in closed.json()["detail"]
    assert client_for(w.bob).get(f"{API}/rounds/{w.round.pk}/result").json()["acceptance_open"] is False
    paths = client_for(None).get("/api/v1/openapi.json").json()["paths"]  # the documented responses
    for what in ("accept", "decline"):
        operation = paths[f"{API}/rounds/{{round_id}}/result/{what}"]["post"]
        assert {"200", "400", "401", "404"} <= set(operation["responses"])


# --- announcements ---------------------------------------------------------------------------------

def test_publishing_mails_each_candidate_their_own_result_in_their_language(rw, django_capture_on_commit_callbacks):
    rw.alice.preferred_language = "zh-hans"
    rw.alice.save(update_fields=["preferred_language"])
    standard_rankings(rw)
    close_ranking(rw.round)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        svc.match_start(actor=rw.uni_admin, match_round=rw.round)
    assert mail.outbox == []  # nothing before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    by_reader: dict[str, list] = {}
    for message in mail.outbox:
        assert len(message.to) == 1
        by_reader.setdefault(message.to[0], []).append(message)
    assert all(len(v) == 1 for v in by_reader.values())  # one mail per person
    alice = by_reader["alice@student.test"][0]
    assert "已匹配到 Cloud intern" in alice.body and f"/talent/rounds/{rw.round.pk}/result/" in alice.body
    bob = by_reader["bob@student.test"][0]
    assert "Matched to Data intern, your 1st choice." in bob.body and "Straits Fintech" in bob.body
    for message, others in ((alice, ("Bob", "Carol")), (bob, ("Alice", "Carol")),
                            (by_reader["carol@student.test"][0], ("Alice", "Bob"))):
        assert not any(name in message.body or name in message.subject for name in others)
    assert "dave@student.test" not in by_reader and "career@nus.test" not in by_reader
    assert "boss@shady.test" not in by_reader and "hr@kopi.test" not in by_reader


def test_publishing_mails_each_acting_member_the_list_for_their_openings(rw, django_capture_on_commit_callbacks):
    standard_rankings(rw)
    run(rw, django_capture_on_commit_callbacks)
    by_reader = {m.to[0]: m for m in mail.outbox}
    for reader in ("hr@straits.test", "staff@straits.test"):
        body = by_reader[reader].body
        assert "Data intern" in body and "Cloud intern" in body and "ML intern" not in body
        data, cloud = body.split("Cloud intern")[1], body.split("Data intern")[1]
        assert "Alice Tan" in data.split("Data intern")[0] and "Bob Lim" in cloud.split("Cloud intern")[0]
        assert "Carol Ng" not in body
        assert f"/talent/rounds/{rw.round.pk}/openings/{rw.o1.uuid}/rank/" in body
    cloudwave = by_reader["hr@cloudwave.test"].body
    assert "ML intern" in cloudwave and "Carol Ng" in cloudwave and "Alice" not in cloudwave
    assert len(mail.outbox) == 6  # three candidates, two at Straits, one at Cloudwave


def test_an_unmatched_candidate_is_pointed_to_the_openings_with_seats_left(rw, django_capture_on_commit_callbacks):
    rank_all(rw, candidates={rw.alice: [rw.o1], rw.bob: [rw.o1]}, employers={rw.o1: [rw.bob, rw.alice]})
    run(rw, django_capture_on_commit_callbacks)
    alice = next(m for m in mail.outbox if m.to == ["alice@student.test"])
    assert "you were not matched" in alice.subject
    assert "Some openings still have seats" in alice.body and f"/talent/rounds/{rw.round.pk}/result/" in alice.body
    assert "Bob" not in alice.body


def test_a_failed_match_mails_nobody(rw, django_capture_on_commit_callbacks):
    standard_rankings(rw)
    close_ranking(rw.round)
    rw.round.round_openings.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        svc.match_start(actor=rw.uni_admin, match_round=rw.round)
    rw.round.refresh_from_db()
    assert rw.round.job == "failed" and mail.outbox == []


# --- scope: a career office's round is for its students -------------------------------------------

@pytest.fixture
def outsider(rw):
    """Eve studies elsewhere (not an NUS member) but interviewed for o1 and o2."""
    rw.eve = make_user("eve@elsewhere.test", "Eve Elsewhere")
    Membership.objects.create(user=rw.eve, organization=rw.other_uni, role=Role.MEMBER)
    interviewed(rw.eve, rw.o1)
    interviewed(rw.eve, rw.o2)
    return rw


def test_a_career_offices_round_is_only_for_its_students(outsider):
    w = outsider
    c = client_for(w.eve)
    assert c.get(f"/talent/rounds/{w.round.pk}/").status_code == 404
    assert c.get(f"/talent/rounds/{w.round.pk}/rank/").status_code == 404
    assert c.get(f"{API}/rounds").json()["count"] == 0
    response = c.put(f"{API}/rounds/{w.round.pk}/ranking", {"openings": [str(w.o1.uuid)]},
                     content_type="application/json")
    assert response.status_code == 404 and not CandidateRank.objects.filter(candidate=w.eve).exists()
    assert w.eve not in svc.opening_candidates(match_round=w.round, opening=w.o1)
    with pytest.raises(ValidationError):
        svc.employer_rank_set(actor=w.emp_admin, match_round=w.round, opening=w.o1, candidates=[w.eve.pk])


def test_reading_the_rankings_ignores_non_members(outsider):
    w = outsider
    standard_rankings(w)
    # Rows written before the scope applied (or by hand) do not count.
    CandidateRank.objects.create(round=w.round, candidate=w.eve, opening=w.o1, position=1)
    EmployerRank.objects.create(round=w.round, opening=w.o1, candidate=w.eve, position=4)
    rankings = svc.read_rankings(w.round.pk)
    assert w.eve.pk not in rankings.candidates and w.eve.pk not in rankings.openings[w.o1.pk]


def test_an_operators_round_is_open_to_everyone(outsider):
    w = outsider
    open_round = svc.round_create(actor=w.operator, name="Open round", **ranking_timeline())
    svc.round_add_opening(actor=w.operator, match_round=open_round, opening=w.o1)
    svc.round_announce(actor=w.operator, match_round=open_round)
    assert svc.is_candidate(match_round=open_round, user=w.eve)
    c = client_for(w.eve)
    assert c.get(f"/talent/rounds/{open_round.pk}/rank/").status_code == 200
    assert c.get(f"{API}/rounds").json()["count"] == 1
    response = c.put(f"{API}/rounds/{open_round.pk}/ranking", {"openings": [str(w.o1.uuid)]},
                     content_type="application/json")
    assert response.status_code == 200
    assert svc.read_rankings(open_round.pk).candidates[w.eve.pk] == [w.o1.pk]


# --- only live applications count ------------------------------------------------------------------

def test_a_withdrawn_or_rejected_application_stops_counting_after_ranking(rw, django_capture_on_commit_callbacks):
    standard_rankings(rw)
    # bob, o1's first choice, withdraws from o1; o3 rejects carol after ranking her.
    Application.objects.filter(applicant=rw.bob, opening=rw.o1).update(stage=Stage.WITHDRAWN)
    Application.objects.filter(applicant=rw.carol, opening=rw.o3).update(stage=Stage.REJECTED)
    rankings = svc.read_rankings(rw.round.pk)
    assert rankings.candidates[rw.bob.pk] == [rw.o3.pk]
    assert rankings.openings[rw.o1.pk] == [rw.alice.pk, rw.carol.pk]
    assert rw.o3.pk not in rankings.openings and rankings.candidates[rw.carol.pk] == [rw.o1.pk, rw.o2.pk]
    assert svc.candidate_ranking(match_round=rw.round, user=rw.bob) == [rw.o3.pk]
    bob_page = client_for(rw.bob).get(f"/talent/rounds/{rw.round.pk}/rank/").content.decode()
    assert "Data intern" not in bob_page
    employer = client_for(rw.emp_admin).get(f"/talent/rounds/{rw.round.pk}/openings/{rw.o1.uuid}/rank/")
    assert "Bob Lim" not in employer.content.decode()
    run(rw, django_capture_on_commit_callbacks)
    assert result_of(rw, rw.alice).opening_id == rw.o1.pk  # the seat bob left
    assert result_of(rw, rw.bob).opening_id is None  # o3 did not rank bob


def test_managers_count_the_answers_and_a_candidate_keeps_their_result_after_withdrawing(published):
    w = published
    post(w, "alice", "accept")
    post(w, "bob", "decline")
    page = client_for(w.uni_admin).get(f"/talent/rounds/{w.round.pk}/").content.decode()
    assert svc.answer_counts(w.round) == {"accepted": 1, "declined": 1, "pending": 1}
    assert 'data-testid="accepted"><strong>1</strong>' in page and 'data-testid="declined"><strong>1</strong>' in page
    # carol's application moved on after the match: her result and her answer are still hers.
    Application.objects.filter(applicant=w.carol).update(stage=Stage.WITHDRAWN)
    assert client_for(w.carol).get(f"/talent/rounds/{w.round.pk}/result/").status_code == 200
    assert api(w, "carol", "accept").status_code == 200
    assert client_for(w.dave).get(f"/talent/rounds/{w.round.pk}/result/").status_code == 404
