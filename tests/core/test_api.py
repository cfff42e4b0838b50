import json
import re

import pytest

from forward.core.models import Organization, OrganizationKind
from forward.core.services import api_token_create, api_token_revoke


def bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_me_returns_the_caller_and_their_organizations(client, people):
    response = client.get("/api/v1/me", **bearer(people.member))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "member@uni.test"
    assert body["memberships"] == [{"organization": people.org.slug, "organization_name": "Uni of Testing",
                                    "kind": "university", "role": "member"}]


def test_me_without_credentials_is_401_json(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer fwd_not-a-real-token", "Bearer ", "Basic abc", "Bearer " + "x" * 500])
def test_bad_tokens_are_401(client, people, header):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert isinstance(response.json()["detail"], str)


def test_a_revoked_token_stops_working(client, people):
    token, raw = api_token_create(user=people.member, name="old")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    api_token_revoke(user=people.member, token_id=token.pk)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_the_session_also_authenticates(client, people):
    client.force_login(people.admin)
    assert client.get("/api/v1/me").json()["email"] == "admin@uni.test"


def test_members_endpoint_is_404_for_non_members(client, people):
    url = f"/api/v1/organizations/{people.org.slug}/members"
    assert client.get(url).status_code == 401
    assert client.get(url, **bearer(people.outsider)).status_code == 404
    assert client.get(url, **bearer(people.other_admin)).status_code == 404
    members = client.get(url, **bearer(people.member)).json()
    assert {m["email"] for m in members} == {"admin@uni.test", "member@uni.test"}


def test_openapi_and_docs(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
    docs = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert docs.status_code == 200
    html = docs.content.decode()
    # A language, a main landmark and a heading for screen readers; Swagger UI's settings as JSON data.
    assert '<html lang="zh-hans">' in html and "<main>" in html and "<h1>" in html
    settings = re.search(r'<script id="swagger-settings" type="application/json">(.*?)</script>', html, re.S)
    assert json.loads(settings[1])["url"] == "/api/v1/openapi.json"


def test_unknown_endpoints_and_bad_parameters_get_json_errors(client, db):
    missing = client.get("/api/v1/nope")
    assert missing.status_code == 404 and missing.json()["detail"]
    invalid = client.get("/api/v1/organizations?page=abc")
    assert invalid.status_code == 422
    assert "page" in invalid.json()["detail"]
    # page bounds are in the schema (1 to 10,000), so a page outside them is a validation error (422);
    # a page inside them that has no rows is a 404
    for page in ("0", "-1", "10001", "9" * 30):
        outside = client.get(f"/api/v1/organizations?page={page}")
        assert outside.status_code == 422 and "page" in outside.json()["detail"], page
    assert client.get("/api/v1/organizations?page=99").status_code == 404
    assert client.get("/api/v1/organizations?page=10000").status_code == 404


def test_the_schema_says_which_endpoints_are_public_and_documents_their_errors(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    public = {("get", "/api/v1/organizations"), ("get", "/api/v1/organizations/{slug}"),
              ("get", "/api/v1/competitions"), ("get", "/api/v1/competitions/{slug}"),
              ("get", "/api/v1/competitions/{slug}/leaderboard"), ("post", "/api/v1/credentials/verify"),
              ("get", "/api/v1/talent/openings"), ("get", "/api/v1/talent/openings/{uuid}"),
              # Ventures: verified startups' and investors' public facts, published calls and events.
              ("get", "/api/v1/ventures/startups"), ("get", "/api/v1/ventures/startups/{organization_id}"),
              ("get", "/api/v1/ventures/investors"), ("get", "/api/v1/ventures/investors/{organization_id}"),
              ("get", "/api/v1/ventures/calls"), ("get", "/api/v1/ventures/calls/{call_id}"),
              ("get", "/api/v1/ventures/events"), ("get", "/api/v1/ventures/events/{event_id}"),
              # Impact: the programme's numbers are public (small groups suppressed).
              ("get", "/api/v1/impact/measures"), ("get", "/api/v1/impact/measures/{slug}")}
    for path, operations in paths.items():
        for method, operation in operations.items():
            anonymous_allowed = operation["security"] == [] or {} in operation["security"]
            assert anonymous_allowed == ((method, path) in public), (method, path)
            responses = set(operation["responses"])
            if operation["security"] != []:
                assert "401" in responses, (method, path)  # a wrong token is a 401 everywhere
            if "{" in path:
                assert "404" in responses, (method, path)
            if operation["parameters"] and any("maximum" in str(p) for p in operation["parameters"]):
                assert "422" in responses, (method, path)
    page = next(p for p in paths["/api/v1/competitions"]["get"]["parameters"] if p["name"] == "page")
    assert (page["schema"]["minimum"], page["schema"]["maximum"]) == (1, 10_000)
    submission_id = paths["/api/v1/submissions/{submission_id}"]["get"]["parameters"][0]["schema"]
    assert submission_id["maximum"] == 2**63 - 1


def test_an_id_beyond_64_bits_is_a_422_not_a_500(client, people):
    from forward.core.services import api_token_create

    _token, raw = api_token_create(user=people.member, name="script")
    response = client.get("/api/v1/submissions/99999999999999999999", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422
    assert client.get("/api/v1/submissions/9223372036854775807",
                      HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404


def test_organizations_list_is_public_paginated_and_constant_in_queries(client, people,
                                                                        django_assert_num_queries):
    with django_assert_num_queries(2):
        small = client.get("/api/v1/organizations").json()
    Organization.objects.bulk_create([
        Organization(name=f"Org {i:03d}", slug=f"org-{i:03d}", kind=OrganizationKind.EMPLOYER, country="ID")
        for i in range(60)])
    with django_assert_num_queries(2):
        big = client.get("/api/v1/organizations?page=2").json()
    assert small["count"] == 2 and big["count"] == 62
    assert big["pages"] == 2 and len(big["results"]) == 12
    filtered = client.get("/api/v1/organizations?kind=university&country=sg").json()
    assert [o["slug"] for o in filtered["results"]] == [people.org.slug]


def test_unreadable_bodies_get_json_errors_not_html_pages(client, people):
    from forward.core.services import api_token_create

    _token, raw = api_token_create(user=people.member, name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    no_boundary = client.post("/api/v1/competitions/x/submissions", b"--x\r\n", content_type="multipart/form-data",
                              **auth)
    assert no_boundary.status_code == 400 and "cannot be read" in no_boundary.json()["detail"]
    many = client.post("/api/v1/competitions/x/submissions", "&".join(f"f{i}=1" for i in range(1001)),
                       content_type="application/x-www-form-urlencoded", **auth)
    assert many.status_code == 400 and "cannot be read" in many.json()["detail"]
    huge = client.post("/api/v1/academy/progress", '{"events": [], "x": "' + "x" * 6_000_000 + '"}',
                       content_type="application/json", **auth)
    assert huge.status_code == 413 and huge.json()["detail"]
    big = client.post("/api/v1/academy/progress", '{"events": [], "x": "' + "x" * 300_000 + '"}',
                      content_type="application/json", **auth)
    assert big.status_code == 413 and "256 KB" in big.json()["detail"]


def test_a_nul_character_in_the_url_is_a_422_not_a_database_error(client, people):
    """PostgreSQL cannot hold or compare a NUL character: these were 500s there."""
    from forward.core.services import api_token_create

    _token, raw = api_token_create(user=people.member, name="script")
    for url in ("/api/v1/organizations/a%00b", "/api/v1/organizations/a%00b/members", "/api/v1/organizations?q=a%00b",
                "/api/v1/organizations?kind=%00", "/api/v1/organizations?country=s%00",
                "/api/v1/competitions/a%00b", "/api/v1/competitions/a%00b/leaderboard"):
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 422 and response.json()["detail"], url
    assert client.get(f"/api/v1/organizations/{people.org.slug}").status_code == 200


def test_a_credential_naming_a_key_with_a_nul_character_is_not_verified(client, db):
    import base64
    import json

    from django.conf import settings

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    issuer = settings.SITE_URL + "/credentials/issuers/a\x00b"
    payload = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
               "issuer": issuer, "credentialSubject": {"id": "urn:uuid:1"}}
    token = ".".join([part({"alg": "RS256", "kid": issuer + "/keys/abc-rs256"}), part(payload), "c2ln"])
    response = client.post("/api/v1/credentials/verify", token, content_type="text/plain")
    assert response.status_code == 200 and response.json()["verified"] is False
    assert "unknown key" in response.json()["reason"]
