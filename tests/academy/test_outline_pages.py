"""Course, lesson and programme pages as a learner reads them: the outline beside each lesson with
what is done, previous and next across modules, "continue where you left off", the certificate of a
finished course, and a programme's completion rule in words with what is left under it."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forward.academy import assessments, selectors, services
from forward.academy.awards import programme_source, run_source
from forward.academy.models import (
    Assessment,
    CompletionRule,
    Course,
    CourseRun,
    CourseStatus,
    Enrolment,
    Lesson,
    LessonKind,
    LessonProgress,
    Module,
    Programme,
    ProgrammeCourse,
    Question,
    QuestionKind,
)
from forward.core.models import OrganizationKind
from forward.credentials import selectors as credential_selectors
from forward.credentials.models import Credential
from tests.conftest import client_for, make_organization, make_user

PASSING = {"types": [{"type": "quiz", "weight": 1.0, "min_count": 1, "drop_lowest": 0}],
           "cutoffs": {"pass": 0.5, "merit": 0.7}, "certificates": {"completion": True, "achievement": "merit"}}


@pytest.fixture
def course(academy):
    """cloud-101 in two modules: Basics (video 8 min, reading 10 min) and Practice (lab 20 min, quiz
    15 min, the quiz passed with 1 + 1 = 2)."""
    Lesson.objects.filter(pk=academy.video.pk).update(minutes=8)
    Lesson.objects.filter(pk=academy.reading.pk).update(minutes=10)
    practice = Module.objects.create(course=academy.course, title="Practice", order=1)
    academy.lab = Lesson.objects.create(module=practice, course=academy.course, order=0, slug="first-server",
                                       kind=LessonKind.LAB, title="Your first server", minutes=20)
    academy.quiz_lesson = Lesson.objects.create(module=practice, course=academy.course, order=1, slug="check",
                                                kind=LessonKind.QUIZ, title="Check yourself", minutes=15)
    academy.quiz = Assessment.objects.create(course=academy.course, lesson=academy.quiz_lesson, title="Check yourself")
    Question.objects.create(assessment=academy.quiz, kind=QuestionKind.NUMERIC, prompt="1 + 1?", correct=[2])
    academy.course.grading_policy = PASSING
    academy.course.save()
    return academy


def event(lesson, *, position: float = 0, completed: bool = False, ago: int = 0) -> services.ProgressEvent:
    return services.ProgressEvent(lesson_id=lesson.pk, position=position, completed=completed,
                                  at=timezone.now() - timedelta(seconds=ago))


def states(html: str) -> list[tuple[str, str]]:
    """(lesson slug, state) of each lesson in the outline as the page shows it ("" without a state)."""
    rows = re.findall(r'<li class="outline-lesson[^"]*"( data-state="(\w+)")?>.*?href="/academy/cloud-101/([\w-]+)/"',
                      html, flags=re.S)
    return [(slug, state) for _, state, slug in rows]


def pass_quiz(user, quiz) -> None:
    attempt = assessments.attempt_start(user=user, assessment=quiz)
    assessments.answer_save(user=user, attempt_id=attempt.pk, question_id=attempt.question_ids[0], answer="2")
    assessments.attempt_submit(user=user, attempt_id=attempt.pk)


def release(w, run) -> None:
    """Release a run's grades and let the background issuing run, as after a real commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.grades_release(actor=w.admin, run=run)


# --- the outline beside a lesson -----------------------------------------------------------------

def test_an_enrolled_learner_sees_what_is_done_started_and_not_started_beside_the_lesson(course):
    services.enrol(user=course.student, run=course.uni_run)
    services.progress_apply(user=course.student, events=[event(course.reading, completed=True, ago=60),
                                                         event(course.video, position=30, ago=10)])
    html = client_for(course.student).get(reverse("academy:lesson", args=["cloud-101", "first-server"])).content.decode()
    assert states(html) == [("what-is-cloud", "started"), ("notes", "done"), ("first-server", "not_started"),
                            ("check", "not_started")]
    outline = html.split('data-testid="outline"', 1)[1].split("</nav>", 1)[0]
    assert outline.count('aria-current="page"') == 1  # the lesson on the page
    assert re.search(r'href="/academy/cloud-101/first-server/" aria-current="page"', outline)
    assert "1 of 4 done" in html and "25% of the course done · 43 min left" in html
    assert "Module 1: Basics" in html and "Module 2: Practice" in html and "1/2 done · 18 min" in html
    assert "Lesson 3 of 4 · Lab · 20 min" in html
    assert '<details class="lesson-outline card">' in html  # collapsed on a phone, opened by the stylesheet on wide screens


