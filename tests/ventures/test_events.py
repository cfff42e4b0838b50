"""Networking events: the services, the schedule job and its rules, checked on what is stored."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, override_settings
from django.utils import timezone

from forward.core.models import Membership, OrganizationKind, Role
from forward.ventures import events as svc
from forward.ventures import events_schedule
from forward.ventures.models import Event, EventStatus, Mark, Meeting, Registrant, ScheduleJob
from tests.conftest import client_for, make_organization, make_user

from . import events_world
from .conftest import ROLES, committed, make_investor, make_startup
from .events_world import (
    INVESTOR_FUND,
    RUNS_CENTRE,
    STARTUP_ORG,
    build,
    make_event,
    meetings,
    register,
    register_four,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_solver")]
fast_solver = events_world.fast_solver  # the fixture


# --- who may do what -------------------------------------------------------------------------------



@pytest.mark.parametrize("role", ROLES)
def test_only_the_centres_staff_create_its_events(ventures, role):
    w = ventures
    user = w.actor(role)
    now = timezone.now()
    kwargs = dict(organizer=w.centre, title="Demo day", registration_deadline=now + timedelta(days=1),
                  marking_deadline=now + timedelta(days=2),
                  slots=svc.default_slots(now + timedelta(days=3), count=2, minutes=20), tables=3)
    if role in RUNS_CENTRE:
        assert svc.event_create(actor=user, **kwargs).status == EventStatus.DRAFT
    else:
        with pytest.raises(PermissionDenied):
            svc.event_create(actor=user, **kwargs)


def test_an_unverified_centre_runs_no_event(ventures):
    w = ventures
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        svc.event_create(actor=w.unverified_centre_admin, organizer=w.unverified_centre, title="Fake",
                         registration_deadline=now, marking_deadline=now + timedelta(days=1),
                         slots=svc.default_slots(now + timedelta(days=2), count=1, minutes=20), tables=1)


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_seen_by_its_staff_only_and_a_published_event_by_all(ventures, role):
    w = ventures
    user = w.actor(role)
    draft = make_event(w, publish=False, title="Secret draft")
    published = make_event(w, title="Open night")
    assert (svc.visible_event(user=user, event_id=draft.pk) is not None) == (role in RUNS_CENTRE)
    assert svc.visible_event(user=user, event_id=published.pk) is not None
    titles = set(svc.events_for(user=user).values_list("title", flat=True))
    assert ("Secret draft" in titles) == (role in RUNS_CENTRE)
    assert "Open night" in titles




@pytest.mark.parametrize("role", ROLES)
def test_registering_needs_a_verified_organization_one_acts_for(ventures, role):
    w = ventures
    event = make_event(w)
    user = w.actor(role)
    for side, org, allowed in (("investor", w.fund, INVESTOR_FUND), ("startup", w.startup_org, STARTUP_ORG),
                               ("investor", w.unverified_fund, set()),
                               ("startup", w.unverified_startup.organization, set()),
                               ("investor", w.startup_org, set()), ("startup", w.fund, set())):
        if role in allowed:
            registrant = register(event, user, side, org)
            assert (registrant.side, registrant.organization_id) == (side, org.pk)
            Registrant.objects.filter(pk=registrant.pk).delete()
        else:
            with pytest.raises(PermissionDenied):
                register(event, user, side, org)


def test_registration_sets_availability_and_maximum_and_keeps_side(ventures):
    w = ventures
    event = make_event(w)
    slots = svc.slots_of(event)
    r = register(event, w.founder, "startup", w.startup_org, max_meetings=2, slots=[slots[0].pk])
    assert svc.available_slot_ids(r) == {slots[0].pk}
    r = register(event, w.founder, "startup", w.startup_org, max_meetings=4, slots=[slots[1].pk, slots[2].pk])
    assert svc.available_slot_ids(r) == {slots[1].pk, slots[2].pk} and r.max_meetings == 4
    assert Registrant.objects.filter(event=event).count() == 1
    with pytest.raises(ValidationError, match="stays as it is"):
        register(event, w.founder, "investor", w.fund)
    other = make_event(w, title="Other")
    with pytest.raises(ValidationError, match="not one of this event"):
        register(event, w.teammate, "startup", w.startup_org, slots=[svc.slots_of(other)[0].pk])
    with pytest.raises(ValidationError, match="from 0 to"):
        register(event, w.teammate, "startup", w.startup_org, max_meetings=99)


def test_registration_closes_with_its_phase_unless_staff_allow_late(ventures):
    w = ventures
    event = make_event(w)
    svc.event_open_marking(actor=w.centre_staff, event=event)
    with pytest.raises(ValidationError, match="closed"):
        register(event, w.founder, "startup", w.startup_org)
    draft = make_event(w, publish=False)
    with pytest.raises(PermissionDenied):  # a draft is not there for them
        register(draft, w.founder, "startup", w.startup_org)


def test_event_creation_refuses_what_cannot_work(ventures):
    w = ventures
    now = timezone.now()
    base = dict(actor=w.centre_admin, organizer=w.centre, title="X", tables=2,
                registration_deadline=now + timedelta(days=1), marking_deadline=now + timedelta(days=2),
                slots=svc.default_slots(now + timedelta(days=3), count=2, minutes=20))
    for change, message in ((dict(title=" "), "title"), (dict(tables=0), "Tables"),
                            (dict(time_zone="Mars/Olympus"), "not a time zone"),
                            (dict(registration_deadline=now + timedelta(days=2, hours=1)), "Registration must close"),
                            (dict(slots=[]), "at least one time slot"),
                            (dict(slots=[(now + timedelta(days=3), now + timedelta(days=3, minutes=30)),
                                         (now + timedelta(days=3, minutes=10), now + timedelta(days=3, minutes=40))]),
                             "overlap"),
                            (dict(slots=svc.default_slots(now + timedelta(hours=1), count=1, minutes=20)),
                             "before the first time slot")):
        with pytest.raises(ValidationError, match=message):
            svc.event_create(**{**base, **change})
    assert not Event.objects.exists()


# --- marks -----------------------------------------------------------------------------------------

def test_marks_are_set_cleared_and_private(ventures):
    w = ventures
    event = make_event(w)
    register_four(w, event)
    assert svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must",
                                                              w.r_other_founder.pk: "no"}) == 2
    assert svc.marks_set(user=w.investor, event=event, marks={w.r_other_founder.pk: "",
                                                              w.r_founder.pk: "want"}) == 1
    assert dict(Mark.objects.filter(source=w.r_investor).values_list("target_id", "level")) == {w.r_founder.pk: "want"}
    # The founder browsing investors sees only their own marks of them (none), never the investor's.
    rows = list(svc.counterparts(registrant=w.r_founder))
    assert {r.pk for r in rows} == {w.r_investor.pk, w.r_other_investor.pk}
    assert all(r.my_mark is None for r in rows)
    seen = list(svc.counterparts(registrant=w.r_investor))
    assert {r.pk: r.my_mark for r in seen} == {w.r_founder.pk: "want", w.r_other_founder.pk: None}
    assert [r.pk for r in svc.counterparts(registrant=w.r_investor, mark="want")] == [w.r_founder.pk]
    assert [r.pk for r in svc.counterparts(registrant=w.r_investor, mark="unmarked")] == [w.r_other_founder.pk]
    assert [r.pk for r in svc.counterparts(registrant=w.r_investor, text="garuda")] == [w.r_other_founder.pk]


def test_marks_refuse_own_side_unknown_levels_non_registrants_and_closed_marking(ventures):
    w = ventures
    event = make_event(w)
    register_four(w, event)
    with pytest.raises(ValidationError, match="other side"):
        svc.marks_set(user=w.investor, event=event, marks={w.r_other_investor.pk: "must"})
    with pytest.raises(ValidationError, match="other side"):
        svc.marks_set(user=w.investor, event=event, marks={w.r_investor.pk: "must"})
    with pytest.raises(ValidationError, match="none of these"):
        svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "maybe"})
    with pytest.raises(PermissionDenied):
        svc.marks_set(user=w.outsider, event=event, marks={w.r_founder.pk: "must"})
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must"})
    assert not Mark.objects.exists()


# --- the schedule ----------------------------------------------------------------------------------

def assert_schedule_keeps_the_rules(event):
    """The stored schedule, checked against the issue's rules (independently of the solver)."""
    rows = meetings(event)
    registrants = {r.pk: r for r in Registrant.objects.filter(event=event)}
    available = {r.pk: {s.pk for s in r.available.all()} for r in registrants.values()}
    marks = {(m.source_id, m.target_id): m.level for m in Mark.objects.filter(event=event)}
    busy, per_slot, pairs, count, tables = set(), Counter(), set(), Counter(), set()
    for m in rows:
        assert registrants[m.investor_id].side == "investor" and registrants[m.startup_id].side == "startup"
        assert m.slot_id in available[m.investor_id] and m.slot_id in available[m.startup_id]
        levels = {marks.get((m.investor_id, m.startup_id)), marks.get((m.startup_id, m.investor_id))}
        assert "no" not in levels, "a pair in which someone said no"
        assert levels & {"must", "want"}, "a pair nobody asked for"
        for who in (m.investor_id, m.startup_id):
            assert (m.slot_id, who) not in busy, "somebody in two meetings at once"
            busy.add((m.slot_id, who))
            count[who] += 1
        assert (m.investor_id, m.startup_id) not in pairs
        pairs.add((m.investor_id, m.startup_id))
        per_slot[m.slot_id] += 1
        assert 1 <= m.table <= event.tables and (m.slot_id, m.table) not in tables
        tables.add((m.slot_id, m.table))
    assert all(n <= event.tables for n in per_slot.values())
    assert all(n <= registrants[who].max_meetings for who, n in count.items())
    return rows


