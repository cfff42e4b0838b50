"""Courses as Markdown + YAML: export → import → export is lossless; updates keep learners' records;
bad bundles change nothing and say what to fix."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forward.academy import bundle, bundle_input
from forward.academy.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Course,
    CourseStatus,
    Enrolment,
    Lesson,
    LessonKind,
    LessonProgress,
    Module,
    Question,
    QuestionKind,
    Skill,
)
from forward.core.models import AuditEvent

POLICY = {"types": [{"type": "quiz", "weight": 0.4, "min_count": 1, "drop_lowest": 0},
                    {"type": "exam", "weight": 0.6, "min_count": 1, "drop_lowest": 0}],
          "cutoffs": {"distinction": 0.9, "pass": 0.5}}
VIDEO = b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 4


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())


def build(academy, slug: str = "cloud-101", text: str = "") -> Course:
    """The academy fixture's course, made to use every field a bundle must keep (most not at their default)."""
    if slug == "cloud-101":
        course = academy.course
    else:
        course = Course.objects.create(slug=slug, title="T", owner=academy.university, status=CourseStatus.PUBLISHED)
    base = Course.objects.create(slug=f"{slug}-basics", title="Basics first", owner=academy.university)
    course.title = (text or "Cloud Computing Fundamentals")[:200]
    course.summary = f"Servers, storage, networks.\n\n{text}"
    course.level, course.language, course.estimated_hours, course.credit_units = "advanced", "zh-hans", 0, "3.5"
    course.grading_policy = POLICY
    course.save()
    course.prerequisites.add(base)
    course.skills.add(Skill.objects.get_or_create(slug="networking", defaults={"name": "网络 Networking"})[0])
    first = course.modules.first() or Module.objects.create(course=course, title="Basics")
    first.title = f"基础 {text}"[:200]
    first.save()
    second = Module.objects.create(course=course, order=1, title="Labs & quizzes: “ready”?")
    Module.objects.create(course=course, order=2, title="Coming later")  # a module with no lessons yet
    uploaded = default_storage.save(f"academy/videos/{slug}/upload.mp4", ContentFile(VIDEO))
    Lesson.objects.create(module=first, course=course, order=5, slug="uploaded", kind=LessonKind.VIDEO,
                          title="Uploaded lecture", video_file=uploaded, transcript=f"Transcript\r\n{text}\n",
                          captions_vtt=f"WEBVTT\n\n00:00.000 --> 00:01.000\n你好 {text}\n", minutes=0)
    Lesson.objects.create(module=second, course=course, order=0, slug="lab", kind=LessonKind.LAB, title="Lab: VPC",
                          body=f"---\nNot front matter.\n---\n  trailing spaces  \n\n{text}", lab_url="https://example.org/l")
    quiz_lesson = Lesson.objects.create(module=second, course=course, order=1, slug="quiz", kind=LessonKind.QUIZ,
                                        title=text[:200] or "Quiz", body=text)
    quiz = Assessment.objects.create(course=course, lesson=quiz_lesson, title=text[:200] or "Quiz", attempts_allowed=2,
                                     questions_per_attempt=3, shuffle_options=False, pass_mark=62.5,
                                     category=text[:40] or "homework")
    Question.objects.bulk_create([
        Question(assessment=quiz, order=0, kind=QuestionKind.SINGLE, prompt=f"**Which?** {text}",
                 options=["yes", "null", text or "1.0"], correct=[1], explanation=text or "Because: reasons"),
        Question(assessment=quiz, order=1, kind=QuestionKind.MULTIPLE, prompt="Pick", options=["a", "b", ": c"],
                 correct=[0, 2], points=2.5),
        Question(assessment=quiz, order=2, kind=QuestionKind.NUMERIC, prompt="π?", correct=[3.14159], tolerance=0.01),
        Question(assessment=quiz, order=3, kind=QuestionKind.TEXT, prompt="Name", correct=["VPC", "1.0", "yes"],
                 pattern=r"(virtual )?private cloud"),
    ])
    final = Assessment.objects.create(course=course, kind=AssessmentKind.EXAM, title="Final exam",
                                      time_limit_minutes=90,
                                      closes_at=datetime(2027, 1, 31, 15, 30, 0, 123456, tzinfo=UTC))
    Question.objects.create(assessment=final, kind=QuestionKind.NUMERIC, prompt="2+2", correct=[4])
    Assessment.objects.create(course=course, title="Midterm", attempts_allowed=0)  # no questions yet
    return course


