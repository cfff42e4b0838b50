"""The demo's discussions, on the core demo's people with the courses, the NTU cohort and the Tmall
competition they are written for (the full academy and competition demos take a minute to load):
threads on every kind of board, written through the services so counts, votes, answers and follows
agree; a pinned welcome, an answered question, code blocks and a question still waiting; nobody is
mailed the demo's old replies; and loading again adds nothing."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forward.academy import demo_discussions as academy_discussions
from forward.academy.discussions import course_board, run_board
from forward.academy.models import Course, CourseRun, CourseStatus, Enrolment
from forward.competitions import demo_discussions as competitions_discussions
from forward.competitions.discussions import competition_board
from forward.competitions.models import Competition, CompetitionStatus, Registration
from forward.core import demo as core_demo
from forward.core.models import Organization, Role, User
from forward.discussions import digests
from forward.discussions.models import Follow, Reply, Thread, Vote
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

COURSES = ["cloud-computing-fundamentals", "big-data-analytics-with-python", "machine-learning-foundations"]


def _world() -> None:
    core_demo.load(rng=random.Random(7), password="correct horse battery")
    now = timezone.now()
    owner = Organization.objects.get(slug="cloudwave-technologies")
    ntu = Organization.objects.get(slug="nanyang-technological-university")
    professor = User.objects.get(email="professor@cloudwave.forward.demo")
    student = User.objects.get(email="student@ntu.forward.demo")
    students = list(User.objects.filter(memberships__organization=ntu, memberships__role=Role.MEMBER)
                    .exclude(pk__in=[student.pk, professor.pk]).order_by("pk"))
    for index, slug in enumerate(COURSES):
        course = Course.objects.create(slug=slug, title=slug.replace("-", " ").title(), owner=owner,
                                       status=CourseStatus.PUBLISHED, published_at=now - timedelta(days=90))
        course.authors.add(professor)
        open_run = CourseRun.objects.create(course=course, cohort="open cohort 2026", starts_at=now - timedelta(days=30),
                                            enrolment_ends=now + timedelta(days=60), ends_at=now + timedelta(days=90))
        Enrolment.objects.bulk_create([Enrolment(run=open_run, user=u) for u in students[index:index + 6]])
    cohort = CourseRun.objects.create(course=course, university=ntu, cohort="NTU — Semester 1, 2026",
                                      starts_at=now - timedelta(days=45), enrolment_ends=now + timedelta(days=14),
                                      ends_at=now + timedelta(days=60))
    cohort.instructors.add(professor)
    Enrolment.objects.bulk_create([Enrolment(run=cohort, user=u) for u in [student, *students[10:14]]])
    tmall = Competition.objects.create(
        slug="tmall-repeat-buyers", title="Tmall repeat-buyer prediction", metric="auc",
        host=Organization.objects.get(slug="tianmu-retail-data-lab"), status=CompetitionStatus.PUBLISHED,
        published_at=now - timedelta(days=12))
    Registration.objects.bulk_create([Registration(competition=tmall, user=u) for u in [*students[14:18], student]])


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Loaded once for the module, rolled back after it; returns how many threads each loader made."""
    with django_db_blocker.unblock(), transaction.atomic():
        _world()
        yield academy_discussions.load(), competitions_discussions.load()
        transaction.set_rollback(True)


def _refs() -> dict[str, str]:
    refs = {slug: course_board(Course.objects.get(slug=slug)) for slug in COURSES}
    refs["cohort"] = run_board(CourseRun.objects.get(university__slug="nanyang-technological-university"))
    refs["competition"] = competition_board(Competition.objects.get(slug="tmall-repeat-buyers"))
    return refs


def board_path(ref: str, query: str = "") -> str:
    return f"/discussions/{ref.replace(':', '/')}/{query}"


def test_every_kind_of_board_has_threads_with_replies_and_a_pinned_welcome(loaded):
    assert loaded == (11, 5)
    refs = _refs()
    for name, ref in refs.items():
        threads = list(Thread.objects.filter(board__ref=ref))
        assert len(threads) >= 2, name
        assert any(t.reply_count for t in threads), name
    for name in ("cloud-computing-fundamentals", "cohort", "competition"):
        pinned = Thread.objects.get(board__ref=refs[name], pinned=True)
        assert pinned.title.startswith("Welcome") and not pinned.is_question
        assert pinned.author.email in ("professor@cloudwave.forward.demo", "host@tianmu.forward.demo")
    page = client_for(None).get(board_path(refs["competition"])).content.decode()
    assert page.index("Welcome: read this before your first submission") < page.index("Do I need calibrated")


def test_counts_votes_answers_and_follows_agree_with_the_posts(loaded):
    for thread in Thread.objects.all():
        assert thread.reply_count == Reply.objects.filter(thread=thread, hidden=False).count()
        assert thread.score == Vote.objects.filter(thread=thread).count()
        assert Follow.objects.filter(thread=thread, user=thread.author).exists()
        for reply in Reply.objects.filter(thread=thread):
            assert reply.score == Vote.objects.filter(reply=reply).count()
            assert Follow.objects.filter(thread=thread, user=reply.author).exists()
            assert thread.created_at < reply.created_at <= thread.last_activity_at <= timezone.now()
    assert not Vote.objects.filter(thread__author=F("user")).exists()  # the services refuse own votes
    assert not Vote.objects.filter(reply__author=F("user")).exists()
    answered = Thread.objects.filter(answer__isnull=False)
    assert answered.count() >= 5 and all(t.answer.thread_id == t.pk for t in answered)
    assert Thread.objects.filter(score__gte=3).exists() and Reply.objects.filter(score__gte=3).exists()


def test_a_learner_reads_code_blocks_an_answer_and_a_question_still_waiting(loaded):
    refs = _refs()
    client = client_for(User.objects.get(email="student@ntu.forward.demo"))
    thread = Thread.objects.get(title="merge() gives me more rows than the left table")
    html = client.get(f"/discussions/threads/{thread.pk}/").content.decode()
    assert '<pre tabindex="0"><code>zones[zones.zone_id.duplicated(keep=False)]' in html  # a code block, kept as typed
    assert 'how=&quot;left&quot;, validate=&quot;many_to_one&quot;)' in html
    waiting = client.get(board_path(refs["cloud-computing-fundamentals"], "?filter=unanswered")).content.decode()
    assert "Which region for users in Jakarta and Manila?" in waiting
    assert "Files on my VM disappeared" not in waiting  # answered
    assert Thread.objects.get(title="Which region for users in Jakarta and Manila?").reply_count == 0


def test_the_cohort_board_is_the_named_students_class(loaded):
    cohort = _refs()["cohort"]
    student = User.objects.get(email="student@ntu.forward.demo")
    question = Thread.objects.get(board__ref=cohort, title="Is the final exam open-book?")
    assert question.author == student and question.answer.author.email == "professor@cloudwave.forward.demo"
    assert "Is the final exam open-book?" in client_for(student).get(board_path(cohort)).content.decode()
    outsider = User.objects.get(email="student@zju.forward.demo")
    assert client_for(outsider).get(board_path(cohort)).status_code == 404  # still the class's own board


def test_nobody_is_mailed_the_demos_old_replies(loaded):
    assert digests.prepare() == []


def test_loading_again_adds_nothing(loaded):
    before = (Thread.objects.count(), Reply.objects.count(), Vote.objects.count(), Follow.objects.count())
    assert academy_discussions.load() == 0 and competitions_discussions.load() == 0
    assert (Thread.objects.count(), Reply.objects.count(), Vote.objects.count(), Follow.objects.count()) == before
