"""Schemathesis against /api/v1/openapi.json: every operation, anonymously and with a token, with
bounded, derandomized examples. No answer may be a server error, and every answer must be one the
schema documents (status code, content type, body), so the schema tells API users the truth.

The data behind the token: a member of a university, registered in a team of a published
competition (with a submission), enrolled in a course. Path parameters are the real slugs and ids
in every other valid example, so answers other than 404 are checked too.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from forward.academy import services as academy
from forward.academy.models import Course, CourseRun, CourseStatus, Lesson, LessonKind, Module
from forward.competitions import services as competitions
from forward.competitions import submissions
from forward.competitions.models import Competition
from forward.core.models import Membership, OrganizationKind
from forward.core.services import api_token_create
from forward.wsgi import application
from tests.competitions.conftest import predictions_csv, solution_csv, upload
from tests.conftest import make_organization, make_user

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# Rules a JSON Schema cannot state, so a schema-valid request may still get the documented 400: a
# submission's file must be a CSV matching the solution; a progress event's time must be neither in
# the future nor more than a year old. Every other check still runs on these two.
CONTENT_RULES = {"/api/v1/competitions/{slug}/submissions", "/api/v1/academy/progress"}
# Talent openings: skills, universities and countries must exist, a pay range be ordered and have a
# currency; a pay filter needs its currency and period.
CONTENT_RULES |= {"/api/v1/talent/openings", "/api/v1/talent/openings/{uuid}"}

EXAMPLES = 12  # per operation and caller; with the deterministic coverage cases, enough to find what broke before


class World:
    pass


@pytest.fixture
def _connection_kept_open():
    """The WSGI handler closes the database connection after each request, which would close the
    test's transaction; Django's test client turns that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, settings, tmp_path, _connection_kept_open):
    settings.MEDIA_ROOT = tmp_path / "files"
    w = World()
    w.host = make_user("host@lab.test", "Hana Host")
    w.learner = make_user("learner@uni.test", "Lee Learner")
    w.lab = make_organization(creator=w.host, name="Retail Lab", kind=OrganizationKind.HOST, country="CN")
    w.uni = make_organization(creator=w.host, name="Uni", kind=OrganizationKind.UNIVERSITY, country="SG")
    Membership.objects.create(user=w.learner, organization=w.uni)
    now = timezone.now()
    w.competition = competitions.competition_create(
        actor=w.host, host=w.lab, title="Repeat buyers", metric="auc", starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10))
    phase = competitions.solution_upload(actor=w.host, phase=w.competition.phases.get(),
                                         upload=upload(solution_csv(), "solution.csv"))
    competitions.competition_publish(actor=w.host, competition=w.competition)
    w.competition = Competition.objects.get(pk=w.competition.pk)
    competitions.register(user=w.learner, competition=w.competition)
    competitions.team_create(user=w.learner, competition=w.competition, name="Gradient Gang")
    w.submission = submissions.submission_create(user=w.learner, phase=phase, upload=upload(predictions_csv()),
                                                 description="first")
    course = Course.objects.create(slug="cloud-101", title="Cloud", owner=w.uni, status=CourseStatus.PUBLISHED)
    module = Module.objects.create(course=course, title="Basics")
    w.lesson = Lesson.objects.create(module=module, course=course, slug="intro", kind=LessonKind.VIDEO, title="Intro")
    run = CourseRun.objects.create(course=course, cohort="Open", enrolment_ends=now + timedelta(days=5),
                                   starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30))
    academy.enrol(user=w.learner, run=run)
    _token, w.token = api_token_create(user=w.learner, name="schemathesis")
    return w


def _real_path_parameters(world) -> dict[str, dict[str, object]]:
    competition = {"slug": world.competition.slug}
    return {
        "/api/v1/organizations/{slug}": {"slug": world.uni.slug},
        "/api/v1/organizations/{slug}/members": {"slug": world.uni.slug},
        "/api/v1/competitions/{slug}": competition,
        "/api/v1/competitions/{slug}/leaderboard": competition,
        "/api/v1/competitions/{slug}/submissions": competition,
        "/api/v1/submissions/{submission_id}": {"submission_id": world.submission.pk},
    }


@pytest.mark.parametrize("caller", ["anonymous", "token"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_schema_says(case, caller, world):
    counter = _COUNTERS.setdefault((case.operation.label, caller), itertools.count())
    real = _real_path_parameters(world).get(case.operation.path)
    positive = case.meta is None or not case.meta.generation.mode.is_negative
    if real and positive and next(counter) % 2:  # a negative case stays as generated
        case.path_parameters = {**(case.path_parameters or {}), **real}
    headers = {"Authorization": f"Bearer {world.token}"} if caller == "token" else None
    excluded = [positive_data_acceptance] if case.operation.path in CONTENT_RULES else []
    case.call_and_validate(headers=headers, excluded_checks=excluded)


_COUNTERS: dict = {}