def snapshot(course: Course) -> dict:
    """Every field a course bundle carries, without database ids, storage names or position numbers."""
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
    for assessment in course.assessments.order_by("pk"):
        assessments.append({**row(assessment), "lesson": assessment.lesson.slug if assessment.lesson else None,
                            "questions": [row(q, skip=("order",)) for q in assessment.questions.order_by("order")]})
    return {"course": row(course, skip=("created_at", "published_at")),
            "skills": sorted(course.skills.values_list("slug", "name")),
            "prerequisites": sorted(course.prerequisites.values_list("slug", flat=True)),
            "modules": list(course.modules.order_by("order").values_list("title", flat=True)),
            "lessons": lessons, "assessments": assessments}


def round_trip(course: Course) -> tuple[dict, dict, Course]:
    """Export, forget the course entirely, import it again."""
    files = bundle.course_export(course=course)
    before = snapshot(course)
    owner = course.owner
    Course.objects.filter(pk=course.pk).delete()
    again = bundle.course_import(files=files, owner=owner)
    return files, before, again


def path_of(files: dict, end: str) -> str:
    [path] = [p for p in files if p.endswith(end)]
    return path


def edit(files: dict, end: str, old: bytes, new: bytes) -> None:
    path = path_of(files, end)
    assert old in files[path], files[path]
    files[path] = files[path].replace(old, new, 1)


def test_export_import_export_is_lossless(academy):
    course = build(academy)
    files, before, again = round_trip(course)
    assert bundle.course_export(course=again) == files
    assert snapshot(again) == before
    assert again.status == CourseStatus.PUBLISHED and again.estimated_hours == 0
    assert sorted(files) == [
        ".gitattributes", "01-基础/01-what-is-cloud.md", "01-基础/01-what-is-cloud.vtt", "01-基础/02-notes.md",
        "01-基础/03-uploaded.md", "01-基础/03-uploaded.mp4", "01-基础/03-uploaded.transcript.md",
        "01-基础/03-uploaded.vtt", "01-基础/module.yaml", "02-labs-quizzes-ready/01-lab.md",
        "02-labs-quizzes-ready/02-quiz.md", "02-labs-quizzes-ready/02-quiz.questions.yaml",
        "02-labs-quizzes-ready/module.yaml", "03-coming-later/module.yaml", "assessments/01-final-exam.yaml",
        "assessments/02-midterm.yaml", "course.yaml"]
    assert files["01-基础/03-uploaded.mp4"] == VIDEO
    assert files["02-labs-quizzes-ready/01-lab.md"] == (
        b"---\nslug: lab\ntitle: 'Lab: VPC'\nkind: lab\nminutes: 10\nlab_url: https://example.org/l\n---\n"
        b"---\nNot front matter.\n---\n  trailing spaces  \n\n")
    assert b"summary: |+\n  Servers, storage, networks.\n" in files["course.yaml"]  # literal blocks read well


def test_a_bundle_imported_under_a_new_slug_is_an_equal_copy(academy):
    course = build(academy)
    files = bundle.course_export(course=course)
    copy_files = {**files, "course.yaml": files["course.yaml"].replace(b"slug: cloud-101\n", b"slug: cloud-102\n")}
    copy = bundle.course_import(files=copy_files, owner=academy.university)
    assert copy.pk != course.pk
    original, copied = snapshot(course), snapshot(copy)
    assert copied["course"].pop("slug") == "cloud-102" and original["course"].pop("slug") == "cloud-101"
    assert copied == original
    assert bundle.course_export(course=copy) == copy_files
    assert Lesson.objects.get(course=copy, slug="uploaded").video_file != \
        Lesson.objects.get(course=course, slug="uploaded").video_file  # its own stored copy


pieces = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8),
    st.sampled_from(["\n", "  ", "---", "\n---\n", "---\n", "yes", "null", "1.0", ": ", "# ", "\t", "\r\n", "\r",
                     "'", '"', "|", "- ", "...", "&a", "*a", "!x", "\x85", "\u2028", "\ufeff", "中文", "x" * 120]))
