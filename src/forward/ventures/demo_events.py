"""The networking events demo, at the Forward Innovation Centre Kuala Lumpur (run after demo_base):

- "VC Networking Session: Cloud & AI", marking closed yesterday, meetings in four days: investors'
  partners and startups' founders registered with their availability, marked each other by how their
  theses and sectors fit, and the schedule is built (synchronously, with the real solver);
  investor@lioncity.forward.demo and founder@forward.demo both have agendas;
- "DigiEntrepreneurs Demo Day", registration open: others have registered and marked, the two demo
  users have not, so they can register and mark on first sign-in;
- "Cloud Founders Breakfast", a draft the operator can publish.
Deterministic (seeded)."""

from __future__ import annotations

import random
import zoneinfo
from datetime import datetime, time, timedelta

from django.utils import timezone

from forward.core.models import Organization, User

from . import events as svc
from . import events_schedule
from .models import Event, Investor, Partner, Registrant, Side, Startup, TeamMember

ORGANIZER = "forward-innovation-centre-kuala-lumpur"
KL = zoneinfo.ZoneInfo("Asia/Kuala_Lumpur")


def _at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    today = timezone.now().astimezone(KL).date()
    return datetime.combine(today + timedelta(days=day_offset), time(hour, minute), tzinfo=KL)


def _people() -> tuple[list[tuple[User, Organization, Investor]], list[tuple[User, Organization, Startup]]]:
    """(user, organization, investor row) per investor partner and (user, organization, startup
    row) per startup founder (the first on each team), in a stable order."""
    investors = [(p.user, p.investor.organization, p.investor) for p in
                 Partner.objects.select_related("user", "investor__organization").order_by("investor_id", "order", "pk")
                 if p.investor.organization.is_verified]
    seen, startups = set(), []
    for member in TeamMember.objects.select_related("user", "startup__organization").order_by("startup_id", "order",
                                                                                              "pk"):
        if member.startup_id in seen or not member.startup.organization.is_verified:
            continue
        seen.add(member.startup_id)
        startups.append((member.user, member.startup.organization, member.startup))
    return investors, startups


def _interest(investor, startup) -> int:
    """0 no fit, 1 sector fit, 2 sector and stage fit."""
    sectors = bool(set(investor.sectors) & set(startup.sectors))
    return (2 if startup.stage in investor.stages else 1) if sectors else 0


def _mark(rng: random.Random, fit: int) -> str:
    roll = rng.random()
    if fit == 2:
        return "must" if roll < 0.7 else "want"
    if fit == 1:
        return "want" if roll < 0.6 else ("must" if roll < 0.7 else "")
    return "no" if roll < 0.15 else ("want" if roll < 0.2 else "")


def _fill(event: Event, rng: random.Random, investors, startups, *, skip: set[str]) -> dict[str, Registrant]:
    """Register people (each partner and founder once per event) and mark the other side."""
    slots = [s.pk for s in svc.slots_of(event)]
    registered: dict[str, Registrant] = {}
    people = [(u, o, row, Side.INVESTOR) for u, o, row in investors] + [(u, o, row, Side.STARTUP)
                                                                        for u, o, row in startups]
    rows = {}
    for user, org, row, side in people:
        if user.email in skip or user.email in registered:
            continue
        free = [s for s in slots if rng.random() < 0.85] or slots[:1]
        registered[user.email] = svc.registration_set(
            user=user, event=event, side=side, organization=org, slot_ids=free,
            max_meetings=rng.randint(5, 7) if side == Side.INVESTOR else rng.randint(3, 5))
        rows[registered[user.email].pk] = row
    by_side = {side: [r for r in registered.values() if r.side == side] for side in Side.values}
    for registrant in registered.values():
        marks = {}
        for other in by_side[svc.other_side(registrant.side)]:
            inv, st = (rows[registrant.pk], rows[other.pk]) if registrant.side == Side.INVESTOR else \
                (rows[other.pk], rows[registrant.pk])
            level = _mark(rng, _interest(inv, st))
            if level:
                marks[other.pk] = level
        if marks:
            svc.marks_set(user=registrant.user, event=event, marks=marks)
    return registered


def load(*, rng: random.Random) -> None:
    organizer = Organization.objects.get(slug=ORGANIZER)
    operator = User.objects.get(email="operator@forward.demo")
    investors, startups = _people()
    venue = "Forward Innovation Centre, Level 12, Menara Forward, Kuala Lumpur"

    # 1. The session whose schedule is built: marks made, deadlines passed, meetings in four days.
    session = svc.event_create(
        actor=operator, organizer=organizer, title="VC Networking Session: Cloud & AI",
        description="One-to-one meetings of twenty minutes between the region's investors and the "
                    "centre's startups. Mark whom you must meet; the schedule does the rest.",
        venue=venue, time_zone="Asia/Kuala_Lumpur", tables=6,
        registration_deadline=timezone.now() + timedelta(hours=1), marking_deadline=timezone.now() + timedelta(hours=2),
        slots=svc.default_slots(_at(4, 14), count=8, minutes=20, gap=5))
    svc.event_publish(actor=operator, event=session)
    registered = _fill(session, rng, investors, startups, skip=set())
    lion, founder = registered.get("investor@lioncity.forward.demo"), registered.get("founder@forward.demo")
    if lion is not None and founder is not None:  # the two demo users want to meet each other
        svc.marks_set(user=lion.user, event=session, marks={founder.pk: "must"})
        svc.marks_set(user=founder.user, event=session, marks={lion.pk: "must"})
    Event.objects.filter(pk=session.pk).update(registration_deadline=timezone.now() - timedelta(days=3),
                                               marking_deadline=timezone.now() - timedelta(days=1))
    session.refresh_from_db()
    events_schedule.marking_close(actor=operator, event=session)  # queues the job after commit ...
    events_schedule.run_schedule(session.pk)  # ... which the demo runs now: that message finds it done
    for registrant in Registrant.objects.filter(event=session):  # the demo sends nobody mail
        Registrant.objects.filter(pk=registrant.pk).update(
            meetings_announced=registrant.investor_meetings.count() + registrant.startup_meetings.count())

    # 2. Registration open: others are in; the demo investor and founder have yet to register.
    demo_day = svc.event_create(
        actor=operator, organizer=organizer, title="DigiEntrepreneurs Demo Day",
        description="The batch's demo day: pitches in the morning, one-to-one investor meetings after lunch.",
        venue=venue, time_zone="Asia/Kuala_Lumpur", tables=8,
        registration_deadline=_at(10, 18), marking_deadline=_at(14, 18),
        slots=svc.default_slots(_at(18, 14), count=10, minutes=15, gap=5), late_registration=True)
    svc.event_publish(actor=operator, event=demo_day)
    _fill(demo_day, rng, investors[::2], startups[1::2],
          skip={"investor@lioncity.forward.demo", "founder@forward.demo"})

    # 3. A draft for the operator to publish.
    svc.event_create(
        actor=operator, organizer=organizer, title="Cloud Founders Breakfast",
        description="Small-table breakfast meetings for founders building on the cloud.", venue=venue,
        time_zone="Asia/Kuala_Lumpur", tables=4, registration_deadline=_at(30, 18), marking_deadline=_at(33, 18),
        slots=svc.default_slots(_at(35, 8), count=4, minutes=25, gap=5))
