"""A published course owned by a verified university, a run there with an instructor and an enrolled
learner, a published competition with a registered participant, and people in every role. Everyone
has had an account for a month (new accounts are rate-limited; tests of that make their own)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from forward.academy.discussions import course_board, run_board
from forward.academy.models import Course, CourseRun, CourseStatus, Enrolment
from forward.competitions.discussions import competition_board
from forward.competitions.models import Competition, CompetitionStatus, Registration
from forward.core.models import Membership, OrganizationKind, Role, User
from tests.conftest import make_organization, make_user


class World:
    def actor(self, role: str):
        return AnonymousUser() if role == "anonymous" else getattr(self, role)


def established(email: str, name: str, **fields) -> User:
    user = make_user(email, name, **fields)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=30))
    user.refresh_from_db()
    return user


@pytest.fixture
def world(db) -> World:
    w = World()
    w.admin = established("admin@v.test", "Vera Admin")
    w.staff = established("staff@v.test", "Stan Staff")
    w.instructor = established("prof@industry.test", "Ingrid Instructor")
    w.learner = established("learner@v.test", "Lea Learner")
    w.learner2 = established("learner2@v.test", "Leo Learner")
    w.student = established("student@v.test", "Stu Dent")  # at V, not enrolled in the run
    w.other_admin = established("admin@o.test", "Otto Other")
    w.unverified_admin = established("admin@u.test", "Una Verified")
    w.host = established("host@lab.test", "Hana Host")
    w.participant = established("alice@uni.test", "Alice Participant")
    w.outsider = established("eve@example.test", "Eve Outsider")
    w.operator = established("ops@forward.test", "Olivia Operator", is_staff=True)
    w.V = make_organization(creator=w.admin, name="Verified University", kind=OrganizationKind.UNIVERSITY,
                            country="SG")
    Membership.objects.create(user=w.staff, organization=w.V, role=Role.STAFF)
    for person in (w.learner, w.learner2, w.student):
        Membership.objects.create(user=person, organization=w.V, role=Role.MEMBER)
    w.O = make_organization(creator=w.other_admin, name="Other Employer", kind=OrganizationKind.EMPLOYER, country="MY")
    w.U = make_organization(creator=w.unverified_admin, name="Unverified University",
                            kind=OrganizationKind.UNIVERSITY, country="ID", verified=False)
    w.lab = make_organization(creator=w.host, name="Retail Lab", kind=OrganizationKind.HOST, country="CN")
    now = timezone.now()
    w.course = Course.objects.create(slug="cloud-101", title="Cloud Computing Fundamentals", owner=w.V,
                                     status=CourseStatus.PUBLISHED, published_at=now)
    w.run = CourseRun.objects.create(course=w.course, cohort="V 2026 spring", university=w.V,
                                     enrolment_ends=now + timedelta(days=5), starts_at=now - timedelta(days=1),
                                     ends_at=now + timedelta(days=60))
    w.run.instructors.add(w.instructor)
    for person in (w.learner, w.learner2):
        Enrolment.objects.create(run=w.run, user=person)
    w.competition = Competition.objects.create(slug="repeat-buyers", title="Repeat buyers", host=w.lab, metric="auc",
                                               status=CompetitionStatus.PUBLISHED, published_at=now)
    Registration.objects.create(competition=w.competition, user=w.participant)
    w.course_ref, w.run_ref, w.competition_ref = course_board(w.course), run_board(w.run), \
        competition_board(w.competition)
    return w