@pytest.mark.parametrize("who", ["anonymous", "outsider", "university_admin"])
def test_someone_not_enrolled_sees_the_outline_without_progress(course, who):
    """A visitor, a signed-in person who did not enrol and the university's admin: every lesson, no states."""
    services.enrol(user=course.student, run=course.uni_run)  # someone else's progress never shows
    services.progress_apply(user=course.student, events=[event(course.reading, completed=True)])
    client = client_for(None if who == "anonymous" else getattr(course, "admin" if who == "university_admin" else who))
    html = client.get(reverse("academy:lesson", args=["cloud-101", "notes"])).content.decode()
    assert states(html) == [("what-is-cloud", ""), ("notes", ""), ("first-server", ""), ("check", "")]
    assert "data-state" not in html and "(done)" not in html and "of 4 done" not in html
    assert "4 lessons" in html and "You are watching as a guest" in html
    page = client.get(reverse("academy:course", args=["cloud-101"])).content.decode()
    assert states(page) == [("what-is-cloud", ""), ("notes", ""), ("first-server", ""), ("check", "")]
    assert re.search(r'href="/academy/cloud-101/what-is-cloud/">Start watching</a>', page)
    assert "Your progress" not in page


def test_previous_and_next_cross_module_boundaries(course):
    client = client_for(None)

    def neighbours(slug: str) -> tuple[str | None, str | None, str]:
        html = client.get(reverse("academy:lesson", args=["cloud-101", slug])).content.decode()
        nav = html.split('class="lesson-nav"', 1)[1].split("</nav>", 1)[0]
        before = re.search(r'rel="prev"[^>]*href="/academy/cloud-101/([\w-]+)/"', nav)
        after = re.search(r'rel="next"[^>]*href="/academy/cloud-101/([\w-]+)/"', nav)
        return before and before.group(1), after and after.group(1), nav

    first, second, _ = neighbours("what-is-cloud")
    assert (first, second) == (None, "notes")
    before, after, nav = neighbours("notes")  # the last lesson of module 1
    assert (before, after) == ("what-is-cloud", "first-server") and "Next module: Practice" in nav
    before, after, nav = neighbours("first-server")  # the first of module 2
    assert (before, after) == ("notes", "check") and "Next module" not in nav
    before, after, nav = neighbours("check")  # the last lesson of the course
    assert (before, after) == ("first-server", None)
    assert 'href="/academy/cloud-101/"' in nav and "Back to the course overview" in nav


def test_outline_order_follows_module_then_lesson_order(course):
    """Modules and lessons in their set order, whatever order they were created in."""
    Module.objects.filter(course=course.course, title="Practice").update(order=0)
    Module.objects.filter(course=course.course, title="Basics").update(order=5)
    Lesson.objects.filter(pk=course.lab.pk).update(order=9)
    outline = selectors.outline_for(course=course.course, enrolment=None)
    assert [item.lesson.slug for item in outline.lessons] == ["check", "first-server", "what-is-cloud", "notes"]
    assert [item.number for item in outline.lessons] == [1, 2, 3, 4]
    assert [m.module.title for m in outline.modules] == ["Practice", "Basics"]


# --- the course page ------------------------------------------------------------------------------

def test_the_course_page_says_what_it_takes_and_where_it_is_taught(course):
    unverified_admin = make_user("admin@new.test", "New Admin")
    unverified = make_organization(creator=unverified_admin, name="Not Yet University",
                                   kind=OrganizationKind.UNIVERSITY, country="MY", verified=False)
    now = timezone.now()
    CourseRun.objects.create(course=course.course, university=unverified, cohort="Soon", starts_at=now,
                             enrolment_ends=now + timedelta(days=1), ends_at=now + timedelta(days=9))
    html = client_for(None).get(reverse("academy:course", args=["cloud-101"])).content.decode()
    assert "53 min in 4 lessons" in html  # 8 + 10 + 20 + 15: the lessons' own minutes
    assert "1 video · 1 reading · 1 quiz or exam · 1 lab" in html
    assert "Of completion: 50% or more overall" in html and "Of achievement: Merit (70%) or better" in html
    universities = html.split('data-testid="universities"', 1)[1].split("</div>", 1)[0]
    assert "NTU" in universities and "Running now" in universities
    assert "Not Yet University" not in html  # an unverified university teaches for nobody


