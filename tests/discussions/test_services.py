"""The writes on a board, through the services people's clicks call: threads and replies, votes,
answers, pins and locks, reports and moderation, edits, and the rate limit for new accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forward.core.models import AuditEvent, User
from forward.discussions import services
from forward.discussions.models import Board, Follow, Reply, Report, Resolution, Thread, Vote
from tests.conftest import make_user


def ask(w, author=None, ref=None, **fields) -> Thread:
    fields.setdefault("title", "How do I mount a volume?")
    fields.setdefault("body", "I tried `mount /dev/sdb` and it says *permission denied*.")
    return services.thread_create(actor=author or w.learner, ref=ref or w.run_ref, **fields)


def answer(w, thread, author=None, body="Use `sudo`.") -> Reply:
    return services.reply_create(actor=author or w.learner2, thread=thread, body=body)


def fresh(thread: Thread) -> Thread:
    return Thread.objects.select_related("board").get(pk=thread.pk)


def test_the_first_thread_makes_the_board_and_its_author_follows_it(world):
    assert not Board.objects.exists()
    thread = ask(world)
    assert Board.objects.get().ref == world.run_ref == f"academy.run:{world.run.pk}"
    assert Follow.objects.filter(user=world.learner, thread=thread).exists()
    ask(world, title="Another")
    assert Board.objects.count() == 1


@pytest.mark.parametrize(("title", "body", "message"), [
    ("", "text", "Write the title."),
    ("   ", "text", "Write the title."),
    ("Title", "  \n ", "Write the text."),
    ("x" * 201, "text", "The title is too long: 201 characters, at most 200."),
    ("Title", "x" * 20_001, "The text is too long: 20001 characters, at most 20000."),
])
def test_a_thread_needs_a_title_and_a_text_of_sensible_length(world, title, body, message):
    with pytest.raises(ValidationError, match=message):
        ask(world, title=title, body=body)
    assert not Thread.objects.exists()


def test_a_reply_counts_and_moves_the_thread_up(world):
    older = ask(world, title="Older")
    newer = ask(world, title="Newer")
    answer(world, older)
    older = fresh(older)
    assert older.reply_count == 1 and older.last_activity_at > fresh(newer).last_activity_at
    assert list(Thread.objects.filter(board=older.board).order_by("-last_activity_at")) == [older, newer]


def test_a_locked_thread_takes_replies_from_moderators_only(world):
    thread = ask(world)
    services.thread_set(actor=world.instructor, thread=thread, locked=True)
    with pytest.raises(ValidationError, match="locked"):
        answer(world, thread)
    answer(world, thread, author=world.instructor, body="Closing: see the lab notes.")
    assert fresh(thread).reply_count == 1


def test_voting_twice_counts_once_and_unvoting_twice_takes_one_away(world):
    thread = ask(world)
    reply = answer(world, thread)
    assert services.vote(actor=world.learner, thread=thread, reply=reply) is True
    assert services.vote(actor=world.learner, thread=thread, reply=reply) is False  # the double click
    assert Reply.objects.get(pk=reply.pk).score == 1
    assert services.vote(actor=world.learner, thread=thread, reply=reply, up=False) is True
    assert services.vote(actor=world.learner, thread=thread, reply=reply, up=False) is False
    assert Reply.objects.get(pk=reply.pk).score == 0
    services.vote(actor=world.learner2, thread=thread)
    services.vote(actor=world.instructor, thread=thread)
    assert fresh(thread).score == 2


def test_a_vote_racing_another_is_counted_once(world):
    """The other click's row is already there when this one inserts (the unique constraint decides)."""
    thread = ask(world)
    reply = answer(world, thread)
    Vote.objects.create(user=world.learner, reply=reply)
    Reply.objects.filter(pk=reply.pk).update(score=1)
    assert services.vote(actor=world.learner, thread=thread, reply=reply) is False
    assert Reply.objects.get(pk=reply.pk).score == 1


def test_nobody_votes_for_their_own_post(world):
    thread = ask(world)
    with pytest.raises(ValidationError, match="your own post"):
        services.vote(actor=world.learner, thread=thread)
    assert fresh(thread).score == 0


def test_the_asker_marks_the_answer_and_a_hidden_reply_stops_being_it(world):
    thread = ask(world)
    reply = answer(world, thread)
    with pytest.raises(PermissionDenied):
        services.answer_mark(actor=world.learner2, thread=thread, reply=reply)  # not the asker
    services.answer_mark(actor=world.learner, thread=thread, reply=reply)
    assert fresh(thread).answer == reply
    services.post_hide(actor=world.admin, thread=thread, reply=reply)
    thread = fresh(thread)
    assert thread.answer is None and thread.reply_count == 0
    with pytest.raises(ValidationError, match="hidden reply"):
        services.answer_mark(actor=world.learner, thread=thread, reply=Reply.objects.get(pk=reply.pk))


def test_staff_mark_answers_too_and_a_discussion_has_none(world):
    question = ask(world)
    reply = answer(world, question)
    services.answer_mark(actor=world.instructor, thread=question, reply=reply)
    discussion = ask(world, title="Study group on Friday?", is_question=False)
    note = answer(world, discussion)
    with pytest.raises(PermissionDenied):
        services.answer_mark(actor=world.learner, thread=discussion, reply=note)
    with pytest.raises(ValidationError, match="another thread"):
        services.answer_mark(actor=world.learner, thread=question, reply=note)


def test_pinning_and_locking_are_for_moderators_and_audited(world):
    thread = ask(world)
    with pytest.raises(PermissionDenied):
        services.thread_set(actor=world.learner, thread=thread, pinned=True)
    services.thread_set(actor=world.admin, thread=thread, pinned=True)
    assert fresh(thread).pinned
    assert AuditEvent.objects.filter(actor=world.admin, action="discussion.thread_set").exists()


