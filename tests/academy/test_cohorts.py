"""Instructors see their cohorts, university admins their students; nobody sees another university's."""

import pytest

from forward.academy import services
from forward.core.models import Membership, OrganizationKind, Role
from tests.conftest import client_for, make_organization, make_user


@pytest.fixture
def cohorts(academy):
    academy.professor = make_user("prof@cloudco.test", "Prof Essor")
    academy.uni_run.instructors.add(academy.professor)
    academy.other_admin = make_user("admin@zju.test", "Other Admin")
    make_organization(creator=academy.other_admin, name="ZJU", kind=OrganizationKind.UNIVERSITY, country="CN")
    academy.member_only = make_user("staff@ntu.test", "Plain Member")
    Membership.objects.create(user=academy.member_only, organization=academy.university, role=Role.MEMBER)
    services.enrol(user=academy.student, run=academy.uni_run)
    return academy


@pytest.mark.parametrize(("who", "sees"), [
    ("admin", True), ("professor", True), ("other_admin", False), ("member_only", False), ("student", False),
    ("outsider", False),
])
def test_who_sees_a_universitys_cohort(cohorts, who, sees):
    response = client_for(getattr(cohorts, who)).get(f"/academy/runs/{cohorts.uni_run.pk}/")
    assert response.status_code == (200 if sees else 404)
    if sees:
        assert "student@ntu.test" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(cohorts):
    response = client_for(None).get(f"/academy/runs/{cohorts.uni_run.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_teaching_page_lists_only_ones_own_runs(cohorts):
    html = client_for(cohorts.professor).get("/academy/teaching/").content.decode()
    assert "NTU S1" in html and "Open 2026" not in html
    assert "NTU S1" not in client_for(cohorts.other_admin).get("/academy/teaching/").content.decode()


def test_cohort_page_queries_do_not_grow_with_students(cohorts, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cohorts.admin)
    url = f"/academy/runs/{cohorts.uni_run.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(15):
        student = make_user(f"s{i}@ntu.test")
        Membership.objects.create(user=student, organization=cohorts.university)
        services.enrol(user=student, run=cohorts.uni_run)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert "s14@ntu.test" in html


def _students(cohorts, n: int, *, start: int = 0) -> None:
    from forward.academy.models import Enrolment
    from forward.core.models import User

    users = User.objects.bulk_create([User(email=f"learner{i:03d}@ntu.test", name=f"Learner {i:03d}")
                                      for i in range(start, start + n)])
    Enrolment.objects.bulk_create([Enrolment(run=cohorts.uni_run, user=u) for u in users])


def _graded(cohorts):
    from forward.academy.models import Assessment, AssessmentKind

    return [Assessment.objects.create(course=cohorts.course, kind=AssessmentKind.QUIZ, title=title)
            for title in ("Quiz one", "Midterm")]


def test_the_grade_book_is_paginated_with_a_constant_number_of_queries(cohorts):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forward.academy import views

    _graded(cohorts)
    client = client_for(cohorts.admin)
    url = f"/academy/runs/{cohorts.uni_run.pk}/"

    def count(params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(queries.captured_queries), response

    _students(cohorts, 3)
    few = {key: count(params)[0] for key, params in
           {"first": {}, "search": {"q": "learner 00"}, "page": {"page": "2"}}.items()}
    _students(cohorts, 130, start=3)
    many, response = count({})
    assert many == few["first"]
    assert len(response.context["rows"]) == views.COHORT_PAGE_SIZE
    assert "134 students" in response.content.decode()  # the whole cohort, not the page
    assert count({"q": "learner 00"})[0] == few["search"]
    last, response = count({"page": "3"})
    assert last == few["page"] and len(response.context["rows"]) == 134 - 2 * views.COHORT_PAGE_SIZE
    html = response.content.decode()
    assert "learner132@ntu.test" in html and "learner000@ntu.test" not in html


def test_the_grade_book_searches_by_name_or_email(cohorts):
    _students(cohorts, 12)
    client = client_for(cohorts.admin)
    url = f"/academy/runs/{cohorts.uni_run.pk}/"
    emails = [r["user"].email for r in client.get(url, {"q": "Learner 01"}).context["rows"]]
    assert emails == [f"learner{i:03d}@ntu.test" for i in range(10, 12)]
    response = client.get(url, {"q": "STUDENT@ntu"})
    assert [r["user"].email for r in response.context["rows"]] == ["student@ntu.test"]
    assert "1 student matches" in response.content.decode()
    assert "No student matches" in client.get(url, {"q": "nobody"}).content.decode()
    page2 = client.get(url, {"q": "learner", "page": "2"})  # the search is kept across pages
    assert page2.context["page"].number == 1 and len(page2.context["rows"]) == 12


def test_the_csv_export_has_every_student_not_one_page(cohorts):
    import csv
    import io

    from forward.academy import views

    _graded(cohorts)
    _students(cohorts, views.COHORT_PAGE_SIZE + 10)
    response = client_for(cohorts.admin).get(f"/academy/runs/{cohorts.uni_run.pk}/grades.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][3:5] == ["Quiz one", "Midterm"]
    assert len(rows) == 1 + views.COHORT_PAGE_SIZE + 10 + 1  # the header, the learners and the student


def test_each_grade_book_cell_is_labelled_for_phones(cohorts):
    import re

    from forward.academy import selectors
    from forward.academy.models import Attempt

    quiz, _midterm = _graded(cohorts)
    now = cohorts.uni_run.starts_at
    Attempt.objects.create(assessment=quiz, user=cohorts.student, started_at=now, submitted_at=now, score=3,
                           max_score=4)
    rows, _ = selectors.cohort(run=cohorts.uni_run)
    assert [(c["assessment"].title, c["score"]) for c in rows[0]["scores"]] == [("Quiz one", 75.0),
                                                                             ("Midterm", None)]
    html = client_for(cohorts.admin).get(f"/academy/runs/{cohorts.uni_run.pk}/").content.decode()
    body = html[html.index('data-testid="cohort"'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    cells = re.findall(r"<td[^>]*>", body)
    assert cells and all("data-label=" in cell for cell in cells)
    assert 'data-label="Quiz one">75%' in body and 'data-label="Midterm">—' in body


def test_a_runs_instructors_are_not_its_students(cohorts):
    """A visiting professor who is a member of the university and enrolled (to see the course as a
    learner) is not listed, counted, exported or certified as a student of the run he teaches."""
    from forward.academy import selectors

    Membership.objects.create(user=cohorts.professor, organization=cohorts.university)
    services.enrol(user=cohorts.professor, run=cohorts.uni_run)
    services.enrol(user=cohorts.professor, run=cohorts.open_run)  # a learner where he does not teach
    client = client_for(cohorts.admin)
    html = client.get(f"/academy/runs/{cohorts.uni_run.pk}/").content.decode()
    assert "student@ntu.test" in html and "prof@cloudco.test" not in html and "1 student<" in html
    assert "prof@cloudco.test" not in client.get(f"/academy/runs/{cohorts.uni_run.pk}/grades.csv").content.decode()
    teaching = client_for(cohorts.professor).get("/academy/teaching/")
    assert [(r.cohort, r.students) for r in teaching.context["runs"]] == [("NTU S1", 1)]
    assert [e.user for e in selectors.run_students(run=cohorts.open_run)] == [cohorts.professor]
    assert list(selectors.run_students(run=cohorts.uni_run, query="prof")) == []


def test_a_runs_instructors_are_not_certified_as_its_students(cohorts):
    from django.utils import timezone

    from forward.academy import awards

    cohorts.course.grading_policy = {"types": [], "cutoffs": {"pass": 0.0}}  # everyone passes
    cohorts.course.save()
    services.enrol(user=cohorts.professor, run=cohorts.open_run)
    Membership.objects.create(user=cohorts.professor, organization=cohorts.university)
    services.enrol(user=cohorts.professor, run=cohorts.uni_run)
    cohorts.uni_run.grades_released_at = timezone.now()
    awarded = {a.recipient.email for a in awards.run_awards(run=cohorts.uni_run)}
    assert awarded == {"student@ntu.test"}