AWKWARD = st.lists(pieces, max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(AWKWARD, min_size=2, max_size=4))
def test_yaml_and_front_matter_keep_any_text(texts):
    data = {"title": texts[0], "items": texts[1:], "nested": {"text": texts[-1]}}
    assert yaml.safe_load(bundle._dump(data)) == data
    front = {"slug": "x", "title": texts[0], "video_url": texts[1]}
    lesson = b"---\n" + bundle._dump(front) + b"---\n" + texts[-1].encode()
    assert bundle._front_matter("x.md", lesson) == (front, texts[-1])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=AWKWARD)
def test_awkward_text_survives_the_round_trip(academy, text):
    course = build(academy, slug="awkward", text=text)
    files, before, again = round_trip(course)
    assert snapshot(again) == before
    assert bundle.course_export(course=again) == files
    Course.objects.filter(slug__startswith="awkward").delete()


def test_a_bundle_written_by_hand_needs_only_the_essentials(academy):
    files = {
        "course.yaml": b"slug: by-hand\ntitle: Written by hand\n",
        "1-start/module.yaml": b"title: Start\n",
        "1-start/1-read.md": b"---\nslug: read\ntitle: Read this\nkind: reading\n---\n# Hello\n",
        "1-start/2-check.md": b"---\nslug: check\ntitle: Check\nkind: quiz\n---\n",
        "1-start/2-check.questions.yaml": (b"title: Check\nquestions:\n"
                                           b"- kind: single\n  prompt: Which?\n  options: [a, b]\n  correct: [0]\n"
                                           b"- kind: text\n  prompt: Name it\n  correct: [VPC]\n"),
        "README.md": b"Not part of the course.\n",
    }
    course = bundle.course_import(files=files, owner=academy.university, actor=academy.admin)
    assert (course.status, course.level, course.language, course.estimated_hours) == ("draft", "introductory", "en", 10)
    read = Lesson.objects.get(course=course, slug="read")
    assert (read.body, read.minutes, read.module.title) == ("# Hello\n", 10, "Start")
    check = Assessment.objects.get(lesson__slug="check", course=course)
    assert (check.kind, check.attempts_allowed, check.shuffle_options, check.pass_mark) == ("quiz", 3, True, 50)
    assert list(check.questions.order_by("order").values_list("kind", "options", "correct", "points")) == [
        ("single", ["a", "b"], [0], 1), ("text", [], ["VPC"], 1)]
    assert "01-start/02-check.questions.yaml" in bundle.course_export(course=course)


def test_front_matter_fences_written_with_windows_newlines_are_read(academy):
    files = bundle.course_export(course=build(academy))
    files[path_of(files, "-notes.md")] = b"---\r\nslug: notes\r\ntitle: Notes\r\nkind: reading\r\n---\r\nLine\r\n"
    course = bundle.course_import(files=files, owner=academy.university)
    notes = Lesson.objects.get(course=course, slug="notes")
    assert (notes.title, notes.body, notes.minutes) == ("Notes", "Line\r\n", 10)


