from datetime import timedelta

import pytest
from django.utils import timezone

from forward.academy.models import (
    Course,
    CourseRun,
    CourseStatus,
    Lesson,
    LessonKind,
    Module,
    Skill,
)
from forward.core.models import Membership, OrganizationKind
from tests.conftest import make_organization, make_user


class World:
    pass


@pytest.fixture
def academy(db) -> World:
    w = World()
    w.admin = make_user("admin@ntu.test", "Uni Admin")
    w.student = make_user("student@ntu.test", "Stu Dent")
    w.outsider = make_user("someone@else.test", "Some One")
    w.university = make_organization(creator=w.admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    Membership.objects.create(user=w.student, organization=w.university)
    w.course = Course.objects.create(slug="cloud-101", title="Cloud Computing Fundamentals", owner=w.university,
                                     status=CourseStatus.PUBLISHED, summary="Servers, storage, networks.")
    w.course.skills.add(Skill.objects.create(slug="linux", name="Linux"))
    module = Module.objects.create(course=w.course, title="Basics")
    w.video = Lesson.objects.create(module=module, course=w.course, order=0, slug="what-is-cloud", kind=LessonKind.VIDEO,
                                    title="What the cloud is", video_url="/static/demo.mp4",
                                    captions_vtt="WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n")
    w.reading = Lesson.objects.create(module=module, course=w.course, order=1, slug="notes", kind=LessonKind.READING,
                                      title="Notes", body="**Bold** <script>x()</script>")
    now = timezone.now()
    w.open_run = CourseRun.objects.create(course=w.course, cohort="Open 2026", enrolment_ends=now + timedelta(days=5),
                                          starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30))
    w.uni_run = CourseRun.objects.create(course=w.course, cohort="NTU S1", university=w.university,
                                         enrolment_ends=now + timedelta(days=5), starts_at=now - timedelta(days=1),
                                         ends_at=now + timedelta(days=30))
    return w
