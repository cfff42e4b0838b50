"""A networking event around the `ventures` world: the innovation centre's event with three
20-minute slots and two tables, registration open; helpers to register people and build the
schedule the way staff and the worker do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from forward.ventures import events as svc
from forward.ventures import events_schedule
from forward.ventures.models import Event, Meeting, Registrant

from .conftest import committed

# Who may do what, by role (tests/ventures/conftest.py ROLES): the centre's staff run its events;
# the fund's and the startup's acting members register for them.
RUNS_CENTRE = {"centre_admin", "centre_staff", "operator"}
INVESTOR_FUND = {"investor", "investor_staff", "operator"}
STARTUP_ORG = {"founder", "teammate", "operator"}


@pytest.fixture
def fast_solver(settings):
    """The solver's time limit for tests: small instances finish in milliseconds anyway."""
    settings.FORWARD_SCHEDULE_TIME_LIMIT = 10


def make_event(w, *, tables: int = 2, slots: int = 3, publish: bool = True, **fields) -> Event:
    now = timezone.now()
    start = now + timedelta(days=10)
    event = svc.event_create(
        actor=w.centre_admin, organizer=w.centre, title=fields.pop("title", "VC Networking Night"),
        registration_deadline=now + timedelta(days=5), marking_deadline=now + timedelta(days=8),
        slots=svc.default_slots(start, count=slots, minutes=20, gap=5), tables=tables,
        venue="Level 3, Forward Innovation Centre", time_zone="Asia/Kuala_Lumpur", **fields)
    if publish:
        svc.event_publish(actor=w.centre_admin, event=event)
    event.refresh_from_db()
    return event


def register(event, user, side, organization, *, max_meetings: int = 3, slots=None) -> Registrant:
    slot_ids = [s.pk for s in svc.slots_of(event)] if slots is None else slots
    return svc.registration_set(user=user, event=event, side=side, organization=organization,
                                max_meetings=max_meetings, slot_ids=slot_ids)


def register_four(w, event):
    """founder (startup), other_founder (other startup), investor (fund), other_investor (other fund)."""
    w.r_founder = register(event, w.founder, "startup", w.startup_org)
    w.r_other_founder = register(event, w.other_founder, "startup", w.other_startup.organization)
    w.r_investor = register(event, w.investor, "investor", w.fund)
    w.r_other_investor = register(event, w.other_investor, "investor", w.other_fund)


def build(w, event) -> Event:
    with committed():
        events_schedule.marking_close(actor=w.centre_admin, event=event)
    event.refresh_from_db()
    return event


def meetings(event) -> list[Meeting]:
    return list(Meeting.objects.filter(event=event).select_related("slot").order_by("slot__starts_at", "table"))
