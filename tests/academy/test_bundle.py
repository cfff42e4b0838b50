"""Courses as Markdown + YAML: export → import → export is lossless; updates keep learners' records;
bad bundles change nothing and say what to fix."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forward.academy import bundle
from forward.academy.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Course,
    Enrolment,
    Lesson,
    LessonKind,
    LessonProgress,
    Module,
    Question,
    QuestionKind,
    Skill,
)

POLICY = {"types": [{"type": "quiz", "weight": 0.4, "min_count": 1, "drop_lowest": 0},
                    {"type": "exam", "weight": 0.6, "min_count": 1, "drop_lowest": 0}],
          "cutoffs": {"distinction": 0.9, "pass": 0.5}}
VIDEO = b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 4


def build(academy, slug: str = "cloud-101", text: str = "") -> Course:
    """The academy fixture's course, made to use every field the bundle must keep."""
    course = academy.course if slug == "cloud-101" else Course.objects.create(slug=slug, title="T", owner=academy.university)
    base = Course.objects.create(slug=f"{slug}-basics", title="Basics first", owner=academy.university)
    course.summary = f"Servers, storage, networks.\n\n{text}"
    course.level, course.language, course.estimated_hours, course.credit_units = "advanced", "zh-hans", 42, "3.5"
    course.grading_policy = POLICY
    course.save()
    course.prerequisites.add(base)
    course.skills.add(Skill.objects.get_or_create(slug="networking", defaults={"name": "网络 Networking"})[0])
    first = course.modules.first() or Module.objects.create(course=course, title="Basics")
    first.title = f"基础 {text}".strip() or "Basics"
    first.save()
    second = Module.objects.create(course=course, order=1, title="Labs & quizzes: “ready”?")
    uploaded = default_storage.save(f"academy/videos/{slug}/upload.mp4", ContentFile(VIDEO))
    Lesson.objects.create(module=first, course=course, order=5, slug="uploaded", kind=LessonKind.VIDEO,
                          title="Uploaded lecture", video_file=uploaded, transcript=f"Transcript {text}\n",
                          captions_vtt="WEBVTT\n\n00:00.000 --> 00:01.000\n你好\n", minutes=7)
    Lesson.objects.create(module=second, course=course, order=0, slug="lab", kind=LessonKind.LAB, title="Lab: VPC",
                          body=f"---\nNot front matter.\n---\n  trailing spaces  \n{text}", lab_url="https://example.org/l")
    quiz_lesson = Lesson.objects.create(module=second, course=course, order=1, slug="quiz", kind=LessonKind.QUIZ,
                                        title=text or "Quiz")
    quiz = Assessment.objects.create(course=course, lesson=quiz_lesson, title=text or "Quiz", attempts_allowed=2,
                                     questions_per_attempt=3, shuffle_options=False, pass_mark=62.5,
                                     category="homework")
    Question.objects.bulk_create([
        Question(assessment=quiz, order=0, kind=QuestionKind.SINGLE, prompt=f"**Which?** {text}",
                 options=["yes", "null", text or "1.0"], correct=[1], explanation="Because: reasons"),
        Question(assessment=quiz, order=1, kind=QuestionKind.MULTIPLE, prompt="Pick", options=["a", "b", ": c"],
                 correct=[0, 2], points=2.5),
        Question(assessment=quiz, order=2, kind=QuestionKind.NUMERIC, prompt="π?", correct=[3.14159], tolerance=0.01),
        Question(assessment=quiz, order=3, kind=QuestionKind.TEXT, prompt="Name", correct=["VPC", "1.0", "yes"],
                 pattern=r"(virtual )?private cloud"),
    ])
    final = Assessment.objects.create(course=course, kind=AssessmentKind.EXAM, title="Final exam",
                                      time_limit_minutes=90, closes_at=datetime(2027, 1, 31, 15, 30, tzinfo=UTC))
    Question.objects.create(assessment=final, kind=QuestionKind.NUMERIC, prompt="2+2", correct=[4])
    return course


