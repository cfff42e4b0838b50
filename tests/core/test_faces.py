"""Pictures over HTTP: who may upload or remove each kind, and how uploaded and generated pictures are served."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from forward.academy.models import Course, CourseStatus
from forward.competitions import services as competition_services
from forward.competitions.models import Competition, CompetitionStatus
from forward.core import faces
from forward.core.models import AuditEvent, Membership, Organization, OrganizationKind, Role, User
from tests.conftest import client_for, make_organization, make_user


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def png(colour="teal", size=(400, 300)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


class World:
    pass


@pytest.fixture
def w(people):
    w = World()
    w.people = people
    w.org, w.admin, w.member, w.other_admin = people.org, people.admin, people.member, people.other_admin
    w.unverified_admin = make_user("admin@new.test", "Nia New")
    w.unverified_org = make_organization(creator=w.unverified_admin, name="New Org", kind=OrganizationKind.EMPLOYER,
                                         country="SG", verified=False)
    w.operator = make_user("ops@forward.test", "Op Erator", is_staff=True)
    w.course = Course.objects.create(slug="ml-101", title="Machine Learning", owner=w.org,
                                     status=CourseStatus.PUBLISHED)
    w.host_staff = make_user("staff@uni.test", "Sam Staff")
    Membership.objects.create(user=w.host_staff, organization=w.org, role=Role.STAFF)
    now = timezone.now()
    w.competition = competition_services.competition_create(
        actor=w.admin, host=w.org, title="Churn", metric="auc", starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=9), rules="Be fair.")
    Competition.objects.filter(pk=w.competition.pk).update(status=CompetitionStatus.PUBLISHED)
    return w


def logo_url(org):
    return reverse("core:organization_logo", kwargs={"slug": org.slug})


def thumbnail_url(course):
    return reverse("academy:studio_thumbnail", kwargs={"slug": course.slug})


def banner_url(competition):
    return reverse("competitions:banner", kwargs={"slug": competition.slug})


def stem(obj) -> str:
    obj.refresh_from_db()
    return getattr(obj, faces.spec_of(obj).field)


# --- Who may upload ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in_for_every_upload(w, client):
    for url in (logo_url(w.org), thumbnail_url(w.course), banner_url(w.competition), reverse("core:avatar")):
        response = client.post(url, {"picture": png()})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert stem(w.org) == stem(w.course) == stem(w.competition) == ""


@pytest.mark.parametrize("who", ["member", "other_admin", "unverified_admin"])
def test_outsiders_may_not_change_an_organizations_logo(w, who):
    response = client_for(getattr(w, who)).post(logo_url(w.org), {"picture": png()})
    assert response.status_code == 403
    assert stem(w.org) == ""


@pytest.mark.parametrize("who", ["admin", "operator"])
def test_admins_and_operators_upload_and_remove_a_logo(w, who):
    client = client_for(getattr(w, who))
    response = client.post(logo_url(w.org), {"picture": png()}, follow=True)
    assert "Picture saved." in response.content.decode()
    assert stem(w.org).startswith("faces/logo/")
    assert AuditEvent.objects.filter(action="logo.replaced", organization=w.org).exists()
    client.post(logo_url(w.org), {"remove": "1"})
    assert stem(w.org) == ""


def test_an_unverified_organizations_admin_manages_its_own_logo(w):
    client_for(w.unverified_admin).post(logo_url(w.unverified_org), {"picture": png()})
    assert stem(w.unverified_org).startswith("faces/logo/")


def test_forged_organization_slug_is_404(w):
    assert client_for(w.admin).post("/organizations/no-such-org/logo/", {"picture": png()}).status_code == 404


@pytest.mark.parametrize("who", ["member", "other_admin", "unverified_admin"])
def test_outsiders_get_404_for_a_course_thumbnail(w, who):
    assert client_for(getattr(w, who)).post(thumbnail_url(w.course), {"picture": png()}).status_code == 404
    assert stem(w.course) == ""


@pytest.mark.parametrize("who", ["admin", "operator"])
def test_course_team_uploads_a_thumbnail(w, who):
    response = client_for(getattr(w, who)).post(thumbnail_url(w.course), {"picture": png()})
    assert response.status_code == 302
    assert stem(w.course).startswith("faces/thumbnail/")


def test_unverified_owners_admin_sets_its_draft_courses_thumbnail(w):
    draft = Course.objects.create(slug="draft", title="Draft", owner=w.unverified_org)
    client_for(w.unverified_admin).post(thumbnail_url(draft), {"picture": png()})
    assert stem(draft).startswith("faces/thumbnail/")


def test_forged_course_slug_is_404(w):
    assert client_for(w.admin).post("/academy/studio/nope/thumbnail/", {"picture": png()}).status_code == 404


@pytest.mark.parametrize("who", ["member", "other_admin", "unverified_admin"])
def test_non_hosts_may_not_change_a_banner(w, who):
    assert client_for(getattr(w, who)).post(banner_url(w.competition), {"picture": png()}).status_code == 403
    assert stem(w.competition) == ""


@pytest.mark.parametrize("who", ["admin", "host_staff", "operator"])
def test_hosts_upload_and_remove_a_banner(w, who):
    client = client_for(getattr(w, who))
    client.post(banner_url(w.competition), {"picture": png(size=(1800, 600))})
    assert stem(w.competition).startswith("faces/banner/")
    client.post(banner_url(w.competition), {"remove": "1"})
    assert stem(w.competition) == ""


def test_a_draft_competitions_banner_is_404_to_non_hosts(w):
    Competition.objects.filter(pk=w.competition.pk).update(status=CompetitionStatus.DRAFT)
    assert client_for(w.other_admin).post(banner_url(w.competition), {"picture": png()}).status_code == 404
    assert client_for(w.admin).post("/competitions/nope/banner/", {"picture": png()}).status_code == 404


def test_a_person_sets_and_removes_their_own_avatar_only(w):
    client = client_for(w.member)
    client.post(reverse("core:avatar"), {"picture": png()})
    assert stem(w.member).startswith("faces/avatar/")
    assert stem(w.admin) == ""
    client.post(reverse("core:avatar"), {"remove": "1"})
    assert stem(w.member) == ""


def test_get_is_not_allowed(w):
    assert client_for(w.admin).get(logo_url(w.org)).status_code == 405


# --- Bad input -----------------------------------------------------------------------------------


def test_an_svg_upload_is_refused_with_a_clear_message_and_nothing_changes(w):
    client = client_for(w.admin)
    client.post(logo_url(w.org), {"picture": png()})
    before = stem(w.org)
    svg = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', content_type="image/svg+xml")
    page = client.post(logo_url(w.org), {"picture": svg}, follow=True).content.decode()
    assert "JPEG, PNG, WebP or GIF" in page
    assert stem(w.org) == before


def test_posting_without_a_file_says_to_choose_one(w):
    page = client_for(w.admin).post(logo_url(w.org), {}, follow=True).content.decode()
    assert "Choose a picture to upload." in page


def test_next_must_be_on_this_site(w):
    response = client_for(w.admin).post(logo_url(w.org), {"picture": png(), "next": "https://evil.test/"})
    assert response["Location"] == f"/organizations/{w.org.slug}/"


# --- Serving --------------------------------------------------------------------------------------


def test_uploaded_pictures_are_served_as_our_webp_with_nosniff(w, client):
    client_for(w.admin).post(logo_url(w.org), {"picture": png()})
    w.org.refresh_from_db()
    face = faces.face(w.org, 64)
    assert face.uploaded and face.url.endswith("-64.webp") and (face.width, face.height) == (64, 64)
    response = client.get(face.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert Image.open(io.BytesIO(response.content)).size == (64, 64)
    again = client.get(face.url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("url", ["/faces/logo/" + "0" * 64 + "-64.webp", "/faces/logo/" + "0" * 64 + "-65.webp",
                                 "/faces/secret/" + "0" * 64 + "-64.webp", "/faces/logo/..%2f..%2fx-64.webp"])
def test_unknown_or_forged_picture_names_are_404(client, db, url):
    assert client.get(url).status_code == 404


def test_defaults_are_generated_svg_with_a_strict_policy(w, client):
    for obj in (w.org, w.admin, w.course, w.competition):
        face = faces.face(obj)
        assert not face.uploaded
        response = client.get(face.url)
        assert response.status_code == 200, face.url
        assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
        assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "<script" not in response.content.decode()
        assert client.get(face.url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_default_urls_are_stable_and_need_no_queries(w, django_assert_num_queries):
    org = Organization.objects.get(pk=w.org.pk)
    with django_assert_num_queries(0):
        first = [faces.face(org).url, faces.face(w.course).url, faces.face(w.competition).url]
    assert first == [faces.face(w.org).url, faces.face(w.course).url, faces.face(w.competition).url]
    assert "/art/thumbnail/ai/" in faces.face(w.course).url  # "Machine Learning"


@pytest.mark.parametrize("url", ["/art/logo/zz/AB.svg", "/art/logo/abc/ABC.svg", "/art/square/abc/AB.svg",
                                 "/art/thumbnail/rocket/abc.svg", "/art/banner/XYZ.svg"])
def test_forged_art_urls_are_404(client, db, url):
    assert client.get(url).status_code == 404


def test_face_tag_renders_an_img_with_size_and_escaped_alt(w):
    from django.template import Context, Template

    w.org.name = '<b>"Evil"</b>'
    html = Template("{% load forward %}{% face org 64 %}").render(Context({"org": w.org}))
    assert 'width="64" height="64"' in html
    assert "&lt;b&gt;&quot;Evil&quot;&lt;/b&gt; logo" in html


def test_user_default_uses_initials(w):
    user = User.objects.get(pk=w.admin.pk)
    assert faces.face(user).url.endswith("/AA.svg")  # Ada Admin