def test_an_update_in_place_keeps_learners_progress_and_attempts(academy, django_capture_on_commit_callbacks):
    course = build(academy)
    lessons = {lesson.slug: lesson.pk for lesson in Lesson.objects.filter(course=course)}
    basics = course.modules.get(order=0).pk
    enrolment = Enrolment.objects.create(run=academy.open_run, user=academy.student)
    for slug in ("lab", "uploaded"):
        LessonProgress.objects.create(enrolment=enrolment, lesson_id=lessons[slug], position_seconds=12)
    quiz = Assessment.objects.get(lesson__slug="quiz", course=course)
    final = Assessment.objects.get(course=course, title="Final exam")
    prompts = dict(quiz.questions.values_list("pk", "prompt"))
    attempt = Attempt.objects.create(assessment=quiz, user=academy.student, question_ids=list(prompts),
                                     answers={str(pk): 0 for pk in prompts}, score=1, max_score=6)
    Attempt.objects.create(assessment=final, user=academy.student, question_ids=[], score=0, max_score=1)
    video_name = Lesson.objects.get(pk=lessons["uploaded"]).video_file

    files = bundle.course_export(course=course)
    edit(files, "course.yaml", b"status: published", b"status: draft")
    edit(files, "-lab.md", b"title: 'Lab: VPC'", b"title: 'Lab: your first VPC'")
    del files[path_of(files, "-notes.md")]  # a lesson removed
    del files[path_of(files, "02-midterm.yaml")]  # an assessment nobody answered, removed
    files["00-welcome/module.yaml"] = b"title: Welcome\n"  # a module put first
    files["00-welcome/01-hello.md"] = b"---\nslug: hello\ntitle: Hello\nkind: reading\n---\nHi!\n"
    questions_path = path_of(files, "-quiz.questions.yaml")
    data = yaml.safe_load(files[questions_path])
    data["questions"].insert(0, {"kind": "single", "prompt": "New first question", "options": ["a", "b"],
                                 "correct": [1]})
    data["questions"] = [q for q in data["questions"] if q["prompt"] != "π?"]  # a question removed
    data["questions"][3]["prompt"] = "Name it"  # a question edited where it stands
    files[questions_path] = bundle._dump(data)
    with django_capture_on_commit_callbacks(execute=True):
        updated = bundle.course_import(files=files, owner=academy.university)

    assert updated.pk == course.pk and updated.status == CourseStatus.PUBLISHED  # status is the studio's decision
    now = {lesson.slug: lesson.pk for lesson in Lesson.objects.filter(course=course)}
    assert now.pop("hello") and now == {slug: pk for slug, pk in lessons.items() if slug != "notes"}
    assert Lesson.objects.get(pk=lessons["lab"]).title == "Lab: your first VPC"
    assert list(course.modules.order_by("order").values_list("title", flat=True))[:2] == ["Welcome", "基础 "]
    assert course.modules.get(title="基础 ").pk == basics  # matched by title, not position
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 2
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()
    assert Attempt.objects.get(pk=attempt.pk).assessment_id == quiz.pk
    assert Assessment.objects.get(lesson_id=lessons["quiz"]).pk == quiz.pk
    for pk, prompt in prompts.items():  # the attempt's question ids still mean the same questions
        question = Question.objects.filter(pk=pk).first()
        assert {"π?": None, "Name": "Name it"}.get(prompt, prompt) == (question.prompt if question else None)
    assert quiz.questions.order_by("order").first().prompt == "New first question"
    assert list(course.assessments.filter(lesson=None).values_list("pk", flat=True)) == [final.pk]
    assert Lesson.objects.get(pk=lessons["uploaded"]).video_file == video_name  # same bytes: not stored again
    assert default_storage.exists(video_name)
    after = bundle.course_export(course=course)
    assert after["01-welcome/01-hello.md"] == b"---\nslug: hello\ntitle: Hello\nkind: reading\nminutes: 10\n---\nHi!\n"
    assert bundle.course_import(files=after, owner=academy.university).pk == course.pk  # importing again:
    assert bundle.course_export(course=course) == after  # nothing changes


def test_an_assessment_learners_answered_cannot_be_removed_and_nothing_changes(academy, media):
    course = build(academy)
    quiz = Assessment.objects.get(lesson__slug="quiz", course=course)
    Attempt.objects.create(assessment=quiz, user=academy.student, question_ids=[], score=1, max_score=1)
    files = bundle.course_export(course=course)
    files[path_of(files, "-uploaded.mp4")] = VIDEO + b"a new cut"  # stored before the transaction…
    del files[path_of(files, "-quiz.questions.yaml")]
    before, storage = snapshot(course), stored_files(media)
    with pytest.raises(ValidationError, match="Learners have answered “Quiz”"):
        bundle.course_import(files=files, owner=academy.university)
    assert snapshot(course) == before and stored_files(media) == storage  # …and removed again


def test_a_new_course_is_a_draft_unless_its_bundle_says_published(academy):
    files = bundle.course_export(course=build(academy))
    for status, expected in ((b"status: published", "published"), (b"status: draft", "draft"), (b"", "draft")):
        slug = f"copy-{expected}-{len(status)}".encode()
        copy = {**files, "course.yaml": files["course.yaml"].replace(b"slug: cloud-101", b"slug: " + slug)
                .replace(b"status: published", status)}
        course = bundle.course_import(files=copy, owner=academy.university, actor=academy.admin)
        assert course.status == expected and (course.published_at is not None) == (expected == "published")
        assert list(course.authors.all()) == [academy.admin]
        assert AuditEvent.objects.filter(action="course.import", target=course.slug, actor=academy.admin).exists()


