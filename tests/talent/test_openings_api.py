"""/api/v1/talent/openings for every role: public search and detail; create, change, publish, close
(the employer's admins and staff); feature (operators)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forward.core.models import AuditEvent
from forward.core.services import api_token_create
from forward.talent import openings
from forward.talent.models import Opening, OpeningStatus
from tests.talent.test_openings import _bulk, complete, opening_world, published  # noqa: F401

ROLES = ["anonymous", "member", "staff", "admin", "other_admin", "unverified_admin", "operator"]
EDITORS = ("staff", "admin", "operator")


def _headers(w, role: str) -> dict:
    if role == "anonymous":
        return {}
    _token, raw = api_token_create(user=getattr(w, role), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def call(w, role: str, method: str, path: str, body=None):
    client = Client()
    kwargs = _headers(w, role)
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"/api/v1/talent/{path}", **kwargs)


def body(**overrides) -> dict:
    data = {
        "employer": "acme-analytics", "title": "Payments data intern", "description": "Reconcile **payments**.",
        "kind": "internship", "city": "Singapore", "country": "SG", "remote": "hybrid",
        "required_skills": ["python"], "preferred_skills": ["sql"],
        "required_credentials": [{"kind": "certification", "level": 1}], "pay_min": "2500", "pay_max": "3200",
        "currency": "SGD", "pay_period": "month", "seats": 3,
        "deadline": (timezone.now() + timedelta(days=20)).isoformat(),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_search_is_public_and_shows_only_open_openings(world, role):
    published(world, title="Open one")
    openings.opening_create(actor=world.admin, organization=world.acme, **complete(title="A draft"))
    response = call(world, role, "get", "openings?skill=python&country=SG")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1 and [r["title"] for r in data["results"]] == ["Open one"]
    first = data["results"][0]
    assert first["employer"] == {"slug": "acme-analytics", "name": "Acme Analytics"}
    assert first["pay_min"] == "2000.00" and first["currency"] == "SGD"
    assert [s["slug"] for s in first["required_skills"]] == ["python", "sql"]


def test_search_filters_and_errors(world):
    published(world, title="Python intern")
    assert call(world, "anonymous", "get", "openings?text=python&kind=internship").json()["count"] == 1
    assert call(world, "anonymous", "get", "openings?kind=job").json()["count"] == 0
    assert call(world, "anonymous", "get", "openings?min_pay=2500&currency=SGD&pay_period=month").json()["count"] == 1
    response = call(world, "anonymous", "get", "openings?min_pay=2500")
    assert response.status_code == 400 and "currency" in response.json()["detail"]
    assert call(world, "anonymous", "get", "openings?kind=gig").status_code == 422
    assert call(world, "anonymous", "get", "openings?country=Singapore").status_code == 422
    assert call(world, "anonymous", "get", "openings?page=2").status_code == 404


def test_search_makes_a_constant_number_of_queries(world, django_assert_num_queries):
    _bulk(world, 2)
    client = Client()
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/talent/openings")
    _bulk(world, 30, start=2)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/talent/openings")
    assert len(response.json()["results"]) == 20


@pytest.mark.parametrize("role", ROLES)
def test_detail_of_an_open_opening_for_all_and_of_a_draft_for_its_editors(world, role):
    opening = published(world)
    assert call(world, role, "get", f"openings/{opening.uuid}").status_code == 200
    draft = openings.opening_create(actor=world.admin, organization=world.acme, **complete(title="Secret"))
    response = call(world, role, "get", f"openings/{draft.uuid}")
    assert response.status_code == (200 if role in EDITORS else 404)
    assert call(world, role, "get", f"openings/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_create_a_draft(world, role):
    response = call(world, role, "post", "openings", body())
    if role in EDITORS:
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["status"] == "draft" and data["required_credentials"] == [{"kind": "certification", "level": 1}]
        opening = Opening.objects.get()
        assert str(opening.uuid) == data["uuid"] and opening.seats == 3
        assert AuditEvent.objects.filter(action="opening.create").count() == 1
    else:
        assert response.status_code == (401 if role == "anonymous" else 404)
        assert not Opening.objects.exists()


def test_an_unverified_employer_creates_drafts_but_publishing_is_403(world):
    response = call(world, "unverified_admin", "post", "openings", body(employer="newco"))
    assert response.status_code == 201
    response = call(world, "unverified_admin", "post", f"openings/{response.json()['uuid']}/publish")
    assert response.status_code == 403 and "verified" in response.json()["detail"]
    assert Opening.objects.get().status == OpeningStatus.DRAFT


@pytest.mark.parametrize(("overrides", "status", "words"), [
    ({"pay_min": "5000", "pay_max": "10"}, 400, "upside down"),
    ({"currency": "ABC"}, 400, "ISO 4217"),
    ({"required_skills": ["knitting"]}, 400, "knitting"),
    ({"required_credentials": [{"kind": "programme", "level": 2}]}, 400, "only a certification"),
    ({"required_credentials": [{"kind": "certification", "level": 7}]}, 422, "level"),
    ({"required_credentials": [{"kind": "diploma"}]}, 422, "kind"),
    ({"required_credentials": [{"kind": "programme"}] * 6}, 422, "required_credentials"),
    ({"countries_eligible": ["XX"]}, 400, "country code"),
    ({"seats": 0}, 422, "seats"),
    ({"seats": "many"}, 422, "seats"),
    ({"title": ""}, 422, "title"),
    ({"title": None}, 422, "title"),
    ({"kind": None}, 422, "kind"),
    ({"who_may_apply": "universities", "universities": ["unverified-uni"]}, 400, "not a verified university"),
    ({"description": "x" * 20_001}, 422, "description"),
    ({"employer": "rival-robotics"}, 404, "Not found"),
    ({"employer": "uni-of-testing"}, 404, "Not found"),
])
def test_bad_input_is_a_clear_4xx_and_stores_nothing(world, overrides, status, words):
    response = call(world, "admin", "post", "openings", body(**overrides))
    assert response.status_code == status, response.content
    assert words in response.json()["detail"]
    assert not Opening.objects.exists()


def test_a_body_that_is_not_json_is_refused(world):
    _token, raw = api_token_create(user=world.admin, name="t")
    response = Client().post("/api/v1/talent/openings", data="{nope", content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert 400 <= response.status_code < 500
    assert not Opening.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_patch(world, role):
    opening = published(world)
    response = call(world, role, "patch", f"openings/{opening.uuid}", {"title": "Renamed", "seats": 5})
    opening.refresh_from_db()
    if role in EDITORS:
        assert response.status_code == 200 and response.json()["title"] == "Renamed"
        assert opening.title == "Renamed" and opening.seats == 5 and opening.pay_max is not None  # the rest kept
        event = AuditEvent.objects.get(action="opening.edit")
        assert event.data["changed"]["seats"] == {"from": 2, "to": 5}
    else:
        assert response.status_code == (401 if role == "anonymous" else 404)
        assert opening.title == "Data analyst intern"


def test_patching_an_open_opening_keeps_it_complete(world):
    opening = published(world)
    response = call(world, "admin", "patch", f"openings/{opening.uuid}", {"description": "", "title": "X"})
    assert response.status_code == 400 and "description" in response.json()["detail"]
    opening.refresh_from_db()
    assert opening.title == "Data analyst intern"


@pytest.mark.parametrize("role", ROLES)
def test_publish_and_close(world, role):
    draft = openings.opening_create(actor=world.admin, organization=world.acme, **complete())
    response = call(world, role, "post", f"openings/{draft.uuid}/publish")
    draft.refresh_from_db()
    if role in EDITORS:
        assert response.status_code == 200 and response.json()["status"] == "open"
        assert call(world, role, "post", f"openings/{draft.uuid}/publish").status_code == 200  # twice: harmless
        assert AuditEvent.objects.filter(action="opening.publish").count() == 1
        response = call(world, role, "post", f"openings/{draft.uuid}/close")
        assert response.status_code == 200 and response.json()["status"] == "closed"
        assert response.json()["closed_at"] is not None
    else:
        assert response.status_code == (401 if role == "anonymous" else 404)
        assert draft.status == OpeningStatus.DRAFT
        opening = published(world, title="Open")
        response = call(world, role, "post", f"openings/{opening.uuid}/close")
        assert response.status_code == (401 if role == "anonymous" else 404)
        opening.refresh_from_db()
        assert opening.status == OpeningStatus.OPEN


def test_publishing_an_incomplete_draft_says_what_is_missing(world):
    draft = openings.opening_create(actor=world.admin, organization=world.acme, title="Idea")
    response = call(world, "admin", "post", f"openings/{draft.uuid}/publish")
    assert response.status_code == 400 and "a description" in response.json()["detail"]


@pytest.mark.parametrize("role", ROLES)
def test_feature(world, role):
    opening = published(world)
    response = call(world, role, "post", f"openings/{opening.uuid}/feature")
    opening.refresh_from_db()
    if role == "operator":
        assert response.status_code == 200 and response.json()["featured"] is True
        response = call(world, role, "post", f"openings/{opening.uuid}/feature?featured=false")
        assert response.json()["featured"] is False
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert opening.featured_at is None
    draft = openings.opening_create(actor=world.admin, organization=world.acme, **complete())
    response = call(world, role, "post", f"openings/{draft.uuid}/feature")
    expected = {"anonymous": 401, "operator": 400, "staff": 403, "admin": 403}.get(role, 404)
    assert response.status_code == expected
