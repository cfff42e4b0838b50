"""Editing a networking event after it was created: the page and PATCH /api/v1/ventures/events/{id},
for every role; what may change once a schedule exists, and the reasons given when it may not."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from forward.core.models import AuditEvent
from forward.ventures import events as svc
from forward.ventures.models import Event, EventSlot, Meeting, ScheduleJob
from tests.conftest import client_for

from . import events_world
from .conftest import ROLES
from .events_world import RUNS_CENTRE, build, make_event, meetings, register_four

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_solver")]
fast_solver = events_world.fast_solver  # the fixture
API = "/api/v1/ventures"


def patch(user, event, body):
    client = client_for(user if user is not None and user.is_authenticated else None)
    return client.patch(f"{API}/events/{event.pk}", data=body, content_type="application/json")


def iso(moment) -> str:
    return moment.astimezone(UTC).isoformat()


def slot_body(slots) -> list[dict]:
    return [{"starts_at": iso(s.starts_at), "ends_at": iso(s.ends_at)} for s in slots]


def scheduled(w, *, slots: int = 1):
    """One slot, two tables: the fund meets the founder and the other fund the other founder, both in
    that slot (tables 1 and 2)."""
    event = make_event(w, tables=2, slots=slots)
    register_four(w, event)
    svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must"})
    svc.marks_set(user=w.other_investor, event=event, marks={w.r_other_founder.pk: "must"})
    return build(w, event)


def edit_form(event, **changes) -> dict:
    """The edit page's form as the browser sends it unchanged (times in the viewer's zone), with changes."""
    return {"title": event.title, "description": event.description, "venue": event.venue,
            "time_zone": event.time_zone, "tables": str(event.tables),
            "registration_deadline": timezone.localtime(event.registration_deadline).strftime("%Y-%m-%dT%H:%M"),
            "marking_deadline": timezone.localtime(event.marking_deadline).strftime("%Y-%m-%dT%H:%M"),
            "keep_slots": [str(s.pk) for s in svc.slots_of(event)],
            "add_slot_minutes": "20", "add_gap_minutes": "5", "add_slot_count": "0", **changes}


# --- who may edit ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_only_the_events_staff_edit_it_through_the_api(ventures, role):
    w = ventures
    event = make_event(w)
    draft = make_event(w, publish=False, title="Draft night")
    user = w.actor(role)
    response = patch(user, event, {"title": "Demo Day KL", "venue": "Hall A", "tables": 4})
    missing = client_for(user if user.is_authenticated else None).patch(
        f"{API}/events/999999", data={"title": "x"}, content_type="application/json")
    event.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 401 and missing.status_code == 401
    elif role in RUNS_CENTRE:
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["title"] == "Demo Day KL" and body["venue"] == "Hall A" and body["tables"] == 4
        assert len(body["slots"]) == 3
        assert (event.title, event.venue, event.tables) == ("Demo Day KL", "Hall A", 4)
        assert AuditEvent.objects.filter(action="ventures.event.update", target=f"event:{event.pk}").exists()
        assert patch(user, draft, {"title": "Still a draft"}).status_code == 200
    else:
        assert response.status_code == 404 and missing.status_code == 404  # the same answer as a missing id
        assert patch(user, draft, {"title": "Mine now"}).status_code == 404
        assert (event.title, event.venue, event.tables) == ("VC Networking Night", "Level 3, Forward Innovation Centre", 2)
        assert Event.objects.get(pk=draft.pk).title == "Draft night"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_events_staff_see_and_use_the_edit_page(ventures, role):
    w = ventures
    event = make_event(w)
    user = w.actor(role)
    client = client_for(user if user.is_authenticated else None)
    url = f"/ventures/events/{event.pk}/edit/"
    page = client.get(url)
    slots = svc.slots_of(event)
    form = edit_form(event, title="Demo Day KL", description="Meet the cohort.", venue="Hall A",
                     time_zone="Asia/Singapore", tables="3",
                     keep_slots=[str(slots[0].pk), str(slots[1].pk)])  # the third slot is removed
    posted = client.post(url, form)
    event.refresh_from_db()
    if role == "anonymous":
        assert page.status_code == 302 and "/accounts/login/" in page["Location"]
        assert posted.status_code == 302 and "/accounts/login/" in posted["Location"]
    elif role in RUNS_CENTRE:
        assert page.status_code == 200 and b'data-testid="event-edit"' in page.content
        assert b"VC Networking Night" in page.content
        assert posted.status_code == 302 and posted["Location"].endswith(f"/ventures/events/{event.pk}/staff/")
        assert (event.title, event.venue, event.time_zone, event.tables) == ("Demo Day KL", "Hall A",
                                                                           "Asia/Singapore", 3)
        assert [s.pk for s in svc.slots_of(event)] == [slots[0].pk, slots[1].pk]
        staff = client.get(f"/ventures/events/{event.pk}/staff/")
        assert f'/ventures/events/{event.pk}/edit/'.encode() in staff.content
    else:
        assert page.status_code == 404 and posted.status_code == 404
        assert event.title == "VC Networking Night" and len(svc.slots_of(event)) == 3


# --- slots before and after the schedule ---------------------------------------------------------------

def test_slots_are_added_and_removed_before_the_schedule_keeping_availability(ventures):
    w = ventures
    event = make_event(w, slots=3)
    register_four(w, event)
    first, second, third = svc.slots_of(event)
    extra_start = third.ends_at + timedelta(minutes=5)
    body = [*slot_body([first, second]), {"starts_at": iso(extra_start), "ends_at": iso(extra_start + timedelta(minutes=20))}]
    response = patch(w.centre_admin, event, {"slots": body})
    assert response.status_code == 200, response.content
    now = svc.slots_of(event)
    assert [s.pk for s in now[:2]] == [first.pk, second.pk] and now[2].starts_at == extra_start
    assert not EventSlot.objects.filter(pk=third.pk).exists()
    # People keep the slots that stayed; the removed one leaves their availability.
    assert svc.available_slot_ids(w.r_founder) == {first.pk, second.pk}


def test_once_the_schedule_exists_slots_and_tables_refuse_changes_and_say_why(ventures):
    w = ventures
    event = scheduled(w, slots=2)
    stored = meetings(event)
    busy = stored[0].slot
    assert sum(1 for m in stored if m.slot_id == busy.pk) == 2
    slots = svc.slots_of(event)
    free = [s for s in slots if s.pk != busy.pk]
    local = timezone.localtime(busy.starts_at, timezone=__import__("zoneinfo").ZoneInfo("Asia/Kuala_Lumpur"))

    fewer = patch(w.centre_admin, event, {"tables": 1})
    assert fewer.status_code == 400
    assert fewer.json()["detail"] == (f"The slot at {local:%Y-%m-%d %H:%M} +08 has 2 meetings; "
                                      "keep at least 2 tables.")
    removing_busy = patch(w.centre_admin, event, {"slots": slot_body(free)})
    assert removing_busy.status_code == 400
    assert "has 2 meetings in the schedule, so it cannot be removed" in removing_busy.json()["detail"]
    if free:
        removing_free = patch(w.centre_admin, event, {"slots": slot_body([busy])})
        assert removing_free.status_code == 400
        assert "schedule is built, so time slots can no longer be added or removed" in removing_free.json()["detail"]
    later = slots[-1].ends_at + timedelta(minutes=10)
    adding = patch(w.centre_admin, event, {"slots": [*slot_body(slots), {"starts_at": iso(later),
                                                                         "ends_at": iso(later + timedelta(minutes=20))}]})
    assert adding.status_code == 400 and "can no longer be added or removed" in adding.json()["detail"]
    event.refresh_from_db()
    assert event.tables == 2 and [s.pk for s in svc.slots_of(event)] == [s.pk for s in slots]
    assert {m.pk for m in meetings(event)} == {m.pk for m in stored}
    # What does not touch the meetings still changes: more tables, the words, the same slots.
    fine = patch(w.centre_admin, event, {"tables": 5, "title": "VC Night (scheduled)", "venue": "Hall B",
                                         "time_zone": "Asia/Singapore", "slots": slot_body(slots)})
    assert fine.status_code == 200, fine.content
    assert fine.json()["tables"] == 5 and fine.json()["time_zone"] == "Asia/Singapore"


def test_tables_keep_every_meeting_at_its_table(ventures):
    w = ventures
    event = scheduled(w)
    first, second = meetings(event)
    first.delete()
    Meeting.objects.filter(pk=second.pk).update(table=2)
    response = patch(w.centre_admin, event, {"tables": 1})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Table 2 has a meeting at ")
    assert "keep at least 2 tables" in response.json()["detail"]


def test_slots_and_tables_wait_while_the_schedule_is_being_built(ventures):
    w = ventures
    event = make_event(w)
    Event.objects.filter(pk=event.pk).update(job=ScheduleJob.RUNNING)
    slots = svc.slots_of(event)
    response = patch(w.centre_admin, event, {"slots": slot_body(slots[:2])})
    assert response.status_code == 400 and "being built" in response.json()["detail"]
    assert patch(w.centre_admin, event, {"tables": 7}).json()["detail"].startswith("The schedule is being built")
    assert patch(w.centre_admin, event, {"venue": "Hall C"}).status_code == 200


# --- bad input -------------------------------------------------------------------------------------------

def test_bad_input_is_refused_with_a_reason(ventures):
    w = ventures
    event = make_event(w)
    slots = svc.slots_of(event)

    def detail(body):
        response = patch(w.centre_admin, event, body)
        assert response.status_code == 400, (body, response.status_code, response.content)
        return response.json()["detail"]

    assert "is not a time zone" in detail({"time_zone": "Mars/Olympus"})
    assert detail({"registration_deadline": iso(event.marking_deadline + timedelta(hours=1))}) == (
        "Registration must close before (or when) marking closes.")
    assert "before the first time slot starts" in detail({"marking_deadline": iso(slots[0].starts_at + timedelta(hours=1)),
                                                          "registration_deadline": iso(event.registration_deadline)})
    overlapping = [{"starts_at": iso(slots[0].starts_at), "ends_at": iso(slots[0].ends_at)},
                   {"starts_at": iso(slots[0].starts_at + timedelta(minutes=10)),
                    "ends_at": iso(slots[0].ends_at + timedelta(minutes=10))}]
    assert "must not overlap" in detail({"slots": overlapping})
    assert "end after it starts" in detail({"slots": [{"starts_at": iso(slots[0].ends_at),
                                                       "ends_at": iso(slots[0].starts_at)}]})
    assert "time zone offset" in detail({"venue": "x", "marking_deadline": "2026-12-12T10:00:00"})
    assert patch(w.centre_admin, event, {"title": ""}).status_code == 422
    assert patch(w.centre_admin, event, {"tables": 0}).status_code == 422
    assert patch(w.centre_admin, event, {"slots": []}).status_code == 422
    event.refresh_from_db()
    assert event.venue == "Level 3, Forward Innovation Centre" and len(svc.slots_of(event)) == 3


def test_the_edit_page_shows_why_a_change_is_refused(ventures):
    w = ventures
    event = scheduled(w, slots=2)
    busy = meetings(event)[0].slot_id
    client = client_for(w.centre_staff)
    url = f"/ventures/events/{event.pk}/edit/"
    page = client.get(url)
    assert b'data-testid="slots-fixed"' in page.content
    form = edit_form(event, venue="Hall A", tables="1")
    refused = client.post(url, form)
    assert refused.status_code == 200 and b"keep at least 2 tables" in refused.content
    assert b'name="add_slot_count"' not in page.content and b"disabled" in page.content
    event.refresh_from_db()
    assert event.tables == 2 and event.venue == "Level 3, Forward Innovation Centre"
    # The slots are shown but fixed: an unticked (forged) slot is ignored, the rest is saved.
    slots = [s.pk for s in svc.slots_of(event)]
    saved = client.post(url, {**form, "tables": "2", "keep_slots": [str(pk) for pk in slots if pk != busy]})
    assert saved.status_code == 302
    event.refresh_from_db()
    assert [s.pk for s in svc.slots_of(event)] == slots and event.venue == "Hall A"


def test_the_edit_page_asks_when_added_slots_start(ventures):
    w = ventures
    event = make_event(w)
    client = client_for(w.centre_staff)
    url = f"/ventures/events/{event.pk}/edit/"
    form = edit_form(event, add_slot_count="2")
    no_start = client.post(url, form)
    assert b"Say when the first added slot starts." in no_start.content
    last = svc.slots_of(event)[-1]
    start = timezone.localtime(last.ends_at + timedelta(minutes=30))
    added = client.post(url, {**form, "add_first_slot": start.strftime("%Y-%m-%dT%H:%M")})
    assert added.status_code == 302
    now = svc.slots_of(event)
    assert len(now) == 5 and now[3].starts_at == last.ends_at + timedelta(minutes=30)
    assert now[4].starts_at - now[3].starts_at == timedelta(minutes=25)
