"""Nothing stays stuck in labs: queued submissions whose message was lost are sent again, and the
periodic task does both halves of the reaper (stuck `running` rows and lost messages)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from forward.academy import labs, tasks
from forward.academy.models import LabSubmission, LabSubmissionStatus
from tests.academy import test_labs
from tests.academy.test_labs import FARES, fares, submit

lab = test_labs.lab  # the fixture: a graded lab in a course the student is enrolled in


@pytest.fixture
def lost_messages(monkeypatch):
    """A broker that loses every lab submission message."""
    lost = []
    monkeypatch.setattr(tasks.score_lab_submission, "delay", lambda pk: lost.append(pk))
    return lost


def test_a_queued_submission_whose_message_was_lost_is_sent_again_and_scored(lab, academy, lost_messages):
    s = submit(lab, academy.student, fares(FARES))
    assert lost_messages == [s.pk] and s.status == LabSubmissionStatus.QUEUED
    assert labs.lab_submissions_resend_waiting() == []  # just queued: its message may still arrive
    lost_messages.clear()
    LabSubmission.objects.filter(pk=s.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    assert labs.lab_submissions_resend_waiting() == [s.pk]
    assert lost_messages == [s.pk]  # sent again (and lost again here)
    assert LabSubmission.objects.get(pk=s.pk).status == LabSubmissionStatus.QUEUED


def test_the_periodic_task_resends_lost_messages_and_the_submission_is_scored(lab, academy):
    s = submit(lab, academy.student, fares(FARES))
    # As if the broker lost the message: the row is queued and nothing is coming for it.
    LabSubmission.objects.filter(pk=s.pk).update(status=LabSubmissionStatus.QUEUED, score=None, passed=False,
                                                 scored_at=None, created_at=timezone.now() - timedelta(hours=1))
    assert tasks.reap_labs() == {"requeued": [], "resent": [s.pk]}
    s.refresh_from_db()
    assert s.status == LabSubmissionStatus.SCORED and s.score == 0.0 and s.attempts == 2


def test_the_periodic_task_requeues_stuck_rows_and_fails_those_out_of_attempts(lab, academy):
    stuck = submit(lab, academy.student, fares(FARES))
    tired = submit(lab, academy.student, fares(FARES))
    hours_ago = timezone.now() - timedelta(hours=2)
    LabSubmission.objects.filter(pk=stuck.pk).update(status=LabSubmissionStatus.RUNNING, started_at=hours_ago,
                                                     attempts=1, score=None, passed=False)
    LabSubmission.objects.filter(pk=tired.pk).update(status=LabSubmissionStatus.RUNNING, started_at=hours_ago,
                                                     attempts=labs.MAX_ATTEMPTS, score=None, passed=False)
    assert tasks.reap_labs() == {"requeued": [stuck.pk], "resent": []}
    stuck.refresh_from_db()
    tired.refresh_from_db()
    assert stuck.status == LabSubmissionStatus.SCORED and stuck.attempts == 2
    assert tired.status == LabSubmissionStatus.FAILED
    assert tired.error.startswith(f"Scoring was interrupted {labs.MAX_ATTEMPTS} times")


def test_a_scored_submission_is_never_resent(lab, academy):
    s = submit(lab, academy.student, fares(FARES))
    LabSubmission.objects.filter(pk=s.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert s.status == LabSubmissionStatus.SCORED
    assert labs.lab_submissions_resend_waiting() == []