def snapshot(course: Course) -> dict:
    """Every field a course bundle carries, without database ids or storage names."""
    course = Course.objects.get(pk=course.pk)
    def row(obj, skip=()):
        return {f.name: getattr(obj, f.name) for f in obj._meta.concrete_fields
                if not (f.primary_key or f.is_relation or f.name in skip)}

    lessons = []
    for lesson in Lesson.objects.filter(course=course).select_related("module").order_by("module__order", "order"):
        data = row(lesson, skip=("video_file", "order"))  # the sequence matters, not the numbers
        data["module"] = lesson.module.title
        if lesson.video_file:
            with default_storage.open(lesson.video_file, "rb") as video:
                data["video"] = video.read()
        lessons.append(data)
    assessments = []
    for assessment in course.assessments.order_by("lesson__slug", "title"):
        assessments.append({**row(assessment), "lesson": assessment.lesson.slug if assessment.lesson else None,
                            "questions": [row(q, skip=("order",)) for q in assessment.questions.order_by("order")]})
    return {"course": row(course, skip=("created_at", "published_at", "status")),
            "skills": sorted(course.skills.values_list("slug", "name")),
            "prerequisites": sorted(course.prerequisites.values_list("slug", flat=True)),
            "modules": list(course.modules.order_by("order").values_list("title", flat=True)),
            "lessons": lessons, "assessments": assessments}


def round_trip(course: Course) -> tuple[dict, dict, Course]:
    files = bundle.course_export(course=course)
    before = snapshot(course)
    owner = course.owner
    Course.objects.filter(pk=course.pk).delete()
    again = bundle.course_import(files=files, owner=owner)
    return files, before, again


def test_export_import_export_is_lossless(academy):
    course = build(academy)
    files, before, again = round_trip(course)
    assert bundle.course_export(course=again) == files
    assert snapshot(again) == before
    assert "course.yaml" in files and any(p.endswith(".questions.yaml") for p in files)
    assert files["02-labs-quizzes-ready/01-lab.md"].startswith(b"---\nslug: lab\n")


AWKWARD = st.lists(st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
    st.sampled_from(["\n", "  ", "---", "\n---\n", "yes", "null", "1.0", ": ", "# ", "\t", "\r\n", "'", '"', "|"])),
    max_size=6).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=AWKWARD)
def test_awkward_text_survives_the_round_trip(academy, text):
    course = build(academy, slug="awkward", text=text)
    files, before, again = round_trip(course)
    assert snapshot(again) == before
    assert bundle.course_export(course=again) == files
    Course.objects.filter(slug__startswith="awkward").delete()


def test_zip_and_folder_round_trip_through_the_commands(academy, tmp_path):
    course = build(academy)
    archive = tmp_path / "course.zip"
    call_command("course_export", course.slug, str(archive))
    call_command("course_export", course.slug, str(tmp_path / "folder"))
    assert (tmp_path / "folder" / "course.yaml").read_text().startswith("format: forward-course/1\n")
    names = zipfile.ZipFile(archive).namelist()
    assert all(name.startswith("cloud-101/") for name in names)
    files = bundle.course_export(course=course)
    Course.objects.filter(pk=course.pk).delete()
    call_command("course_import", str(archive), owner=academy.university.slug)
    assert bundle.course_export(course=Course.objects.get(slug="cloud-101")) == files
    with pytest.raises(CommandError, match="No organization has the slug"):
        call_command("course_import", str(archive), owner="nobody")
    (tmp_path / "folder" / "course.yaml").write_text("title: [unclosed")
    with pytest.raises(CommandError, match=r"course.yaml \(line 1\) is not valid YAML"):
        call_command("course_import", str(tmp_path / "folder"), owner=academy.university.slug)


