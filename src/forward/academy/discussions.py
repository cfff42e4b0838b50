"""The discussion boards of courses and course runs, described for discussions (which imports
nothing from academy): `academy.course:<id>` is open to read for a published course (its team sees
a draft's), and anyone signed in posts; `academy.run:<id>` is for the run's enrolled learners, its
instructors and whoever sees its cohort (the university's admins; an open run's course team).
Moderators: the course owner's admins and staff / the run's instructors and cohort viewers."""

from __future__ import annotations

from django.urls import reverse

from forward.discussions import boards

from . import permissions
from .models import Course, CourseRun

COURSE = "academy.course"
RUN = "academy.run"


def course_board(course: Course) -> str:
    return boards.ref(COURSE, course.pk)


def run_board(run: CourseRun) -> str:
    return boards.ref(RUN, run.pk)


def register() -> None:
    boards.register(
        COURSE, load=lambda pk: Course.objects.select_related("owner").filter(pk=pk).first(),
        title=lambda course: course.title, url=lambda course: reverse("academy:course", args=[course.slug]),
        can_read=permissions.can_view_course, can_post=permissions.can_view_course,
        is_staff=permissions.can_moderate_course_board)
    boards.register(
        RUN, load=lambda pk: CourseRun.objects.select_related("course", "university").filter(pk=pk).first(),
        title=lambda run: f"{run.course.title} · {run.cohort}",
        url=lambda run: reverse("academy:course", args=[run.course.slug]),
        can_read=permissions.can_read_run_board, can_post=permissions.can_read_run_board, is_staff=permissions.can_view_cohort)
