from datetime import timedelta

import pytest
from django.utils import timezone

from forward.academy import assessments, selectors, services
from forward.academy.models import (
    Assessment,
    CompletionRule,
    Course,
    CourseRun,
    CourseStatus,
    Programme,
    ProgrammeCourse,
    Question,
    QuestionKind,
)
from tests.conftest import client_for

PASSING = {"types": [{"type": "quiz", "weight": 1.0, "min_count": 1, "drop_lowest": 0}], "cutoffs": {"pass": 0.5}}


def pass_course(academy, course, run):
    course.grading_policy = PASSING
    course.save()
    quiz = Assessment.objects.create(course=course, title=f"{course.title} quiz")
    Question.objects.create(assessment=quiz, kind=QuestionKind.NUMERIC, prompt="1+1", correct=[2])
    services.enrol(user=academy.student, run=run)
    attempt = assessments.attempt_start(user=academy.student, assessment=quiz)
    assessments.answer_save(user=academy.student, attempt_id=attempt.pk, question_id=attempt.question_ids[0],
                            answer="2")
    assessments.attempt_submit(user=academy.student, attempt_id=attempt.pk)


@pytest.fixture
def programme(academy):
    now = timezone.now()
    elective = Course.objects.create(slug="ml", title="Machine Learning", owner=academy.university,
                                     status=CourseStatus.PUBLISHED, credit_units=3)
    academy.elective_run = CourseRun.objects.create(course=elective, cohort="Open", starts_at=now,
                                                    enrolment_ends=now + timedelta(days=3),
                                                    ends_at=now + timedelta(days=9))
    academy.course.credit_units = 3
    academy.course.save()
    p = Programme.objects.create(slug="ai-forward", title="AI Forward", kind="developers", electives_required=1)
    ProgrammeCourse.objects.create(programme=p, course=academy.course, required=True, order=0)
    ProgrammeCourse.objects.create(programme=p, course=elective, required=False, order=1)
    academy.elective = elective
    return p


def test_a_programme_completes_when_required_and_electives_are_passed_and_released(academy, programme):
    pass_course(academy, academy.course, academy.uni_run)
    progress = selectors.programme_progress(programme=programme, user=academy.student)
    assert progress["required_done"] == 0  # nothing counts before staff release the grades
    services.grades_release(actor=academy.admin, run=academy.uni_run)
    progress = selectors.programme_progress(programme=programme, user=academy.student)
    assert progress["required_done"] == 1 and not progress["complete"]
    pass_course(academy, academy.elective, academy.elective_run)
    academy.elective_run.grades_released_at = timezone.now()
    academy.elective_run.save()
    progress = selectors.programme_progress(programme=programme, user=academy.student)
    assert progress["complete"] and progress["credits"] == 6 and progress["average"] == 4.0
    html = client_for(academy.student).get("/academy/programmes/ai-forward/").content.decode()
    assert "Completed" in html


def test_a_minimasters_needs_credits_at_a_grade_average(academy, programme):
    programme.completion_rule = CompletionRule.CREDITS
    programme.credits_required = 6
    programme.minimum_grade_average = "2.50"
    programme.save()
    pass_course(academy, academy.course, academy.uni_run)
    services.grades_release(actor=academy.admin, run=academy.uni_run)
    progress = selectors.programme_progress(programme=programme, user=academy.student)
    assert progress["credits"] == 3 and not progress["complete"]
    assert "AI Forward" in client_for(None).get("/academy/programmes/ai-forward/").content.decode()


def test_a_prerequisite_is_passed_before_enrolling(academy, programme):
    """Machine Learning builds on the cloud course: enrolment waits until that course is passed and
    its grades released; the course page says what is missing."""
    from django.core.exceptions import ValidationError
    from django.urls import reverse

    from forward.academy.models import Enrolment

    academy.elective.prerequisites.add(academy.course)
    with pytest.raises(ValidationError, match="Pass Cloud Computing Fundamentals first"):
        services.enrol(user=academy.student, run=academy.elective_run)
    client = client_for(academy.student)
    response = client.post(reverse("academy:enrol", args=["ml", academy.elective_run.pk]), follow=True)
    page = response.content.decode()
    assert "Pass Cloud Computing Fundamentals first" in page and 'data-testid="prerequisites"' in page
    assert not Enrolment.objects.filter(run=academy.elective_run).exists()
    pass_course(academy, academy.course, academy.uni_run)
    with pytest.raises(ValidationError):  # passed, but not yet released by staff
        services.enrol(user=academy.student, run=academy.elective_run)
    services.grades_release(actor=academy.admin, run=academy.uni_run)
    services.enrol(user=academy.student, run=academy.elective_run)
    assert "Passed" in client.get(reverse("academy:course", args=["ml"])).content.decode()
