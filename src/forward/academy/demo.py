"""Demo academy: the programmes, a MiniMasters, five courses with modules and lessons, runs at the
demo universities taught by a visiting professor, and enrolments with varied progress."""

from __future__ import annotations

import functools
import logging
import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify

from forward.core.models import Organization, OrganizationKind, Skill, User

from . import demo_certifications, demo_cohorts, demo_labs, video
from . import demo_content as content
from . import demo_content_founders as founders
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
)

logger = logging.getLogger(__name__)

COURSES = [  # title, level, hours, credits, skills, module titles, what it teaches
    ("Cloud Computing Fundamentals", Level.INTRODUCTORY, 20, "3.0", ["Cloud computing", "Linux", "Networking"],
     ["What the cloud is", "Compute, storage and networks", "Running your first service"], content.CLOUD),
    ("Big Data Analytics with Python", Level.INTERMEDIATE, 30, "3.0", ["Python", "SQL", "Data analysis"],
     ["Data at scale", "DataFrames and SQL", "From analysis to decisions"], content.DATA),
    ("Machine Learning Foundations", Level.INTERMEDIATE, 36, "3.0", ["Machine learning", "Python", "Statistics"],
     ["Learning from data", "Models and metrics", "Shipping a model"], content.ML),
    ("Business Leadership for Digital Founders", Level.INTRODUCTORY, 16, "0", ["Leadership", "Product management"],
     ["Founding teams", "Finding product-market fit", "Leading through growth"], founders.LEADERSHIP),
    ("Venture Capital Networking", Level.INTRODUCTORY, 8, "0", ["Fundraising", "Pitching"],
     ["How investors think", "Your pitch", "Meeting investors"], founders.VENTURE),
]
PROGRAMMES = [  # title, kind, required courses, electives, summary: what you learn, who it is for, what you get
    ("DigiTalents Forward", ProgrammeKind.UPSKILLING, [0, 1], [2],
     "Your first steps into digital work: run a small service in the cloud, then query, chart and explain "
     "real retail and transport data in Python and SQL. For students of any subject and for people "
     "changing careers, with no programming needed at the start. Pass both core courses and one elective "
     "for a programme certificate that partner employers read in the talent pool."),
    ("AI Forward", ProgrammeKind.DEVELOPERS, [2], [1],
     "For developers who can already write Python and want to build machine-learning features: train and "
     "validate models without leakage, choose the metric that matches the business question, and ship and "
     "monitor a model in production. Complete Machine Learning Foundations and one elective to earn the "
     "programme certificate, and put it to work in the platform's data competitions."),
    ("DigiEntrepreneurs Forward", ProgrammeKind.ENTREPRENEURS, [3, 4], [],
     "For founders and would-be founders of digital start-ups in Asia-Pacific: build a founding team, find "
     "product-market fit from customer interviews, and learn how investors decide before you pitch them. "
     "Taught by founders and investors; completing both courses earns a certificate and a place in the "
     "innovation centres' investor networking sessions."),
    ("MiniMasters in Artificial Intelligence", ProgrammeKind.MINIMASTERS, [], [0, 1, 2],
     "A graduate-level stack of three university-credit courses, from cloud infrastructure and data "
     "analysis to machine learning, taught in partner universities' semesters by engineers from industry. "
     "For final-year students and working professionals: earn 9 credit units with a grade point average "
     "of at least 2.5 for a MiniMasters credential that partner universities count towards a master's "
     "degree."),
]


def _assessments(course: Course, text: content.CourseText, now) -> None:
    """A quiz on the first module (three of its five questions per attempt) and a timed final exam on
    the whole course (five of eight)."""
    modules = list(course.modules.order_by("order"))
    for module, kind, title, items in ((modules[0], AssessmentKind.QUIZ, f"{modules[0].title}: quiz", text.quiz),
                                       (modules[-1], AssessmentKind.EXAM, "Final exam", text.exam)):
        lesson = Lesson.objects.create(module=module, course=course, order=9, slug=slugify(title)[:80],
                                       kind=LessonKind.QUIZ, title=title, minutes=30 if kind == "exam" else 10)
        assessment = Assessment.objects.create(
            course=course, lesson=lesson, kind=kind, title=title, attempts_allowed=3 if kind == "quiz" else 1,
            time_limit_minutes=30 if kind == "exam" else None,
            closes_at=now + timedelta(days=30) if kind == "exam" else None,
            questions_per_attempt=3 if kind == "quiz" else 5)
        Question.objects.bulk_create(content.questions(assessment, items))