def test_continue_goes_to_the_lesson_left_off_or_the_next_one_not_done(course):
    client = client_for(course.student)
    url = reverse("academy:course", args=["cloud-101"])
    services.enrol(user=course.student, run=course.uni_run)
    assert re.search(r'href="/academy/cloud-101/what-is-cloud/">Start the course</a>', client.get(url).content.decode())
    services.progress_apply(user=course.student, events=[event(course.video, position=40)])
    html = client.get(url).content.decode()
    assert re.search(r'href="/academy/cloud-101/what-is-cloud/">Continue where you left off</a>', html)
    # The last lesson opened is done: on to the next one not done, across the module boundary.
    services.progress_apply(user=course.student, events=[event(course.video, position=90, completed=True),
                                                         event(course.reading, completed=True)])
    html = client.get(url).content.decode()
    assert re.search(r'href="/academy/cloud-101/first-server/">Continue where you left off</a>', html)
    assert "Lesson 3: Your first server" in html and "2 of 4 lessons done" in html


def test_a_finished_course_links_to_its_certificate(course):
    classmate = make_user("classmate@ntu.test", "Class Mate")
    services.enrol(user=course.student, run=course.uni_run)
    services.enrol(user=classmate, run=course.open_run)
    pass_quiz(course.student, course.quiz)
    url = reverse("academy:course", args=["cloud-101"])
    assert 'data-testid="course-completed"' not in client_for(course.student).get(url).content.decode()
    release(course, course.uni_run)
    html = client_for(course.student).get(url).content.decode()
    assert "You completed this course" in html
    credentials = list(credential_selectors.by_source(run_source(course.uni_run)).filter(recipient=course.student))
    assert len(credentials) == 2  # completion and achievement (100% is above merit)
    for credential in credentials:
        assert f'href="/credentials/{credential.uuid}/"' in html
    assert client_for(None).get(f"/credentials/{credentials[0].uuid}/").status_code == 200
    # Nobody else sees them: not a visitor, not a classmate in another run.
    for viewer in (None, classmate):
        page = client_for(viewer).get(url).content.decode()
        assert "You completed this course" not in page and str(credentials[0].uuid) not in page


def test_a_passed_course_whose_certificate_is_not_signed_yet_says_so(course):
    services.enrol(user=course.student, run=course.uni_run)
    pass_quiz(course.student, course.quiz)
    services.grades_release(actor=course.admin, run=course.uni_run)  # issuing waits for the commit
    html = client_for(course.student).get(reverse("academy:course", args=["cloud-101"])).content.decode()
    assert "You completed this course" in html and "Your certificate is being issued" in html


def test_a_revoked_certificate_is_not_offered(course):
    services.enrol(user=course.student, run=course.uni_run)
    pass_quiz(course.student, course.quiz)
    release(course, course.uni_run)
    Credential.objects.filter(recipient=course.student).update(revoked_at=timezone.now(), revocation_reason="Error")
    html = client_for(course.student).get(reverse("academy:course", args=["cloud-101"])).content.decode()
    assert "/credentials/" not in html.split('data-testid="course-completed"', 1)[1].split("</section>", 1)[0]


# --- programme rules in words ---------------------------------------------------------------------

def rule(*, required: int, electives: int, needed: int = 0, rule_kind: str = CompletionRule.COURSES,
         credits: str = "0", average: str = "0") -> str:
    programme = Programme(slug="p", title="P", kind="developers", completion_rule=rule_kind,
                          electives_required=needed, credits_required=Decimal(credits),
                          minimum_grade_average=Decimal(average))
    return " ".join(selectors.programme_rule(programme=programme, required=required, electives=electives))


COUNTS = "A course counts once you pass it"


