"""Demo cohorts: thousands of learners with varied progress and grades.

University students enrol in their university's runs and in open runs; a few thousand members of
the public take open runs. Learners who reached a quiz or the exam have attempts whose answers
match their scores. Last semester's runs at NTU have ended with grades released, so the named NTU
student has passed two courses (MiniMasters progress, and the prerequisite of Machine Learning).
"""

from __future__ import annotations

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from forward.core.demo import FIRST, LANGUAGE, LAST, TIME_ZONES
from forward.core.models import Membership, OrganizationKind, User

from .models import (
    Assessment,
    Attempt,
    Course,
    CourseRun,
    Enrolment,
    Lesson,
    LessonProgress,
    QuestionKind,
)

PUBLIC_LEARNERS = 2400
UNUSABLE = "!"
COUNTRIES = ["CN", "CN", "CN", "ID", "ID", "MY", "PH", "SG"]


def _public_learners(rng: random.Random, now) -> list[int]:
    people = []
    for n in range(PUBLIC_LEARNERS):
        country = rng.choice(COUNTRIES)
        first, last = rng.choice(FIRST[country]), rng.choice(LAST[country])
        people.append(User(email=f"{slugify(first)}.{slugify(last)}.{n}@learners.forward.demo",
                           name=f"{last} {first}" if country == "CN" else f"{first} {last}", country=country,
                           password=UNUSABLE, time_zone=TIME_ZONES[country], preferred_language=LANGUAGE[country],
                           date_joined=now - timedelta(days=rng.randint(1, 200))))
    User.objects.bulk_create(people, batch_size=1000)
    users = list(User.objects.filter(email__endswith="@learners.forward.demo"))
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True)
                                      for u in users], batch_size=1000)
    return [u.pk for u in users]


def _answer(question, right: bool, rng: random.Random):
    if question.kind == QuestionKind.SINGLE:
        wrong = [i for i in range(len(question.options)) if i not in question.correct]
        return str(question.correct[0]) if right else str(rng.choice(wrong))
    if question.kind == QuestionKind.MULTIPLE:
        return [str(i) for i in question.correct] if right else [str(question.correct[0])]
    if question.kind == QuestionKind.NUMERIC:
        return str(question.correct[0]) if right else str(float(question.correct[0]) + 7)
    return str(question.correct[0]) if right else "not sure"


def _attempt(*, assessment: Assessment, questions: list, user_id: int, skill: float, when, rng) -> Attempt:
    drawn = rng.sample(questions, min(len(questions), assessment.questions_per_attempt or len(questions)))
    answers, score = {}, 0.0
    for question in drawn:
        right = rng.random() < skill
        answers[str(question.pk)] = _answer(question, right, rng)
        score += question.points if right else 0
    return Attempt(assessment=assessment, user_id=user_id, number=1, started_at=when - timedelta(minutes=20),
                   deadline=when + timedelta(minutes=10) if assessment.time_limit_minutes else None,
                   submitted_at=when, question_ids=[q.pk for q in drawn],
                   option_orders={str(q.pk): list(range(len(q.options))) for q in drawn}, answers=answers,
                   score=score, max_score=sum(q.points for q in drawn))