def _lessons(course: Course, module: Module, text: content.ModuleText) -> Lesson:
    """A module's one-minute lecture, its reading and its lab (a task to do, described in the lesson:
    the demo links no lab environment). Returns the lecture."""
    lecture = Lesson.objects.create(
        module=module, course=course, order=0, slug=slugify(f"{module.title}: lecture")[:80], kind=LessonKind.VIDEO,
        title=f"{module.title}: lecture", minutes=content.LECTURE_SECONDS // 60,
        transcript=content.transcript(text.lecture))
    Lesson.objects.create(module=module, course=course, order=1, slug=slugify(f"{module.title}: notes")[:80],
                          kind=LessonKind.READING, title=f"{module.title}: notes", body=text.reading,
                          minutes=content.reading_minutes(text.reading))
    Lesson.objects.create(module=module, course=course, order=2, slug=slugify(f"{module.title}: lab")[:80],
                          kind=LessonKind.LAB, title=f"{module.title}: lab", body=text.lab, minutes=text.lab_minutes)
    return lecture


@functools.lru_cache(maxsize=64)
def _lecture_mp4(title: str, subtitle: str, slides: tuple[video.SlideText, ...], seconds: int) -> bytes:
    """Encoded once per process: the same lecture gives the same bytes (demo_mp4 is deterministic),
    and a process that loads the demo again (the test suite does, module by module) reuses them."""
    return video.demo_mp4(title=title, subtitle=subtitle, slides=slides, seconds=seconds)


def _videos(lectures: list[tuple[Lesson, tuple[video.SlideText, ...]]]) -> None:
    """Each lecture lesson's video: a title card and its slides, one minute long as its label says
    (VP9 in MP4 at 5 fps, about 250 KB and under a second to encode), with captions of what is said.
    Without an encoder the lessons stay "not available offline" and show their transcripts."""
    for lesson, slides in lectures:
        title, subtitle, seconds = lesson.module.title, lesson.course.title, content.LECTURE_SECONDS
        try:
            made = _lecture_mp4(title, subtitle, tuple(slides), seconds)
        except Exception as exc:  # the demo works without videos: say why, once
            logger.warning("Demo lesson videos skipped (they show as not available offline): %s", exc)
            return
        name = f"academy/videos/demo/{lesson.course.slug}/{lesson.slug}.mp4"
        if default_storage.exists(name):  # left by an earlier demo whose database was removed
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(made))
        Lesson.objects.filter(pk=lesson.pk).update(video_file=stored, captions_vtt=video.demo_captions(
            title=title, subtitle=subtitle, slides=slides, seconds=seconds))


def load(*, rng: random.Random) -> None:
    now = timezone.now()
    owner = Organization.objects.get(slug="cloudwave-technologies")
    professor = User.objects.get(email="professor@cloudwave.forward.demo")
    universities = {o.slug: o for o in Organization.objects.filter(kind=OrganizationKind.UNIVERSITY)}
    skills = {}
    courses = []
    lectures = []
    for title, level, hours, credits, skill_names, modules, text in COURSES:
        course = Course.objects.create(slug=slugify(title), title=title, level=level, estimated_hours=hours,
                                       credit_units=credits, owner=owner, status=CourseStatus.PUBLISHED,
                                       published_at=now - timedelta(days=90), summary=text.summary)
        course.authors.add(professor)
        for name in skill_names:
            if name not in skills:
                skills[name] = Skill.objects.create(slug=slugify(name), name=name)
            course.skills.add(skills[name])
        for m_index, (module_title, module_text) in enumerate(zip(modules, text.modules, strict=True)):
            module = Module.objects.create(course=course, order=m_index, title=module_title)
            lectures.append((_lessons(course, module, module_text), module_text.lecture))
        _assessments(course, text, now)
        courses.append(course)
    _videos(lectures)
    demo_labs.load()  # every lab lesson graded by the platform (no outside link)
    courses[2].prerequisites.add(courses[1])  # machine learning builds on big-data analytics
    for title, kind, required, electives, summary in PROGRAMMES:
        programme = Programme.objects.create(
            slug=slugify(title), title=title, kind=kind, summary=summary,
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
