"""Races, with real overlapping transactions on PostgreSQL (on SQLite, write transactions queue up,
so these check the outcome rather than the overlap): a double click applies once; two candidates
clicking one slot at once get one booking and one clear message."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from forward.talent import applications as service
from forward.talent.models import Application, InterviewSlot, StageChange
from tests.talent.test_applications import applied, world  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def race(function, arguments) -> list[str]:
    barrier, outcomes = threading.Barrier(len(arguments)), []

    def run(argument):
        barrier.wait()
        try:
            function(argument)
            outcomes.append("ok")
        except service.AlreadyApplied:
            outcomes.append("already applied")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_a_double_click_creates_one_application(world):  # noqa: F811
    outcomes = race(lambda _: service.apply(user=world.applicant, opening=world.opening, note="hi"), [1, 2])
    assert outcomes == ["already applied", "ok"]
    assert Application.objects.count() == 1
    assert StageChange.objects.count() == 1


def test_two_candidates_click_the_same_slot(world):  # noqa: F811
    a = applied(world)
    b = applied(world, user=world.other_learner)
    Application.objects.update(stage="interview")
    start = timezone.now() + timedelta(days=2)
    slot = service.slot_create(actor=world.employer_admin, opening=world.opening, starts_at=start,
                               ends_at=start + timedelta(minutes=30))
    people = {world.applicant.pk: (world.applicant, a), world.other_learner.pk: (world.other_learner, b)}

    def book(pk):
        user, application = people[pk]
        service.slot_book(user=user, application=application, slot_id=slot.pk)

    outcomes = race(book, list(people))
    assert outcomes == ["Someone has just booked that slot; choose another.", "ok"]
    assert InterviewSlot.objects.get(pk=slot.pk).booked_by_id in (a.pk, b.pk)
