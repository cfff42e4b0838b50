"""The directory API for every role: lists with fit, details by visibility, profile, round, traction
and deck-share writes; 404 for what one may not see or change."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from forward.core.services import api_token_create
from forward.ventures.models import DeckShare, TractionMonth

from .conftest import ROLES
from .test_directory import EDIT_FUND, EDIT_STARTUP, SEE_PRIVATE
from .test_directory_pages import FIT_INVESTORS, FIT_STARTUPS, SEES_ROUNDS

BASE = "/api/v1/ventures"


def auth(w, role) -> dict:
    if role == "anonymous":
        return {}
    _token, raw = api_token_create(user=w.actor(role), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def put(client, url, body, headers):
    return client.put(url, data=json.dumps(body), content_type="application/json", **headers)


PROFILE = {"one_liner": "API edit", "description": "", "sectors": ["ai-data"], "stage": "seed", "country": "MY",
           "founded_on": "2022-01-01", "video_url": ""}


@pytest.mark.parametrize("role", ROLES)
def test_lists(ventures, role, client):
    w = ventures
    h = auth(w, role)
    body = client.get(f"{BASE}/startups", **h).json()
    names = [r["name"] for r in body["results"]]
    assert w.startup_org.name in names and "Shadow Startup" not in names
    assert (body["browsing_as"] is not None) == (role in FIT_STARTUPS)
    mine = next(r for r in body["results"] if r["id"] == w.startup_org.pk)
    assert (mine["round"] is not None) == (role in SEES_ROUNDS)
    if role == "investor":
        assert mine["fit"]["score"] == 100 and names[0] == w.startup_org.name
        assert [r["status"] for r in mine["fit"]["reasons"]] == ["match"] * 4
    body = client.get(f"{BASE}/investors", **h).json()
    if role in FIT_INVESTORS:
        assert all(r["fit"] is not None for r in body["results"])
    else:
        assert [r["name"] for r in body["results"]] == ["Jade Harbour", "Lion City Ventures"]
        assert all(r["fit"] is None for r in body["results"])
    assert (body["browsing_as"] is not None) == (role in FIT_INVESTORS)
    assert client.get(f"{BASE}/startups?as={w.fund.pk}", **h).status_code == (
        200 if role in {"investor", "investor_staff", "operator"} else 404)
    assert client.get(f"{BASE}/startups?page=99", **h).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_details(ventures, role, client):
    w = ventures
    h = auth(w, role)
    TractionMonth.objects.create(startup=w.startup, month="2026-01-01", revenue=Decimal("10"), users=2)
    body = client.get(f"{BASE}/startups/{w.startup_org.pk}", **h).json()
    assert body["team"][0]["title"] == "CEO & co-founder"
    assert (body["traction"] is not None) == (role in SEE_PRIVATE)
    assert body["deck_url"] is None
    assert client.get(f"{BASE}/startups/{w.unverified_startup.organization.pk}", **h).status_code == (
        200 if role in {"unverified_founder", "operator"} else 404)
    assert client.get(f"{BASE}/investors/{w.fund.pk}", **h).json()["ticket_max"] == "1500000.00"
    assert client.get(f"{BASE}/investors/{w.unverified_fund.pk}", **h).status_code == (
        200 if role in {"unverified_investor", "operator"} else 404)
    assert client.get(f"{BASE}/investors/{w.startup_org.pk}", **h).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_startup_writes(ventures, role, client):
    w = ventures
    h = auth(w, role)
    url = f"{BASE}/startups/{w.startup_org.pk}"
    allowed = role in EDIT_STARTUP
    expected = 200 if allowed else (401 if role == "anonymous" else 404)
    assert put(client, f"{url}/profile", PROFILE, h).status_code == expected
    assert put(client, f"{url}/round", {"amount": "900000", "currency": "USD", "instrument": "safe"}, h).status_code == expected
    assert put(client, f"{url}/traction/2026-02", {"revenue": "100.50", "currency": "MYR", "users": 9},
               h).status_code == expected
    response = client.post(f"{url}/deck-shares", data=json.dumps({"investor": w.fund.pk}),
                           content_type="application/json", **h)
    assert response.status_code == (201 if allowed else expected)
    assert DeckShare.objects.filter(startup=w.startup).exists() == allowed
    assert client.get(f"{url}/deck-shares", **h).status_code == expected
    assert client.delete(f"{url}/deck-shares/{w.fund.pk}", **h).status_code == (204 if allowed else expected)
    assert client.delete(f"{url}/traction/2026-02", **h).status_code == (204 if allowed else expected)
    assert client.delete(f"{url}/round", **h).status_code == expected
    w.startup.refresh_from_db()
    assert (w.startup.one_liner == "API edit") == allowed


def test_write_errors_are_json_messages(ventures, client):
    w = ventures
    h = auth(w, "founder")
    url = f"{BASE}/startups/{w.startup_org.pk}"
    response = put(client, f"{url}/profile", {**PROFILE, "country": "ZZ"}, h)
    assert response.status_code == 400 and "country" in response.json()["detail"]
    response = put(client, f"{url}/traction/2999-01", {"revenue": "1", "currency": "USD", "users": 1}, h)
    assert response.status_code == 400 and "future" in response.json()["detail"]
    response = client.post(f"{url}/deck-shares", data=json.dumps({"investor": w.unverified_fund.pk}),
                           content_type="application/json", **h)
    assert response.status_code == 404
    assert client.delete(f"{url}/deck-shares/{w.fund.pk}", **h).status_code == 404  # never shared


@pytest.mark.parametrize("role", ROLES)
def test_investor_profile_writes(ventures, role, client):
    w = ventures
    h = auth(w, role)
    body = {"investor_type": "angel", "thesis": "API", "sectors": ["fintech"], "stages": ["seed"], "countries": ["MY"],
            "ticket_min": "1000", "ticket_max": "5000", "ticket_currency": "SGD", "lead_style": "follows"}
    response = put(client, f"{BASE}/investors/{w.fund.pk}/profile", body, h)
    assert response.status_code == (200 if role in EDIT_FUND else (401 if role == "anonymous" else 404))
    assert put(client, f"{BASE}/investors/{w.unverified_fund.pk}/profile", body, h).status_code == (
        200 if role in {"unverified_investor", "operator"} else (401 if role == "anonymous" else 404))
    if role == "investor":
        bad = put(client, f"{BASE}/investors/{w.fund.pk}/profile", {**body, "ticket_min": "9000"}, h)
        assert bad.status_code == 400 and "largest ticket" in bad.json()["detail"]
