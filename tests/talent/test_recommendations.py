"""Recommendations, explained: the learner's "Openings for you" and an employer's ranked candidates,
for every role; hidden profiles never appear; revoked credentials never count; constant queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forward.core.models import Membership, OrganizationKind, Role, Skill
from forward.credentials import services as credential_services
from forward.credentials.documents import Award
from forward.credentials.models import CredentialKind
from forward.talent import recommend
from forward.talent.models import (
    Application,
    Opening,
    OpeningStatus,
    Profile,
    ProfileSkill,
    Visibility,
    WhoMayApply,
)
from tests.conftest import client_for, make_organization, make_user

ROLES = ("anonymous", "learner", "employer_member", "employer_staff", "employer_admin", "other_admin",
         "unverified_admin", "university_admin", "operator")


class World:
    def actor(self, role: str):
        return None if role == "anonymous" else getattr(self, role)


def issue(w: World, user, *, kind=CredentialKind.COURSE_ACHIEVEMENT, name="Data Engineering", skills=(), **facts):
    """A real credential (signed, with a status-list entry) backing these skills."""
    key = f"test:{name}:{kind}"
    award = Award(recipient=user, issuer=w.university, kind=kind, achievement_key=key, name=name,
                  achievement={"id": f"https://forward.test/achievements/{abs(hash(key))}", "type": ["Achievement"],
                               "achievementType": "Course", "name": name, "description": name,
                               "criteria": {"narrative": "Earn it."}},
                  facts={"skills": [{"slug": s.slug, "name": s.name} for s in skills], **facts})
    [credential] = credential_services.issue([award])
    return credential


def index(*users) -> None:
    """The verified index of these people, as talent.profiles.refresh keeps it (its own function when
    this tree has it; else the same rules: unrevoked, unexpired credentials only)."""
    try:
        from forward.talent.profiles import refresh
    except ImportError:
        refresh = None
    if refresh is not None:
        refresh([u.pk for u in users])
        return
    for user in users:
        profile, _ = Profile.objects.get_or_create(user=user)
        candidate = recommend.learner_candidate(user=user)
        profile.best_grade, profile.best_level = candidate.best_grade, candidate.best_level
        profile.best_percentile = candidate.best_percentile
        profile.verified_count = len(candidate.held)
        profile.save()
        ProfileSkill.objects.filter(profile=profile).delete()
        ids = dict(Skill.objects.filter(slug__in=list(candidate.skills)).values_list("slug", "pk"))
        ProfileSkill.objects.bulk_create([ProfileSkill(profile=profile, skill_id=ids[s], level=e.level,
                                                       credentials=len(e.credentials))
                                          for s, e in candidate.skills.items() if s in ids])


def declare(user, *, visibility=Visibility.PARTNERS, countries=",SG,", available_for=("internship",),
            available_from=None, headline="") -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.visibility = visibility
    profile.consent_at = timezone.now()
    profile.countries = countries
    profile.available_for = list(available_for)
    profile.available_from = available_from
    profile.headline = headline
    profile.save()
    return profile


def make_opening(organization, title, *, required=(), preferred=(), status=OpeningStatus.OPEN, **fields) -> Opening:
    opening = Opening.objects.create(organization=organization, title=title, status=status,
                                     published_at=timezone.now() if status == OpeningStatus.OPEN else None,
                                     **fields)
    opening.required_skills.set(required)
    opening.preferred_skills.set(preferred)
    return opening


@pytest.fixture
def world(db):
    w = World()
    w.python = Skill.objects.get_or_create(slug="python", defaults={"name": "Python"})[0]
    w.sql = Skill.objects.get_or_create(slug="sql", defaults={"name": "SQL"})[0]
    w.ml = Skill.objects.get_or_create(slug="machine-learning", defaults={"name": "Machine learning"})[0]
    w.operator = make_user("ops@forward.test", "Op Erator", is_staff=True)
    w.university_admin = make_user("admin@ntu.test", "Uma Admin")
    w.university = make_organization(creator=w.university_admin, name="NTU", kind=OrganizationKind.UNIVERSITY,
                                     country="SG")
    w.employer_admin = make_user("hr@straits.test", "Hana HR")
    w.employer = make_organization(creator=w.employer_admin, name="Straits Fintech", kind=OrganizationKind.EMPLOYER,
                                   country="SG")
    w.employer_staff = make_user("recruiter@straits.test", "Rui Recruiter")
    Membership.objects.create(user=w.employer_staff, organization=w.employer, role=Role.STAFF)
    w.employer_member = make_user("dev@straits.test", "Dev Member")
    Membership.objects.create(user=w.employer_member, organization=w.employer, role=Role.MEMBER)
    w.other_admin = make_user("hr@cloudwave.test", "Otto Other")
    w.other_employer = make_organization(creator=w.other_admin, name="Cloudwave", kind=OrganizationKind.EMPLOYER,
                                         country="CN")
    w.unverified_admin = make_user("boss@shady.test", "Una Verified")
    w.unverified = make_organization(creator=w.unverified_admin, name="Shady Corp", kind=OrganizationKind.EMPLOYER,
                                     country="SG", verified=False)

    # The learner: proved Python and SQL (a professional certification), placed in a competition.
    w.learner = make_user("ana@student.test", "Ana Learner")
    Membership.objects.create(user=w.learner, organization=w.university, role=Role.MEMBER)
    w.cert = issue(w, w.learner, kind=CredentialKind.CERTIFICATION, name="Data Professional",
                   skills=[w.python, w.sql], level=2)
    w.award = issue(w, w.learner, kind=CredentialKind.COMPETITION, name="Churn Challenge: 3rd", skills=[w.python],
                    percentile=92.5)
    declare(w.learner, countries=",SG,MY,", available_from=date(2027, 1, 1), headline="Data engineer in training")
    # Others: Ben proved only Python (public); Cai proved everything but is hidden; Dee proved SQL.
    w.ben = make_user("ben@student.test", "Ben Public")
    issue(w, w.ben, name="Python basics", skills=[w.python], grade=0.8)
    declare(w.ben, visibility=Visibility.PUBLIC)
    w.cai = make_user("cai@student.test", "Cai Hidden")
    issue(w, w.cai, kind=CredentialKind.CERTIFICATION, name="Data Expert", skills=[w.python, w.sql, w.ml], level=3)
    declare(w.cai, visibility=Visibility.HIDDEN)
    w.dee = make_user("dee@student.test", "Dee Partners")
    issue(w, w.dee, name="Databases", skills=[w.sql])
    declare(w.dee)
    index(w.learner, w.ben, w.cai, w.dee)

    w.opening = make_opening(w.employer, "Data Engineering Intern", required=[w.python, w.sql], preferred=[w.ml],
                             countries_eligible=",SG,", start_date=date(2027, 1, 4), kind="internship", city="Singapore",
                             country="SG")
    w.ml_job = make_opening(w.employer, "ML Engineer", required=[w.ml], kind="job")
    w.other_opening = make_opening(w.other_employer, "Cloud Support Intern", required=[w.python], kind="internship")
    w.draft = make_opening(w.employer, "Secret Draft", required=[w.python], status=OpeningStatus.DRAFT)
    w.unverified_opening = make_opening(w.unverified, "Too Good To Be True", required=[w.python])
    return w


# --- the learner's page ----------------------------------------------------------------------------

def test_anonymous_is_sent_to_sign_in(world):
    response = client_for(None).get("/talent/recommended/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES[1:])
def test_everyone_signed_in_gets_their_own_recommendations(world, role):
    response = client_for(world.actor(role)).get("/talent/recommended/?page=999")  # past the end: the last page
    assert response.status_code == 200
    assert "Secret Draft" not in response.content.decode()
    assert client_for(world.actor(role)).get("/talent/recommended/?page=abc").status_code == 200


def test_learner_sees_open_openings_ranked_with_reasons(world):
    response = client_for(world.learner).get("/talent/recommended/")
    assert response.status_code == 200
    page = response.context["page"]
    titles = [r.opening.title for r in page.object_list]
    # Meets both requirements of the internship and the single one of Cloudwave's; lacks ML for the job.
    assert titles[-1] == "ML Engineer"
    assert set(titles) == {"Data Engineering Intern", "Cloud Support Intern", "ML Engineer"}
    first = next(r for r in page.object_list if r.opening == world.opening)
    assert first.fit.qualified and [m.slug for m in first.fit.required_met] == ["python", "sql"]
    assert [m.slug for m in first.fit.preferred_missing] == ["machine-learning"]
    html = response.content.decode()
    assert f"/credentials/{world.cert.uuid}/" in html  # each matched skill links to the credential's verification
    assert "Missing required skills" in html and "Machine learning" in html
    assert "Secret Draft" not in html and "Too Good To Be True" not in html


def test_an_opening_missing_a_requirement_is_listed_below_every_met_one(world):
    page = recommend.openings_for(user=world.learner)
    fits = [r.fit for r in page.object_list]
    assert [f.qualified for f in fits] == [True, True, False]
    assert fits[-1].score < fits[1].score


def test_openings_for_chosen_universities_and_closed_ones_are_left_out(world):
    other_university = make_organization(creator=make_user("a@zju.test"), name="ZJU", kind=OrganizationKind.UNIVERSITY,
                                         country="CN")
    only_zju = make_opening(world.employer, "ZJU only", required=[world.python], who_may_apply=WhoMayApply.UNIVERSITIES)
    only_zju.universities.set([other_university])
    only_ntu = make_opening(world.employer, "NTU only", required=[world.python], who_may_apply=WhoMayApply.UNIVERSITIES)
    only_ntu.universities.set([world.university])
    make_opening(world.employer, "Closed", required=[world.python], status=OpeningStatus.CLOSED)
    make_opening(world.employer, "Past deadline", required=[world.python], deadline=timezone.now() - timedelta(days=1))
    titles = {r.opening.title for r in recommend.openings_for(user=world.learner).object_list}
    assert "NTU only" in titles
    assert not titles & {"ZJU only", "Closed", "Past deadline"}


def test_an_opening_applied_to_is_not_recommended_again(world):
    Application.objects.create(opening=world.opening, applicant=world.learner)
    titles = {r.opening.title for r in recommend.openings_for(user=world.learner).object_list}
    assert "Data Engineering Intern" not in titles


def test_a_revoked_credential_no_longer_counts_for_the_learner(world):
    credential_services.revoke(actor=world.university_admin, credential=world.cert, reason="Exam taken by another.")
    page = recommend.openings_for(user=world.learner)
    intern = next(r for r in page.object_list if r.opening == world.opening)
    assert [m.slug for m in intern.fit.required_missing] == ["sql"]  # python still backed by the competition award
    assert intern.fit.required_met[0].credentials[0].name == "Churn Challenge: 3rd"
    assert not intern.fit.qualified
    response = client_for(world.learner).get("/talent/recommended/")
    assert str(world.cert.uuid) not in response.content.decode()


def test_learner_page_makes_a_constant_number_of_queries(world):
    def count() -> int:
        client = client_for(world.learner)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/talent/recommended/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(30):
        make_opening(world.other_employer if i % 2 else world.employer, f"Opening {i}",
                     required=[world.python, world.ml][: 1 + i % 2], preferred=[world.sql])
    assert count() == few
    assert client_for(world.learner).get("/talent/recommended/?page=2").status_code == 200


def test_the_page_shows_at_phone_and_desktop_without_user_markup(world):
    world.opening.title = "<script>alert(1)</script>"
    world.opening.save()
    html = client_for(world.learner).get("/talent/recommended/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


# --- an employer's candidates ----------------------------------------------------------------------

SEES_CANDIDATES = {"employer_staff", "employer_admin", "operator"}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_candidates(world, role):
    response = client_for(world.actor(role)).get(f"/talent/openings/{world.opening.uuid}/candidates/")
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in SEES_CANDIDATES:
        assert response.status_code == 200
        assert [c.profile.user for c in response.context["page"].object_list] == [world.learner, world.ben, world.dee]
    else:
        assert response.status_code == 404


def test_an_unverified_employers_admin_sees_no_candidates_even_for_their_own_opening(world):
    response = client_for(world.unverified_admin).get(f"/talent/openings/{world.unverified_opening.uuid}/candidates/")
    assert response.status_code == 404


def test_an_unknown_opening_is_404(world):
    response = client_for(world.employer_admin).get(
        "/talent/openings/00000000-0000-0000-0000-000000000000/candidates/")
    assert response.status_code == 404
    assert client_for(world.employer_admin).get("/talent/openings/not-a-uuid/candidates/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_a_hidden_profile_never_appears_for_any_role(world, role):
    for opening in (world.opening, world.ml_job, world.other_opening):
        response = client_for(world.actor(role)).get(f"/talent/openings/{opening.uuid}/candidates/")
        assert "Cai Hidden" not in response.content.decode()
    if role in SEES_CANDIDATES:
        for opening in (world.opening, world.ml_job):
            ids = {c.profile.user_id for c in recommend.candidates_for(opening=opening).object_list}
            assert world.cai.pk not in ids


def test_a_hidden_applicant_is_not_among_the_recommended_candidates(world):
    Application.objects.create(opening=world.opening, applicant=world.cai)
    page = recommend.candidates_for(opening=world.opening)
    assert world.cai.pk not in {c.profile.user_id for c in page.object_list}


def test_candidates_are_ranked_with_reasons_and_credential_links(world):
    Application.objects.create(opening=world.opening, applicant=world.ben)
    response = client_for(world.employer_admin).get(f"/talent/openings/{world.opening.uuid}/candidates/")
    items = response.context["page"].object_list
    first = items[0]
    assert first.profile.user == world.learner and first.fit.qualified
    assert {c.uuid for m in first.fit.required_met for c in m.credentials} == {str(world.cert.uuid),
                                                                              str(world.award.uuid)}
    assert not items[1].fit.qualified and [m.slug for m in items[1].fit.required_missing] == ["sql"]
    assert items[1].application_stage == "applied"
    html = response.content.decode()
    assert f"/credentials/{world.cert.uuid}/" in html
    assert f"/talent/people/{first.profile.pk}/" in html
    assert "Data engineer in training" in html and "self-declared" in html


def test_a_revoked_credential_drops_out_of_the_candidates_once_the_index_is_rebuilt(world):
    credential_services.revoke(actor=world.university_admin, credential=world.cert, reason="Exam taken by another.")
    index(world.learner)
    items = recommend.candidates_for(opening=world.opening).object_list
    learner = next(i for i in items if i.profile.user == world.learner)
    assert not learner.fit.qualified
    assert [m.slug for m in learner.fit.required_missing] == ["sql"]
    assert str(world.cert.uuid) not in {c.uuid for m in learner.fit.required_met for c in m.credentials}
    assert learner.fit.term("level").points == 0  # the certification was the only one


def test_required_credentials_are_read_from_current_credentials(world):
    world.opening.required_credentials = [{"kind": "certification", "level": 2}]
    world.opening.save()
    items = recommend.candidates_for(opening=world.opening).object_list
    by_user = {i.profile.user: i.fit for i in items}
    assert by_user[world.learner].credentials_met[0]["uuid"] == str(world.cert.uuid)
    assert by_user[world.dee].credentials_missing == ({"kind": "certification", "level": 2},)


def test_an_opening_without_skills_still_ranks_visible_profiles(world):
    plain = make_opening(world.employer, "Anything goes")
    items = recommend.candidates_for(opening=plain).object_list
    assert {i.profile.user for i in items} == {world.learner, world.ben, world.dee}
    assert items[0].profile.user == world.learner  # best competition placing, level and grade


def test_candidates_page_makes_a_constant_number_of_queries(world):
    world.opening.required_credentials = [{"kind": "certification", "level": 1}]
    world.opening.save()

    def count() -> int:
        client = client_for(world.employer_admin)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/talent/openings/{world.opening.uuid}/candidates/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(30):
        person = make_user(f"p{i}@student.test", f"Person {i}")
        profile = declare(person, visibility=Visibility.PUBLIC if i % 2 else Visibility.PARTNERS)
        ProfileSkill.objects.create(profile=profile, skill=world.python if i % 3 else world.sql, level=i % 4)
        if i % 5 == 0:
            issue(world, person, name=f"Course {i}", skills=[world.python])
    assert count() == few


def test_ties_are_broken_the_same_way_every_time(world):
    for i in range(5):
        profile = declare(make_user(f"twin{i}@student.test", f"Twin {i}"))
        ProfileSkill.objects.create(profile=profile, skill=world.python)
    first = [c.profile.pk for c in recommend.candidates_for(opening=world.opening).object_list]
    again = [c.profile.pk for c in recommend.candidates_for(opening=world.opening).object_list]
    assert first == again
    twins = [pk for pk, c in zip(first, recommend.candidates_for(opening=world.opening).object_list, strict=True)
             if c.profile.user.name.startswith("Twin")]
    assert twins == sorted(twins)


def test_the_pool_for_an_opening_without_skills_takes_the_best_placed_first(world, monkeypatch):
    for i in range(3):
        declare(make_user(f"unplaced{i}@student.test", f"Unplaced {i}"))  # no competition placing
    monkeypatch.setattr(recommend, "CANDIDATE_POOL", 1)
    items = recommend.candidates_for(opening=make_opening(world.employer, "Anything goes")).object_list
    assert [i.profile.user for i in items] == [world.learner]  # on PostgreSQL too, where NULL sorts first
