"""The demo's courses are worth reading: readings of several paragraphs on the subject, quizzes and
exams about the subject (not about the course), one correct answer where one is asked for, lecture
videos as long as their labels say, labs that describe their task instead of linking nowhere, and
certification exams drawn from the pool of their own subject."""

from __future__ import annotations

import io
import random
import re

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings

from forward.academy import demo, demo_certifications, video
from forward.academy.models import Certification, Course, Lesson, LessonKind, Question, QuestionKind
from forward.core import demo as core_demo
from forward.core.markdown import render_markdown
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The core and academy demos, with their generated videos, loaded once for the module and
    rolled back after it."""
    with (override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("files")), django_db_blocker.unblock(),
          transaction.atomic()):
        core_demo.load(rng=random.Random(7), password="correct horse battery")
        demo.load(rng=random.Random(7))
        yield
        transaction.set_rollback(True)


def paragraphs(markdown: str) -> list[str]:
    """The prose paragraphs a reader sees (not headings, lists, tables or code)."""
    return [text for text in re.findall(r"<p>(.*?)</p>", str(render_markdown(markdown)), flags=re.S)
            if len(text.split()) >= 15]


def test_every_reading_has_several_paragraphs_and_an_honest_length(loaded):
    readings = list(Lesson.objects.filter(kind=LessonKind.READING, course__slug__in=[
        c.slug for c in Course.objects.all()]))
    assert len(readings) == 15  # three per course
    for lesson in readings:
        assert len(paragraphs(lesson.body)) >= 3, lesson.title
        words = len(lesson.body.split())
        assert words >= 250, lesson.title
        assert words / 250 <= lesson.minutes <= max(3, words / 120), (lesson.title, words, lesson.minutes)
    bodies = [lesson.body for lesson in readings]
    assert len(set(bodies)) == len(bodies)


def test_readings_are_about_the_subject(loaded):
    def reading(course_slug: str, module: int) -> str:
        return Lesson.objects.get(course__slug=course_slug, module__order=module, kind=LessonKind.READING).body

    cloud = " ".join(reading("cloud-computing-fundamentals", m) for m in range(3))
    for term in ("availability zone", "IaaS", "PaaS", "SaaS", "Object storage", "least privilege", "autoscaling",
                 "Spot"):
        assert term.lower() in cloud.lower(), term
    data = " ".join(reading("big-data-analytics-with-python", m) for m in range(3))
    for term in ("tidy data", "LEFT JOIN", "GROUP BY", "median", "histogram", "A/B test", "p-value"):
        assert term.lower() in data.lower(), term
    ml = " ".join(reading("machine-learning-foundations", m) for m in range(3))
    for term in ("validation set", "overfit", "leakage", "logistic regression", "random forest", "ROC AUC", "F1",
                 "RMSE"):
        assert term.lower() in ml.lower(), term
    assert "```sql" in data and "```python" in ml  # code where it is natural


def test_an_anonymous_visitor_reads_a_lesson_with_a_table_and_code(loaded):
    page = client_for(None).get("/academy/cloud-computing-fundamentals/what-the-cloud-is-notes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h3>Regions and availability zones</h3>" in html and '<table tabindex="0">' in html
    page = client_for(None).get("/academy/big-data-analytics-with-python/dataframes-and-sql-notes/")
    assert '<pre tabindex="0"><code' in page.content.decode() and "LEFT JOIN orders o" in page.content.decode()


def test_course_summaries_are_distinct_and_say_what_is_taught(loaded):
    summaries = dict(Course.objects.values_list("title", "summary"))
    assert len(summaries) == 5 and len(set(summaries.values())) == 5
    for title, summary in summaries.items():
        assert len(summary.split()) >= 25 and title not in summary
    assert "IaaS" in summaries["Cloud Computing Fundamentals"]
    assert "A/B tests" in summaries["Big Data Analytics with Python"]


def test_quiz_and_exam_questions_are_about_the_subject_not_the_course(loaded):
    questions = list(Question.objects.filter(assessment__course__isnull=False).select_related("assessment__course"))
    assert len(questions) == 5 * (5 + 8)
    for question in questions:
        text = " ".join([question.prompt, *map(str, question.options)]).lower()
        assert question.assessment.course.title.lower() not in text, question.prompt
        assert not re.search(r"\b(module|lesson|course)s?\b", text), question.prompt
        assert question.explanation, question.prompt  # shown after a quiz: why the answer is right
    assert len({q.prompt for q in questions}) == len(questions)


def test_each_programme_has_its_own_summary_of_what_you_learn_for_whom_and_what_you_get(loaded):
    from forward.academy.models import Programme

    summaries = dict(Programme.objects.values_list("slug", "summary"))
    assert len(summaries) == 4 and len(set(summaries.values())) == 4
    for slug, summary in summaries.items():
        assert len(summary.split()) >= 40, slug
        assert "a programme of the Forward partners" not in summary
        assert "For " in summary or " for " in summary, slug  # who it is for
        assert "certificate" in summary or "credential" in summary, slug  # what you get
    assert "machine-learning" in summaries["ai-forward"] and "credit units" in summaries[
        "minimasters-in-artificial-intelligence"]
    page = client_for(None).get("/academy/programmes/digitalents-forward/").content.decode()
    assert "run a small service in the cloud" in page


def test_every_question_has_the_right_number_of_correct_answers(loaded):
    questions = list(Question.objects.all())
    assert {q.kind for q in questions} == {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.NUMERIC}
    for q in questions:
        if q.kind == QuestionKind.SINGLE:
            assert len(q.options) >= 3 and len(q.correct) == 1 and 0 <= q.correct[0] < len(q.options), q.prompt
        elif q.kind == QuestionKind.MULTIPLE:  # more than one right, and at least one wrong
            assert 2 <= len(set(q.correct)) == len(q.correct) < len(q.options), q.prompt
            assert all(0 <= i < len(q.options) for i in q.correct), q.prompt
        else:
            assert q.options == [] and len(q.correct) == 1 and isinstance(q.correct[0], int | float), q.prompt
        assert len(set(q.options)) == len(q.options), q.prompt


def test_certification_exams_draw_from_the_pool_of_their_subject(loaded):
    pools = {c.slug: set(c.exam.questions.values_list("prompt", flat=True))
             for c in Certification.objects.select_related("exam")}
    areas = {c.slug: set(c.exam.questions.values_list("area", flat=True))
             for c in Certification.objects.select_related("exam")}
    assert pools["cloud-engineer-associate"] == pools["cloud-architect-professional"] == \
        pools["solutions-architect-expert"]
    cloud, data, ml = (pools["cloud-engineer-associate"], pools["data-analyst-associate"],
                       pools["machine-learning-engineer-professional"])
    assert not (cloud & data) and not (cloud & ml) and not (data & ml)
    for pool in (cloud, data, ml):
        assert len(pool) >= 3 * demo_certifications.DRAW
    assert {"Networking", "Security", "Storage"} <= areas["cloud-engineer-associate"]
    assert {"SQL", "Statistics", "Experiments"} <= areas["data-analyst-associate"]
    assert {"Metrics", "Models", "Evaluation"} <= areas["machine-learning-engineer-professional"]
    assert any("join" in prompt.lower() for prompt in data) and any("F1" in prompt for prompt in ml)


def test_labs_describe_their_task_and_link_nowhere_dead(loaded):
    labs = list(Lesson.objects.filter(kind=LessonKind.LAB))
    assert len(labs) == 15
    for lab in labs:
        assert lab.lab_url == "", lab.title
        assert len(paragraphs(lab.body)) >= 1 and "<ol>" in str(render_markdown(lab.body)), lab.title
        assert "Check yourself" in lab.body


def test_each_courses_labs_are_graded_with_a_task_of_its_subject(loaded):
    expected = {"cloud-computing-fundamentals": ("answers", "cloud usage"),
                "big-data-analytics-with-python": ("mae", "bike-sharing"),
                "machine-learning-foundations": ("auc", "classifier"),
                "business-leadership-for-digital-founders": ("answers", "unit economics"),
                "venture-capital-networking": ("answers", "unit economics")}
    for lesson in Lesson.objects.filter(kind=LessonKind.LAB).select_related("course", "lab_task"):
        metric, words = expected[lesson.course.slug]
        assert lesson.lab_task.metric == metric and words in lesson.body, lesson.title
        assert lesson.lab_task.is_answers == (metric == "answers") and len(lesson.lab_task.questions) == (
            6 if metric == "answers" else 0)
        assert "taxi" not in lesson.body


def test_every_lecture_video_lasts_as_long_as_its_label_says(loaded):
    import av

    lectures = list(Lesson.objects.filter(kind=LessonKind.VIDEO).select_related("module", "course"))
    assert len(lectures) == 15
    for lesson in lectures:
        assert lesson.minutes == 1 and lesson.video_file and not lesson.video_url
        with default_storage.open(lesson.video_file) as stored, av.open(io.BytesIO(stored.read())) as container:
            assert container.duration / av.time_base == pytest.approx(lesson.minutes * 60, abs=2), lesson.title
        assert lesson.captions_vtt.rstrip().splitlines()[-2].endswith("--> 00:01:00.000")
        said = [line for line in lesson.captions_vtt.splitlines()[1:] if line and "-->" not in line]
        assert said[0] == f"Welcome to this short lecture: {lesson.module.title}."
        assert "\n\n".join(said[1:]) == lesson.transcript  # the captions say what the transcript says
    assert len({lesson.video_file for lesson in lectures}) == 15  # each lecture its own video


def test_a_lecture_shows_its_slides_for_equal_shares_after_a_title_card():
    slides = [("Regions", ("A region", "Zones"), "Regions hold zones."),
              ("Models", ("IaaS", "PaaS"), "Three service models."),
              ("Security", ("Shared",), "Security is shared.")]
    script = video.lecture_script(title="What the cloud is", seconds=60, slides=slides, subtitle="Cloud 101")
    assert [(s.start, s.end, s.heading) for s in script] == [
        (0, 6, "What the cloud is"), (6, 24, "Regions"), (24, 42, "Models"), (42, 60, "Security")]
    assert script[0].lines == ("Cloud 101",) and script[2].caption == "Three service models."
    with pytest.raises(ValueError, match="at least 2 seconds"):
        video.lecture_script(title="Too short", seconds=8, slides=slides)
