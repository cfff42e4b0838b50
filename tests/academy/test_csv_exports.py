"""Grade books and voucher lists open in spreadsheets: text that would start a formula is quoted."""

import csv
import io

from django.urls import reverse

from forward.academy import assessments, certifications, services
from forward.academy.models import (
    Assessment,
    AssessmentKind,
    CertificationLevel,
    Question,
    QuestionKind,
)
from tests.academy.test_certifications import _certification
from tests.conftest import client_for


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_grade_book_quotes_a_hostile_learner_name_and_quiz_title(academy):
    academy.student.name = "@SUM(1+1)"
    academy.student.save()
    quiz = Assessment.objects.create(course=academy.course, title="-2+3", kind=AssessmentKind.QUIZ,
                                     shuffle_options=False)
    Question.objects.create(assessment=quiz, kind=QuestionKind.NUMERIC, prompt="1+1", correct=[2])
    services.enrol(user=academy.student, run=academy.uni_run)
    attempt = assessments.attempt_start(user=academy.student, assessment=quiz)
    assessments.answer_save(user=academy.student, attempt_id=attempt.pk, question_id=attempt.question_ids[0],
                            answer="2")
    assessments.attempt_submit(user=academy.student, attempt_id=attempt.pk)
    table = rows(client_for(academy.admin).get(reverse("academy:gradebook_csv", args=[academy.uni_run.pk])))
    assert table[0][:4] == ["name", "email", "progress_pct", "'-2+3"]
    assert table[1][:4] == ["'@SUM(1+1)", "student@ntu.test", "0", "100.0"]


def test_the_voucher_list_quotes_a_hostile_certification_title(academy):
    certification = _certification(academy.university, "cloud-associate", CertificationLevel.ASSOCIATE)
    certification.title = '=HYPERLINK("http://evil.example","Claim")'
    certification.save()
    voucher, = certifications.vouchers_issue(actor=academy.admin, certification=certification,
                                             organization=academy.university, count=1)
    table = rows(client_for(academy.admin).get(reverse("academy:vouchers_csv"), {"org": academy.university.slug}))
    assert table[1][:2] == [voucher.code, "'" + certification.title]


def test_deleting_a_lesson_learners_completed_keeps_the_grade_book_at_most_100(academy):
    from django.utils import timezone

    from forward.academy.models import Enrolment

    def done(lesson):
        return services.ProgressEvent(lesson_id=lesson.pk, position=60, completed=True, at=timezone.now())

    services.enrol(user=academy.student, run=academy.uni_run)
    services.progress_apply(user=academy.student, events=[done(academy.video), done(academy.reading)])
    client = client_for(academy.admin)
    assert rows(client.get(reverse("academy:gradebook_csv", args=[academy.uni_run.pk])))[1][2] == "100"
    response = client.post(reverse("academy:studio_lesson_action", args=[academy.course.slug, academy.reading.pk]),
                           {"action": "delete"})
    assert response.status_code == 302
    assert Enrolment.objects.get(user=academy.student).completed_lessons == 1  # one lesson left, done
    assert rows(client.get(reverse("academy:gradebook_csv", args=[academy.uni_run.pk])))[1][2] == "100"
