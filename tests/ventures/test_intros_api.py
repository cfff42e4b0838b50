"""The introductions API for every role: list (received, sent, accepted), ask, accept, decline,
withdraw, and the thread (read, post). Not a side: 404, as a missing id; operators included."""

from __future__ import annotations

import pytest
from django.test import Client

from forward.core.services import api_token_create
from forward.ventures import intros as service
from forward.ventures.models import Introduction, IntroMessage

from .conftest import ROLES

API = "/api/v1/ventures"
STARTUP_ACTING = {"founder", "teammate"}
FUND_ACTING = {"investor", "investor_staff"}


class Caller:
    def __init__(self, user):
        self.client = Client()
        self.headers = {}
        if user is not None and user.is_authenticated:
            _token, raw = api_token_create(user=user, name="test")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, url, **params):
        return self.client.get(API + url, params, **self.headers)

    def post(self, url, body=None):
        return self.client.post(API + url, body or {}, content_type="application/json", **self.headers)


def call(w, role):
    return Caller(w.actor(role))


@pytest.mark.parametrize("role", ROLES)
def test_ask_for_every_role(ventures, role):
    w = ventures
    response = call(w, role).post("/intros", {"asker": w.startup_org.pk, "target": w.fund.pk, "note": "Hello"})
    expected = {"anonymous": 401, **dict.fromkeys(STARTUP_ACTING, 201)}.get(role, 403)
    assert response.status_code == expected, response.content
    if expected == 201:
        body = response.json()
        assert body["status"] == "waiting" and body["direction"] == "sent" and body["target_name"] == w.fund.name
    assert Introduction.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_answer_and_thread_for_every_role(ventures, role):
    w = ventures
    intro = service.ask(user=w.founder, asker=w.startup_org, target=w.fund, note="Hello")
    api = call(w, role)
    sides = STARTUP_ACTING | FUND_ACTING
    got = api.get(f"/intros/{intro.pk}")
    assert got.status_code == (401 if role == "anonymous" else 200 if role in sides else 404)
    accept = api.post(f"/intros/{intro.pk}/accept")
    expected = 401 if role == "anonymous" else 200 if role in FUND_ACTING else 403 if role in STARTUP_ACTING else 404
    assert accept.status_code == expected, accept.content
    if expected != 200:
        service.accept(user=w.investor, introduction=intro)
    thread = api.get(f"/intros/{intro.pk}/messages")
    post = api.post(f"/intros/{intro.pk}/messages", {"text": "Hi there"})
    if role in sides:
        accepter = w.actor(role).email if role in FUND_ACTING else "investor@ventures.test"
        assert thread.status_code == 200 and {c["email"] for c in thread.json()["contacts"]} == {
            "founder@ventures.test", accepter}
        assert post.status_code == 201 and post.json()["organization_name"] in ("Padi Sense", "Lion City Ventures")
        assert api.get(f"/intros/{intro.pk}/messages").json()["results"][0]["text"] == "Hi there"
    else:
        assert thread.status_code == post.status_code == (401 if role == "anonymous" else 404)
        assert not IntroMessage.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_decline_and_withdraw_for_every_role(ventures, role):
    w = ventures
    intro = service.ask(user=w.founder, asker=w.startup_org, target=w.fund, note="Hello")
    api = call(w, role)
    withdraw = api.post(f"/intros/{intro.pk}/withdraw")
    expected = 401 if role == "anonymous" else 200 if role in STARTUP_ACTING else 403 if role in FUND_ACTING else 404
    assert withdraw.status_code == expected
    if expected == 200:
        assert withdraw.json()["status"] == "withdrawn"
        return
    decline = api.post(f"/intros/{intro.pk}/decline")
    expected = 401 if role == "anonymous" else 200 if role in FUND_ACTING else 404
    assert decline.status_code == expected
    if expected == 200:
        assert decline.json()["status"] == "declined" and decline.json()["direction"] == "received"
        # The asker sees "not now".
        assert call(w, "founder").get(f"/intros/{intro.pk}").json()["status"] == "not-now"


@pytest.mark.parametrize("role", ROLES)
def test_lists_for_every_role(ventures, role):
    w = ventures
    intro = service.ask(user=w.founder, asker=w.startup_org, target=w.fund, note="Hello")
    api = call(w, role)
    for box, who in (("sent", STARTUP_ACTING), ("received", FUND_ACTING)):
        response = api.get("/intros", box=box)
        if role == "anonymous":
            assert response.status_code == 401
            continue
        assert [r["id"] for r in response.json()["results"]] == ([intro.pk] if role in who else [])


def test_conflicts_and_bad_input(ventures):
    w = ventures
    founder, investor = call(w, "founder"), call(w, "investor")
    first = founder.post("/intros", {"asker": w.startup_org.pk, "target": w.fund.pk, "note": "Hello"})
    again = founder.post("/intros", {"asker": w.startup_org.pk, "target": w.fund.pk, "note": "Hello"})
    assert again.status_code == 409 and "already asked" in again.json()["detail"]
    theirs = investor.post("/intros", {"asker": w.fund.pk, "target": w.startup_org.pk, "note": "Hello"})
    assert theirs.status_code == 409 and f"introduction {first.json()['id']}" in theirs.json()["detail"]
    assert founder.post("/intros", {"asker": w.startup_org.pk, "target": w.fund.pk, "note": ""}).status_code == 422
    assert founder.post("/intros", {"asker": w.startup_org.pk, "target": w.fund.pk,
                                    "note": "x" * 1001}).status_code == 422
    assert founder.post("/intros", {"asker": w.startup_org.pk, "target": w.unverified_fund.pk,
                                    "note": "Hi"}).status_code == 404
    assert founder.get("/intros/999999").status_code == 404
    assert founder.get("/intros", box="sent", page=2).status_code == 404
    intro_id = first.json()["id"]
    assert founder.post(f"/intros/{intro_id}/messages", {"text": "Hi"}).status_code == 404  # not accepted yet


def test_list_queries_are_constant(ventures, django_assert_max_num_queries):
    from .conftest import make_investor

    w = ventures
    api = call(w, "founder")

    def ask(n):
        for i in range(n):
            target = make_investor(admin=w.outsider, name=f"Fund {Introduction.objects.count()}-{i}",
                                   country="SG").organization
            w.outsider.__dict__.pop("_forward_memberships", None)  # a new request would read them afresh
            service.accept(user=w.outsider, introduction=service.ask(user=w.founder, asker=w.startup_org,
                                                                     target=target, note="Hi"))
    ask(2)
    api.get("/intros", box="accepted")
    with django_assert_max_num_queries(12) as small:
        assert len(api.get("/intros", box="accepted").json()["results"]) == 2
    ask(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get("/intros", box="accepted").json()["results"]) == 8