def load(*, rng: random.Random, courses: list[Course], runs: list[CourseRun]) -> None:
    now = timezone.now()
    universities = {m.user_id: m.organization_id for m in Membership.objects.filter(
        organization__kind=OrganizationKind.UNIVERSITY, role="member")}
    ntu_run = CourseRun.objects.filter(university__slug="nanyang-technological-university").first()
    ntu = ntu_run.university if ntu_run is not None else None
    if ntu is None:
        raise RuntimeError("the demo's course runs at Nanyang Technological University load before its cohorts")
    # Last semester at NTU: ended, exams closed, grades released by the university's admin.
    admin = User.objects.get(email="admin@ntu.forward.demo")
    past = []
    for course in courses[:2]:
        run = CourseRun.objects.create(
            course=course, university=ntu, cohort=f"{ntu.name} — Semester 2, 2025/26",
            enrolment_ends=now - timedelta(days=200), starts_at=now - timedelta(days=210),
            ends_at=now - timedelta(days=100), grades_released_at=now - timedelta(days=90),
            grades_released_by=admin)
        run.instructors.add(*runs[1].instructors.all())
        past.append(run)
    open_runs = [r for r in runs if r.university_id is None]
    plan: list[tuple[CourseRun, int]] = []
    student = User.objects.get(email="student@ntu.forward.demo")
    for user_id, org_id in universities.items():
        before = past if org_id == ntu.pk and (user_id == student.pk or rng.random() < 0.5) else []
        passed = {r.course_id for r in before}
        own = [r for r in runs if r.university_id == org_id and r.course_id not in passed]
        chosen = rng.sample(own, min(len(own), 2))
        taken = passed | {r.course_id for r in chosen}
        others = [r for r in open_runs if r.course_id not in taken]  # one run per course
        for run in before + chosen + rng.sample(others, min(len(others), rng.randint(1, 2))):
            plan.append((run, user_id))
    for user_id in _public_learners(rng, now):
        plan.extend((run, user_id) for run in rng.sample(open_runs, rng.choice([1, 1, 1, 2, 2, 3])))
    seen, enrolments = set(), []
    for run, user_id in plan:
        if (run.pk, user_id) not in seen:
            seen.add((run.pk, user_id))
            enrolments.append(Enrolment(run=run, user_id=user_id,
                                        created_at=max(run.starts_at, now - timedelta(days=rng.randint(1, 60)))))
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)

    lessons_by_course: dict[int, list[Lesson]] = {}
    for lesson in Lesson.objects.order_by("module__order", "order"):
        lessons_by_course.setdefault(lesson.course_id, []).append(lesson)
    assessments = {a.lesson_id: a for a in Assessment.objects.filter(lesson__isnull=False)}
    questions: dict[int, list] = {}
    for assessment in assessments.values():
        questions[assessment.pk] = list(assessment.questions.order_by("order"))
    past_ids = {r.pk for r in past}
    progress, updates, attempts = [], [], []
    answered: set[tuple[int, int]] = set()
    for enrolment in Enrolment.objects.select_related("run"):
        lessons = lessons_by_course[enrolment.run.course_id]
        finished = enrolment.run_id in past_ids
        done = len(lessons) if finished else min(len(lessons), int(rng.triangular(0, len(lessons) + 1, 3)))
        if enrolment.user_id == student.pk and not finished:
            done = min(done, 4)  # the named student is partway through this semester
        last_day = enrolment.run.ends_at - timedelta(days=5) if finished else now
        skill = 0.95 if enrolment.user_id == student.pk else rng.betavariate(5, 2)
        for index, lesson in enumerate(lessons[:done]):
            when = last_day - timedelta(days=(done - index) * 2, minutes=rng.randint(0, 600))
            progress.append(LessonProgress(enrolment=enrolment, lesson=lesson, completed_at=when, updated_at=when,
                                           position_seconds=lesson.minutes * 60 if lesson.kind == "video" else 0))
            quiz = assessments.get(lesson.pk)
            if quiz is not None and (quiz.pk, enrolment.user_id) not in answered:
                answered.add((quiz.pk, enrolment.user_id))
                attempts.append(_attempt(assessment=quiz, questions=questions[quiz.pk],
                                         user_id=enrolment.user_id, skill=skill, when=when, rng=rng))
        if done:
            enrolment.completed_lessons = done
            enrolment.last_lesson = lessons[min(done, len(lessons) - 1)]
            enrolment.last_activity_at = last_day - timedelta(minutes=rng.randint(0, 600))
            updates.append(enrolment)
    LessonProgress.objects.bulk_create(progress, batch_size=5000)
    Enrolment.objects.bulk_update(updates, ["completed_lessons", "last_lesson", "last_activity_at"], batch_size=2000)
    Attempt.objects.bulk_create(attempts, batch_size=2000)
