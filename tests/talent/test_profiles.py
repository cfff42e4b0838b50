"""Talent profiles, the services: the verified index follows the credentials (issue, revoke,
expiry), what a person declares is checked before anything is stored, visibility records consent,
and the JSON Resume export is valid against the official schema."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forward.core.models import AuditEvent, User
from forward.credentials import selectors as credential_selectors
from forward.credentials import services as credentials
from forward.credentials.models import CredentialKind
from forward.talent import profiles
from forward.talent.models import Profile, ProfileSkill, Visibility
from tests.talent.conftest import award, committed

SCHEMA = json.loads((Path(__file__).parent / "schema" / "jsonresume.schema.json").read_text())
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def skills_of(user) -> dict[str, tuple[int, int]]:
    return {slug: (n, level) for slug, n, level in ProfileSkill.objects.filter(profile__user=user).values_list(
        "skill__slug", "credentials", "level")}


# --- the credentials selector --------------------------------------------------------------------

def test_holdings_return_unrevoked_credentials_with_verify_urls_and_flag_the_expired(talent):
    found = credential_selectors.holdings(user_ids=[talent.student.pk])
    assert {h.name for h in found} == {"Data Engineering with Python", "Cloud Professional",
                                       "Machine Learning Associate", "Cloud Data MiniMasters",
                                       "Repeat Buyers Challenge"}
    expired = {h.name for h in found if h.expired}
    assert expired == {"Machine Learning Associate"}
    course = next(h for h in found if h.kind == CredentialKind.COURSE_ACHIEVEMENT)
    assert course.verify_url.endswith(f"/credentials/{course.uuid}/")
    assert course.issuer_name == "Nanyang Tech" and course.facts["grade"] == 0.92
    credentials.revoke(actor=talent.uni_admin, credential=talent.credentials["course"], reason="Copied work.")
    assert "Data Engineering with Python" not in {h.name for h in credential_selectors.holdings(
        user_ids=[talent.student.pk])}


def test_holdings_take_one_query_for_any_number_of_people(talent, django_assert_num_queries):
    with django_assert_num_queries(1):
        credential_selectors.holdings(user_ids=[talent.student.pk, talent.classmate.pk, 10**9])
    assert credential_selectors.holdings(user_ids=[]) == []


# --- the verified index and section --------------------------------------------------------------

def test_issuing_builds_the_verified_index_through_the_signal(talent):
    profile = Profile.objects.get(user=talent.student)  # created by the holdings_changed receiver
    assert profile.visibility == Visibility.HIDDEN and profile.consent_at is None
    assert profile.verified_count == 4  # the expired certification does not count
    assert profile.best_grade == 0.92 and profile.best_level == 2 and profile.best_percentile == 97.5
    # The expired certification backs no skill; machine-learning stays, backed by the competition only.
    assert skills_of(talent.student) == {"python": (2, 0), "sql": (1, 0), "cloud-computing": (1, 2),
                                         "machine-learning": (1, 0)}


def test_revocation_removes_the_credential_and_its_skills_after_commit(talent):
    with committed():
        credentials.revoke(actor=talent.uni_admin, credential=talent.credentials["cert"],
                           reason="The exam was sat by someone else.")
    profile = Profile.objects.get(user=talent.student)
    assert profile.verified_count == 3 and profile.best_level == 0
    assert "cloud-computing" not in skills_of(talent.student)
    section = profiles.verified_section(talent.student)
    assert "Cloud Professional" not in {i.name for i in section.items}
    assert "cloud-computing" not in {s.slug for s in section.skills}


def test_revocation_changes_nothing_until_the_transaction_commits(talent):
    credentials.revoke(actor=talent.uni_admin, credential=talent.credentials["cert"], reason="Mistake.")
    assert "cloud-computing" in skills_of(talent.student)  # the signal waits for the commit


def test_an_expired_certification_is_shown_expired_and_backs_no_skill(talent):
    section = profiles.verified_section(talent.student)
    old = next(i for i in section.items if i.name == "Machine Learning Associate")
    assert old.expired and old.skills == [] and old.level == 1 and old.level_name == "Associate"
    ml = next(s for s in section.skills if s.slug == "machine-learning")
    assert [c.name for c in ml.credentials] == ["Repeat Buyers Challenge"]


def test_the_verified_section_groups_items_by_kind_with_their_facts(talent):
    section = profiles.verified_section(talent.student)
    groups = {g.key: g.items for g in section.groups}
    assert list(groups) == ["courses", "certifications", "programmes", "competitions"]
    [course] = groups["courses"]
    assert course.grade == 0.92 and course.grade_percent == 92 and course.designation == "distinction"
    [placing] = groups["competitions"]
    assert placing.rank == 2 and placing.teams == 40 and placing.percentile == 97.5 and placing.issuer == "Data Lab"
    python = next(s for s in section.skills if s.slug == "python")
    assert {c.name for c in python.credentials} == {"Data Engineering with Python", "Cloud Data MiniMasters"}
    assert all(i.verify_url.endswith(f"/credentials/{i.uuid}/") for i in section.items)


def test_the_verified_section_takes_two_queries(talent, django_assert_num_queries):
    with django_assert_num_queries(2):
        profiles.verified_section(talent.student)


def test_skills_outside_the_shared_list_and_malformed_facts_are_ignored(talent):
    with committed():
        credentials.issue([award(recipient=talent.classmate, issuer=talent.university,
                                 kind=CredentialKind.COURSE_COMPLETION, key="odd", name="Odd course",
                                 facts={"skills": [{"slug": "basket-weaving"}, "python", {"slug": 3}],
                                        "grade": "high"})])
    profile = Profile.objects.get(user=talent.classmate)
    assert profile.verified_count == 1 and profile.best_grade is None
    assert skills_of(talent.classmate) == {}


def test_refresh_rebuilds_many_people_in_constant_queries(talent):
    users = User.objects.bulk_create([User(email=f"learner{i}@bulk.test", name=f"Learner {i}") for i in range(300)])
    ids = [u.pk for u in users] + [talent.student.pk]
    with CaptureQueriesContext(connection) as queries:
        assert profiles.refresh(ids) == len(ids)
    assert len(queries) < 20  # a few bulk statements (batched by size), never one per person
    assert Profile.objects.filter(user__in=users).count() == 300
    assert Profile.objects.get(user=talent.student).verified_count == 4


def test_refresh_ignores_ids_of_people_who_do_not_exist(talent):
    assert profiles.refresh([10**9]) == 0


@pytest.mark.django_db(transaction=True)
def test_profile_for_is_race_safe(settings, tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs two connections writing at once")
    user = User.objects.create_user(email="racer@race.test", password="x" * 12, name="Racer")
    barrier = threading.Barrier(2)
    found, failures = [], []

    def worker():
        from django.db import connections
        try:
            barrier.wait()
            found.append(profiles.profile_for(user).pk)
        except Exception as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures and len(set(found)) == 1
    assert Profile.objects.filter(user=user).count() == 1


def test_profile_for_returns_the_same_profile_twice(talent):
    assert profiles.profile_for(talent.classmate).pk == profiles.profile_for(talent.classmate).pk


# --- what the person declares --------------------------------------------------------------------

def test_self_declared_fields_are_saved(talent):
    profile = profiles.profile_update(
        user=talent.student, headline="  Data engineer   in the making ", about="I build pipelines.",
        links=[{"label": "GitHub", "url": "https://github.com/siti"}, "https://siti.dev"],
        languages=["en", "ms", "zh-hans"], available_for=["job", "internship"], available_from=date(2027, 6, 1),
        countries=["sg", "MY", "SG"])
    profile.refresh_from_db()
    assert profile.headline == "Data engineer in the making"
    assert profile.links == [{"label": "GitHub", "url": "https://github.com/siti"},
                             {"label": "siti.dev", "url": "https://siti.dev"}]
    assert profile.languages == ["en", "ms", "zh-hans"]
    assert profile.available_for == ["internship", "job"]
    assert profile.countries == ",MY,SG," and profile.country_list == ["MY", "SG"]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"links": [{"url": "http://example.com"}]}, "links", "https://"),
    ({"links": [{"url": "javascript:alert(1)"}]}, "links", "https://"),
    ({"links": [{"url": f"https://e{i}.com"} for i in range(6)]}, "links", "At most 5"),
    ({"countries": ["SG", "XX"]}, "countries", "XX"),
    ({"countries": "SG"}, "countries", "ISO"),
    ({"languages": ["klingon"]}, "languages", "klingon"),
    ({"available_for": ["forever"]}, "available_for", "internship"),
    ({"available_from": "next June"}, "available_from", "YYYY-MM-DD"),
    ({"headline": "x" * 141}, "headline", "140"),
])
def test_bad_self_declared_input_is_refused_and_nothing_is_stored(talent, changes, field, words):
    profiles.profile_update(user=talent.student, headline="Before", countries=["SG"])
    with pytest.raises(ValidationError) as caught:
        profiles.profile_update(user=talent.student, about="Changed too", **changes)
    assert field in caught.value.message_dict
    assert words in " ".join(caught.value.message_dict[field])
    profile = Profile.objects.get(user=talent.student)
    assert profile.headline == "Before" and profile.about == "" and profile.countries == ",SG,"


def test_a_pdf_cv_is_stored_under_a_random_name_and_replaced(talent):
    profile = profiles.cv_upload(user=talent.student, upload=SimpleUploadedFile("my cv.pdf", PDF))
    first = profile.cv.name
    assert first.startswith("talent/cv/") and "my cv" not in first and first.endswith(".pdf")
    assert default_storage.open(first).read() == PDF
    with committed():
        profile = profiles.cv_upload(user=talent.student, upload=SimpleUploadedFile("v2.pdf", PDF + b"2"))
    assert profile.cv.name != first and not default_storage.exists(first)
    with committed():
        profiles.cv_remove(user=talent.student)
    assert not default_storage.exists(profile.cv.name)
    assert Profile.objects.get(user=talent.student).cv.name == ""


@pytest.mark.parametrize(("content", "words"), [
    (b"<html>not a pdf</html>", "not a PDF"),
    (b"%PDF-" + b"0" * (2 * 1024 * 1024), "2 MB"),
    (b"", "not a PDF"),
])
def test_a_cv_that_is_not_a_small_pdf_is_refused_and_nothing_is_stored(talent, content, words):
    def stored_cvs() -> set[str]:  # other tests' CVs may be there already: compare, don't expect none
        try:
            return set(default_storage.listdir("talent/cv")[1])
        except FileNotFoundError:  # a local directory not made yet (a bucket lists an empty prefix)
            return set()

    before = stored_cvs()
    with pytest.raises(ValidationError) as caught:
        profiles.cv_upload(user=talent.student, upload=SimpleUploadedFile("cv.pdf", content))
    assert words in " ".join(caught.value.message_dict["cv"])
    assert Profile.objects.get(user=talent.student).cv.name == ""
    assert stored_cvs() == before


# --- visibility and the shareable link -----------------------------------------------------------

def test_choosing_visibility_records_consent_and_audits(talent):
    profile = profiles.set_visibility(user=talent.student, visibility=Visibility.PARTNERS)
    assert profile.visibility == "partners" and profile.consent_at is not None
    event = AuditEvent.objects.get(action="talent.profile_visibility")
    assert event.actor == talent.student and event.data == {"before": "hidden", "after": "partners"}
    with pytest.raises(ValidationError):
        profiles.set_visibility(user=talent.student, visibility="everyone")
    assert Profile.objects.get(user=talent.student).visibility == "partners"


def test_a_new_public_link_replaces_the_old_one(talent):
    profile = profiles.set_visibility(user=talent.student, visibility=Visibility.PUBLIC)
    old = profile.public_token
    assert profiles.public_profile(old) == profile
    profile = profiles.new_public_link(user=talent.student)
    assert profile.public_token != old
    assert profiles.public_profile(old) is None
    assert profiles.public_profile(profile.public_token) == profile
    profiles.set_visibility(user=talent.student, visibility=Visibility.PARTNERS)
    assert profiles.public_profile(profile.public_token) is None


# --- JSON Resume ---------------------------------------------------------------------------------

def test_json_resume_is_valid_against_the_official_schema_and_carries_credential_links(talent):
    profiles.profile_update(user=talent.student, headline="Data engineer", about="Pipelines.",
                            links=[{"label": "GitHub", "url": "https://github.com/siti"}], languages=["en", "ms"])
    profiles.set_visibility(user=talent.student, visibility=Visibility.PUBLIC)
    resume = profiles.json_resume(talent.student)
    jsonschema.validate(resume, SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert resume["basics"]["name"] == "Siti Student" and resume["basics"]["label"] == "Data engineer"
    urls = {c.name: f"/credentials/{c.uuid}/" for c in talent.credentials.values()}
    education = {e["area"]: e for e in resume["education"]}
    assert education["Data Engineering with Python"]["url"].endswith(urls["Data Engineering with Python"])
    assert education["Data Engineering with Python"]["score"] == "92% (distinction)"
    assert any(c["url"].endswith(urls["Cloud Professional"]) for c in resume["certificates"])
    expired = next(c for c in resume["certificates"] if c["url"].endswith(urls["Machine Learning Associate"]))
    assert expired["expired"] is True
    assert resume["awards"][0]["url"].endswith(urls["Repeat Buyers Challenge"])
    assert {s["name"] for s in resume["skills"]} == {"Python", "SQL", "Cloud computing", "Machine learning"}
    assert next(s for s in resume["skills"] if s["name"] == "Cloud computing")["level"] == "Professional"


def test_json_resume_of_someone_with_nothing_is_still_valid(talent):
    resume = profiles.json_resume(talent.outsider)
    jsonschema.validate(resume, SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert resume["education"] == [] and resume["skills"] == []


def test_the_index_ignores_credentials_that_expire_later_until_refreshed(talent):
    """Expiry needs no signal: refresh (the demo, a periodic job) drops what has expired since."""
    cert = talent.credentials["cert"]
    type(cert).objects.filter(pk=cert.pk).update(valid_until=cert.valid_until - timedelta(days=2000))
    profiles.refresh([talent.student.pk])
    assert "cloud-computing" not in skills_of(talent.student)


# --- the demo loader -----------------------------------------------------------------------------

def test_the_demo_loader_gives_students_profiles_from_their_credentials(talent):
    import random

    from forward.core.models import Membership, Role
    from forward.talent import demo_profiles

    users = User.objects.bulk_create([User(email=f"s{i}@ntu.test", name=f"S {i}", country="MY") for i in range(30)])
    Membership.objects.bulk_create([Membership(user=u, organization=talent.university, role=Role.MEMBER)
                                    for u in users])
    demo_profiles.load(rng=random.Random(1))
    student = Profile.objects.get(user=talent.student)
    assert student.verified_count == 4 and student.headline and student.links
    visibilities = set(Profile.objects.filter(user__in=users).values_list("visibility", flat=True))
    assert visibilities >= {"hidden", "partners"}
    assert not Profile.objects.filter(consent_at__isnull=True).exclude(visibility="hidden").exists()
    for profile in Profile.objects.filter(user__in=users):  # what the demo declares passes the checks
        profiles.profile_update(user=profile.user, links=profile.links, languages=profile.languages,
                                countries=profile.country_list, available_for=profile.available_for)
    again = random.Random(1)
    demo_profiles.load(rng=again)  # deterministic: the same seed, the same profiles
    assert Profile.objects.get(user=talent.student).headline == student.headline