def test_only_the_course_team_may_update_a_course_by_import(academy):
    course = build(academy)
    files = bundle.course_export(course=course)
    edit(files, "course.yaml", b"title: Cloud Computing Fundamentals", b"title: Taken over")
    with pytest.raises(PermissionDenied):
        bundle.course_import(files=files, owner=academy.university, actor=academy.outsider)
    bundle.course_import(files=files, owner=academy.university, actor=academy.admin)  # the owner's admin
    assert Course.objects.get(pk=course.pk).title == "Taken over"


def test_another_organizations_slug_is_not_overwritten(academy, people):
    course = build(academy)
    Course.objects.filter(slug="cloud-101-basics").update(status=CourseStatus.PUBLISHED)  # a visible prerequisite
    files = bundle.course_export(course=course)
    before = snapshot(course)
    copy = bundle.course_import(files=files, owner=people.other_org)  # a new course under a free slug
    assert (copy.slug, copy.owner) == ("cloud-101-2", people.other_org)
    assert snapshot(course) == before and Course.objects.get(pk=course.pk).owner == academy.university


BAD = {
    "malformed course.yaml": (lambda f: f.update({"course.yaml": b"slug: x\ntitle: [oops"}),
                              r"course.yaml \(line 2\) is not valid YAML"),
    "malformed front matter": (lambda f: edit(f, "-lab.md", b"kind: lab", b"kind: [lab"),
                               r"01-lab.md \(line 5\) is not valid YAML"),
    "unknown lesson kind": (lambda f: edit(f, "-lab.md", b"kind: lab", b"kind: podcast"),
                            "01-lab.md: “podcast” is not a valid kind"),
    "missing title": (lambda f: edit(f, "-lab.md", b"title: 'Lab: VPC'\n", b""), "01-lab.md: “title” is missing"),
    "duplicate lesson slug": (lambda f: f.update({"02-labs-quizzes-ready/03-lab.md": f[path_of(f, "-lab.md")]}),
                              "03-lab.md: another lesson already uses the slug “lab”"),
    "correct index out of range": (
        lambda f: edit(f, "-quiz.questions.yaml", b"correct:\n  - 1\n", b"correct:\n  - 7\n"),
        r"02-quiz.questions.yaml, question 1: correct lists the right options by number, counted from 0 "
        r"\(here 0 to 2\); 7 is not one of them"),
    "invalid grading policy": (lambda f: edit(f, "course.yaml", b"weight: 0.6", b"weight: 0.1"),
                               "course.yaml: grading_policy: The weights add up to 0.5"),
    "grading policy of the wrong shape": (lambda f: edit(f, "course.yaml", b"weight: 0.6", b"weight: heavy"),
                                          "course.yaml: grading_policy: The weight of “exam” is a number from 0 to 1"),
    "unknown prerequisite": (lambda f: edit(f, "course.yaml", b"- cloud-101-basics", b"- no-such-course"),
                             "no course has the slug no-such-course"),
    "missing module.yaml": (lambda f: f.pop("02-labs-quizzes-ready/module.yaml"),
                            "02-labs-quizzes-ready/ has no module.yaml"),
    "minutes not a number": (lambda f: edit(f, "-lab.md", b"minutes: 10", b"minutes: lots"),
                             "01-lab.md: “minutes” is a whole number"),
    "negative minutes": (lambda f: edit(f, "-lab.md", b"minutes: 10", b"minutes: -5"),
                         "01-lab.md: minutes: Ensure this value is greater than or equal to 0"),
    "misspelt field": (lambda f: edit(f, "-lab.md", b"minutes: 10", b"minuts: 10"), "unknown field “minuts”"),
    "title too long": (lambda f: edit(f, "-lab.md", b"'Lab: VPC'", b"x" * 201),
                       "01-lab.md: title: Ensure this value has at most 200 characters"),
    "bad lab link": (lambda f: edit(f, "-lab.md", b"https://example.org/l", b"example dot org"),
                     "01-lab.md: lab_url: Enter a valid URL"),
    "bad course slug": (lambda f: edit(f, "course.yaml", b"slug: cloud-101", b"slug: cloud 101"),
                        "course.yaml: slug: Enter a valid “slug”"),
    "bad level": (lambda f: edit(f, "course.yaml", b"level: advanced", b"level: wizard"),
                  "“wizard” is not a valid level"),
    "bad status": (lambda f: edit(f, "course.yaml", b"status: published", b"status: live"),
                   "“live” is not a valid status"),
    "unknown format": (lambda f: edit(f, "course.yaml", b"forward-course/1", b"forward-course/9"),
                       "in the format forward-course/9"),
    "no front matter": (lambda f: f.update({path_of(f, "-lab.md"): b"no front matter"}),
                        "01-lab.md must start with front matter"),
    "stray questions file": (lambda f: f.update({"02-labs-quizzes-ready/09-gone.questions.yaml": b"title: x\n"}),
                             "09-gone.questions.yaml belongs to no lesson"),
    "video not in the bundle": (lambda f: f.pop(path_of(f, "-uploaded.mp4")),
                                "03-uploaded.md names the video 03-uploaded.mp4, which is not beside it"),
    "video not a video": (lambda f: f.update({path_of(f, "-uploaded.mp4"): b"<html>"}),
                          "03-uploaded.mp4 is not a playable MP4 file"),
    "closes_at not a time": (lambda f: edit(f, "01-final-exam.yaml", b"closes_at: '2027", b"closes_at: 'soon 2027"),
                             "01-final-exam.yaml: closes_at is a date and time"),
    "option YAML reads as true": (lambda f: edit(f, "-quiz.questions.yaml", b"- 'yes'", b"- yes"),
                                  "question 1: options is a list of texts"),
    "bad pattern": (lambda f: edit(f, "-quiz.questions.yaml", b"(virtual )?private cloud", b"(unclosed"),
                    "question 4: the pattern is not a valid regular expression"),
    "pass mark not a number": (lambda f: edit(f, "01-final-exam.yaml", b"pass_mark: 50.0", b"pass_mark: high"),
                               "01-final-exam.yaml: “pass_mark” is a number"),
    "policy weight not finite": (lambda f: edit(f, "course.yaml", b"weight: 0.6", b"weight: .nan"),
                                 "course.yaml: “grading_policy” holds a value a course cannot store"),
    "body not UTF-8": (lambda f: f.update({path_of(f, "-lab.md"): f[path_of(f, "-lab.md")] + b"\xff"}),
                       "01-lab.md is not UTF-8 text"),
}