def test_closing_marking_builds_the_best_schedule_and_reports_value_and_bound(ventures):
    w = ventures
    event = make_event(w, tables=1, slots=2)
    register_four(w, event)
    svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must", w.r_other_founder.pk: "want"})
    svc.marks_set(user=w.founder, event=event, marks={w.r_investor.pk: "must", w.r_other_investor.pk: "no"})
    svc.marks_set(user=w.other_investor, event=event, marks={w.r_founder.pk: "must", w.r_other_founder.pk: "want"})
    with committed():
        events_schedule.marking_close(actor=w.centre_staff, event=event)
    event.refresh_from_db()
    assert (event.status, event.job) == (EventStatus.SCHEDULED, ScheduleJob.DONE)
    rows = assert_schedule_keeps_the_rules(event)
    # one table, two slots: investor–founder (3+3) and one of the two "want" pairs (1)
    assert {(m.investor_id, m.startup_id) for m in rows} >= {(w.r_investor.pk, w.r_founder.pk)}
    assert len(rows) == 2 and event.value == 7 and event.bound == 7
    assert (w.r_other_investor.pk, w.r_founder.pk) not in {(m.investor_id, m.startup_id) for m in rows}
    # everyone with a meeting got one mail, after commit
    told = sorted(mail.outbox, key=lambda m: m.to[0])
    assert {m.to[0] for m in told} == {Registrant.objects.get(pk=pk).user.email
                                       for m in rows for pk in (m.investor_id, m.startup_id)}
    assert all("VC Networking Night" in m.subject for m in told)


