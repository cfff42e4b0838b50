from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from forward.academy import assessments, services
from forward.academy.models import Assessment, Question, QuestionKind
from forward.core.models import Membership, OrganizationKind, Role
from tests.academy.conftest import World, academy  # noqa: F401 - the academy world, reused
from tests.conftest import make_organization, make_user

# quiz 100%; pass 50%, merit 70%, distinction 85%; achievement certificate from merit up
POLICY = {"types": [{"type": "quiz", "weight": 1.0, "min_count": 1, "drop_lowest": 0}],
          "cutoffs": {"pass": 0.5, "merit": 0.7, "distinction": 0.85},
          "certificates": {"completion": True, "achievement": "merit"}}


def sit_quiz(user, quiz, right: int, of: int = 4) -> None:
    attempt = assessments.attempt_start(user=user, assessment=quiz)
    for i, qid in enumerate(attempt.question_ids):
        assessments.answer_save(user=user, attempt_id=attempt.pk, question_id=qid, answer="2" if i < right else "3")
    assessments.attempt_submit(user=user, attempt_id=attempt.pk)


@pytest.fixture
def cohort(academy):  # noqa: F811
    """NTU's run with four students: 100% (distinction), 75% (merit), 50% (pass), 25% (fail)."""
    w = academy
    w.course.grading_policy = POLICY
    w.course.credit_units = 4
    w.course.save()
    w.quiz = Assessment.objects.create(course=w.course, title="Check")
    for i in range(4):
        Question.objects.create(assessment=w.quiz, kind=QuestionKind.NUMERIC, prompt=f"1+1 ({i})", correct=[2], order=i)
    w.top = w.student
    w.merit = make_user("merit@ntu.test", "Mei Rit")
    w.pass_ = make_user("pass@ntu.test", "Pa Ss")
    w.fail = make_user("fail@ntu.test", "Fa Il")
    for user, right in ((w.top, 4), (w.merit, 3), (w.pass_, 2), (w.fail, 1)):
        if user != w.student:
            Membership.objects.create(user=user, organization=w.university)
        services.enrol(user=user, run=w.uni_run)
        sit_quiz(user, w.quiz, right)
    w.operator = make_user("ops@forward.test", "Op Erator", is_staff=True)
    w.operator_org = make_organization(creator=w.operator, name="Programme Office", kind=OrganizationKind.OPERATOR,
                                         country="SG")
    w.other_admin = make_user("admin@zju.test", "Other Admin")
    w.other_university = make_organization(creator=w.other_admin, name="ZJU", kind=OrganizationKind.UNIVERSITY,
                                             country="CN")
    w.plain_member = make_user("staff@ntu.test", "Plain Member")
    Membership.objects.create(user=w.plain_member, organization=w.university, role=Role.MEMBER)
    return w


def committed():
    """Run what is deferred to commit (background issuing) when the block ends, as a real
    transaction would; tests run inside one that never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def release(w):
    with committed():
        services.grades_release(actor=w.admin, run=w.uni_run)
    w.uni_run.refresh_from_db()


def later(days: int = 0):
    return timezone.now() + timedelta(days=days)
