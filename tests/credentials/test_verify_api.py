"""Crafted bodies to the public verifier get a 4xx that says what is wrong, never a 500 (issue part 4),
while the three documented ways of sending a credential keep working."""

from __future__ import annotations

import base64
import json

import pytest

from tests.conftest import client_for

from .test_pages import issued  # noqa: F401 - the issued-credential fixture, reused

URL = "/api/v1/credentials/verify"
DEEP = "[" * 100_000 + "]" * 100_000
LONG_NUMBER = "9" * 5001


def post(body: str | bytes, content_type: str = "application/json"):
    return client_for(None).post(URL, body, content_type=content_type)


@pytest.mark.parametrize("body", [
    DEEP,
    '{"credential": ' + DEEP + "}",
    '{"@context": ' + DEEP + "}",
    '{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "x": ' + DEEP + "}}",
])
@pytest.mark.django_db
def test_100000_nested_brackets_are_a_400_that_says_so(body):
    """Issue reproduction: 100,000 nested ``[`` was a 500 (RecursionError)."""
    response = post(body)
    assert response.status_code == 400
    assert response.json()["detail"] == "The JSON is nested deeper than 64 levels."


@pytest.mark.parametrize("body", [
    '{"credential": {"validFrom": ' + LONG_NUMBER + "}}",
    '{"@context": [], "n": ' + LONG_NUMBER + "}",
    '{"@context": [], "n": -' + LONG_NUMBER + ".5e3}",
])
@pytest.mark.django_db
def test_a_5001_digit_number_is_a_400_that_says_so(body):
    """Issue reproduction: a 5,001-digit number was a 500 (Python's int-from-string limit)."""
    response = post(body)
    assert response.status_code == 400
    assert response.json()["detail"] == "A number in the JSON has more than 100 digits."


@pytest.mark.parametrize("body", ['{"@context": [], "n": NaN}', '{"@context": [], "n": 1e400}',
                                  '{"credential": -Infinity}'])
@pytest.mark.django_db
def test_numbers_must_be_finite(body):
    response = post(body)
    assert response.status_code == 400 and "finite" in response.json()["detail"]


@pytest.mark.django_db
def test_a_body_larger_than_any_credential_is_a_413():
    response = post('{"@context": [], "padding": "' + "x" * 300_000 + '"}')
    assert response.status_code == 413 and "KB" in response.json()["detail"]


@pytest.mark.parametrize("body", ["5", "null", "[1, 2]", "true", '{"credential": 5}'])
@pytest.mark.django_db
def test_json_that_is_neither_a_credential_nor_a_jwt_is_a_400(body):
    response = post(body)
    assert response.status_code == 400 and "JWT string or as its JSON object" in response.json()["detail"]


@pytest.mark.django_db
def test_a_jwt_whose_payload_is_nested_too_deep_is_not_verified_and_not_a_500():
    def part(data: str) -> str:
        return base64.urlsafe_b64encode(data.encode()).rstrip(b"=").decode()

    deep = "[" * 50_000 + "]" * 50_000  # 133 KB as base64url: within the size limit
    token = ".".join([part('{"alg": "RS256"}'), part('{"vc": ' + deep + "}"), part("sig")])
    result = post(token, "text/plain").json()
    assert result["verified"] is False and "nested deeper than 64 levels" in result["reason"]
    result = post(json.dumps({"credential": token})).json()
    assert result["verified"] is False and "nested deeper than 64 levels" in result["reason"]


@pytest.mark.django_db
def test_the_verify_page_refuses_a_deeply_nested_paste_with_a_reason():
    page = client_for(None).post("/credentials/verify/", {"credential": '{"a": ' + "[" * 50_000 + "}"})
    assert page.status_code == 200 and "nested deeper than 64 levels" in page.content.decode()


def test_the_three_documented_bodies_still_verify(issued):  # noqa: F811
    assert post(issued.credential.jwt, "text/plain").json()["verified"]
    assert post(json.dumps(issued.credential.jwt)).json()["verified"]  # a JWT as a JSON string
    assert post(issued.credential.document).json()["verified"]
    assert post(json.dumps({"credential": issued.credential.jwt})).json()["verified"]
    assert post(json.dumps({"credential": json.loads(issued.credential.document)})).json()["verified"]
    assert post(issued.credential.document, "text/plain").json()["verified"]  # JSON sent as text


def test_the_openapi_schema_documents_the_body_and_that_no_token_is_needed(client, db):
    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["post"]
    assert operation["security"] == []
    assert set(operation["requestBody"]["content"]) == {"application/json", "text/plain"}
    assert {"200", "400", "413"} <= set(operation["responses"])