@pytest.mark.parametrize("change, message", list(BAD.values()), ids=list(BAD))
def test_a_bad_bundle_changes_nothing_and_says_what_to_fix(academy, media, change, message):
    course = build(academy)
    files = bundle.course_export(course=course)
    files[path_of(files, "-uploaded.mp4")] = VIDEO + b"edited"  # a changed video is not stored on error
    before, storage = snapshot(course), stored_files(media)
    change(files)
    with pytest.raises(ValidationError, match=message):
        bundle.course_import(files=files, owner=academy.university)
    assert snapshot(course) == before
    assert stored_files(media) == storage


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_round_trips_and_is_the_same_bytes_each_time(academy):
    course = build(academy)
    data = bundle.export_zip(course=course)
    assert bundle.export_zip(course=course) == data
    assert all(name.startswith("cloud-101/") for name in zipfile.ZipFile(io.BytesIO(data)).namelist())
    files = bundle.course_export(course=course)
    assert bundle.read_zip(data) == {p: d for p, d in files.items() if p != ".gitattributes"}  # hidden: skipped
    junk = {"__MACOSX/cloud-101/._course.yaml": b"junk", "cloud-101/.DS_Store": b"junk"}
    Course.objects.filter(pk=course.pk).delete()
    again = bundle.import_zip(source=_zip({**{f"cloud-101/{p}": d for p, d in files.items()}, **junk}),
                              owner=academy.university)
    assert bundle.course_export(course=again) == files


@pytest.mark.parametrize("name", ["../evil/course.yaml", "/etc/course.yaml", "cloud\\..\\..\\course.yaml",
                                  "C:/course.yaml"])
def test_a_zip_with_paths_outside_it_is_refused(name):
    with pytest.raises(ValidationError, match="which points outside it"):
        bundle.read_zip(_zip({"course.yaml": b"slug: x\ntitle: X\n", name: b"x"}))


