"""The networking events demo: a built schedule at the Kuala Lumpur innovation centre in which the
demo investor and founder both have agendas, an event open for registration that they have not
joined yet, and a draft; deterministic."""

from __future__ import annotations

import random

from forward.core import demo as core_demo
from forward.core.models import User
from forward.ventures import demo_base, demo_events, permissions
from forward.ventures import events as svc
from forward.ventures.models import Event, EventStatus, Meeting, Registrant, ScheduleJob

from .test_events import assert_schedule_keeps_the_rules


def _load(seed: int = 7):
    core_demo.load(rng=random.Random(seed), password="correct horse battery")
    demo_base.load(rng=random.Random(seed))
    demo_events.load(rng=random.Random(seed))


def test_the_demo_events(db, settings):
    settings.FORWARD_SCHEDULE_TIME_LIMIT = 20
    _load()
    session = Event.objects.get(title="VC Networking Session: Cloud & AI")
    assert session.organizer.slug == "forward-innovation-centre-kuala-lumpur"
    assert (session.status, session.job) == (EventStatus.SCHEDULED, ScheduleJob.DONE)
    assert session.value is not None and session.value <= session.bound
    rows = assert_schedule_keeps_the_rules(session)
    assert len(rows) >= 20
    for email in ("investor@lioncity.forward.demo", "founder@forward.demo"):
        registrant = Registrant.objects.get(event=session, user__email=email)
        assert svc.meetings_of(registrant), email
    lion = Registrant.objects.get(event=session, user__email="investor@lioncity.forward.demo")
    founder = Registrant.objects.get(event=session, user__email="founder@forward.demo")
    assert Meeting.objects.filter(investor=lion, startup=founder).exists()

    demo_day = Event.objects.get(title="DigiEntrepreneurs Demo Day")
    assert demo_day.status == EventStatus.REGISTRATION and svc.can_register(demo_day)
    assert Registrant.objects.filter(event=demo_day).count() >= 6
    for email in ("investor@lioncity.forward.demo", "founder@forward.demo"):
        user = User.objects.get(email=email)
        assert svc.registrant_of(event=demo_day, user=user) is None
        side = "investor" if "lioncity" in email else "startup"
        assert permissions.event_side_organizations(user, side).exists()  # they can register on first sign-in
    assert Event.objects.get(title="Cloud Founders Breakfast").status == EventStatus.DRAFT


def _summary():
    return sorted((m.event.title, m.slot.starts_at.strftime("%a %H:%M"), m.table, m.investor.organization.slug,
                   m.startup.organization.slug) for m in Meeting.objects.select_related(
        "event", "slot", "investor__organization", "startup__organization"))


def _figures():
    return sorted((e.title, e.status, e.value, e.registrants.count(), e.marks.count()) for e in Event.objects.all())


def test_the_demo_is_deterministic(db, settings):
    settings.FORWARD_SCHEDULE_TIME_LIMIT = 20
    _load()
    first, figures = _summary(), _figures()
    Event.objects.all().delete()
    demo_events.load(rng=random.Random(7))
    # The cast is the same, so the events, registrations, marks and the schedule's value come out
    # the same again (which meeting HiGHS picks among equally good ones may differ).
    assert _figures() == figures and len(_summary()) == len(first)
