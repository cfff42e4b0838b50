"""Followers get one email per digest run with the new replies across the threads they follow;
running again sends nothing twice; hidden replies, their own replies and boards they can no longer
read are left out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from forward.academy.models import Enrolment
from forward.discussions import digests, services, tasks
from forward.discussions.models import Digest, Follow, Reply


@pytest.fixture
def later():
    """A moment after everything written so far has settled (digests leave the last minute for the next run)."""
    return lambda minutes=2: timezone.now() + timedelta(minutes=minutes)


def _thread(w, title, ref=None, author=None):
    return services.thread_create(actor=author or w.learner, ref=ref or w.run_ref, title=title, body="?")


def test_one_email_per_follower_with_every_followed_threads_new_replies(world, later, django_capture_on_commit_callbacks):
    mounting = _thread(world, "Mounting a volume")
    pricing = _thread(world, "Pricing", ref=world.course_ref)
    services.reply_create(actor=world.learner2, thread=mounting, body="Use `sudo mount`.")
    services.reply_create(actor=world.instructor, thread=mounting, body="See lab 3.")
    services.reply_create(actor=world.student, thread=pricing, body="It is free for students.")
    services.reply_create(actor=world.learner, thread=pricing, body="Thanks!")  # their own: not mailed to them
    with django_capture_on_commit_callbacks(execute=True):
        made = digests.prepare(now=later())
    assert len(made) == 1  # learner2 and the instructor follow nothing; the learner follows both
    [email] = mail.outbox
    assert email.to == [world.learner.email]
    assert email.subject == "3 new replies in discussions you follow"
    body = email.body
    assert "== Mounting a volume ==" in body and "== Pricing ==" in body
    assert "Use `sudo mount`." in body and "See lab 3." in body and "It is free for students." in body
    assert "Thanks!" not in body
    assert f"/discussions/threads/{mounting.pk}/" in body
    assert Digest.objects.get().sent_at is not None


def test_running_again_sends_nothing_twice_and_then_only_what_is_new(world, later, django_capture_on_commit_callbacks):
    thread = _thread(world, "Mounting a volume")
    services.reply_create(actor=world.learner2, thread=thread, body="First answer")
    with django_capture_on_commit_callbacks(execute=True):
        digests.prepare(now=later())
        assert digests.prepare(now=later(3)) == []
    assert len(mail.outbox) == 1
    reply = services.reply_create(actor=world.learner2, thread=thread, body="Second answer")
    Reply.objects.filter(pk=reply.pk).update(created_at=later(4))
    with django_capture_on_commit_callbacks(execute=True):
        digests.prepare(now=later(6))
    assert len(mail.outbox) == 2
    assert "Second answer" in mail.outbox[1].body and "First answer" not in mail.outbox[1].body


def test_sending_a_digest_twice_mails_once(world, later, django_capture_on_commit_callbacks):
    thread = _thread(world, "Mounting a volume")
    services.reply_create(actor=world.learner2, thread=thread, body="Answer")
    with django_capture_on_commit_callbacks(execute=False):
        [digest_id] = digests.prepare(now=later())
    assert tasks.send_digest(digest_id) is True
    assert tasks.send_digest(digest_id) is False  # a redelivered message
    assert len(mail.outbox) == 1


def test_a_digest_whose_message_was_lost_is_sent_by_a_later_run(world, later, django_capture_on_commit_callbacks):
    thread = _thread(world, "Mounting a volume")
    services.reply_create(actor=world.learner2, thread=thread, body="Answer")
    with django_capture_on_commit_callbacks(execute=False):
        digests.prepare(now=later())  # its message never reaches a worker
    assert mail.outbox == []
    digests.prepare(now=later(30))
    assert len(mail.outbox) == 1


def test_replies_just_written_wait_for_the_next_run(world, django_capture_on_commit_callbacks):
    thread = _thread(world, "Mounting a volume")
    services.reply_create(actor=world.learner2, thread=thread, body="Answer")
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.prepare() == []  # younger than a minute
        assert len(digests.prepare(now=timezone.now() + timedelta(minutes=2))) == 1


def test_hidden_replies_unfollowed_threads_and_boards_no_longer_readable_are_left_out(
        world, later, django_capture_on_commit_callbacks):
    run_thread = _thread(world, "Run question")
    course_thread = _thread(world, "Course question", ref=world.course_ref)
    unfollowed = _thread(world, "Unfollowed", ref=world.course_ref)
    services.follow(actor=world.learner, thread=unfollowed, on=False)
    services.reply_create(actor=world.learner2, thread=run_thread, body="Run reply")
    spam = services.reply_create(actor=world.learner2, thread=course_thread, body="Spam reply")
    services.reply_create(actor=world.learner2, thread=course_thread, body="Useful reply")
    services.reply_create(actor=world.learner2, thread=unfollowed, body="Unfollowed reply")
    services.post_hide(actor=world.admin, thread=course_thread, reply=spam)
    Enrolment.objects.filter(run=world.run, user=world.learner).delete()  # left the run
    with django_capture_on_commit_callbacks(execute=True):
        digests.prepare(now=later())
    [email] = mail.outbox
    assert "Useful reply" in email.body
    for absent in ("Run reply", "Spam reply", "Unfollowed reply"):
        assert absent not in email.body
    assert email.subject == "1 new reply in discussions you follow"


def test_a_reply_hidden_after_the_digest_was_made_is_not_mailed(world, later, django_capture_on_commit_callbacks):
    thread = _thread(world, "Mounting a volume")
    reply = services.reply_create(actor=world.learner2, thread=thread, body="Rude")
    with django_capture_on_commit_callbacks(execute=False):
        [digest_id] = digests.prepare(now=later())
    services.post_hide(actor=world.instructor, thread=thread, reply=reply)
    assert digests.send(digest_id=digest_id) is False
    assert mail.outbox == [] and Digest.objects.get().sent_at is not None


def test_a_follower_gets_only_replies_after_they_followed(world, later, django_capture_on_commit_callbacks):
    thread = _thread(world, "Mounting a volume")
    old = services.reply_create(actor=world.learner2, thread=thread, body="Before")
    Reply.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    services.follow(actor=world.instructor, thread=thread)
    services.reply_create(actor=world.learner2, thread=thread, body="After")
    with django_capture_on_commit_callbacks(execute=True):
        digests.prepare(now=later())
    [instructor_mail] = [m for m in mail.outbox if m.to == [world.instructor.email]]
    assert "After" in instructor_mail.body and "Before" not in instructor_mail.body


def test_the_digest_is_in_the_readers_language(world, later, django_capture_on_commit_callbacks):
    world.learner.preferred_language = "zh-hans"
    world.learner.time_zone = "Asia/Shanghai"
    world.learner.save()
    thread = _thread(world, "Mounting a volume")
    services.reply_create(actor=world.learner2, thread=thread, body="Answer")
    with django_capture_on_commit_callbacks(execute=True):
        digests.prepare(now=later())
    [email] = mail.outbox
    assert "CST" in email.body  # the reply's time on the reader's clock
    assert Follow.objects.get(user=world.learner).last_digest_at > thread.created_at


def test_the_periodic_task_is_scheduled(settings):
    assert settings.CELERY_BEAT_SCHEDULE["discussion-digests"]["task"] == tasks.digests.name