def test_a_larger_random_event_keeps_every_rule(ventures):
    w = ventures
    rng = random.Random(7)
    event = make_event(w, tables=3, slots=4)
    slots = svc.slots_of(event)
    people = []
    for i in range(8):
        side = "investor" if i % 2 else "startup"
        user = make_user(f"p{i}@ventures.test", f"Person {i}")
        kind = OrganizationKind.INVESTOR if side == "investor" else OrganizationKind.STARTUP
        if side == "investor":
            org = make_investor(admin=user, name=f"Fund {i}", country="SG").organization
        else:
            org = make_startup(admin=user, name=f"Startup {i}", country="MY").organization
        assert org.kind == kind
        people.append(register(event, user, side, org, max_meetings=rng.randint(1, 3),
                               slots=[s.pk for s in slots if rng.random() < 0.7]))
    for source in people:
        for target in people:
            if source.side != target.side and rng.random() < 0.6:
                svc.marks_set(user=source.user, event=event,
                              marks={target.pk: rng.choice(["must", "want", "want", "no"])})
    event = build(w, event)
    assert event.job == ScheduleJob.DONE
    rows = assert_schedule_keeps_the_rules(event)
    assert rows and event.value <= event.bound
    assert event.value == sum(
        {"must": 3, "want": 1}.get(Mark.objects.filter(source_id=a, target_id=b).values_list("level", flat=True)
                                   .first(), 0) for m in rows for a, b in ((m.investor_id, m.startup_id),
                                                                            (m.startup_id, m.investor_id)))


