"""Openings: the services' rules, search, and the pages for every role (anonymous, a plain member of
the employer, its staff and admin, another employer's admin, an unverified employer's admin, an
operator)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forward.core.models import AuditEvent, Membership, OrganizationKind, Role, Skill
from forward.talent import openings
from forward.talent.models import Opening, OpeningStatus
from tests.conftest import client_for, make_organization, make_user


class World:
    pass


@pytest.fixture(name="world")
def opening_world(db):
    w = World()
    w.admin = make_user("hr@acme.test", "Hana HR")
    w.staff = make_user("recruiter@acme.test", "Ravi Recruiter")
    w.member = make_user("engineer@acme.test", "Ena Engineer")
    w.other_admin = make_user("hr@rival.test", "Rita Rival")
    w.unverified_admin = make_user("hr@new.test", "Nia New")
    w.operator = make_user("ops@forward.test", "Olivia Ops", is_staff=True)
    w.learner = make_user("learner@uni.test", "Lee Learner")
    w.acme = make_organization(creator=w.admin, name="Acme Analytics", kind=OrganizationKind.EMPLOYER, country="SG")
    Membership.objects.create(user=w.staff, organization=w.acme, role=Role.STAFF)
    Membership.objects.create(user=w.member, organization=w.acme, role=Role.MEMBER)
    w.rival = make_organization(creator=w.other_admin, name="Rival Robotics", kind=OrganizationKind.EMPLOYER,
                                country="MY")
    w.newco = make_organization(creator=w.unverified_admin, name="Newco", kind=OrganizationKind.EMPLOYER,
                                country="ID", verified=False)
    w.uni = make_organization(creator=w.operator, name="Uni of Testing", kind=OrganizationKind.UNIVERSITY,
                              country="SG")
    w.unverified_uni = make_organization(creator=w.learner, name="Unverified Uni", kind=OrganizationKind.UNIVERSITY,
                                         country="SG", verified=False)
    Membership.objects.create(user=w.learner, organization=w.uni)
    w.python = Skill.objects.create(slug="python", name="Python")
    w.sql = Skill.objects.create(slug="sql", name="SQL")
    w.ml = Skill.objects.create(slug="machine-learning", name="Machine learning")
    return w


def complete(**overrides) -> dict:
    fields = {
        "title": "Data analyst intern", "description": "Work on **real** payments data.", "kind": "internship",
        "city": "Singapore", "country": "SG", "remote": "hybrid", "required_skills": ["python", "sql"],
        "preferred_skills": ["machine-learning"], "pay_min": Decimal("2000"), "pay_max": Decimal("3000"),
        "currency": "SGD", "pay_period": "month", "seats": 2, "deadline": timezone.now() + timedelta(days=30),
    }
    fields.update(overrides)
    return fields


def published(w, organization=None, actor=None, **overrides) -> Opening:
    opening = openings.opening_create(actor=actor or w.admin, organization=organization or w.acme,
                                      **complete(**overrides))
    return openings.opening_publish(actor=actor or w.admin, opening=opening)


# --- services --------------------------------------------------------------------------------------


def test_admins_and_staff_prepare_drafts_and_the_creation_is_audited(world):
    for actor in (world.admin, world.staff, world.operator):
        opening = openings.opening_create(actor=actor, organization=world.acme, **complete())
        assert opening.status == OpeningStatus.DRAFT
        assert sorted(s.slug for s in opening.required_skills.all()) == ["python", "sql"]
    event = AuditEvent.objects.filter(action="opening.create").first()
    assert event.organization == world.acme and event.data["changed"]["title"]["to"] == "Data analyst intern"


@pytest.mark.parametrize("who", ["member", "other_admin", "learner"])
def test_nobody_else_prepares_an_employers_drafts(world, who):
    with pytest.raises(PermissionDenied):
        openings.opening_create(actor=getattr(world, who), organization=world.acme, **complete())
    assert not Opening.objects.exists()


def test_an_unverified_employer_prepares_drafts_but_does_not_publish(world):
    opening = openings.opening_create(actor=world.unverified_admin, organization=world.newco, **complete())
    with pytest.raises(PermissionDenied, match="verified"):
        openings.opening_publish(actor=world.unverified_admin, opening=opening)
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.DRAFT and opening.published_at is None


def test_publishing_needs_a_complete_opening(world):
    opening = openings.opening_create(actor=world.admin, organization=world.acme, title="Untitled idea")
    with pytest.raises(ValidationError, match=r"a description.*a country"):
        openings.opening_publish(actor=world.admin, opening=opening)
    openings.opening_update(actor=world.admin, opening=opening, description="Hello", remote="remote",
                            deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="deadline has passed"):
        openings.opening_publish(actor=world.admin, opening=opening)
    openings.opening_update(actor=world.admin, opening=opening, deadline=None, who_may_apply="universities")
    with pytest.raises(ValidationError, match="university"):
        openings.opening_publish(actor=world.admin, opening=opening)
    openings.opening_update(actor=world.admin, opening=opening, universities=[world.uni.slug])
    assert openings.opening_publish(actor=world.admin, opening=opening).status == OpeningStatus.OPEN


def test_publishing_twice_is_harmless(world):
    opening = published(world)
    first = opening.published_at
    again = openings.opening_publish(actor=world.admin, opening=opening)
    assert again.status == OpeningStatus.OPEN and again.published_at == first
    assert AuditEvent.objects.filter(action="opening.publish").count() == 1


def test_close_and_reopen(world):
    opening = published(world)
    openings.opening_close(actor=world.staff, opening=opening)
    openings.opening_close(actor=world.staff, opening=opening)  # a double click
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.CLOSED and opening.closed_at is not None
    assert AuditEvent.objects.filter(action="opening.close").count() == 1
    openings.opening_publish(actor=world.admin, opening=opening)
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN and opening.closed_at is None
    assert AuditEvent.objects.filter(action="opening.reopen").count() == 1
    draft = openings.opening_create(actor=world.admin, organization=world.acme, **complete())
    with pytest.raises(ValidationError, match="Only an open opening"):
        openings.opening_close(actor=world.admin, opening=draft)


@pytest.mark.parametrize("who", ["member", "other_admin", "learner"])
def test_others_do_not_edit_publish_or_close(world, who):
    opening = openings.opening_create(actor=world.admin, organization=world.acme, **complete())
    actor = getattr(world, who)
    for call in (lambda: openings.opening_update(actor=actor, opening=opening, title="Mine now"),
                 lambda: openings.opening_publish(actor=actor, opening=opening),
                 lambda: openings.opening_close(actor=actor, opening=opening)):
        with pytest.raises(PermissionDenied):
            call()
    opening.refresh_from_db()
    assert opening.title == "Data analyst intern" and opening.status == OpeningStatus.DRAFT


def test_every_edit_is_audited_with_what_changed(world):
    opening = published(world)
    openings.opening_update(actor=world.staff, opening=opening, title="Data intern", required_skills=["sql"],
                            pay_max=Decimal("3500"))
    event = AuditEvent.objects.get(action="opening.edit")
    assert event.actor == world.staff
    assert event.data["changed"] == {
        "title": {"from": "Data analyst intern", "to": "Data intern"},
        "required_skills": {"from": ["python", "sql"], "to": ["sql"]},
        "pay_max": {"from": "3000.00", "to": "3500.00"},
    }
    openings.opening_update(actor=world.staff, opening=opening, title="Data intern")  # no change, no event
    assert AuditEvent.objects.filter(action="opening.edit").count() == 1


@pytest.mark.parametrize(("fields", "message"), [
    ({"country": "XX"}, "not a country code"),
    ({"countries_eligible": ["SG", "ZZ"]}, "not a country code"),
    ({"currency": "ABC"}, "ISO 4217"),
    ({"required_skills": ["python", "basket-weaving"]}, "basket-weaving"),
    ({"required_credentials": [{"kind": "certification", "level": 4}]}, "0 \\(any\\) to 3"),
    ({"required_credentials": [{"kind": "certification", "level": True}]}, "0 \\(any\\) to 3"),
    ({"required_credentials": [{"kind": "diploma", "level": 0}]}, "kind must be one of"),
    ({"required_credentials": [{"kind": "course_completion", "level": 2}]}, "only a certification has a level"),
    ({"required_credentials": [{"kind": "certification", "level": 1, "extra": 1}]}, "nothing else"),
    ({"required_credentials": [{"kind": k, "level": 0} for k in
                               ("course_completion", "course_achievement", "programme", "certification",
                                "competition", "competition")]}, "at most 5"),
    ({"required_credentials": [{"kind": "programme"}, {"kind": "programme"}]}, "each kind once"),
    ({"pay_min": Decimal("5000"), "pay_max": Decimal("3000")}, "upside down"),
    ({"currency": "", "pay_period": ""}, "needs a currency"),
    ({"pay_min": Decimal("-1")}, "between 0"),
    ({"seats": 0}, "between 1"),
    ({"seats": "3"}, "whole number"),
    ({"kind": "gig"}, "must be one of"),
    ({"who_may_apply": "universities", "universities": ["unverified-uni"]}, "not a verified university"),
    ({"description": "x" * 20_001}, "20000"),
    ({"title": "   "}, "(?i)title"),
    ({"title": "a\x00b"}, "NUL"),
    ({"status": "open"}, "cannot be set"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_stored(world, fields, message):
    with pytest.raises(ValidationError, match=message):
        openings.opening_create(actor=world.admin, organization=world.acme, **complete(**fields))
    assert not Opening.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="opening.").exists()


def test_a_bad_edit_of_an_open_opening_keeps_it_as_it_was(world):
    opening = published(world)
    with pytest.raises(ValidationError, match="description"):
        openings.opening_update(actor=world.admin, opening=opening, description="", title="Changed")
    opening.refresh_from_db()
    assert opening.title == "Data analyst intern" and opening.description
    assert not AuditEvent.objects.filter(action="opening.edit").exists()


def test_an_open_opening_past_its_deadline_can_still_be_corrected(world):
    opening = published(world)
    Opening.objects.filter(pk=opening.pk).update(deadline=timezone.now() - timedelta(days=1))
    openings.opening_update(actor=world.admin, opening=opening, title="Data analyst intern (typo fixed)")
    with pytest.raises(ValidationError, match="deadline has passed"):
        openings.opening_update(actor=world.admin, opening=opening, deadline=timezone.now() - timedelta(hours=2))
    opening.refresh_from_db()
    assert opening.title == "Data analyst intern (typo fixed)"


def test_valid_credentials_countries_and_universities_are_kept(world):
    opening = openings.opening_create(actor=world.admin, organization=world.acme, **complete(
        required_credentials=[{"kind": "certification", "level": 2}, {"kind": "competition", "level": 0}],
        countries_eligible=["my", "SG"], who_may_apply="universities", universities=[world.uni.slug]))
    assert opening.required_credentials == [{"kind": "certification", "level": 2}, {"kind": "competition", "level": 0}]
    assert opening.countries_eligible == ",MY,SG,"
    assert list(opening.universities.all()) == [world.uni]


def test_only_operators_feature_and_only_open_openings(world):
    opening = published(world)
    with pytest.raises(PermissionDenied):
        openings.opening_feature(actor=world.admin, opening=opening)
    openings.opening_feature(actor=world.operator, opening=opening)
    openings.opening_feature(actor=world.operator, opening=opening)
    assert AuditEvent.objects.filter(action="opening.feature").count() == 1
    openings.opening_feature(actor=world.operator, opening=opening, featured=False)
    opening.refresh_from_db()
    assert opening.featured_at is None
    draft = openings.opening_create(actor=world.admin, organization=world.acme, **complete())
    with pytest.raises(ValidationError, match="Only an open opening"):
        openings.opening_feature(actor=world.operator, opening=draft)


# --- search ----------------------------------------------------------------------------------------


def _titles(filters=None) -> list[str]:
    return [o.title for o in openings.search(filters)]


def test_search_shows_only_open_openings_of_verified_employers_before_their_deadline(world):
    published(world, title="Open one")
    openings.opening_create(actor=world.admin, organization=world.acme, **complete(title="A draft"))
    closed = published(world, title="Closed one")
    openings.opening_close(actor=world.admin, opening=closed)
    late = published(world, title="Late one")
    Opening.objects.filter(pk=late.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    unverified = openings.opening_create(actor=world.unverified_admin, organization=world.newco,
                                         **complete(title="Unverified one"))
    Opening.objects.filter(pk=unverified.pk).update(status=OpeningStatus.OPEN)  # as if verified, then withdrawn
    assert _titles() == ["Open one"]


def test_search_filters(world):
    published(world, title="Python in Singapore")
    published(world, organization=world.rival, actor=world.other_admin, title="SQL job in Penang", kind="job",
              city="Penang", country="MY", remote="onsite", required_skills=["sql"], preferred_skills=[],
              currency="MYR", pay_min=Decimal("4000"), pay_max=None)
    published(world, title="Remote ML project", kind="project", remote="remote", country="", city="",
              countries_eligible=["ID", "MY"], required_skills=[], preferred_skills=["machine-learning"],
              description="Forecast parcel volumes.", currency="IDR", pay_min=Decimal("9000000"),
              pay_max=Decimal("12000000"))
    f = openings.SearchFilters
    assert _titles(f(text="penang")) == ["SQL job in Penang"]
    assert _titles(f(text="parcel")) == ["Remote ML project"]
    assert _titles(f(text="rival robotics")) == ["SQL job in Penang"]
    assert sorted(_titles(f(skill="sql"))) == ["Python in Singapore", "SQL job in Penang"]
    assert _titles(f(skill="machine-learning")) == ["Remote ML project", "Python in Singapore"]
    assert _titles(f(kind="project")) == ["Remote ML project"]
    assert _titles(f(country="MY")) == ["Remote ML project", "SQL job in Penang"]
    assert _titles(f(country="SG")) == ["Python in Singapore"]
    assert _titles(f(remote="remote")) == ["Remote ML project"]
    assert _titles(f(employer=world.rival.slug)) == ["SQL job in Penang"]
    assert _titles(f(min_pay=Decimal("2500"), currency="SGD", pay_period="month")) == ["Python in Singapore"]
    assert _titles(f(min_pay=Decimal("3500"), currency="SGD", pay_period="month")) == []
    assert _titles(f(min_pay=Decimal("3500"), currency="MYR", pay_period="month")) == ["SQL job in Penang"]
    assert _titles(f(min_pay=Decimal("100"), currency="SGD", pay_period="year")) == []


def test_featured_first_then_newest(world):
    older = published(world, title="Older")
    published(world, title="Newer")
    assert _titles() == ["Newer", "Older"]
    openings.opening_feature(actor=world.operator, opening=older)
    assert _titles() == ["Older", "Newer"]


def _bulk(world, n: int, start: int = 0) -> None:
    now = timezone.now()
    rows = Opening.objects.bulk_create([
        Opening(organization=world.acme if i % 2 else world.rival, title=f"Bulk {i}", description="d",
                status=OpeningStatus.OPEN, country="SG", published_at=now - timedelta(minutes=i),
                featured_at=now if i % 7 == 0 else None) for i in range(start, start + n)])
    through = Opening.required_skills.through
    through.objects.bulk_create([through(opening_id=o.pk, skill_id=s.pk) for o in rows for s in (world.python, world.sql)])
    pref = Opening.preferred_skills.through
    pref.objects.bulk_create([pref(opening_id=o.pk, skill_id=world.ml.pk) for o in rows])


@pytest.mark.parametrize("page_size", [1, 20])
def test_a_search_page_makes_a_constant_number_of_queries(world, page_size, django_assert_num_queries):
    _bulk(world, 3)

    def run():
        page = openings.search_page(openings.SearchFilters(skill="python", country="SG"), page=1,
                                    page_size=page_size)
        return [(o.organization.name, [s.slug for s in o.required_skills.all()],
                 [s.slug for s in o.preferred_skills.all()]) for o in page.object_list]

    with CaptureQueriesContext(connection) as few:
        run()
    _bulk(world, 40, start=3)
    with django_assert_num_queries(len(few.captured_queries)):
        rows = run()
    assert len(rows) == page_size and rows[0][1] == ["python", "sql"]
    assert len(few.captured_queries) == 4  # count, page with employers, required skills, preferred skills


def test_the_browse_page_makes_a_constant_number_of_queries(world, django_assert_num_queries):
    _bulk(world, 2)
    client = client_for(None)
    with CaptureQueriesContext(connection) as few:
        client.get("/talent/openings/?skill=python")
    _bulk(world, 30, start=2)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/talent/openings/?skill=python")
    assert response.content.decode().count('data-testid="opening-card"') == 20
    employer = client_for(world.admin)
    with CaptureQueriesContext(connection) as few:
        employer.get(f"/talent/employers/{world.acme.slug}/openings/")
    _bulk(world, 30, start=40)
    with django_assert_num_queries(len(few.captured_queries)):
        employer.get(f"/talent/employers/{world.acme.slug}/openings/")
