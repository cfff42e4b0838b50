"""Talent profile pages, for every role: your own profile and its forms, the shareable link, a
person's page for partner employers, the CV download, and a career office's students."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forward.core.models import Membership, Role, User
from forward.core.services import api_token_create
from forward.talent import profiles
from forward.talent.models import Application, ApplicationNote, Opening, Profile, Stage, Visibility
from tests.conftest import client_for, make_user
from tests.talent.conftest import PARTNERS, ROLES

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client(talent, role):
    return client_for(None if role == "anonymous" else talent.actor(role))


# --- your own profile ----------------------------------------------------------------------------

def test_anonymous_is_sent_to_sign_in(talent):
    for url in ("/talent/profile/", "/talent/profile/edit/", "/talent/profile/resume.json"):
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_student_sees_verified_items_with_verify_links_and_a_self_declared_section(talent):
    profiles.profile_update(user=talent.student, headline="Data engineer <script>alert(1)</script>")
    response = client_for(talent.student).get("/talent/profile/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Verified achievements" in page and "Self-declared" in page
    for credential in talent.credentials.values():
        assert f"/credentials/{credential.uuid}/" in page
    assert "grade 92%" in page and "rank 2 of 40 teams" in page and "Expired" in page
    assert "Data engineer &lt;script&gt;" in page and "<script>alert(1)" not in page
    assert "Only you see your profile" in page  # each choice explained
    assert "Your shareable link" not in page  # hidden: no link to share


def test_a_revoked_credential_is_not_on_the_page(talent):
    from forward.credentials import services as credentials
    from tests.talent.conftest import committed

    with committed():
        credentials.revoke(actor=talent.uni_admin, credential=talent.credentials["course"], reason="Copied.")
    page = client_for(talent.student).get("/talent/profile/").content.decode()
    assert "Data Engineering with Python" not in page and str(talent.credentials["course"].uuid) not in page


def test_choosing_public_shows_the_shareable_link(talent):
    c = client_for(talent.student)
    response = c.post("/talent/profile/visibility/", {"visibility": "public"})
    assert response.status_code == 302
    profile = Profile.objects.get(user=talent.student)
    assert profile.visibility == "public" and profile.consent_at
    page = c.get("/talent/profile/").content.decode()
    assert f"/talent/p/{profile.public_token}/" in page and "was recorded on" in page
    c.post("/talent/profile/link/")
    assert Profile.objects.get(user=talent.student).public_token != profile.public_token


def test_a_forged_visibility_is_refused_with_a_message(talent):
    c = client_for(talent.student)
    response = c.post("/talent/profile/visibility/", {"visibility": "everyone"}, follow=True)
    assert "Choose one of" in response.content.decode()
    assert Profile.objects.get(user=talent.student).visibility == "hidden"
    assert c.get("/talent/profile/visibility/").status_code == 405


def test_editing_saves_the_self_declared_part(talent):
    c = client_for(talent.student)
    assert c.get("/talent/profile/edit/").status_code == 200
    response = c.post("/talent/profile/edit/", {
        "headline": "Cloud intern", "about": "Hello", "links": "GitHub https://github.com/siti\nhttps://siti.dev",
        "languages": "en, ms", "available_for": ["internship"], "available_from": "2027-06-01",
        "countries": "SG, MY", "cv": SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    profile = Profile.objects.get(user=talent.student)
    assert profile.headline == "Cloud intern" and profile.country_list == ["MY", "SG"]
    assert profile.links[0] == {"label": "GitHub", "url": "https://github.com/siti"} and profile.cv.name
    page = c.get("/talent/profile/").content.decode()
    assert "Cloud intern" in page and "Malaysia" in page and "Internship" in page and "Download CV" in page


@pytest.mark.parametrize(("data", "words"), [
    ({"links": "http://insecure.example"}, "https://"),
    ({"countries": "SG, ZZ"}, "ZZ"),
    ({"cv": b"GIF89a"}, "not a PDF"),
])
def test_editing_with_bad_input_shows_what_to_fix_and_stores_nothing(talent, data, words):
    c = client_for(talent.student)
    # An upload is made afresh for each run: a file object made once at import is read to its end
    # by the first run, and a second run in the same process (as mutmut does) would send it empty.
    data = {k: SimpleUploadedFile("cv.pdf", v, content_type="application/pdf") if k == "cv" else v
            for k, v in data.items()}
    response = c.post("/talent/profile/edit/", {"headline": "Changed", **data})
    assert response.status_code == 200 and words in response.content.decode()
    profile = Profile.objects.get(user=talent.student)
    assert profile.headline == "" and profile.cv.name == ""


def test_json_resume_downloads_as_an_attachment(talent):
    response = client_for(talent.student).get("/talent/profile/resume.json")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response.json()["basics"]["name"] == "Siti Student"


def test_looking_at_your_profile_before_having_one_stores_nothing(db):
    """Reads never write: the pages and the API show someone without a profile an empty hidden one, and
    the profile is stored only when they first change it."""
    person = make_user("newcomer@example.test", "Nia Newcomer")
    _token, raw = api_token_create(user=person, name="notebook")
    for url in ("/talent/profile/", "/talent/profile/edit/", "/talent/profile/resume.json"):
        assert client_for(person).get(url).status_code == 200, url
    response = client_for(None).get("/api/v1/talent/profile", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] is None and data["url"] is None and data["visibility"] == "hidden"
    assert data["headline"] == "" and data["verified"]["items"] == []
    assert not Profile.objects.filter(user=person).exists()
    response = client_for(person).post("/talent/profile/edit/", {"headline": "Data engineer"})
    assert response.status_code == 302
    assert Profile.objects.get(user=person).headline == "Data engineer"


# --- the shareable link --------------------------------------------------------------------------

def test_the_shareable_link_works_for_anyone_only_while_public(talent):
    profile = profiles.set_visibility(user=talent.student, visibility=Visibility.PUBLIC)
    url = f"/talent/p/{profile.public_token}/"
    response = client_for(None).get(url)
    assert response.status_code == 200 and "Cloud Professional" in response.content.decode()
    profiles.set_visibility(user=talent.student, visibility=Visibility.PARTNERS)
    assert client_for(None).get(url).status_code == 404
    assert client_for(talent.employer_admin).get(url).status_code == 404
    assert client_for(None).get("/talent/p/not-a-real-token/").status_code == 404
    assert client_for(None).get("/talent/p/%00abc/").status_code in (400, 404)  # never a 500


# --- a person's page, for every role -------------------------------------------------------------

VISIBLE = {
    "hidden": {"student"},
    "partners": {"student"} | PARTNERS,
    "public": {"student"} | PARTNERS,
}


@pytest.mark.parametrize("visibility", ["hidden", "partners", "public"])
@pytest.mark.parametrize("role", ROLES)
def test_a_person_page_is_seen_by_the_right_roles_only(talent, role, visibility):
    profile = profiles.profile_for(talent.student)
    if visibility != "hidden":
        profile = profiles.set_visibility(user=talent.student, visibility=visibility)
    response = client(talent, role).get(f"/talent/people/{profile.pk}/")
    if role in VISIBLE[visibility]:
        assert response.status_code == 200
        assert "Siti Student" in response.content.decode()
    else:
        assert response.status_code == 404  # the same as an id that does not exist
        assert "Cloud Professional" not in response.content.decode()


def test_an_unknown_or_huge_person_id_is_404(talent):
    c = client_for(talent.operator)
    assert c.get("/talent/people/999999/").status_code == 404
    assert c.get(f"/talent/people/{2**70}/").status_code == 404


def test_the_person_page_takes_a_constant_number_of_queries(talent, django_assert_max_num_queries):
    profile = profiles.set_visibility(user=talent.student, visibility=Visibility.PARTNERS)
    c = client_for(talent.employer_admin)
    with CaptureQueriesContext(connection) as first:
        c.get(f"/talent/people/{profile.pk}/")
    profiles.profile_update(user=talent.student, links=[{"url": f"https://e{i}.test"} for i in range(5)])
    with CaptureQueriesContext(connection) as second:
        c.get(f"/talent/people/{profile.pk}/")
    assert len(second) == len(first)


@pytest.mark.parametrize("visibility", ["hidden", "partners", "public"])
@pytest.mark.parametrize("role", ROLES)
def test_the_cv_downloads_only_for_those_who_may_see_the_profile(talent, role, visibility):
    profiles.cv_upload(user=talent.student, upload=SimpleUploadedFile("cv.pdf", PDF))
    profile = profiles.profile_for(talent.student)
    if visibility != "hidden":
        profile = profiles.set_visibility(user=talent.student, visibility=visibility)
    response = client(talent, role).get(f"/talent/people/{profile.pk}/cv.pdf")
    if role in VISIBLE[visibility]:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
    else:
        assert response.status_code == 404


def test_the_cv_at_the_shareable_link(talent):
    profiles.cv_upload(user=talent.student, upload=SimpleUploadedFile("cv.pdf", PDF))
    profile = profiles.set_visibility(user=talent.student, visibility=Visibility.PUBLIC)
    response = client_for(None).get(f"/talent/p/{profile.public_token}/cv.pdf")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    profiles.set_visibility(user=talent.student, visibility=Visibility.HIDDEN)
    assert client_for(None).get(f"/talent/p/{profile.public_token}/cv.pdf").status_code == 404


def test_no_cv_is_404(talent):
    profile = profiles.profile_for(talent.student)
    assert client_for(talent.student).get(f"/talent/people/{profile.pk}/cv.pdf").status_code == 404


# --- a career office's students ------------------------------------------------------------------

def _opening(talent, title="Data intern", organization=None) -> Opening:
    return Opening.objects.create(organization=organization or talent.employer, title=title)


def _apply(talent, user, stage, title="Data intern", organization=None) -> Application:
    opening = Opening.objects.filter(title=title).first() or _opening(talent, title, organization)
    return Application.objects.create(opening=opening, applicant=user, stage=stage)


STUDENT_PAGE_ROLES = {"uni_admin", "operator"}


@pytest.mark.parametrize("role", ROLES)
def test_students_page_is_for_the_career_office_and_operators_only(talent, role):
    response = client(talent, role).get(f"/talent/universities/{talent.university.slug}/students/")
    if role in STUDENT_PAGE_ROLES:
        assert response.status_code == 200 and "Siti Student" in response.content.decode()
    else:
        assert response.status_code == 404


def test_an_unverified_universitys_admin_sees_no_students(talent):
    admin = make_user("admin@unverified-uni.test", "Una Uni")
    from forward.core.models import OrganizationKind
    from tests.conftest import make_organization

    uni = make_organization(creator=admin, name="Unverified Uni", kind=OrganizationKind.UNIVERSITY, country="ID",
                            verified=False)
    Membership.objects.create(user=talent.classmate, organization=uni, role=Role.MEMBER)
    assert client_for(admin).get(f"/talent/universities/{uni.slug}/students/").status_code == 404
    assert client_for(talent.employer_admin).get(
        f"/talent/universities/{talent.employer.slug}/students/").status_code == 404  # not a university


def test_placement_comes_from_the_best_stage_and_never_shows_employers_notes(talent):
    application = _apply(talent, talent.student, Stage.INTERVIEW)
    _apply(talent, talent.student, Stage.REJECTED, title="Quant intern")
    _apply(talent, talent.classmate, Stage.OFFER, title="Cloud intern", organization=talent.other_employer)
    ApplicationNote.objects.create(application=application, organization=talent.employer, author=talent.employer_admin,
                                   text="PRIVATE: weak on SQL")
    response = client_for(talent.uni_admin).get(f"/talent/universities/{talent.university.slug}/students/")
    page = response.content.decode()
    assert "PRIVATE" not in page
    rows = {row["user"].email: row for row in response.context["rows"]}
    assert rows["student@ntu.test"]["placement"] == "interviewing"
    assert rows["student@ntu.test"]["membership"].applications == 2
    assert rows["classmate@ntu.test"]["placement"] == "offer"
    assert rows["classmate@ntu.test"]["membership"].best_employer == "Cloudwave"
    counts = dict((key, n) for key, _label, n in response.context["counts"])
    assert counts == {"hired": 0, "offer": 1, "interviewing": 1, "applied": 0, "none": 0}


def test_the_student_list_is_paginated_in_constant_queries(talent):
    def add(n, start):
        users = User.objects.bulk_create([User(email=f"s{start + i}@ntu.test", name=f"S {start + i}")
                                          for i in range(n)])
        Membership.objects.bulk_create([Membership(user=u, organization=talent.university, role=Role.MEMBER)
                                        for u in users])
        for u in users[:3]:
            _apply(talent, u, Stage.HIRED)
    c = client_for(talent.uni_admin)
    url = f"/talent/universities/{talent.university.slug}/students/"
    add(5, 0)
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    add(120, 100)
    with CaptureQueriesContext(connection) as many:
        response = c.get(url + "?page=2")
    assert len(many) == len(few)
    assert response.context["page"].paginator.num_pages == 3 and len(response.context["rows"]) == 50


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_everyone_signed_in_sees_only_their_own_profile_at_the_profile_page(talent, role):
    profiles.profile_update(user=talent.student, headline="SECRET HEADLINE")
    response = client(talent, role).get("/talent/profile/")
    page = response.content.decode()
    assert response.status_code == 200 and "Your talent profile" in page
    if role != "student":
        assert "SECRET HEADLINE" not in page and "Cloud Professional" not in page
        own = Profile.objects.filter(user=talent.actor(role)).first()
        assert own is None or own.visibility == "hidden"  # the GET stores no profile; a stored one is hidden


def test_operators_look_at_profiles_in_the_admin_read_only(talent):
    talent.operator.is_superuser = True
    talent.operator.save(update_fields=["is_superuser"])
    profile = profiles.profile_for(talent.student)
    c = client_for(talent.operator)
    response = c.get("/admin/talent/profile/?q=student@ntu.test")
    assert list(response.context["cl"].result_list) == [profile]
    detail = c.get(f"/admin/talent/profile/{profile.pk}/change/").content.decode()
    assert profile.public_token not in detail  # the shareable link stays the person's to give
    assert c.post(f"/admin/talent/profile/{profile.pk}/delete/", {"post": "yes"}).status_code == 403
