"""The networking events API (/api/v1/ventures/events…), for every role."""

from __future__ import annotations

import pytest

from forward.ventures import events as svc
from forward.ventures.models import Mark, Registrant
from tests.conftest import client_for, make_user

from . import events_world
from .conftest import ROLES, committed, make_startup
from .events_world import INVESTOR_FUND, RUNS_CENTRE, build, make_event, register, register_four

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_solver")]
fast_solver = events_world.fast_solver  # the fixture
API = "/api/v1/ventures"


def call(user, method, url, body=None):
    client = client_for(user if user is not None and user.is_authenticated else None)
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    return getattr(client, method)(API + url, **kwargs)


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_for_every_role(ventures, role):
    w = ventures
    user = w.actor(role)
    draft = make_event(w, publish=False, title="Secret draft")
    published = make_event(w, title="Open night")
    listed = call(user, "get", "/events")
    assert listed.status_code == 200
    titles = {e["title"] for e in listed.json()["results"]}
    assert "Open night" in titles and ("Secret draft" in titles) == (role in RUNS_CENTRE)
    detail = call(user, "get", f"/events/{published.pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert len(body["slots"]) == 3 and body["registration"] is None and body["status"] == "registration"
    assert call(user, "get", f"/events/{draft.pk}").status_code == (200 if role in RUNS_CENTRE else 404)
    assert call(user, "get", "/events/999999").status_code == 404




@pytest.mark.parametrize("role", ROLES)
def test_register_as_an_investor_for_every_role(ventures, role):
    w = ventures
    event = make_event(w)
    user = w.actor(role)
    slot = svc.slots_of(event)[1]
    response = call(user, "post", f"/events/{event.pk}/registration",
                    {"side": "investor", "organization": w.fund.slug, "max_meetings": 5, "slots": [slot.pk]})
    if role == "anonymous":
        assert response.status_code == 401
    elif role in INVESTOR_FUND:
        assert response.status_code == 201
        assert response.json()["slots"] == [slot.pk] and response.json()["max_meetings"] == 5
        again = call(user, "put", f"/events/{event.pk}/availability", {"max_meetings": 2, "slots": []})
        assert again.status_code == 200 and again.json()["slots"] == [] and again.json()["max_meetings"] == 2
        assert call(user, "post", f"/events/{event.pk}/registration",
                    {"side": "investor", "organization": w.fund.slug}).status_code == 400
    else:
        assert response.status_code == 404
        assert not Registrant.objects.filter(event=event).exists()
        assert call(user, "put", f"/events/{event.pk}/availability",
                    {"max_meetings": 2, "slots": []}).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_counterparts_marks_and_agenda_for_every_role(ventures, role):
    w = ventures
    event = make_event(w)
    register_four(w, event)
    user = w.actor(role)
    registered = {"founder": "r_founder", "other_founder": "r_other_founder", "investor": "r_investor",
                  "other_investor": "r_other_investor"}
    counterparts = call(user, "get", f"/events/{event.pk}/counterparts")
    if role == "anonymous":
        assert counterparts.status_code == 401
        return
    if role not in registered:
        assert counterparts.status_code == 404
        assert call(user, "put", f"/events/{event.pk}/marks",
                    {"marks": [{"registrant": w.r_founder.pk, "level": "must"}]}).status_code == 404
        assert call(user, "get", f"/events/{event.pk}/agenda").status_code == 404
        return
    me = getattr(w, registered[role])
    others = counterparts.json()["results"]
    assert {o["side"] for o in others} == {"startup" if me.side == "investor" else "investor"}
    target = others[0]["id"]
    marked = call(user, "put", f"/events/{event.pk}/marks", {"marks": [{"registrant": target, "level": "want"}]})
    assert marked.status_code == 200 and marked.json() == {"given": 1}
    assert Mark.objects.get(source=me, target_id=target).level == "want"
    after = call(user, "get", f"/events/{event.pk}/counterparts?mark=want").json()["results"]
    assert [o["id"] for o in after] == [target] and after[0]["my_mark"] == "want"
    agenda = call(user, "get", f"/events/{event.pk}/agenda")
    assert agenda.status_code == 200 and agenda.json()["scheduled"] is False and agenda.json()["meetings"] == []


def test_bad_marks_get_a_clear_400_and_store_nothing(ventures):
    w = ventures
    event = make_event(w)
    register_four(w, event)
    url = f"/events/{event.pk}/marks"
    assert call(w.investor, "put", url, {"marks": [{"registrant": w.r_other_investor.pk, "level": "must"}]}
                ).status_code == 400
    twice = call(w.investor, "put", url, {"marks": [{"registrant": w.r_founder.pk, "level": "must"},
                                                    {"registrant": w.r_founder.pk, "level": "no"}]})
    assert twice.status_code == 400 and "twice" in twice.json()["detail"]
    assert call(w.investor, "put", url, {"marks": [{"registrant": w.r_founder.pk, "level": "maybe"}]}
                ).status_code == 422
    assert not Mark.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_close_marking_and_build_for_every_role(ventures, role):
    w = ventures
    event = make_event(w)
    register_four(w, event)
    svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must"})
    user = w.actor(role)
    with committed():
        response = call(user, "post", f"/events/{event.pk}/close-marking")
    if role == "anonymous":
        assert response.status_code == 401
    elif role in RUNS_CENTRE:
        assert response.status_code == 202
        state = call(user, "get", f"/events/{event.pk}/schedule").json()
        assert state["job"] == "done" and state["meetings"] == 1 and state["value"] == 3 and state["bound"] == 3
        again = call(user, "post", f"/events/{event.pk}/close-marking")  # a second call changes nothing
        assert again.status_code == 202 and again.json()["meetings"] == 1
        assert call(user, "post", f"/events/{event.pk}/build").status_code == 400  # nobody new to fit
    else:
        assert response.status_code == 404
        assert call(user, "post", f"/events/{event.pk}/build").status_code == 404
        assert call(user, "get", f"/events/{event.pk}/schedule").status_code == 404
        event.refresh_from_db()
        assert event.status == "registration"


def test_my_agenda_lists_my_meetings(ventures):
    w = ventures
    event = make_event(w)
    register_four(w, event)
    svc.marks_set(user=w.investor, event=event, marks={w.r_founder.pk: "must"})
    build(w, event)
    body = call(w.founder, "get", f"/events/{event.pk}/agenda").json()
    assert body["scheduled"] is True and len(body["meetings"]) == 1
    meeting = body["meetings"][0]
    assert meeting["with_organization"] == "Lion City Ventures" and meeting["with_side"] == "investor"
    assert body["ics"].endswith(f"/agenda/{w.r_founder.pk}/ics/")
    assert client_for(w.founder).get(body["pdf"]).status_code == 200
    assert call(w.other_founder, "get", f"/events/{event.pk}/agenda").json()["meetings"] == []


def test_a_registration_the_api_refuses(ventures):
    w = ventures
    event = make_event(w)
    url = f"/events/{event.pk}/registration"
    assert call(w.founder, "post", url, {"side": "startup", "organization": "no-such-org"}).status_code == 404
    assert call(w.founder, "post", url, {"side": "banker", "organization": w.startup_org.slug}).status_code == 422
    other = make_event(w, title="Other")
    bad_slot = call(w.founder, "post", url, {"side": "startup", "organization": w.startup_org.slug,
                                             "slots": [svc.slots_of(other)[0].pk]})
    assert bad_slot.status_code == 400 and "not one of this event" in bad_slot.json()["detail"]
    assert register(event, w.founder, "startup", w.startup_org).pk


def test_the_lists_take_a_constant_number_of_queries(ventures, django_assert_max_num_queries):
    w = ventures
    event = make_event(w)
    register(event, w.investor, "investor", w.fund)

    def startups(start, n):
        for i in range(start, start + n):
            user = make_user(f"s{i}@ventures.test", f"Founder {i}")
            register(event, user, "startup", make_startup(admin=user, name=f"Startup {i:03d}", country="MY").organization)

    startups(0, 2)
    client = client_for(w.investor)
    with django_assert_max_num_queries(12) as small_parts:
        assert client.get(f"{API}/events/{event.pk}/counterparts").status_code == 200
    with django_assert_max_num_queries(12) as small_list:
        assert client.get(f"{API}/events").status_code == 200
    startups(2, 25)
    for i in range(25):
        make_event(w, title=f"Event {i}")
    with django_assert_max_num_queries(len(small_parts.captured_queries)):
        body = client.get(f"{API}/events/{event.pk}/counterparts").json()
    assert body["count"] == 27 and len(body["results"]) == 20
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        assert len(client.get(f"{API}/events").json()["results"]) == 20
