"""The openings pages for every role: browse (signed out too), an opening, the employer's list, the
new and edit forms, and the publish / close / feature buttons."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from forward.core.models import AuditEvent
from forward.talent import openings
from forward.talent.models import Opening, OpeningStatus
from tests.conftest import client_for
from tests.talent.test_openings import complete, opening_world, published  # noqa: F401

ROLES = ["anonymous", "member", "staff", "admin", "other_admin", "unverified_admin", "operator"]


def _client(w, role: str):
    return client_for(None if role == "anonymous" else getattr(w, role))


def _draft(w, **overrides) -> Opening:
    return openings.opening_create(actor=w.admin, organization=w.acme, **complete(**overrides))


def form_data(**overrides) -> dict:
    data = {
        "title": "Payments data intern", "kind": "internship", "description": "Reconcile **payments**.",
        "remote": "onsite", "city": "Singapore", "country": "SG", "required_skills": ["python"],
        "preferred_skills": ["sql"], "pay_min": "2500", "pay_max": "3200", "currency": "SGD", "pay_period": "month",
        "seats": "2", "deadline": (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "who_may_apply": "everyone", "credential_1_kind": "certification", "credential_1_level": "2",
    }
    data.update(overrides)
    return data


def test_anyone_browses_and_searches_openings_signed_out(world):
    published(world, title="Python intern", required_skills=["python"], preferred_skills=[])
    published(world, title="SQL analyst", kind="job", required_skills=["sql"], preferred_skills=[])
    client = client_for(None)
    page = client.get("/talent/openings/").content.decode()
    assert "Python intern" in page and "SQL analyst" in page and "SGD 2,000–3,000 per month" in page
    page = client.get("/talent/openings/", {"skill": "python", "country": "SG"}).content.decode()
    assert "Python intern" in page and "SQL analyst" not in page
    page = client.get("/talent/openings/", {"kind": "job", "text": "analyst"}).content.decode()
    assert "SQL analyst" in page and "Python intern" not in page


def test_bad_filters_are_shown_not_crashed_on(world):
    published(world, title="Python intern")
    client = client_for(None)
    response = client.get("/talent/openings/", {"kind": "gig", "min_pay": "lots", "page": "x"})
    assert response.status_code == 200
    assert "Python intern" in response.content.decode()  # the filters that did not parse are left out
    response = client.get("/talent/openings/", {"min_pay": "100"})
    assert "choose a currency and a period" in response.content.decode()


def test_pages_keep_the_filters(world):
    for i in range(22):
        published(world, title=f"Intern {i}")
    page = client_for(None).get("/talent/openings/", {"skill": "python"}).content.decode()
    assert "skill=python&amp;page=2" in page


@pytest.mark.parametrize("role", ROLES)
def test_an_open_opening_is_public_and_a_draft_is_not(world, role):
    client = _client(world, role)
    opening = published(world)
    response = client.get(f"/talent/openings/{opening.uuid}/")
    assert response.status_code == 200 and "Data analyst intern" in response.content.decode()
    draft = _draft(world, title="Secret plan")
    response = client.get(f"/talent/openings/{draft.uuid}/")
    sees_drafts = role in ("staff", "admin", "operator")
    assert response.status_code == (200 if sees_drafts else 404)
    if sees_drafts:
        assert "Secret plan" in response.content.decode()


def test_a_closed_opening_stays_visible_marked_closed_without_an_apply_button(world):
    opening = published(world)
    openings.opening_close(actor=world.admin, opening=opening)
    page = client_for(world.learner).get(f"/talent/openings/{opening.uuid}/").content.decode()
    assert "This opening is closed" in page and "/apply/" not in page


def test_the_apply_link_is_for_signed_in_learners_while_open(world):
    opening = published(world)
    apply = f"/talent/openings/{opening.uuid}/apply/"
    assert f'href="{apply}"' in client_for(world.learner).get(f"/talent/openings/{opening.uuid}/").content.decode()
    anonymous = client_for(None).get(f"/talent/openings/{opening.uuid}/").content.decode()
    assert "Sign in to apply" in anonymous and f'href="{apply}"' not in anonymous
    assert f'href="{apply}"' not in client_for(world.admin).get(f"/talent/openings/{opening.uuid}/").content.decode()


def test_forged_uuids_are_404(world):
    client = client_for(world.admin)
    for path in ("", "edit/"):
        assert client.get(f"/talent/openings/{uuid.uuid4()}/{path}").status_code == 404
    for action in ("publish", "close", "feature"):
        assert client.post(f"/talent/openings/{uuid.uuid4()}/{action}/").status_code == 404
    assert client.get("/talent/openings/not-a-uuid/").status_code == 404
    assert client.get("/talent/employers/no-such-employer/openings/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_employer_pages_are_for_its_admins_staff_and_operators(world, role):
    client = _client(world, role)
    draft = _draft(world, title="Secret plan")
    for path in (f"/talent/employers/{world.acme.slug}/openings/", f"/talent/employers/{world.acme.slug}/openings/new/",
                 f"/talent/openings/{draft.uuid}/edit/"):
        response = client.get(path)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role in ("staff", "admin", "operator"):
            assert response.status_code == 200
        else:
            assert response.status_code == 404
    if role in ("staff", "admin", "operator"):
        assert "Secret plan" in client.get(f"/talent/employers/{world.acme.slug}/openings/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_creating_an_opening_by_form(world, role):
    client = _client(world, role)
    response = client.post(f"/talent/employers/{world.acme.slug}/openings/new/", form_data())
    if role in ("staff", "admin", "operator"):
        opening = Opening.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/talent/openings/{opening.uuid}/"
        assert opening.status == OpeningStatus.DRAFT and opening.organization == world.acme
        assert [s.slug for s in opening.required_skills.all()] == ["python"]
        assert opening.required_credentials == [{"kind": "certification", "level": 2}]
        assert str(opening.pay_max) == "3200.00" and opening.currency == "SGD"
    else:
        assert response.status_code in (302, 404) if role == "anonymous" else response.status_code == 404
        assert not Opening.objects.exists()


def test_an_unverified_employer_prepares_drafts_by_form_but_cannot_publish(world):
    client = client_for(world.unverified_admin)
    assert client.get("/talent/employers/newco/openings/").status_code == 200
    client.post("/talent/employers/newco/openings/new/", form_data())
    opening = Opening.objects.get()
    page = client.get(f"/talent/openings/{opening.uuid}/").content.decode()
    assert "publishes once an operator has verified it" in page
    response = client.post(f"/talent/openings/{opening.uuid}/publish/", follow=True)
    assert "Only a verified employer publishes openings" in response.content.decode()
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.DRAFT


def test_a_form_with_bad_input_says_what_to_fix_and_stores_nothing(world):
    client = client_for(world.admin)
    response = client.post(f"/talent/employers/{world.acme.slug}/openings/new/",
                           form_data(pay_min="5000", pay_max="100"))
    assert response.status_code == 200 and "upside down" in response.content.decode()
    response = client.post(f"/talent/employers/{world.acme.slug}/openings/new/",
                           form_data(required_skills=["knitting"], currency="XYZ"))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = client.post(f"/talent/employers/{world.acme.slug}/openings/new/",
                           form_data(credential_1_kind="programme", credential_1_level="2"))
    assert "only a certification has a level" in response.content.decode()
    assert not Opening.objects.exists()


def test_editing_by_form(world):
    opening = _draft(world)
    client = client_for(world.staff)
    page = client.get(f"/talent/openings/{opening.uuid}/edit/").content.decode()
    assert 'value="Data analyst intern"' in page
    response = client.post(f"/talent/openings/{opening.uuid}/edit/", form_data(title="Renamed"))
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.title == "Renamed"
    assert AuditEvent.objects.filter(action="opening.edit", actor=world.staff).exists()
    other = client_for(world.other_admin)
    assert other.post(f"/talent/openings/{opening.uuid}/edit/", form_data(title="Hijacked")).status_code == 404
    opening.refresh_from_db()
    assert opening.title == "Renamed"


@pytest.mark.parametrize("role", ROLES)
def test_publish_and_close_buttons(world, role):
    client = _client(world, role)
    draft = _draft(world)
    response = client.post(f"/talent/openings/{draft.uuid}/publish/")
    draft.refresh_from_db()
    if role in ("staff", "admin", "operator"):
        assert response.status_code == 302 and draft.status == OpeningStatus.OPEN
        client.post(f"/talent/openings/{draft.uuid}/publish/")  # a double click
        assert AuditEvent.objects.filter(action="opening.publish").count() == 1
        client.post(f"/talent/openings/{draft.uuid}/close/")
        draft.refresh_from_db()
        assert draft.status == OpeningStatus.CLOSED
    else:
        assert response.status_code in (302, 404) if role == "anonymous" else response.status_code == 404
        assert draft.status == OpeningStatus.DRAFT
        opening = published(world, title="Open one")
        response = client.post(f"/talent/openings/{opening.uuid}/close/")
        assert response.status_code in (302, 404) if role == "anonymous" else response.status_code == 404
        opening.refresh_from_db()
        assert opening.status == OpeningStatus.OPEN


def test_buttons_need_post(world):
    opening = published(world)
    client = client_for(world.admin)
    assert client.get(f"/talent/openings/{opening.uuid}/close/").status_code == 405
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN


@pytest.mark.parametrize("role", ROLES)
def test_only_operators_feature(world, role):
    opening = published(world)
    client = _client(world, role)
    response = client.post(f"/talent/openings/{opening.uuid}/feature/")
    opening.refresh_from_db()
    if role == "operator":
        assert response.status_code == 302 and opening.featured_at is not None
        page = client_for(None).get("/talent/openings/").content.decode()
        assert "Featured" in page
        client.post(f"/talent/openings/{opening.uuid}/feature/", {"featured": "no"})
        opening.refresh_from_db()
        assert opening.featured_at is None
    else:
        assert response.status_code in (302, 404) if role == "anonymous" else response.status_code == 404
        assert opening.featured_at is None


def test_markdown_is_sanitized(world):
    opening = published(world, description="# Hi\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2)) "
                                            "<img src=x onerror=alert(3)> **bold**")
    page = client_for(None).get(f"/talent/openings/{opening.uuid}/").content.decode()
    assert "<strong>bold</strong>" in page
    assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page


def test_user_text_is_escaped(world):
    published(world, title="<b>Bold</b> intern", city="<i>Town</i>")
    page = client_for(None).get("/talent/openings/").content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; intern" in page and "<i>Town</i>" not in page


def test_the_navigation_links_to_openings_and_to_our_openings(world):
    home = client_for(None).get("/").content.decode()
    assert 'href="/talent/openings/"' in home and "Jobs &amp; internships" in home
    assert "Our openings" not in client_for(world.learner).get("/talent/openings/").content.decode()
    admin = client_for(world.admin)
    assert 'href="/talent/employers/"' in admin.get("/talent/openings/").content.decode()
    response = admin.get("/talent/employers/")
    assert response.status_code == 302 and response["Location"] == f"/talent/employers/{world.acme.slug}/openings/"
    assert client_for(world.learner).get("/talent/employers/").status_code == 200


def test_operators_see_openings_in_the_admin_read_only(world):
    opening = published(world)
    client = client_for(world.operator)
    world.operator.is_superuser = True
    world.operator.save()
    page = client.get("/admin/talent/opening/?q=analyst")
    assert page.status_code == 200 and "Data analyst intern" in page.content.decode()
    assert client.get(f"/admin/talent/opening/{opening.pk}/change/").status_code == 200
    assert client.post(f"/admin/talent/opening/{opening.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Opening.objects.filter(pk=opening.pk).exists()


def test_editors_see_the_history_and_nobody_else_does(world):
    opening = published(world)
    openings.opening_update(actor=world.staff, opening=opening, title="Renamed", pay_max=3500)
    page = client_for(world.admin).get(f"/talent/openings/{opening.uuid}/").content.decode()
    assert "Ravi Recruiter edited: pay max, title" in page and "Hana HR published" in page
    assert 'data-testid="history"' not in client_for(world.learner).get(f"/talent/openings/{opening.uuid}/").content.decode()