def test_a_double_click_on_close_builds_once(ventures):
    w = ventures
    event = make_event(w)
    register_four(w, event)
    svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must"})
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        events_schedule.marking_close(actor=w.centre_staff, event=event)
        events_schedule.marking_close(actor=w.centre_admin, event=event)
        events_schedule.schedule_start(actor=w.centre_admin, event=event)  # the build button, clicked too
    assert len(callbacks) == 1  # one job sent
    with committed():
        callbacks[0]()
    assert len(mail.outbox) == 2  # the two people of the one meeting, once each
    event.refresh_from_db()
    assert event.job == ScheduleJob.DONE and Meeting.objects.filter(event=event).count() == 1
    with pytest.raises(ValidationError, match="nobody new"):
        events_schedule.schedule_start(actor=w.centre_admin, event=event)
    assert events_schedule.run_schedule(event.pk) is None  # a late redelivery of the message does nothing
    assert Meeting.objects.filter(event=event).count() == 1


def test_a_failed_job_says_why_and_may_run_again(ventures, monkeypatch):
    w = ventures
    event = make_event(w)
    register_four(w, event)
    svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must"})

    def broken(problem, *, time_limit):
        raise events_schedule.solver.ScheduleInputError("person 12 marks themselves")

    monkeypatch.setattr(events_schedule.solver, "solve", broken)
    event = build(w, event)
    assert event.job == ScheduleJob.FAILED and event.status == EventStatus.CLOSED
    assert event.job_error == "The schedule could not be built: person 12 marks themselves"
    assert not Meeting.objects.exists()
    monkeypatch.undo()
    with committed():
        events_schedule.schedule_start(actor=w.centre_staff, event=event)
    event.refresh_from_db()
    assert event.job == ScheduleJob.DONE and event.job_error == "" and Meeting.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_only_the_events_staff_close_marking_and_build(ventures, role):
    w = ventures
    event = make_event(w)
    user = w.actor(role)
    if role in RUNS_CENTRE:
        with committed():
            events_schedule.marking_close(actor=user, event=event)
        event.refresh_from_db()
        assert event.status == EventStatus.SCHEDULED
    else:
        for action in (events_schedule.marking_close, events_schedule.schedule_start, svc.event_open_marking,
                       svc.event_publish):
            with pytest.raises(PermissionDenied):
                action(actor=user, event=event)
        with pytest.raises(PermissionDenied):
            svc.event_set_late_registration(actor=user, event=event, allowed=True)
        event.refresh_from_db()
        assert event.status == EventStatus.REGISTRATION


def test_a_late_registrant_is_fitted_in_without_moving_confirmed_meetings(ventures):
    w = ventures
    event = make_event(w, tables=2, slots=3)
    register_four(w, event)
    svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must", w.r_other_founder.pk: "want"})
    svc.marks_set(user=w.other_investor, event=event, marks={w.r_other_founder.pk: "must"})
    event = build(w, event)
    before = {(m.pk, m.slot_id, m.table, m.investor_id, m.startup_id) for m in meetings(event)}
    assert before
    mail.outbox.clear()
    svc.event_set_late_registration(actor=w.centre_admin, event=event, allowed=True)
    event.refresh_from_db()
    # A new startup registers late and marks the fund "must".
    late_founder = make_user("late@ventures.test", "Lina Late")
    late_org = make_startup(admin=late_founder, name="Late Labs", country="MY").organization
    late = register(event, late_founder, "startup", late_org)
    assert late.late and not late.fitted
    svc.marks_set(user=late_founder, event=event, marks={w.r_investor.pk: "must"})
    with committed():
        events_schedule.schedule_start(actor=w.centre_staff, event=event)
    event.refresh_from_db()
    after = {(m.pk, m.slot_id, m.table, m.investor_id, m.startup_id) for m in meetings(event)}
    assert before <= after, "a confirmed meeting moved"
    new = after - before
    assert new and all(row[4] == late.pk for row in new)
    assert_schedule_keeps_the_rules(event)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([late_founder.email, w.investor.email])
    assert all("new meetings" in m.subject for m in mail.outbox)
    late.refresh_from_db()
    assert late.fitted
    with pytest.raises(ValidationError, match="closed"):
        svc.marks_set(user=late_founder, event=event, marks={w.r_other_investor.pk: "must"})