def test_zip_bombs_non_zips_and_broken_zips_are_refused(monkeypatch, settings):
    with pytest.raises(ValidationError, match="This file is not a zip archive"):
        bundle.read_zip(b"%PDF-1.7 not a zip")
    with pytest.raises(ValidationError, match=r"no course\.yaml"):
        bundle.read_zip(_zip({"a/readme.md": b"hello", "b/other.md": b"x"}))
    settings.FORWARD_BUNDLE_MAX_MB = 1
    bomb = _zip({"course.yaml": b"slug: x\n", "01-m/01-big.md": b"\x00" * (4 * 1024 * 1024)})
    assert len(bomb) < 50_000
    with pytest.raises(ValidationError, match=r"unpacks to more than 1\.0"):
        bundle.read_zip(bomb)
    monkeypatch.setattr(bundle_input, "MAX_FILES", 3)
    with pytest.raises(ValidationError, match="more than 3 files"):
        bundle.read_zip(_zip({f"{n}.md": b"x" for n in range(4)}))
    broken = bytearray(_zip({"course.yaml": b"slug: x\ntitle: " + b"y" * 500 + b"\n"}))
    at = broken.index(b"course.yaml") + len(b"course.yaml") + 5  # inside the compressed data
    broken[at] ^= 0xFF
    with pytest.raises(ValidationError, match=r"course\.yaml cannot be read from the zip"):
        bundle.read_zip(bytes(broken))


def test_a_folder_with_a_link_outside_it_is_refused(academy, tmp_path):
    bundle.export_dir(course=build(academy), path=tmp_path / "course")
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    os.symlink(secret, tmp_path / "course" / "README.md")
    with pytest.raises(ValidationError, match=r"README\.md, which points outside it"):
        bundle.read_dir(tmp_path / "course")


def test_exporting_again_into_a_folder_replaces_the_courses_files_only(academy, tmp_path):
    course = build(academy)
    folder = tmp_path / "repo"
    bundle.export_dir(course=course, path=folder)
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "README.md").write_text("Our course\n")
    (folder / ".gitattributes").write_text("*.mp4 filter=lfs\n")
    Lesson.objects.filter(course=course, slug="notes").delete()
    Module.objects.filter(course=course, order=1).update(title="Practice")
    bundle.export_dir(course=course, path=folder)
    files = bundle.course_export(course=course)
    assert bundle.read_dir(folder) == {p: d for p, d in files.items() if p != ".gitattributes"}  # notes: not read
    assert not (folder / "02-labs-quizzes-ready").exists() and (folder / "02-practice" / "01-lab.md").exists()
    assert (folder / ".git" / "HEAD").exists() and (folder / ".gitattributes").read_text() == "*.mp4 filter=lfs\n"
    assert bundle.import_dir(path=folder, owner=academy.university).pk == course.pk
    assert bundle.course_export(course=course) == files


def test_the_management_commands_export_and_import_zips_and_folders(academy, tmp_path, capsys):
    course = build(academy)
    files = bundle.course_export(course=course)
    call_command("course_export", course.slug, str(tmp_path / "out" / "course.zip"))
    call_command("course_export", course.slug, str(tmp_path / "folder"))
    assert "Exported" in capsys.readouterr().out
    assert (tmp_path / "folder" / "course.yaml").read_bytes() == files["course.yaml"]
    Course.objects.filter(pk=course.pk).delete()
    call_command("course_import", str(tmp_path / "out" / "course.zip"), owner=academy.university.slug)
    assert "Imported" in capsys.readouterr().out
    course = Course.objects.get(slug="cloud-101")
    assert bundle.course_export(course=course) == files
    call_command("course_import", str(tmp_path / "folder"), owner=academy.university.slug)
    assert Course.objects.get(slug="cloud-101").pk == course.pk and bundle.course_export(course=course) == files

    with pytest.raises(CommandError, match="No organization has the slug “nobody”"):
        call_command("course_import", str(tmp_path / "folder"), owner="nobody")
    with pytest.raises(CommandError, match="No course has the slug “nothing”"):
        call_command("course_export", "nothing", str(tmp_path / "x.zip"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("course_import", str(tmp_path / "missing.zip"), owner=academy.university.slug)
    (tmp_path / "folder" / "course.yaml").write_text("title: [unclosed")
    with pytest.raises(CommandError, match=r"^course.yaml \(line 1\) is not valid YAML: [^\n]*$"):
        call_command("course_import", str(tmp_path / "folder"), owner=academy.university.slug)
    (tmp_path / "notes.txt").write_text("not a zip")
    with pytest.raises(CommandError, match="not a zip archive"):
        call_command("course_import", str(tmp_path / "notes.txt"), owner=academy.university.slug)
    assert bundle.course_export(course=course) == files
