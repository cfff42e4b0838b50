"""The home after sign-in (/dashboard/): each role sees the cards that matter to it, with only the
actions it may take, in a constant number of queries; the navigation shows what the person uses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forward.academy.models import (
    Course,
    CourseRun,
    CourseStatus,
    Enrolment,
    Lesson,
    LessonKind,
    Module,
)
from forward.competitions.models import (
    Competition,
    CompetitionStatus,
    LeaderboardEntry,
    Phase,
    Submission,
    SubmissionStatus,
    Team,
    TeamMember,
)
from forward.core import home
from forward.core.context_processors import _nav_items
from forward.core.models import Membership, OrganizationKind, Role, Skill
from forward.credentials import services as credentials
from forward.credentials.models import CredentialKind
from forward.talent.models import Application, Opening, OpeningStatus, Stage
from forward.ventures.models import Deal, DealStage
from tests.conftest import client_for, make_organization, make_user
from tests.talent.conftest import award


class World:
    pass


def _enrol(run, user, *, done: int, active_days_ago: int | None, created_days_ago: int = 20):
    now = timezone.now()
    return Enrolment.objects.create(
        run=run, user=user, completed_lessons=done, created_at=now - timedelta(days=created_days_ago),
        last_activity_at=None if active_days_ago is None else now - timedelta(days=active_days_ago))


def _team(competition, phase, user, name: str, score: float | None):
    team = Team.objects.create(competition=competition, name=name, invite_code=f"code-{name}")
    TeamMember.objects.create(team=team, user=user, competition=competition)
    if score is not None:
        now = timezone.now()
        submission = Submission.objects.create(phase=phase, team=team, submitted_by=user, file="x.csv",
                                               original_name="x.csv", status=SubmissionStatus.SCORED,
                                               public_score=score)
        LeaderboardEntry.objects.create(phase=phase, team=team, best_public=score, sort_key=-score,
                                        best_submission=submission, best_at=now, entries=1, last_submission_at=now)
    return team


@pytest.fixture
def world(db):
    w = World()
    now = timezone.now()
    w.operator = make_user("operator@forward.test", "Olivia Operator", is_staff=True)
    w.uni_admin = make_user("admin@ntu.test", "Wei Ling Admin")
    w.student = make_user("student@ntu.test", "Aisyah Student")
    w.laggard = make_user("laggard@ntu.test", "Lee Laggard")
    w.peer = make_user("peer@ntu.test", "Pat Peer")
    w.professor = make_user("professor@cloudwave.test", "Dr Zhang")
    w.newcomer = make_user("new@example.test", "Nina Newcomer")
    w.pending_admin = make_user("admin@pending.test", "Pending Admin")
    w.hr = make_user("hr@straits.test", "Hana HR")
    w.host = make_user("host@tianmu.test", "Sun Host")
    w.investor = make_user("investor@lioncity.test", "Marcus Investor")
    w.founder = make_user("founder@kampung.test", "Farah Founder")

    w.ntu = make_organization(creator=w.uni_admin, name="Nanyang Tech", kind=OrganizationKind.UNIVERSITY,
                              country="SG")
    for user in (w.student, w.laggard, w.peer, w.professor):
        Membership.objects.create(user=user, organization=w.ntu, role=Role.MEMBER)
    w.pending = make_organization(creator=w.pending_admin, name="Pending University",
                                  kind=OrganizationKind.UNIVERSITY, country="MY", verified=False)
    w.straits = make_organization(creator=w.hr, name="Straits Fintech", kind=OrganizationKind.EMPLOYER, country="SG")
    w.tianmu = make_organization(creator=w.host, name="Tianmu Data Lab", kind=OrganizationKind.HOST, country="CN")
    w.lioncity = make_organization(creator=w.investor, name="Lion City Ventures", kind=OrganizationKind.INVESTOR,
                                   country="SG")
    w.kampung = make_organization(creator=w.founder, name="Kampung Cloud", kind=OrganizationKind.STARTUP,
                                  country="MY")

    # A course with four lessons, run at NTU now, ending tomorrow; taught by the professor.
    w.course = Course.objects.create(slug="cloud-101", title="Cloud Computing Fundamentals", owner=w.ntu,
                                     status=CourseStatus.PUBLISHED)
    module = Module.objects.create(course=w.course, title="Basics")
    w.lessons = [Lesson.objects.create(module=module, course=w.course, order=i, slug=f"lesson-{i}",
                                       title=f"Lesson {i}", kind=LessonKind.READING) for i in range(4)]
    w.run = CourseRun.objects.create(course=w.course, university=w.ntu, cohort="NTU Semester 1",
                                     enrolment_ends=now, starts_at=now - timedelta(days=30),
                                     ends_at=now + timedelta(days=1))
    w.run.instructors.add(w.professor)
    w.enrolment = _enrol(w.run, w.student, done=2, active_days_ago=0)
    _enrol(w.run, w.peer, done=3, active_days_ago=1)
    _enrol(w.run, w.laggard, done=0, active_days_ago=None)

    # A competition at Tianmu with a round closing in five days; the student's team is second of two.
    w.competition = Competition.objects.create(slug="tmall", title="Tmall repeat buyers", host=w.tianmu,
                                               metric="auc", status=CompetitionStatus.PUBLISHED, published_at=now)
    w.phase = Phase.objects.create(competition=w.competition, name="Preliminary round",
                                   starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=5))
    _team(w.competition, w.phase, w.peer, "Leaders", 0.91)
    w.team = _team(w.competition, w.phase, w.student, "Kernel Squad", 0.85)

    # One credential for the student.
    credentials.issue([award(recipient=w.student, issuer=w.ntu, kind=CredentialKind.COURSE_COMPLETION,
                             key="course:cloud", name="Cloud Computing Fundamentals certificate", facts={})])

    # Straits' open opening with one new application to screen.
    Skill.objects.get_or_create(slug="python", defaults={"name": "Python"})
    w.opening = Opening.objects.create(organization=w.straits, title="Cloud engineering intern",
                                       status=OpeningStatus.OPEN, published_at=now)
    Application.objects.create(opening=w.opening, applicant=w.peer, stage=Stage.APPLIED)

    # Lion City's pipeline: Kampung Cloud in due diligence.
    Deal.objects.create(investor=w.lioncity, startup=w.kampung, stage=DealStage.DUE_DILIGENCE, created_by=w.investor)
    return w


def cards(user, *, operator: bool = False) -> dict[str, home.Card]:
    memberships = list(Membership.objects.filter(user=user).select_related("organization"))
    groups = home.cards_for(user, memberships=memberships, is_operator=operator)
    return {card.key: card for group in groups for card in group["cards"]}


def action_urls(card: home.Card) -> list[str]:
    return [action.url for action in card.actions]


def page(user):
    response = client_for(user).get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


# --- each role's cards ------------------------------------------------------------------------------

def test_a_learner_sees_progress_next_lesson_deadlines_competition_rank_credentials_and_openings(world):
    found = cards(world.student)
    [course] = found["learner-continue"].items
    assert course.text == "Cloud Computing Fundamentals" and course.progress == 50
    assert "next: Lesson 0" in course.meta  # no lesson marked done: the first one comes next
    assert course.url == reverse("academy:lesson", args=["cloud-101", "lesson-0"])

    deadlines = found["deadlines"].items  # academy's and competitions' dates in one card, soonest first
    assert [item.text for item in deadlines] == ["Cloud Computing Fundamentals: NTU Semester 1",
                                            "Tmall repeat buyers: Preliminary round"]
    assert deadlines[0].tone == "urgent" and deadlines[1].tone == "warning"

    [competition] = found["learner-competitions"].items
    assert competition.meta == "Team Kernel Squad · rank 2 of 2"
    [credential] = found["learner-credentials"].items
    assert credential.text == "Cloud Computing Fundamentals certificate"
    assert "learner-openings" in found
    assert not any(key.startswith(("instructor", "university", "employer", "host", "operator")) for key in found)


def test_a_brand_new_learner_is_welcomed_with_courses_competitions_and_openings_not_asked_to_make_an_organization(
        world):
    found = cards(world.newcomer)
    assert [item.text for item in found["learner-start"].items] == ["Cloud Computing Fundamentals"]
    assert reverse("academy:catalogue") in action_urls(found["learner-start"])
    assert [item.text for item in found["learner-competitions"].items] == ["Tmall repeat buyers"]
    assert [item.text for item in found["learner-openings"].items] == ["Cloud engineering intern"]
    html = page(world.newcomer)
    assert html.index("Start learning") < html.index("Create an organization")
    assert "learner-continue" not in found and "deadlines" not in found


def test_an_instructor_sees_their_cohort_and_who_is_falling_behind(world):
    found = cards(world.professor)
    [run] = found["instructor-runs"].items
    assert run.text == "Cloud Computing Fundamentals" and "3 students · 1 falling behind" in run.meta
    [behind] = found["instructor-behind"].items
    assert behind.text == "Lee Laggard"
    assert "inactive for 20 days" in behind.meta
    assert behind.url == reverse("academy:cohort", args=[world.run.pk])


def test_a_university_admin_sees_cohorts_and_outcome_figures_with_their_actions(world):
    found = cards(world.uni_admin)
    [run] = found["university-cohorts"].items
    assert "3 students" in run.meta
    assert [f.label for f in found["university-outcomes"].figures] == ["Students enrolled", "Certified", "Placed"]
    urls = action_urls(found["university-outcomes"])
    assert reverse("talent:students", args=[world.ntu.slug]) in urls and reverse("academy:vouchers") in urls
    assert "learner-start" not in found  # their job here is the university


def test_an_unverified_university_admin_gets_no_issuing_or_publishing_actions(world):
    found = cards(world.pending_admin)
    assert list(found) == [f"university-unverified-{world.pending.slug}"]
    card = found[f"university-unverified-{world.pending.slug}"]
    assert "Not verified yet" in card.subtitle
    assert action_urls(card) == [reverse("core:organization_detail", args=[world.pending.slug])]
    html = page(world.pending_admin)
    for forbidden in (reverse("academy:vouchers"), reverse("talent:students", args=[world.pending.slug]),
                      reverse("credentials:issued")):
        assert f'href="{forbidden}"' not in html


def test_an_employer_sees_openings_with_applicants_to_screen(world):
    found = cards(world.hr)
    [opening] = found["employer-openings"].items
    assert opening.text == "Cloud engineering intern" and "1 to screen" in opening.meta
    assert reverse("talent:opening_create", args=[world.straits.slug]) in action_urls(found["employer-openings"])
    assert found["employer-openings"].priority >= 50  # someone waits: it comes first


def test_an_unverified_employer_may_prepare_drafts_only(world):
    other = make_user("hr@pending-employer.test")
    org = make_organization(creator=other, name="Not Yet Ltd", kind=OrganizationKind.EMPLOYER, country="SG",
                            verified=False)
    found = cards(other)
    card = found[f"employer-unverified-{org.slug}"]
    assert action_urls(card) == [reverse("talent:opening_create", args=[org.slug])]
    assert "employer-openings" not in found


def test_a_host_sees_competitions_with_the_weeks_activity(world):
    Submission.objects.create(phase=world.phase, team=world.team, submitted_by=world.student, file="y.csv",
                              original_name="y.csv", status=SubmissionStatus.FAILED)
    [competition] = cards(world.host)["host-competitions"].items
    assert competition.text == "Tmall repeat buyers"
    assert competition.meta == "2 teams · 3 submissions this week · 1 failed"
    assert competition.url == reverse("competitions:host", args=["tmall"])


def test_an_investor_sees_the_pipeline_and_a_founder_their_startup(world):
    investor = cards(world.investor)["ventures"]
    assert {f.label: f.value for f in investor.figures}["Due diligence"] == "1"
    assert reverse("ventures:pipeline") in action_urls(investor)
    founder = cards(world.founder)["ventures"]
    assert reverse("ventures:my_startup") in action_urls(founder)
    assert reverse("ventures:pipeline") not in action_urls(founder) and not founder.figures


def test_an_operator_sees_programme_health_and_organizations_awaiting_verification(world):
    found = cards(world.operator, operator=True)
    assert [item.text for item in found["operator-verification"].items] == ["Pending University"]
    assert [f.label for f in found["operator-health"].figures] == [
        "Talents cultivated", "Developers empowered", "Startups powered", "Professionals certified"]
    html = page(world.operator)
    assert "Organizations awaiting verification" in html and "Programme health" in html


def test_someone_in_several_roles_sees_every_group_the_most_urgent_first(world):
    Membership.objects.create(user=world.professor, organization=world.straits, role=Role.STAFF)
    groups = home.cards_for(world.professor, memberships=list(
        Membership.objects.filter(user=world.professor).select_related("organization")))
    keys = [group["key"] for group in groups]
    assert {"teaching", "hiring"} <= set(keys)
    priorities = [group["cards"][0].priority for group in groups]
    assert priorities == sorted(priorities, reverse=True)


def test_the_home_page_escapes_what_people_typed(world):
    world.course.title = "<script>alert(1)</script>"
    world.course.save()
    html = page(world.student)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_home_needs_sign_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- constant queries --------------------------------------------------------------------------------

def _grow(w):
    """Many more learners, teams, submissions and applications."""
    now = timezone.now()
    for i in range(12):
        user = make_user(f"more{i}@ntu.test")
        Membership.objects.create(user=user, organization=w.ntu, role=Role.MEMBER)
        _enrol(w.run, user, done=i % 4, active_days_ago=i)
        _team(w.competition, w.phase, user, f"Team {i}", 0.5 + i / 100)
        Application.objects.create(opening=w.opening, applicant=user, stage=Stage.APPLIED, created_at=now)
    extra = Course.objects.create(slug="ml-101", title="Machine Learning", owner=w.ntu, status=CourseStatus.PUBLISHED)
    module = Module.objects.create(course=extra, title="Intro")
    Lesson.objects.create(module=module, course=extra, slug="intro", title="Intro", kind=LessonKind.READING)
    run = CourseRun.objects.create(course=extra, university=w.ntu, cohort="NTU ML", enrolment_ends=now,
                                   starts_at=now - timedelta(days=3), ends_at=now + timedelta(days=20))
    run.instructors.add(w.professor)
    _enrol(run, w.student, done=0, active_days_ago=2)
    other = Competition.objects.create(slug="traffic", title="Traffic", host=w.tianmu, metric="rmse",
                                       status=CompetitionStatus.PUBLISHED)
    phase = Phase.objects.create(competition=other, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=9))
    _team(other, phase, w.student, "Solo", 1.0)


ROLES = ["student", "newcomer", "professor", "uni_admin", "pending_admin", "hr", "host", "investor", "founder",
         "operator"]


@pytest.mark.parametrize("role", ROLES)
def test_each_roles_home_makes_the_same_number_of_queries_when_the_data_grows(world, role):
    user = getattr(world, role)
    client = client_for(user)
    client.get("/dashboard/")  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dashboard/").status_code == 200
        return len(queries)

    few = count()
    _grow(world)
    assert count() == few
    assert few <= 45, f"{role}'s home makes {few} queries"


# --- navigation ------------------------------------------------------------------------------------

def _nav(user, path="/dashboard/"):
    request = RequestFactory().get(path)
    request.user = user
    items = _nav_items(request)
    return ([str(i["label"]) for i in items if i["primary"]], [str(i["label"]) for i in items if not i["primary"]])


def test_anonymous_visitors_see_the_public_destinations_and_the_rest_under_more(db):
    primary, more = _nav(AnonymousUser(), "/")
    assert primary == ["Courses", "Competitions", "Verify", "Impact", "Organizations"]
    assert {"Certifications", "Jobs & internships", "Ventures", "Credentials"} <= set(more)


def test_the_navigation_shows_what_each_person_uses(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        primary, more = _nav(world.student)
    assert primary == ["Learn", "Competitions", "Credentials", "Jobs & internships"]
    assert "Ventures" in more and "Certifications" in more
    assert "Talent tools" not in more and "Teaching" not in more  # tools of roles they do not have
    assert "Talent tools" in _nav(world.hr)[0]
    assert "Teaching" in _nav(world.professor)[0] and "Teaching" in _nav(world.uni_admin)[0]
    assert "Ventures" in _nav(world.investor)[0] and "Ventures" in _nav(world.founder)[0]
    assert {"Impact", "Organizations"} <= set(_nav(world.operator)[0])


def test_the_page_puts_the_rest_under_a_more_disclosure(world):
    html = page(world.student)
    nav = html[html.index('id="main-nav"'):html.index("</nav>")]
    assert "<details>" in nav and "<summary>More</summary>" in nav
    more = nav[nav.index("<details>"):]
    assert f'href="{reverse("ventures:home")}"' in more and f'href="{reverse("competitions:list")}"' not in more