def test_marks_arriving_while_a_fit_runs_leave_the_late_registrant_to_fit_again(ventures, monkeypatch):
    """The job reads the marks, then solves; a mark given meanwhile was not used, so the late
    registrant is not fitted: they may still mark, staff see them as still to fit, and the next run
    uses the new mark."""
    w = ventures
    event = make_event(w, tables=2, slots=3)
    register_four(w, event)
    svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must"})
    svc.marks_set(user=w.other_investor, event=event, marks={w.r_other_founder.pk: "must"})
    event = build(w, event)
    svc.event_set_late_registration(actor=w.centre_admin, event=event, allowed=True)
    event.refresh_from_db()
    late_founder = make_user("late@ventures.test", "Lina Late")
    late_org = make_startup(admin=late_founder, name="Late Labs", country="MY").organization
    late = register(event, late_founder, "startup", late_org)
    svc.marks_set(user=late_founder, event=event, marks={w.r_investor.pk: "must"})
    real_solve = events_schedule.solver.solve

    def solve_while_the_late_founder_marks(problem, **kwargs):
        # The request lands while the worker solves what it read before.
        svc.marks_set(user=late_founder, event=event, marks={w.r_other_investor.pk: "must"})
        return real_solve(problem, **kwargs)

    monkeypatch.setattr(events_schedule.solver, "solve", solve_while_the_late_founder_marks)
    with committed():
        events_schedule.schedule_start(actor=w.centre_staff, event=event)
    monkeypatch.setattr(events_schedule.solver, "solve", real_solve)
    event.refresh_from_db()
    late.refresh_from_db()
    assert event.job == ScheduleJob.DONE
    pairs = {(m.investor_id, m.startup_id) for m in meetings(event)}
    assert (w.r_investor.pk, late.pk) in pairs  # what the run read was used
    assert (w.r_other_investor.pk, late.pk) not in pairs  # the mark it did not read was not
    assert not late.fitted and events_schedule.pending_late(event) == 1
    assert svc.can_mark(event, late)
    page = client_for(w.centre_staff).get(f"/ventures/events/{event.pk}/staff/")
    assert "Fit 1 late registrant in" in page.content.decode()
    with committed():
        events_schedule.schedule_start(actor=w.centre_staff, event=event)
    late.refresh_from_db()
    pairs = {(m.investor_id, m.startup_id) for m in meetings(event)}
    assert (w.r_other_investor.pk, late.pk) in pairs and (w.r_investor.pk, late.pk) in pairs
    assert late.fitted and events_schedule.pending_late(event) == 0
    assert_schedule_keeps_the_rules(event)


def test_a_run_fits_a_registrant_whose_marks_it_read(ventures):
    """Without a change during the run, everyone the run read is fitted (versions unchanged)."""
    w = ventures
    event = make_event(w)
    register_four(w, event)
    svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must"})
    event = build(w, event)
    assert set(Registrant.objects.filter(event=event).values_list("fitted", flat=True)) == {True}


def test_the_periodic_task_closes_due_events_and_the_reaper_requeues_dead_jobs(ventures):
    w = ventures
    event = make_event(w)
    register_four(w, event)
    svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must"})
    Event.objects.filter(pk=event.pk).update(registration_deadline=timezone.now() - timedelta(hours=2),
                                             marking_deadline=timezone.now() - timedelta(hours=1))
    with committed():
        assert events_schedule.close_due() == 1
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED and Meeting.objects.filter(event=event).count() == 1
    # A worker died mid-run: the reaper puts the job back and it runs (writing nothing twice).
    Event.objects.filter(pk=event.pk).update(job=ScheduleJob.RUNNING,
                                             job_started_at=timezone.now() - timedelta(hours=2),
                                             status=EventStatus.CLOSED)
    Meeting.objects.filter(event=event).delete()
    Registrant.objects.filter(event=event).update(fitted=False)
    assert events_schedule.requeue_stale() == 1
    event.refresh_from_db()
    assert event.job == ScheduleJob.DONE and Meeting.objects.filter(event=event).count() == 1
    assert events_schedule.requeue_stale() == 0


@override_settings(FORWARD_SCHEDULE_TIME_LIMIT=5)
def test_an_event_without_marks_is_scheduled_empty(ventures):
    w = ventures
    event = make_event(w)
    register_four(w, event)
    event = build(w, event)
    assert event.job == ScheduleJob.DONE and event.value == 0 and not meetings(event)


def test_membership_roles_not_self_declared_kinds_decide(ventures):
    """A startup admin who creates an organization of kind investor (unverified) cannot register as
    an investor with it."""
    w = ventures
    event = make_event(w)
    self_made = make_organization(creator=w.founder, name="Founder Fund", kind=OrganizationKind.INVESTOR,
                                  country="MY", verified=False)
    assert Membership.objects.filter(user=w.founder, organization=self_made, role=Role.ADMIN).exists()
    with pytest.raises(PermissionDenied):
        register(event, w.founder, "investor", self_made)