def test_an_update_in_place_keeps_learners_progress_and_attempts(academy):
    course = build(academy)
    enrolment = Enrolment.objects.create(run=academy.open_run, user=academy.student)
    quiz = Assessment.objects.get(lesson__slug="quiz", course=course)
    LessonProgress.objects.create(enrolment=enrolment, lesson=Lesson.objects.get(course=course, slug="lab"),
                                  position_seconds=0)
    attempt = Attempt.objects.create(assessment=quiz, user=academy.student, question_ids=[], score=1, max_score=1)
    files = bundle.course_export(course=course)
    lab = next(p for p in files if p.endswith("-lab.md"))
    files[lab] = files[lab].replace(b"title: 'Lab: VPC'", b"title: 'Lab: your first VPC'")
    files = {p: d for p, d in files.items() if not p.endswith("-notes.md")}  # a lesson removed
    updated = bundle.course_import(files=files, owner=academy.university)
    assert updated.pk == course.pk
    assert Lesson.objects.get(course=course, slug="lab").title == "Lab: your first VPC"
    assert not Lesson.objects.filter(course=course, slug="notes").exists()
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 1
    assert Attempt.objects.get(pk=attempt.pk).assessment_id == quiz.pk
    # A quiz learners answered cannot disappear through a bundle.
    quizless = {p: d for p, d in files.items() if "-quiz." not in p}
    with pytest.raises(ValidationError, match="Learners have answered"):
        bundle.course_import(files=quizless, owner=academy.university)
    assert Assessment.objects.filter(pk=quiz.pk).exists()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("change, message", [
    (lambda f: f.update({"course.yaml": b"slug: x\ntitle: [oops"}), r"course.yaml \(line 2\) is not valid YAML"),
    (lambda f: f.update({"course.yaml": f["course.yaml"].replace(b"level: advanced", b"level: wizard")}),
     "“wizard” is not a valid level"),
    (lambda f: f.update({"02-labs-quizzes-ready/01-lab.md": b"no front matter"}), "must start with a front matter"),
    (lambda f: f.update({"02-labs-quizzes-ready/03-lab.md": f["02-labs-quizzes-ready/01-lab.md"]}),
     "another lesson already uses the slug “lab”"),
    (lambda f: f.update({"02-labs-quizzes-ready/02-quiz.questions.yaml":
                         f["02-labs-quizzes-ready/02-quiz.questions.yaml"].replace(b"correct:\n  - 1\n",
                                                                                    b"correct:\n  - 7\n", 1)}),
     "question 1: give at least two options"),
    (lambda f: f.update({"course.yaml": f["course.yaml"].replace(b"weight: 0.6", b"weight: 0.1")}),
     "grading_policy"),
    (lambda f: f.update({"course.yaml": f["course.yaml"].replace(b"- cloud-101-basics", b"- no-such-course")}),
     "no-such-course are not courses on Forward"),
    (lambda f: f.pop("02-labs-quizzes-ready/module.yaml"), "has no module.yaml"),
])
def test_a_bad_bundle_changes_nothing_and_says_what_to_fix(academy, change, message):
    course = build(academy)
    files = bundle.course_export(course=course)
    before = snapshot(course)
    change(files)
    with pytest.raises(ValidationError, match=message):
        bundle.course_import(files=files, owner=academy.university)
    assert snapshot(Course.objects.get(pk=course.pk)) == before


def test_zips_that_escape_or_are_not_zips_are_refused(academy):
    with pytest.raises(ValidationError, match="points outside it"):
        bundle.read_zip(_zip({"../evil/course.yaml": b"slug: x"}))
    with pytest.raises(ValidationError, match="not a zip archive"):
        bundle.read_zip(b"%PDF-1.7 not a zip")
    with pytest.raises(ValidationError, match=r"no course\.yaml"):
        bundle.read_zip(_zip({"a/readme.md": b"hello", "b/other.md": b"x"}))


def test_another_organizations_slug_is_not_overwritten(academy, people):
    course = build(academy)
    files = bundle.course_export(course=course)
    with pytest.raises(ValidationError, match="belongs to another organization"):
        bundle.course_import(files=files, owner=people.other_org)
    assert Course.objects.get(pk=course.pk).owner == academy.university
