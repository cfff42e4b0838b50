"""The profiles API under /api/v1/talent/, for every role: your own profile (read, change, choose
visibility, JSON Resume), a person's profile, and a career office's students."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from django.test import Client

from forward.core.services import api_token_create
from forward.talent import profiles
from forward.talent.models import Application, ApplicationNote, Opening, Profile, Stage, Visibility
from tests.talent.conftest import PARTNERS, ROLES

SCHEMA = json.loads((Path(__file__).parent / "schema" / "jsonresume.schema.json").read_text())
API = "/api/v1/talent"


def call(talent, role, method, path, body=None):
    headers = {}
    if role != "anonymous":
        _token, raw = api_token_create(user=talent.actor(role), name="test")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    c = Client()
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return getattr(c, method)(API + path, **kwargs, **headers)


# --- your own profile ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/profile", "/profile/resume"])
def test_anonymous_gets_401(talent, path):
    assert call(talent, "anonymous", "get", path).status_code == 401
    assert call(talent, "anonymous", "patch", "/profile", {"headline": "x"}).status_code == 401
    assert call(talent, "anonymous", "post", "/profile/visibility", {"visibility": "public"}).status_code == 401


def test_get_own_profile_with_the_verified_section(talent):
    response = call(talent, "student", "get", "/profile")
    assert response.status_code == 200
    data = response.json()
    assert data["visibility"] == "hidden" and data["public_url"] is None and data["consent_at"] is None
    items = {i["name"]: i for i in data["verified"]["items"]}
    assert items["Machine Learning Associate"]["expired"] is True and items["Machine Learning Associate"]["skills"] == []
    assert items["Data Engineering with Python"]["grade"] == 0.92
    assert items["Repeat Buyers Challenge"]["percentile"] == 97.5 and items["Repeat Buyers Challenge"]["rank"] == 2
    assert all(i["verify_url"].endswith(f"/credentials/{i['uuid']}/") for i in items.values())
    skills = {s["slug"]: s for s in data["verified"]["skills"]}
    assert skills["cloud-computing"]["credentials"] == [str(talent.credentials["cert"].uuid)]
    assert skills["cloud-computing"]["level"] == 2


def test_patch_changes_only_the_fields_given(talent):
    profiles.profile_update(user=talent.student, about="Kept")
    response = call(talent, "student", "patch", "/profile", {
        "headline": "Cloud intern", "links": [{"label": "GitHub", "url": "https://github.com/siti"}],
        "countries": ["SG", "MY"], "available_for": ["internship"], "available_from": "2027-06-01"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["headline"] == "Cloud intern" and data["about"] == "Kept"
    assert data["countries"] == ["MY", "SG"] and data["available_from"] == "2027-06-01"


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"links": [{"url": "http://example.com"}]}, 422, "links"),
    ({"links": [{"url": "https://"}]}, 422, "links"),
    ({"countries": ["SG", "XX"]}, 422, "countries"),
    ({"languages": ["klingon"]}, 422, "languages"),
    ({"available_from": 0}, 422, "available_from"),
    ({"available_from": "2027-02-30"}, 422, "available_from"),
    ({"links": [{"url": f"https://e{i}.com"} for i in range(6)]}, 422, "links"),
    ({"available_for": ["forever"]}, 422, "available_for"),
    ({"headline": 12}, 422, "headline"),
])
def test_patch_with_bad_input_is_refused_and_nothing_is_stored(talent, body, status, words):
    response = call(talent, "student", "patch", "/profile", {"about": "Changed", **body})
    assert response.status_code == status and words in response.json()["detail"]
    assert Profile.objects.get(user=talent.student).about == ""


def test_choosing_visibility_records_consent(talent):
    response = call(talent, "student", "post", "/profile/visibility", {"visibility": "public"})
    assert response.status_code == 200
    data = response.json()
    assert data["visibility"] == "public" and data["consent_at"] and "/talent/p/" in data["public_url"]
    assert call(talent, "student", "post", "/profile/visibility", {"visibility": "world"}).status_code == 422
    assert Profile.objects.get(user=talent.student).visibility == "public"


def test_resume_is_valid_json_resume(talent):
    response = call(talent, "student", "get", "/profile/resume")
    assert response.status_code == 200
    jsonschema.validate(response.json(), SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert response.json()["certificates"]


# --- a person, for every role --------------------------------------------------------------------

VISIBLE = {"hidden": {"student"}, "partners": {"student"} | PARTNERS, "public": {"student"} | PARTNERS}


@pytest.mark.parametrize("visibility", ["hidden", "partners", "public"])
@pytest.mark.parametrize("role", ROLES)
def test_a_person_is_answered_to_the_right_roles_only(talent, role, visibility):
    profile = profiles.profile_for(talent.student)
    if visibility != "hidden":
        profile = profiles.set_visibility(user=talent.student, visibility=visibility)
    response = call(talent, role, "get", f"/people/{profile.pk}")
    if role == "anonymous":
        assert response.status_code == 401
    elif role in VISIBLE[visibility]:
        assert response.status_code == 200
        data = response.json()
        assert data["name"] == "Siti Student" and "visibility" not in data and "email" not in data
        assert {i["name"] for i in data["verified"]["items"]} >= {"Cloud Professional"}
    else:
        assert response.status_code == 404
        assert "Siti" not in response.content.decode()


def test_bad_person_ids(talent):
    assert call(talent, "operator", "get", "/people/999999").status_code == 404
    assert call(talent, "operator", "get", f"/people/{2**70}").status_code == 422
    assert call(talent, "operator", "get", "/people/abc").status_code == 422


# --- a career office's students ------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_students_are_answered_to_the_career_office_and_operators_only(talent, role):
    opening = Opening.objects.create(organization=talent.employer, title="Data intern")
    application = Application.objects.create(opening=opening, applicant=talent.student, stage=Stage.HIRED)
    ApplicationNote.objects.create(application=application, organization=talent.employer, text="PRIVATE note")
    response = call(talent, role, "get", f"/universities/{talent.university.slug}/students")
    if role == "anonymous":
        assert response.status_code == 401
    elif role in {"uni_admin", "operator"}:
        assert response.status_code == 200
        data = response.json()
        assert "PRIVATE" not in response.content.decode()
        rows = {r["email"]: r for r in data["results"]}
        assert rows["student@ntu.test"] == {"name": "Siti Student", "email": "student@ntu.test", "placement": "hired",
                                            "employer": "Straits Fintech", "opening": "Data intern",
                                            "applications": 1}
        assert rows["classmate@ntu.test"]["placement"] == "none"
        assert data["counts"]["hired"] == 1 and data["count"] == 2
    else:
        assert response.status_code == 404


def test_students_pages_and_unknown_universities(talent):
    assert call(talent, "uni_admin", "get", f"/universities/{talent.university.slug}/students?page=2").status_code == 404
    assert call(talent, "operator", "get", "/universities/nowhere/students").status_code == 404
    assert call(talent, "uni_admin", "get", f"/universities/{talent.university.slug}/students?page=0").status_code == 422


def test_a_hidden_profile_appears_in_no_answer_of_anyone_else(talent):
    """Hidden is the default: no endpoint gives another person anything of the student's profile."""
    profiles.profile_update(user=talent.student, headline="SECRET HEADLINE")
    profile = Profile.objects.get(user=talent.student)
    assert profile.visibility == Visibility.HIDDEN
    for role in ROLES:
        if role == "student":
            continue
        for path in (f"/people/{profile.pk}", f"/universities/{talent.university.slug}/students", "/profile",
                     "/profile/resume"):
            response = call(talent, role, "get", path)
            assert "SECRET HEADLINE" not in response.content.decode()
            assert str(talent.credentials["cert"].uuid) not in response.content.decode()
