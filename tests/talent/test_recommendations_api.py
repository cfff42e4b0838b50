"""GET /api/v1/talent/recommendations and /api/v1/talent/openings/{uuid}/candidates, for every role."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forward.core.services import api_token_create
from forward.talent.models import ProfileSkill, Visibility
from tests.conftest import client_for, make_user
from tests.talent.test_recommendations import ROLES, SEES_CANDIDATES, declare, world  # noqa: F401 - the fixture

API = "/api/v1/talent"


def get(w, role: str, url: str):
    return client_for(w.actor(role)).get(url)


def test_recommendations_need_a_signed_in_caller(world):  # noqa: F811
    assert client_for(None).get(f"{API}/recommendations").status_code == 401


def test_recommendations_with_a_token(world):  # noqa: F811
    _, secret = api_token_create(user=world.learner, name="notebook")
    response = client_for(None).get(f"{API}/recommendations", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_recommendations_explain_each_opening(world):  # noqa: F811
    response = get(world, "learner", f"{API}/recommendations")
    assert response.status_code == 200
    body = response.json()
    assert body["page"] == 1 and body["pages"] == 1 and body["count"] == 3
    first = next(r for r in body["results"] if r["uuid"] == str(world.opening.uuid))
    assert first["employer"] == "Straits Fintech" and first["kind"] == "internship"
    fit = first["fit"]
    assert fit["qualified"] is True
    assert abs(sum(t["points"] for t in fit["terms"]) - fit["score"]) < 0.05
    python = next(m for m in fit["required_skills_met"] if m["slug"] == "python")
    assert {c["uuid"] for c in python["credentials"]} == {str(world.cert.uuid), str(world.award.uuid)}
    assert all(c["url"].endswith(f"/credentials/{c['uuid']}/") for c in python["credentials"])
    assert [m["slug"] for m in fit["preferred_skills_missing"]] == ["machine-learning"]
    last = body["results"][-1]
    assert last["fit"]["qualified"] is False and last["fit"]["required_skills_missing"][0]["name"] == "Machine learning"


def test_a_page_past_the_end_is_404_and_a_bad_page_422(world):  # noqa: F811
    assert get(world, "learner", f"{API}/recommendations?page=2").status_code == 404
    assert get(world, "learner", f"{API}/recommendations?page=abc").status_code == 422
    assert get(world, "learner", f"{API}/recommendations?page=0").status_code == 422


@pytest.mark.parametrize("role", ROLES)
def test_who_gets_candidates(world, role):  # noqa: F811
    response = get(world, role, f"{API}/openings/{world.opening.uuid}/candidates")
    if role == "anonymous":
        assert response.status_code == 401
    elif role in SEES_CANDIDATES:
        assert response.status_code == 200
        names = [r["name"] for r in response.json()["results"]]
        assert names == ["Ana Learner", "Ben Public", "Dee Partners"]
    else:
        assert response.status_code == 404
    assert "Cai Hidden" not in response.content.decode()


def test_candidates_explained(world):  # noqa: F811
    world.opening.required_credentials = [{"kind": "certification", "level": 2}]
    world.opening.save()
    body = get(world, "employer_admin", f"{API}/openings/{world.opening.uuid}/candidates").json()
    first = body["results"][0]
    assert first["headline"] == "Data engineer in training"
    assert first["url"].endswith(f"/talent/people/{first['profile_id']}/")
    assert first["fit"]["required_credentials_met"][0]["held"]["uuid"] == str(world.cert.uuid)
    assert body["results"][2]["fit"]["required_credentials_missing"] == [{"kind": "certification", "level": 2,
                                                                          "held": None}]
    assert {t["code"] for t in first["fit"]["terms"]} >= {"requirements", "percentile", "country", "start"}


def test_candidates_of_an_unknown_or_malformed_opening(world):  # noqa: F811
    assert get(world, "employer_admin",
               f"{API}/openings/00000000-0000-0000-0000-000000000000/candidates").status_code == 404
    assert get(world, "employer_admin", f"{API}/openings/not-a-uuid/candidates").status_code == 422
    assert get(world, "unverified_admin", f"{API}/openings/{world.unverified_opening.uuid}/candidates").status_code \
        == 404


def test_candidates_api_makes_a_constant_number_of_queries(world):  # noqa: F811
    def count() -> int:
        client = client_for(world.employer_staff)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{API}/openings/{world.opening.uuid}/candidates").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(25):
        profile = declare(make_user(f"q{i}@student.test", f"Q {i}"), visibility=Visibility.PARTNERS)
        ProfileSkill.objects.create(profile=profile, skill=world.sql)
    assert count() == few
    body = get(world, "employer_staff", f"{API}/openings/{world.opening.uuid}/candidates?page=2").json()
    assert body["page"] == 2 and body["count"] == 28 and len(body["results"]) == 8
