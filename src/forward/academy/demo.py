"""Demo academy: the programmes, a MiniMasters, five courses with modules and lessons, runs at the
demo universities taught by a visiting professor, and enrolments with varied progress."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify

from forward.core.models import Organization, OrganizationKind, Skill, User

from . import demo_certifications, demo_cohorts, video
from .models import (
    Assessment,
    AssessmentKind,
    CompletionRule,
    Course,
    CourseRun,
    CourseStatus,
    Lesson,
    LessonKind,
    Level,
    Module,
    Programme,
    ProgrammeCourse,
    ProgrammeKind,
    Question,
    QuestionKind,
)

logger = logging.getLogger(__name__)
VIDEO_SECONDS = 12

COURSES = [
    ("Cloud Computing Fundamentals", Level.INTRODUCTORY, 20, "3.0", ["Cloud computing", "Linux", "Networking"],
     ["What the cloud is", "Compute, storage and networks", "Running your first service"]),
    ("Big Data Analytics with Python", Level.INTERMEDIATE, 30, "3.0", ["Python", "SQL", "Data analysis"],
     ["Data at scale", "DataFrames and SQL", "From analysis to decisions"]),
    ("Machine Learning Foundations", Level.INTERMEDIATE, 36, "3.0", ["Machine learning", "Python", "Statistics"],
     ["Learning from data", "Models and metrics", "Shipping a model"]),
    ("Business Leadership for Digital Founders", Level.INTRODUCTORY, 16, "0", ["Leadership", "Product management"],
     ["Founding teams", "Finding product-market fit", "Leading through growth"]),
    ("Venture Capital Networking", Level.INTRODUCTORY, 8, "0", ["Fundraising", "Pitching"],
     ["How investors think", "Your pitch", "Meeting investors"]),
]
PROGRAMMES = [
    ("DigiTalents Forward", ProgrammeKind.UPSKILLING, [0, 1], [2]),
    ("AI Forward", ProgrammeKind.DEVELOPERS, [2], [1]),
    ("DigiEntrepreneurs Forward", ProgrammeKind.ENTREPRENEURS, [3, 4], []),
    ("MiniMasters in Artificial Intelligence", ProgrammeKind.MINIMASTERS, [], [0, 1, 2]),
]


def _assessments(course: Course, now) -> None:
    modules = list(course.modules.order_by("order"))
    for module, kind, title in ((modules[0], AssessmentKind.QUIZ, f"{modules[0].title}: quiz"),
                                (modules[-1], AssessmentKind.EXAM, "Final exam")):
        lesson = Lesson.objects.create(module=module, course=course, order=9, slug=slugify(title)[:80],
                                       kind=LessonKind.QUIZ, title=title, minutes=30 if kind == "exam" else 10)
        assessment = Assessment.objects.create(
            course=course, lesson=lesson, kind=kind, title=title, attempts_allowed=3 if kind == "quiz" else 1,
            time_limit_minutes=30 if kind == "exam" else None,
            closes_at=now + timedelta(days=30) if kind == "exam" else None, questions_per_attempt=3)
        Question.objects.bulk_create([
            Question(assessment=assessment, order=0, kind=QuestionKind.SINGLE,
                     prompt=f"Which statement about *{course.title}* is true?",
                     options=["It is only theory", "It is practised with real data and services",
                              "It needs no computer"], correct=[1], explanation="The course is hands-on."),
            Question(assessment=assessment, order=1, kind=QuestionKind.MULTIPLE,
                     prompt="Which of these are skills taught here?",
                     options=[*[s.name for s in course.skills.all()][:2], "Watercolour painting"], correct=[0, 1]),
            Question(assessment=assessment, order=2, kind=QuestionKind.NUMERIC,
                     prompt="How many modules does the course have?", correct=[len(modules)]),
            Question(assessment=assessment, order=3, kind=QuestionKind.TEXT,
                     prompt="Name the organization whose engineers teach it.", correct=[course.owner.name]),
        ])


def _videos(courses: list[Course]) -> None:
    """A short generated lecture per course (VP9 in MP4, about 130 KB and half a second each),
    shared by the course's video lessons, with captions that match it. Without an encoder the
    lessons stay "not available offline" and show their transcripts."""
    for number, course in enumerate(courses, start=1):
        try:
            content = video.demo_mp4(title=course.title, seconds=VIDEO_SECONDS)
        except Exception as exc:  # the demo works without videos: say why, once
            logger.warning("Demo lesson videos skipped (they show as not available offline): %s", exc)
            return
        name = f"academy/videos/demo-{number}.mp4"
        if default_storage.exists(name):  # left by an earlier demo whose database was removed
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(content))
        captions = video.demo_captions(title=course.title, seconds=VIDEO_SECONDS)
        Lesson.objects.filter(course=course, kind=LessonKind.VIDEO).update(video_file=stored, captions_vtt=captions)


def load(*, rng: random.Random) -> None:
    now = timezone.now()
    owner = Organization.objects.get(slug="cloudwave-technologies")
    professor = User.objects.get(email="professor@cloudwave.forward.demo")
    universities = {o.slug: o for o in Organization.objects.filter(kind=OrganizationKind.UNIVERSITY)}
    skills = {}
    courses = []
    for title, level, hours, credits, skill_names, modules in COURSES:
        course = Course.objects.create(slug=slugify(title), title=title, level=level, estimated_hours=hours,
                                       credit_units=credits, owner=owner, status=CourseStatus.PUBLISHED,
                                       published_at=now - timedelta(days=90),
                                       summary=f"{title}: a practical course taught by engineers from industry, "
                                       "with short videos, readings, quizzes and a final exam.")
        course.authors.add(professor)
        for name in skill_names:
            if name not in skills:
                skills[name] = Skill.objects.create(slug=slugify(name), name=name)
            course.skills.add(skills[name])
        for m_index, module_title in enumerate(modules):
            module = Module.objects.create(course=course, order=m_index, title=module_title)
            for l_index, (kind, suffix) in enumerate([(LessonKind.VIDEO, "lecture"), (LessonKind.READING, "notes"),
                                                      (LessonKind.LAB, "lab")]):
                lesson_title = f"{module_title}: {suffix}"
                Lesson.objects.create(
                    module=module, course=course, order=l_index, slug=slugify(lesson_title)[:80], kind=kind,
                    title=lesson_title, minutes=rng.choice([8, 12, 15, 20]),
                    transcript=f"In this lecture we look at {module_title.lower()}." if kind == LessonKind.VIDEO
                    else "",
                    body=f"## {module_title}\n\nKey ideas of *{module_title.lower()}*, with examples from the "
                         "programme's partners.\n\n1. Read the notes.\n2. Try the lab.\n" if kind != LessonKind.VIDEO
                    else "",
                    lab_url="https://example.org/labs/" + slugify(lesson_title) if kind == LessonKind.LAB else "",
                )
        _assessments(course, now)
        courses.append(course)
    _videos(courses)
    courses[2].prerequisites.add(courses[1])  # machine learning builds on big-data analytics
    for title, kind, required, electives in PROGRAMMES:
        programme = Programme.objects.create(
            slug=slugify(title), title=title, kind=kind, summary=f"{title}: a programme of the Forward partners.",
            completion_rule=CompletionRule.CREDITS if kind == ProgrammeKind.MINIMASTERS else CompletionRule.COURSES,
            electives_required=1 if electives and kind != ProgrammeKind.MINIMASTERS else 0,
            credits_required=9 if kind == ProgrammeKind.MINIMASTERS else 0,
            minimum_grade_average="2.50" if kind == ProgrammeKind.MINIMASTERS else 0,
            countries=["CN", "SG", "MY", "ID", "PH"])
        for order, index in enumerate(required):
            ProgrammeCourse.objects.create(programme=programme, course=courses[index], required=True, order=order)
        for order, index in enumerate(electives, start=len(required)):
            ProgrammeCourse.objects.create(programme=programme, course=courses[index], required=False, order=order)
        programme.partners.add(*list(universities.values())[:6])
    runs = []
    for course in courses:
        open_run = CourseRun.objects.create(course=course, cohort=f"{course.title} — open cohort 2026",
                                            enrolment_ends=now + timedelta(days=60), starts_at=now - timedelta(days=30),
                                            ends_at=now + timedelta(days=90))
        runs.append(open_run)
        for slug in ("nanyang-technological-university", "zhejiang-university"):
            run = CourseRun.objects.create(course=course, university=universities[slug],
                                           cohort=f"{universities[slug].name} — Semester 1, 2026",
                                           enrolment_ends=now + timedelta(days=14), starts_at=now - timedelta(days=45),
                                           ends_at=now + timedelta(days=60))
            run.instructors.add(professor)
            runs.append(run)
    demo_cohorts.load(rng=rng, courses=courses, runs=runs)
    demo_certifications.load(rng=rng)


def issue_credentials() -> int:
    """What the demo's released runs and certification holders have earned, issued the way
    production issues them (after the academy demo and the demos it builds on are loaded)."""
    from forward.credentials import services as credential_services

    from . import awards
    from .models import CertificationHolding

    issued = 0
    for run in CourseRun.objects.filter(grades_released_at__isnull=False).select_related("course__owner"):
        earned = awards.run_awards(run=run)
        issued += len(credential_services.issue(earned))
        issued += len(credential_services.issue(awards.run_programme_awards(run=run, awards=earned)))
    for holding_id in CertificationHolding.objects.order_by("pk").values_list("pk", flat=True):
        issued += 1 if awards.certification_issue(holding_id=holding_id) else 0
    return issued