@pytest.mark.parametrize(("shape", "expected"), [
    ({"required": 3, "electives": 4, "needed": 2},
     "Complete the 3 required courses and any 2 of these 4 electives, each with a passing grade."),
    ({"required": 1, "electives": 3, "needed": 1},
     "Complete the required course and any 1 of these 3 electives, each with a passing grade."),
    ({"required": 2, "electives": 0}, "Complete the 2 required courses, each with a passing grade."),
    ({"required": 1, "electives": 0}, "Complete the required course with a passing grade."),
    ({"required": 2, "electives": 2}, "Complete the 2 required courses, each with a passing grade. "
                                      "The 2 electives are optional."),
    ({"required": 0, "electives": 5, "needed": 2}, "Complete any 2 of these 5 electives, each with a passing grade."),
    ({"required": 0, "electives": 3, "needed": 3}, "Complete the 3 electives, each with a passing grade."),
    ({"required": 1, "electives": 1, "needed": 1},
     "Complete the required course and the elective, each with a passing grade."),
    ({"required": 1, "electives": 1, "needed": 3},
     "Complete the required course and 3 electives, each with a passing grade. Only 1 elective is offered so far."),
    ({"required": 0, "electives": 0, "needed": 2}, "Complete 2 electives, each with a passing grade. "
                                                   "No elective is offered yet."),
    ({"required": 0, "electives": 0, "needed": 1}, "Complete 1 elective with a passing grade. "
                                                   "No elective is offered yet."),
    ({"required": 0, "electives": 3, "needed": 1}, "Complete any 1 of these 3 electives with a passing grade."),
    ({"required": 0, "electives": 1, "needed": 1}, "Complete the elective with a passing grade."),
    ({"required": 2, "electives": 1, "needed": 1},
     "Complete the 2 required courses and the elective, each with a passing grade."),
    ({"required": 2, "electives": 2, "needed": 2},
     "Complete the 2 required courses and the 2 electives, each with a passing grade."),
    ({"required": 2, "electives": 1, "needed": 2},
     "Complete the 2 required courses and 2 electives, each with a passing grade. Only 1 elective is offered so far."),
    ({"required": 1, "electives": 0, "needed": 1},
     "Complete the required course and 1 elective, each with a passing grade. No elective is offered yet."),
    ({"rule_kind": CompletionRule.CREDITS, "required": 0, "electives": 3, "credits": "9", "average": "2.50"},
     "Earn 9 credit units from the courses below, each with a passing grade, at a grade point average of at "
     "least 2.5 out of 4. A course's grade points are its final grade on a 4-point scale (75% is 3)"),
    ({"rule_kind": CompletionRule.CREDITS, "required": 0, "electives": 3, "credits": "7.5"},
     "Earn 7.5 credit units from the courses below, each with a passing grade."),
    ({"rule_kind": CompletionRule.CREDITS, "required": 0, "electives": 3, "credits": "1"},
     "Earn 1 credit unit from the courses below, each with a passing grade."),
])
def test_each_rule_shape_is_said_in_words(db, shape, expected):
    sentence = rule(**shape)
    assert sentence.startswith(expected)
    assert COUNTS in sentence


def test_a_programme_asking_for_nothing_says_so(db):
    assert rule(required=0, electives=2, needed=0) == "This programme asks for no course yet."


@pytest.fixture
def programme(course):
    """cloud-101 (required) and two electives, one of them needed; certified by the programme office."""
    now = timezone.now()
    course.operator = make_user("ops@forward.test", "Op Erator", is_staff=True)
    make_organization(creator=course.operator, name="Programme Office", kind=OrganizationKind.OPERATOR, country="SG")
    p = Programme.objects.create(slug="cloud-track", title="Cloud Track", kind="developers", electives_required=1)
    ProgrammeCourse.objects.create(programme=p, course=course.course, required=True, order=0)
    for order, (slug, title) in enumerate([("data-101", "Data Basics"), ("ml-101", "ML Basics")], start=1):
        elective = Course.objects.create(slug=slug, title=title, owner=course.university, status=CourseStatus.PUBLISHED,
                                         grading_policy=PASSING, credit_units=3)
        ProgrammeCourse.objects.create(programme=p, course=elective, required=False, order=order)
        quiz = Assessment.objects.create(course=elective, title=f"{title} quiz")
        Question.objects.create(assessment=quiz, kind=QuestionKind.NUMERIC, prompt="1 + 1?", correct=[2])
        run = CourseRun.objects.create(course=elective, university=course.university, cohort=f"{title} S1",
                                       starts_at=now, enrolment_ends=now + timedelta(days=3),
                                       ends_at=now + timedelta(days=30))
        setattr(course, slug.replace("-", "_"), (quiz, run))
    course.programme = p
    return course


def test_the_programme_page_says_the_rule_what_counts_and_what_is_left(programme):
    url = reverse("academy:programme", args=["cloud-track"])
    html = client_for(None).get(url).content.decode()
    assert "Complete the required course and any 1 of these 2 electives, each with a passing grade." in html
    assert "Your progress" not in html
    client = client_for(programme.student)
    left = client.get(url).content.decode().split('data-testid="programme-left"', 1)[1].split("</ul>", 1)[0]
    assert "Pass Cloud Computing Fundamentals (required)" in left and "Pass 1 more elective" in left
    quiz, run = programme.data_101
    services.enrol(user=programme.student, run=run)
    pass_quiz(programme.student, quiz)
    release(programme, run)
    html = client.get(url).content.decode()
    left = html.split('data-testid="programme-left"', 1)[1].split("</ul>", 1)[0]
    assert "Pass Cloud Computing Fundamentals (required)" in left and "elective" not in left
    assert "0 of 1 required course passed" in html and "1 of the 1 elective needed passed" in html
    courses = html.split('data-testid="programme-courses"', 1)[1]
    assert re.search(r"Data Basics</a>.*?Passed</span> <span[^>]*>100%", courses, flags=re.S)
    assert re.search(r"ML Basics</a>.*?Not started", courses, flags=re.S)


