"""GET /api/v1/impact/measures and /api/v1/impact/measures/{slug}, for every role, with bad input."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from forward.core.services import api_token_create
from forward.impact import rollup
from forward.wsgi import application
from tests.conftest import client_for

from .conftest import ROLES, TODAY, at

API = "/api/v1/impact/measures"


def get(world, role, path, **params):
    return client_for(world.users[role]).get(path, params)


def cells(body, by):
    return {c["key"]: c for c in body["breakdowns"][by]}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_measures_with_their_definitions_totals_and_targets(world, role):
    response = get(world, role, API)
    assert response.status_code == 200
    body = response.json()
    by_slug = {m["slug"]: m for m in body["results"]}
    assert set(by_slug) == {"talents", "funding"}
    talents = by_slug["talents"]
    assert talents["name"] == "Talents cultivated"
    assert talents["definition"].startswith("People who completed a course")
    assert talents["noun"] == "people" and talents["money"] is False
    assert talents["totals"] == [{"unit": "", "value": 55}]
    assert talents["computed_at"] is not None
    titles = {t["title"]: t for t in talents["targets"]}
    assert set(titles) == {"Talents across the region", "National University talents"}
    uni = titles["National University talents"]
    assert uni["scope"]["university"] == world.uni.pk and uni["scope"]["university_name"] == "National University"
    assert uni["value"] == 45 and uni["current"] == 40
    assert uni["status"] in {"met", "missed", "on_track", "at_risk", "off_track"}
    assert uni["forecast"]["low"] <= uni["forecast"]["value"] <= uni["forecast"]["high"]
    funding = by_slug["funding"]
    assert funding["money"] is True
    assert funding["totals"] == [{"unit": "SGD", "value": 1_000_000}, {"unit": "USD", "value": 750_000}]
    assert [t["unit"] for t in funding["targets"]] == ["USD"]
    assert "On track" in body["status_rule"]


def test_a_measure_in_a_slice_has_its_total_months_and_breakdowns(world):
    # Singapore's months count one or two people each: small groups the public never sees (below).
    body = get(world, "operator", f"{API}/talents", country="SG").json()
    assert body["total"] == 40 and body["suppressed"] is False
    assert body["definition"].startswith("People who completed")
    assert body["slice"] == {"country": "SG", "programme": None, "university": None, "from": None, "to": None,
                             "unit": ""}
    assert sum(m["value"] for m in body["monthly"]) == 40
    assert body["monthly"][-1]["cumulative"] == 40
    assert body["monthly"][0]["month"] == "2024-12"
    assert cells(body, "university")[world.uni.pk] == {"key": world.uni.pk, "name": "National University",
                                                       "value": 40, "suppressed": False}
    assert cells(body, "country") == {"SG": {"key": "SG", "name": "Singapore", "value": 40, "suppressed": False}}
    public = get(world, "anonymous", f"{API}/talents", country="SG").json()
    assert public["total"] == 40 and cells(public, "university")[world.uni.pk]["value"] == 40
    assert [m["month"] for m in public["monthly"]] == [m["month"] for m in body["monthly"]]
    assert all(m["value"] is None and m["cumulative"] is None for m in public["monthly"])


def test_small_months_are_withheld_and_the_running_totals_go_with_them(world):
    # Malaysia: 12 people, one every 50 days: months of 0 or 1.
    body = get(world, "operator", f"{API}/talents", country="MY").json()
    months = {m["month"]: m["value"] for m in body["monthly"]}
    public = get(world, "anonymous", f"{API}/talents", country="MY").json()
    assert public["total"] == 12
    assert all(m["value"] is None for m in public["monthly"] if months[m["month"]])  # each 1 or 2: small
    assert all(m["cumulative"] is None for m in public["monthly"])


def test_dates_bound_the_slice_and_a_month_stands_for_its_days(world):
    whole = get(world, "anonymous", f"{API}/talents").json()
    body = get(world, "anonymous", f"{API}/talents", **{"from": "2025-01", "to": "2025-06"}).json()
    assert body["slice"]["from"] == "2025-01-01" and body["slice"]["to"] == "2025-06-30"
    assert [m["month"] for m in body["monthly"]] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    expected = sum(m["value"] for m in whole["monthly"] if "2025-01" <= m["month"] <= "2025-06")
    assert body["total"] == expected > 0


@pytest.mark.parametrize("role, sees", [("anonymous", False), ("student", False), ("uni_admin", False),
                                        ("other_admin", False), ("unverified_admin", False), ("operator", True)])
def test_small_groups_are_suppressed_except_for_operators(world, role, sees):
    body = get(world, role, f"{API}/talents").json()
    indonesia = cells(body, "country")["ID"]
    assert indonesia["suppressed"] is not sees
    assert indonesia["value"] == (3 if sees else None)
    # Alone withheld, Indonesia would be 55 − 40 − 12: the smallest other country goes with it.
    assert cells(body, "country")["MY"]["value"] == (12 if sees else None)
    assert cells(body, "country")["SG"]["value"] == 40
    assert body["total"] == 55  # the whole platform is never suppressed
    small = get(world, role, f"{API}/talents", country="ID").json()
    assert small["total"] == (3 if sees else None) and small["suppressed"] is not sees
    assert all(m["value"] is None for m in small["monthly"]) is not sees


@pytest.mark.parametrize("role, sees", [("anonymous", False), ("student", False), ("uni_admin", True),
                                        ("other_admin", False), ("unverified_admin", False), ("operator", True)])
def test_a_university_admin_sees_their_own_universitys_part_unsuppressed(world, role, sees):
    # One month of National University: 1 or 2 people, a small group.
    body = get(world, role, f"{API}/talents", university=world.uni.pk, **{"from": "2025-01", "to": "2025-01"}).json()
    assert body["suppressed"] is not sees
    assert body["total"] == (2 if sees else None)
    # The other university's small months: only its own admin (and operators) see them.
    other = get(world, role, f"{API}/talents", university=world.other_uni.pk,
                **{"from": "2025-01", "to": "2025-02"}).json()
    assert other["suppressed"] is (role not in ("operator", "other_admin"))


def test_an_unverified_university_with_the_same_name_opens_nothing(world):
    # Its admin asks for the verified university's slice: public view only.
    body = get(world, "unverified_admin", f"{API}/talents", university=world.uni.pk,
               **{"from": "2025-01", "to": "2025-01"}).json()
    assert body["suppressed"] is True and body["total"] is None


def test_a_token_identifies_the_caller(world):
    _token, raw = api_token_create(user=world.operator, name="script")
    from django.test import Client

    body = Client().get(f"{API}/talents", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert cells(body, "country")["ID"]["value"] == 3
    wrong = Client().get(f"{API}/talents", HTTP_AUTHORIZATION="Bearer fwd_wrong")
    assert wrong.status_code == 401


def test_money_comes_by_currency_never_summed(world):
    assert get(world, "anonymous", f"{API}/funding", unit="usd").json()["total"] == 750_000
    both = get(world, "anonymous", f"{API}/funding")
    assert both.status_code == 400
    assert "SGD, USD" in both.json()["detail"] and "choose one" in both.json()["detail"]
    missing = get(world, "anonymous", f"{API}/funding", unit="EUR")
    assert missing.status_code == 400 and "EUR" in missing.json()["detail"]
    counted = get(world, "anonymous", f"{API}/talents", unit="USD")
    assert counted.status_code == 400 and "count" in counted.json()["detail"]


@pytest.mark.parametrize("params, status, message", [
    ({"country": "XX"}, 400, "country: 'XX' is not an ISO 3166 code."),
    ({"from": "2025-06-01", "to": "2025-01-01"}, 400, "from (2025-06-01) is after to (2025-01-01)."),
    ({"from": "2025-13"}, 400, "from: '2025-13' is not a date; write YYYY-MM-DD or YYYY-MM."),
    ({"to": "yesterday"}, 400, "to: 'yesterday' is not a date; write YYYY-MM-DD or YYYY-MM."),
    ({"to": "2025-02-30"}, 400, "to: '2025-02-30' is not a date"),
    ({"university": "nus"}, 422, "university: Input should be a valid integer"),
    ({"programme": "1.5"}, 422, "programme: Input should be a valid integer"),
    ({"university": "-1"}, 400, "university: -1 is not an id"),
])
def test_bad_parameters_say_what_to_fix(world, params, status, message):
    response = get(world, "anonymous", f"{API}/talents", **params)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_an_unknown_measure_is_404(world):
    response = get(world, "anonymous", f"{API}/unicorns")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_the_detail_reads_a_constant_number_of_queries(world, client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{API}/talents", {"country": "SG"}).status_code == 200
        return len(queries)

    before = count()
    # Many more people, in more countries and universities and months: the same number of queries.
    more = [(9000 + i, TODAY.replace(day=1), "MY" if i % 2 else "TH", 0, world.other_uni.pk if i % 3 else 0, 1, "")
            for i in range(200)]
    world.talent_rows.extend(more)
    rollup.rebuild(now=at(TODAY))
    assert count() == before
    assert client.get(f"{API}/talents").json()["total"] == 255


def test_the_schema_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/impact/measures" in schema["paths"]
    detail = schema["paths"]["/api/v1/impact/measures/{slug}"]["get"]
    assert {p["name"] for p in detail["parameters"]} >= {"slug", "country", "programme", "university", "from", "to",
                                                         "unit"}
    assert "MeasureDetailOut" in schema["components"]["schemas"]


# --- the schema tells the truth, with measures that have numbers ----------------------------------------

impact_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(path_regex="/impact/")


@pytest.fixture
def _connection_kept_open():
    """As tests/test_api_schema.py: the WSGI handler would close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def operator_token(world) -> str:
    return api_token_create(user=world.operator, name="schema")[1]


@pytest.mark.parametrize("caller", ["anonymous", "operator"])
@impact_schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_the_impact_api_answers_as_its_schema_says(case, caller, world, operator_token, _connection_kept_open):
    positive = case.meta is None or not case.meta.generation.mode.is_negative
    if case.path_parameters is not None and positive:
        case.path_parameters = {"slug": "talents" if hash(str(case.query)) % 2 else "funding"}
    headers = None
    if caller == "operator":
        headers = {"Authorization": f"Bearer {operator_token}"}
    # Rules a JSON Schema cannot state: a country must exist, dates be dates in order, a money measure's unit
    # be one it has; a schema-valid request may get the documented 400 for them.
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
