"""The innovation centre's API under /api/v1/ventures/centre/, with a token, for every role: what is
not the caller's is a 404 like a missing id; lists are paginated with a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from forward.core.services import api_token_create
from forward.ventures import grants, readiness
from forward.ventures import services_centre as service

from .centre_world import CENTRE_ROLES, answers, centre_world  # noqa: F401
from .conftest import ROLES

pytestmark = pytest.mark.django_db
API = "/api/v1/ventures/centre"
ALL_ROLES = ROLES + CENTRE_ROLES
STAFF = {"centre_admin", "centre_staff", "operator"}
STARTUP_ACTING = {"founder", "teammate"}


class Caller:
    def __init__(self, user):
        self.client = Client()
        self.headers = {}
        if user.is_authenticated:
            _token, raw = api_token_create(user=user, name="test")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, url, **params):
        return self.client.get(API + url, params, **self.headers)

    def post(self, url, body=None):
        return self.client.post(API + url, body or {}, content_type="application/json", **self.headers)


def call(w, role):
    return Caller(w.actor(role))


def _code(role, allowed, ok=200):
    return 401 if role == "anonymous" else (ok if role in allowed else 404)


def test_questions_and_a_submission_with_its_recommendations(centre_world):  # noqa: F811
    w = centre_world
    founder = call(w, "founder")
    questions = founder.get("/readiness/questions").json()
    assert questions["version"] == readiness.VERSION and len(questions["questions"]) == 20
    bad = founder.post("/readiness", {"organization": w.startup_org.pk, "answers": {"strategy.plan": 1}})
    assert bad.status_code == 400 and "Answer the question" in bad.json()["detail"]
    response = founder.post("/readiness", {"organization": w.startup_org.pk, "answers": answers(2),
                                           "share_with": w.centre.slug})
    assert response.status_code == 201
    body = response.json()
    assert body["overall"] == 2 and body["overall_name"] == "Developing" and body["shared_with"] == w.centre.slug
    assert {a["area"] for a in body["areas"]} == set(readiness.AREAS)
    assert {s["name"] for s in body["recommended_services"]} >= {"Cloud migration assessment"}
    again = founder.post("/readiness", {"organization": w.startup_org.pk, "answers": answers(4)}).json()
    assert again["previous_id"] == body["id"] and all(a["change"] == 2 for a in again["areas"])
    listed = founder.get("/readiness", organization=w.startup_org.pk).json()
    assert listed["count"] == 2 and listed["results"][0]["id"] == again["id"]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_readiness_for_every_role(centre_world, role):  # noqa: F811
    w = centre_world
    shared = service.assessment_submit(user=w.founder, organization=w.startup_org, answers=answers(2),
                                       share_with=w.centre)
    c = call(w, role)
    members = STARTUP_ACTING | {"startup_member"}
    assert c.get(f"/readiness/{shared.pk}").status_code == _code(role, members | STAFF)
    assert c.get("/readiness", organization=w.startup_org.pk).status_code == _code(role, members)
    assert c.get("/readiness", centre=w.centre.slug).status_code == _code(role, STAFF)
    response = c.post("/readiness", {"organization": w.sme.pk, "answers": answers(3)})
    assert response.status_code == _code(role, {"sme_admin", "sme_staff"}, 201)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_requests_for_every_role(centre_world, role):  # noqa: F811
    w = centre_world
    c = call(w, role)
    created = c.post("/requests", {"service": w.service.pk, "organization": w.startup_org.pk, "note": "help"})
    assert created.status_code == _code(role, STARTUP_ACTING, 201)
    row = service.request_create(user=w.sme_admin, service=w.service, organization=w.sme)
    assert c.get(f"/requests/{row.pk}").status_code == _code(role, STAFF | {"sme_admin", "sme_staff"})
    assert c.get("/queue").status_code == _code(role, STAFF)
    assigned = c.post(f"/requests/{row.pk}/assign", {"expert": w.centre_staff.pk})
    assert assigned.status_code == _code(role, STAFF)
    if role in STAFF:
        assert assigned.json()["status"] == "assigned"
        moved = c.post(f"/requests/{row.pk}/move", {"status": "in-progress"}).json()
        assert moved["status"] == "in-progress" and [e["to_status"] for e in moved["history"]] == [
            "requested", "assigned", "in-progress"]
        assert c.post(f"/requests/{row.pk}/move", {"status": "requested"}).status_code == 400
    cancel = c.post(f"/requests/{row.pk}/cancel")
    # The requester's own withdrawal; staff cancel through /move.
    assert cancel.status_code == _code(role, {"sme_admin", "sme_staff"})
    mine = c.get("/requests")
    if role != "anonymous":
        expected = {w.startup_org.pk} if role in STARTUP_ACTING else {w.sme.pk} if role in CENTRE_ROLES else set()
        assert {r["organization"] for r in mine.json()["results"]} == expected


@pytest.mark.parametrize("role", ALL_ROLES)
def test_office_hours_for_every_role(centre_world, role):  # noqa: F811
    w = centre_world
    c = call(w, role)
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    published = c.post("/office-hours", {"expert": w.centre_staff.pk, "starts_at": start.isoformat(),
                                         "ends_at": (start + timedelta(minutes=30)).isoformat(), "topic": "Cloud"})
    assert published.status_code == _code(role, STAFF, 201)
    slot = service.slot_create(actor=w.centre_admin, centre=w.centre, expert=w.centre_admin,
                               starts_at=start + timedelta(days=1), ends_at=start + timedelta(days=1, minutes=30))
    if role != "anonymous":
        assert slot.pk in [s["id"] for s in c.get("/office-hours").json()["results"]]
    booked = c.post(f"/office-hours/{slot.pk}/book", {"organization": w.startup_org.pk})
    assert booked.status_code == _code(role, STARTUP_ACTING)
    if role not in STARTUP_ACTING:
        service.slot_book(user=w.founder, slot=slot, organization=w.startup_org)
    ics = c.get(f"/office-hours/{slot.pk}/ics")
    assert ics.status_code == _code(role, STAFF | STARTUP_ACTING)
    if ics.status_code == 200:
        assert Calendar.from_ical(ics.content).walk("VEVENT")[0]["organizer"] == f"mailto:{w.centre_admin.email}"
    assert c.post(f"/office-hours/{slot.pk}/cancel").status_code == _code(role, STAFF | STARTUP_ACTING)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_credits_for_every_role(centre_world, role):  # noqa: F811
    w = centre_world
    c = call(w, role)
    applied = c.post(f"/budgets/{w.budget.pk}/grants", {"startup": w.startup_org.pk, "amount": "1500.50",
                                                        "purpose": "Managed Kubernetes"})
    assert applied.status_code == _code(role, STARTUP_ACTING, 201)
    grant = grants.grant_apply(user=w.founder, budget=w.budget, startup=w.startup_org, amount="3000", purpose="DB")
    assert c.get(f"/budgets/{w.budget.pk}/ledger").status_code == _code(role, STAFF)
    assert c.get(f"/budgets/{w.budget.pk}/grants").status_code == _code(role, STAFF)
    approved = c.post(f"/grants/{grant.pk}/approve", {"amount": "2500"})
    assert approved.status_code == _code(role, STAFF)
    if role in STAFF:
        assert approved.json()["amount_approved"] == "2500.00" and approved.json()["currency"] == "USD"
        ledger = c.get(f"/budgets/{w.budget.pk}/ledger").json()
        assert ledger["balance"] == "7500.00" and [e["kind"] for e in ledger["results"]] == ["grant", "deposit"]
        assert c.post(f"/grants/{grant.pk}/reject").status_code == 400
        assert c.post("/budgets", {"organizer": w.centre.pk, "name": "More", "currency": "MYR",
                                   "total": "100"}).status_code == 201
    budgets = c.get("/budgets")
    if role in STAFF:
        assert any(b["balance"] == "7500.00" for b in budgets.json())
    elif role in STARTUP_ACTING:
        assert [b["balance"] for b in budgets.json()] == [None]
    elif role != "anonymous":
        assert budgets.json() == []
    assert c.post(f"/budgets/{w.budget.pk}/deposits", {"amount": "10"}).status_code == _code(role, STAFF, 201)


def test_approving_more_than_asked_or_left_is_a_clear_400(centre_world):  # noqa: F811
    w = centre_world
    staff = call(w, "centre_staff")
    grant = grants.grant_apply(user=w.founder, budget=w.budget, startup=w.startup_org, amount="3000", purpose="x")
    assert "at most" in staff.post(f"/grants/{grant.pk}/approve", {"amount": "3000.01"}).json()["detail"]
    assert staff.post(f"/grants/{grant.pk}/approve", {"amount": "-5"}).status_code == 422


@pytest.mark.parametrize("size", [2, 9])
def test_lists_take_a_constant_number_of_queries(centre_world, django_assert_max_num_queries, size):  # noqa: F811
    w = centre_world
    for i in range(size):
        org, by = (w.sme, w.sme_admin) if i % 2 else (w.startup_org, w.founder)
        row = service.request_create(user=by, service=w.services[i % 4], organization=org)
        service.request_assign(actor=w.centre_admin, service_request=row, expert=w.centre_staff)
        start = timezone.now() + timedelta(days=1 + i)
        service.slot_create(actor=w.centre_admin, centre=w.centre, expert=w.centre_staff, starts_at=start,
                            ends_at=start + timedelta(minutes=30))
        g = grants.grant_apply(user=w.founder, budget=w.budget, startup=w.startup_org, amount="10", purpose="x") \
            if i < 3 else None
        if g:
            grants.grant_approve(actor=w.centre_admin, grant=g, amount="10")
    staff, founder = call(w, "centre_staff"), call(w, "founder")
    for caller, url in ((staff, "/queue"), (staff, "/office-hours"), (staff, f"/budgets/{w.budget.pk}/ledger"),
                        (staff, f"/budgets/{w.budget.pk}/grants"), (founder, "/requests"), (founder, "/grants")):
        with django_assert_max_num_queries(10):
            assert caller.get(url).status_code == 200, url
