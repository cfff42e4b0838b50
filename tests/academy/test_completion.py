"""Course completion is one rule: the course page, the lesson page, the learner's dashboard, the
cohort page and the grade book show the same whole percent for the same learner, rounded down (so
100% means every lesson is done) and never above 100."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from forward.academy import selectors, services
from forward.academy.models import Lesson, LessonKind
from tests.conftest import client_for


@pytest.mark.parametrize(("done", "total", "percent"), [
    (0, 3, 0), (1, 3, 33), (2, 3, 66), (3, 3, 100), (199, 200, 99), (4, 3, 100), (0, 0, 0), (2, 0, 0)])
def test_completion_rounds_down_and_stays_within_0_and_100(done, total, percent):
    assert selectors.completion(done, total) == percent


def _shown(academy) -> dict[str, str]:
    """The percent each place shows the student (pages as the student, the cohort and grade book as its admin)."""
    learner, admin = client_for(academy.student), client_for(academy.admin)
    course = learner.get(reverse("academy:course", args=[academy.course.slug])).content.decode()
    lesson = learner.get(reverse("academy:lesson", args=[academy.course.slug, academy.video.slug])).content.decode()
    dashboard = learner.get(reverse("academy:dashboard")).content.decode()
    cohort = admin.get(reverse("academy:cohort", args=[academy.uni_run.pk])).content.decode()
    grades = admin.get(reverse("academy:gradebook_csv", args=[academy.uni_run.pk]))
    table = list(csv.reader(io.StringIO(grades.content.decode())))
    return {
        "course": re.search(r'<progress class="meter" value="(\d+)" max="100" aria-label="Course progress">\1%</progress>', course)[1],
        "lesson": re.search(r"(\d+)% of the course done", lesson)[1],
        "dashboard": re.search(r"(\d+)% done", dashboard)[1],
        "cohort": re.search(r'data-label="Progress">(\d+)%</td>', cohort)[1],
        "grade book": table[1][table[0].index("progress_pct")],
    }


def test_every_page_and_the_grade_book_show_the_same_completion(academy):
    Lesson.objects.create(module=academy.video.module, course=academy.course, order=2, slug="more",
                          kind=LessonKind.READING, title="More notes", body="More.")
    services.enrol(user=academy.student, run=academy.uni_run)

    def complete(*lessons):
        services.progress_apply(user=academy.student, events=[
            services.ProgressEvent(lesson_id=lesson.pk, position=60, completed=True, at=timezone.now())
            for lesson in lessons])

    complete(academy.video, academy.reading)
    two_of_three = _shown(academy)
    assert set(two_of_three.values()) == {"66"}, two_of_three  # 66.7% is not yet 67% done
    assert selectors.learner_dashboard(user=academy.student)[0]["percent"] == 66
    complete(Lesson.objects.get(slug="more"))
    assert set(_shown(academy).values()) == {"100"}
