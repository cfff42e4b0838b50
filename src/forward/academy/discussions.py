"""The discussion boards of courses and course runs, described for discussions (which imports
nothing from academy): `academy.course:<id>` is open to read for a published course (its team sees
a draft's), and anyone signed in posts; `academy.run:<id>` is for the run's enrolled learners, its
instructors and whoever sees its cohort (the university's admins; an open run's course team).
Moderators: the course owner's admins and staff / the run's instructors and cohort viewers."""

from __future__ import annotations

from django.urls import reverse

from forward.core.models import ACTING_ROLES, User
from forward.core.permissions import role_in
from forward.discussions import boards

from . import permissions
from .models import Course, CourseRun, CourseStatus, Enrolment

COURSE = "academy.course"
RUN = "academy.run"


def course_board(course: Course) -> str:
    return boards.ref(COURSE, course.pk)


def run_board(run: CourseRun) -> str:
    return boards.ref(RUN, run.pk)


def _course_staff(user: User, course: Course) -> bool:
    return role_in(user, course.owner) in ACTING_ROLES


def _course_readable(user: User, course: Course) -> bool:
    return course.status == CourseStatus.PUBLISHED or permissions.can_author(user, course)


def _run_readable(user: User, run: CourseRun) -> bool:
    return user.is_authenticated and (Enrolment.objects.filter(run=run, user=user).exists()
                                      or permissions.can_view_cohort(user, run))


def register() -> None:
    boards.register(
        COURSE, load=lambda pk: Course.objects.select_related("owner").filter(pk=pk).first(),
        title=lambda course: course.title, url=lambda course: reverse("academy:course", args=[course.slug]),
        can_read=_course_readable, can_post=lambda user, course: _course_readable(user, course),
        is_staff=_course_staff)
    boards.register(
        RUN, load=lambda pk: CourseRun.objects.select_related("course", "university").filter(pk=pk).first(),
        title=lambda run: f"{run.course.title} · {run.cohort}",
        url=lambda run: reverse("academy:course", args=[run.course.slug]),
        can_read=_run_readable, can_post=_run_readable, is_staff=permissions.can_view_cohort)