def test_reporting_twice_while_open_makes_one_report_and_hiding_resolves_it(world):
    thread = ask(world)
    reply = answer(world, thread, body="Buy cheap pills at spam.example")
    first = services.report_create(actor=world.learner, thread=thread, reply=reply, reason="Spam")
    again = services.report_create(actor=world.learner, thread=thread, reply=reply, reason="Spam!")
    assert first == again and Report.objects.count() == 1
    services.report_create(actor=world.instructor, thread=thread, reply=reply, reason="Advert")
    assert services.post_hide(actor=world.instructor, thread=thread, reply=reply) == 2
    assert set(Report.objects.values_list("resolution", flat=True)) == {Resolution.HIDDEN}
    assert Reply.objects.get(pk=reply.pk).hidden
    # Once resolved, the same person may report the post again (say, after it is restored).
    services.post_hide(actor=world.instructor, thread=thread, reply=reply, hidden=False)
    assert fresh(thread).reply_count == 1
    services.report_create(actor=world.learner, thread=thread, reply=reply, reason="Still spam")
    assert Report.objects.filter(resolved_at__isnull=True).count() == 1


def test_dismissing_closes_every_open_report_of_the_post_and_keeps_it(world):
    thread = ask(world)
    services.report_create(actor=world.learner2, thread=thread, reason="Off topic")
    report = services.report_create(actor=world.instructor, thread=thread, reason="Duplicate")
    with pytest.raises(PermissionDenied):
        services.report_dismiss(actor=world.learner2, report=report)
    assert services.report_dismiss(actor=world.admin, report=report) == 2
    assert not fresh(thread).hidden
    assert not Report.objects.filter(resolved_at__isnull=True).exists()


def test_nobody_reports_their_own_post_and_a_reason_is_needed(world):
    thread = ask(world)
    with pytest.raises(PermissionDenied):
        services.report_create(actor=world.learner, thread=thread, reason="Oops")
    with pytest.raises(ValidationError, match="Write the reason"):
        services.report_create(actor=world.learner2, thread=thread, reason=" ")


def test_authors_edit_their_own_posts_for_a_while(world, settings):
    thread = ask(world)
    reply = answer(world, thread)
    services.thread_edit(actor=world.learner, thread=fresh(thread), title="How do I mount a disk?", body="Fixed.")
    assert fresh(thread).title == "How do I mount a disk?" and fresh(thread).edited_at
    with pytest.raises(PermissionDenied):
        services.reply_edit(actor=world.learner, reply=reply, body="Not mine")
    Reply.objects.filter(pk=reply.pk).update(created_at=timezone.now() - timedelta(hours=25))
    with pytest.raises(ValidationError, match="no longer be edited"):
        services.reply_edit(actor=world.learner2, reply=Reply.objects.select_related("thread__board").get(pk=reply.pk),
                            body="Late")


def test_following_is_idempotent(world):
    thread = ask(world)
    assert services.follow(actor=world.learner2, thread=thread) is True
    assert services.follow(actor=world.learner2, thread=thread) is False
    assert services.follow(actor=world.learner2, thread=thread, on=False) is True
    assert services.follow(actor=world.learner2, thread=thread, on=False) is False


# --- rate limit for new accounts ------------------------------------------------------------------

def test_a_new_account_posts_a_few_times_an_hour_then_is_told_when_it_may_again(world, settings):
    settings.FORWARD_DISCUSSION_NEW_ACCOUNT_POSTS_PER_HOUR = 3
    newcomer = make_user("new@example.test", "Nia Newcomer")  # joined just now
    thread = ask(world, author=newcomer, ref=world.course_ref)
    answer(world, thread, author=newcomer, body="More detail.")
    answer(world, thread, author=newcomer, body="Even more.")
    with pytest.raises(ValidationError, match=r"New accounts may post 3 times an hour\. You can post again at "
                                              r"\d\d:\d\d UTC\.") as caught:
        answer(world, thread, author=newcomer, body="One too many.")
    assert caught.value.code == "rate_limited"
    assert Reply.objects.filter(author=newcomer).count() == 2
    # An hour after the first post, there is room again.
    Thread.objects.filter(author=newcomer).update(created_at=timezone.now() - timedelta(minutes=61))
    answer(world, thread, author=newcomer, body="Now it works.")


def test_an_old_account_without_a_verified_email_is_limited_too_and_established_ones_are_not(world, settings):
    settings.FORWARD_DISCUSSION_NEW_ACCOUNT_POSTS_PER_HOUR = 1
    unverified = User.objects.create_user(email="quiet@example.test", password="x")
    User.objects.filter(pk=unverified.pk).update(date_joined=timezone.now() - timedelta(days=90))
    unverified.refresh_from_db()
    ask(world, author=unverified, ref=world.course_ref)
    with pytest.raises(ValidationError, match="New accounts may post once an hour"):
        ask(world, author=unverified, ref=world.course_ref, title="Second")
    for i in range(3):
        ask(world, author=world.student, ref=world.course_ref, title=f"Question {i}")


def test_moderators_are_not_rate_limited(world, settings):
    settings.FORWARD_DISCUSSION_NEW_ACCOUNT_POSTS_PER_HOUR = 1
    User.objects.filter(pk=world.staff.pk).update(date_joined=timezone.now())
    world.staff.refresh_from_db()
    for i in range(3):
        ask(world, author=world.staff, ref=world.course_ref, title=f"Announcement {i}")
