"""Double clicks with real overlapping transactions on PostgreSQL (on SQLite, write transactions
queue up, so this checks the outcome): closing marking twice queues and builds one schedule; two
workers given the same job store it once; registering twice at once makes one registration."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from forward.core.models import AuditEvent
from forward.ventures import events as svc
from forward.ventures import events_schedule
from forward.ventures.models import Event, Meeting, Registrant, ScheduleJob

from . import conftest, events_world
from .events_world import make_event, register, register_four

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_solver")]
ventures = conftest.ventures  # the fixtures
fast_solver = events_world.fast_solver


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


def _marked(w):
    event = make_event(w)
    register_four(w, event)
    svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must", w.r_other_founder.pk: "want"})
    return event


def test_two_closes_at_once_build_one_schedule(ventures):
    w = ventures
    event = _marked(w)
    assert twice(lambda: events_schedule.marking_close(actor=w.centre_staff, event=Event.objects.get(pk=event.pk))) \
        == ["ok", "ok"]
    event.refresh_from_db()
    assert (event.status, event.job) == ("scheduled", ScheduleJob.DONE)
    assert AuditEvent.objects.filter(action="ventures.event.close_marking").count() == 1
    assert Meeting.objects.filter(event=event).count() == 2


def test_two_workers_on_one_job_store_it_once(ventures):
    w = ventures
    event = _marked(w)
    Event.objects.filter(pk=event.pk).update(status="closed", job=ScheduleJob.QUEUED)
    assert twice(lambda: events_schedule.run_schedule(event.pk)) == ["ok", "ok"]
    assert Event.objects.get(pk=event.pk).job == ScheduleJob.DONE
    assert Meeting.objects.filter(event=event).count() == 2


def test_registering_twice_at_once_makes_one_registration(ventures):
    w = ventures
    event = make_event(w)
    assert twice(lambda: register(Event.objects.get(pk=event.pk), w.founder, "startup", w.startup_org)) == ["ok", "ok"]
    assert Registrant.objects.filter(event=event, user=w.founder).count() == 1
