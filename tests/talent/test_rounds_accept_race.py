"""A double click on "Decline" or "Accept" with real overlapping transactions on PostgreSQL (on
SQLite, write transactions queue up, so this checks the outcome): the seat is freed once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import TestCase

from forward.core.models import AuditEvent
from forward.talent import rounds as svc
from forward.talent.models import MatchResult, MatchRound
from tests.talent import rounds_world
from tests.talent.rounds_world import close_ranking, standard_rankings

pytestmark = pytest.mark.django_db(transaction=True)
rw = rounds_world.rw  # the fixture


def twice(function) -> list[str]:
    barrier, outcomes = threading.Barrier(2), []

    def run():
        barrier.wait()
        try:
            function()
            outcomes.append("ok")
        except Exception as exc:  # the test shows whatever went wrong
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_declines_at_once_free_the_seat_once(rw):
    standard_rankings(rw)
    close_ranking(rw.round)
    with TestCase.captureOnCommitCallbacks(execute=True):
        svc.match_start(actor=rw.uni_admin, match_round=rw.round)
    assert twice(lambda: svc.result_decline(user=rw.bob, match_round=MatchRound.objects.get(pk=rw.round.pk))) == [
        "ok", "ok"]
    stats = MatchRound.objects.get(pk=rw.round.pk).stats
    assert stats["seats_left"] == {str(rw.o1.pk): 1, str(rw.o2.pk): 1} and stats["declined"] == 1
    assert AuditEvent.objects.filter(action="talent.round.decline").count() == 1
    assert twice(lambda: svc.result_accept(user=rw.alice, match_round=MatchRound.objects.get(pk=rw.round.pk))) == [
        "ok", "ok"]
    assert AuditEvent.objects.filter(action="talent.round.accept").count() == 1
    assert MatchResult.objects.get(round=rw.round, candidate=rw.alice).accepted_at is not None