def test_a_completed_programme_links_to_its_certificate(programme):
    url = reverse("academy:programme", args=["cloud-track"])
    quiz, run = programme.ml_101
    services.enrol(user=programme.student, run=run)
    pass_quiz(programme.student, quiz)
    release(programme, run)
    services.enrol(user=programme.student, run=programme.uni_run)
    pass_quiz(programme.student, programme.quiz)
    release(programme, programme.uni_run)  # the last course: the programme certificate comes with it
    html = client_for(programme.student).get(url).content.decode()
    certificate = credential_selectors.by_source(programme_source(programme.programme)).get()
    assert "Completed" in html and f'href="/credentials/{certificate.uuid}/"' in html
    assert 'data-testid="programme-left"' not in html
    other = client_for(programme.outsider).get(url).content.decode()
    assert str(certificate.uuid) not in other and "Completed" not in other


def test_a_credits_programme_shows_credits_and_average_against_the_rule(programme):
    Programme.objects.filter(pk=programme.programme.pk).update(
        completion_rule=CompletionRule.CREDITS, credits_required=6, minimum_grade_average="3.50")
    quiz, run = programme.data_101
    services.enrol(user=programme.student, run=run)
    pass_quiz(programme.student, quiz)
    release(programme, run)
    html = client_for(programme.student).get(reverse("academy:programme", args=["cloud-track"])).content.decode()
    assert "Earn 6 credit units from the courses below, each with a passing grade, at a grade point average of " \
           "at least 3.5 out of 4." in html
    assert "3 of 6 credit units earned" in html and "Grade point average 4.00 out of 4" in html
    assert "3 more credit units" in html
    assert ">required<" not in html  # under a credits rule no course is required


# --- a constant number of queries, whatever the course's size -------------------------------------

def _big_course(w, *, modules: int, lessons: int) -> Course:
    course = Course.objects.create(slug=f"big-{modules}", title="Big", owner=w.university,
                                   status=CourseStatus.PUBLISHED)
    made = Module.objects.bulk_create([Module(course=course, title=f"Module {m}", order=m) for m in range(modules)])
    Lesson.objects.bulk_create([
        Lesson(module=m, course=course, order=k, slug=f"m{m.order}-l{k}", title=f"Lesson {k}",
               kind=[LessonKind.VIDEO, LessonKind.READING, LessonKind.LAB][k % 3], minutes=5 + k, body="x" * 2000)
        for m in made for k in range(lessons)])
    now = timezone.now()
    run = CourseRun.objects.create(course=course, university=w.university, cohort="S1", starts_at=now,
                                   enrolment_ends=now + timedelta(days=3), ends_at=now + timedelta(days=30))
    enrolment = Enrolment.objects.create(run=run, user=w.student)
    done = list(Lesson.objects.filter(course=course))[::2]
    LessonProgress.objects.bulk_create([LessonProgress(enrolment=enrolment, lesson=lesson, completed_at=now)
                                        for lesson in done])
    Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=done[-1], completed_lessons=len(done))
    return course


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("signed_in", [True, False])
def test_lesson_and_course_pages_make_the_same_queries_for_a_big_course(academy, signed_in):
    client = client_for(academy.student if signed_in else None)
    small = _big_course(academy, modules=2, lessons=3)
    big = _big_course(academy, modules=30, lessons=12)  # 360 lessons
    for name, args in (("academy:lesson", ["m1-l1"]), ("academy:course", [])):
        few = _queries(client, reverse(name, args=[small.slug, *args]))
        assert _queries(client, reverse(name, args=[big.slug, *args])) == few, name
    html = client.get(reverse("academy:lesson", args=[big.slug, "m1-l1"])).content.decode()
    assert len(re.findall(r'<li class="outline-lesson[ "]', html)) == 360
    if signed_in:
        assert html.count('data-state="done"') == 180 and "180 of 360 done" in html


def test_the_outline_loads_no_lesson_texts(academy, django_assert_num_queries):
    course = _big_course(academy, modules=3, lessons=4)
    enrolment = Enrolment.objects.get(run__course=course)
    with django_assert_num_queries(3):  # modules, lessons, the learner's progress
        outline = selectors.outline_for(course=course, enrolment=enrolment)
    assert outline.total == 12 and outline.done == 6
    assert "body" in outline.lessons[0].lesson.get_deferred_fields()
