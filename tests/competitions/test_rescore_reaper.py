"""Nothing stays stuck: a rescore whose message was lost or whose worker died is picked up again by
the reaper, carries on from its last recorded chunk and counts nothing twice; two runs never work
side by side; a rescore interrupted too often ends failed with a message the host sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from forward.competitions import console, tasks
from forward.competitions.models import RescoreJob, RescoreStatus, Submission, SubmissionStatus
from tests.competitions.conftest import upload
from tests.competitions.test_host_console import corrected_solution, split_probs, submit, url
from tests.competitions.test_leaderboard import make_team
from tests.conftest import client_for


@pytest.fixture
def lost_messages(monkeypatch):
    """A broker that loses every rescore message sent while this is on; `.restore()` mends it."""
    sent = []
    real = tasks.rescore_phase.delay
    monkeypatch.setattr(tasks.rescore_phase, "delay", lambda job_id: sent.append(job_id))

    class Broker:
        lost = sent

        @staticmethod
        def restore():
            monkeypatch.setattr(tasks.rescore_phase, "delay", real)

    return Broker


def three_scored(world):
    rival = make_team(world, "Rivals")
    subs = [submit(world, world.alice, split_probs(True, True)), submit(world, world.bob, split_probs(False, False)),
            submit(world, rival, split_probs(True, True))]
    assert all(Submission.objects.get(pk=s.pk).status == SubmissionStatus.SCORED for s in subs)
    return subs


def progress_html(world, job) -> str:
    response = client_for(world.host_user).get(url(world, f"rescore/{job.pk}/"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_lost_message_is_sent_again_by_the_reaper_and_the_rescore_completes(world, team, lost_messages):
    three_scored(world)
    job = console.rescore_start(actor=world.host_user, phase=world.phase, upload=upload(corrected_solution(), "c.csv"))
    assert lost_messages.lost == [job.pk]
    job.refresh_from_db()
    assert job.status == RescoreStatus.QUEUED
    assert console.rescore_jobs_reap() == {"requeued": [], "resent": []}  # too soon to call it lost
    lost_messages.restore()

    later = timezone.now() + console.RESCORE_RESEND_AFTER + timedelta(seconds=1)
    assert console.rescore_jobs_reap(now=later) == {"requeued": [], "resent": [job.pk]}
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.failed, job.attempts) == (RescoreStatus.DONE, 3, 3, 0, 1)
    assert sorted(Submission.objects.values_list("public_score", flat=True)) == [0.0, 0.0, 1.0]
    html = progress_html(world, job)
    assert 'data-status="done"' in html and "3 of 3 rescored" in html and "hx-get" not in html


def test_a_queued_rescore_is_resent_once_per_interval_while_the_broker_keeps_losing_it(world, team, lost_messages):
    three_scored(world)
    job = console.rescore_start(actor=world.host_user, phase=world.phase, upload=upload(corrected_solution(), "c.csv"))
    later = timezone.now() + console.RESCORE_RESEND_AFTER + timedelta(seconds=1)
    assert console.rescore_jobs_reap(now=later)["resent"] == [job.pk]
    assert console.rescore_jobs_reap(now=later + timedelta(seconds=30))["resent"] == []  # sent a moment ago
    assert console.rescore_jobs_reap(now=later + 2 * console.RESCORE_RESEND_AFTER)["resent"] == [job.pk]
    assert lost_messages.lost == [job.pk] * 3
    assert RescoreJob.objects.get(pk=job.pk).status == RescoreStatus.QUEUED
    assert 'data-status="queued"' in progress_html(world, job)


def test_a_worker_that_died_mid_run_is_resumed_from_its_cursor_and_counts_nothing_twice(world, team, monkeypatch):
    monkeypatch.setattr(console, "RESCORE_CHUNK", 1)
    first, second, third = three_scored(world)
    # A worker rescored the first submission (to 0.5, say), recorded it with its count, and died.
    Submission.objects.filter(pk=first.pk).update(public_score=0.5)
    Submission.objects.filter(pk__in=[second.pk, third.pk]).update(public_score=0.25)  # not yet rescored
    died = timezone.now() - console.rescore_lease() - timedelta(minutes=1)
    job = RescoreJob.objects.create(phase=world.phase, status=RescoreStatus.RUNNING, total=3, done=1, cursor=first.pk,
                                    last_id=third.pk, started_at=died, heartbeat_at=died, attempts=1)
    html = progress_html(world, job)
    assert 'data-status="running"' in html and "1 of 3 rescored" in html  # what the host sees meanwhile

    assert console.rescore_jobs_reap() == {"requeued": [job.pk], "resent": []}
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.failed, job.attempts) == (RescoreStatus.DONE, 3, 3, 0, 2)
    assert job.cursor == third.pk and job.finished_at
    assert Submission.objects.get(pk=first.pk).public_score == 0.5  # not rescored again
    assert Submission.objects.get(pk=second.pk).public_score == 0.0  # rescored (against the round's solution)
    assert Submission.objects.get(pk=third.pk).public_score == 1.0
    html = progress_html(world, job)
    assert "3 of 3 rescored" in html and "Finished" in html
    assert console.rescore_run(job_id=job.pk) == RescoreStatus.DONE  # a late redelivery: nothing to do
    assert RescoreJob.objects.get(pk=job.pk).done == 3


def test_a_second_run_while_the_lease_is_live_does_nothing(world, team):
    _first, _second, third = three_scored(world)
    job = RescoreJob.objects.create(phase=world.phase, status=RescoreStatus.RUNNING, total=3, last_id=third.pk,
                                    started_at=timezone.now(), heartbeat_at=timezone.now(), attempts=1)
    before = list(Submission.objects.order_by("pk").values_list("public_score", flat=True))
    assert console.rescore_run(job_id=job.pk) == RescoreStatus.RUNNING
    assert console.rescore_jobs_reap() == {"requeued": [], "resent": []}
    job.refresh_from_db()
    assert (job.status, job.cursor, job.done, job.attempts) == (RescoreStatus.RUNNING, 0, 0, 1)
    assert list(Submission.objects.order_by("pk").values_list("public_score", flat=True)) == before
    # Only once the lease has run out may another run take the job over.
    RescoreJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - console.rescore_lease()
                                                - timedelta(seconds=1))
    assert console.rescore_run(job_id=job.pk) == RescoreStatus.DONE
    job.refresh_from_db()
    assert (job.done, job.attempts) == (3, 2)


def test_a_run_that_lost_its_lease_records_nothing(world, team):
    _first, _second, third = three_scored(world)
    # Another run claimed the job (attempt 2) while the first (attempt 1) was still scoring its chunk.
    job = RescoreJob.objects.create(phase=world.phase, status=RescoreStatus.RUNNING, total=3, last_id=third.pk,
                                    heartbeat_at=timezone.now(), attempts=2)
    old_lease = RescoreJob.objects.filter(pk=job.pk, status=RescoreStatus.RUNNING, attempts=1)
    before = list(Submission.objects.order_by("pk").values_list("public_score", flat=True))
    assert console._rescore_chunk(job, world.phase, old_lease) is False
    job.refresh_from_db()
    assert (job.cursor, job.done, job.failed) == (0, 0, 0)
    assert list(Submission.objects.order_by("pk").values_list("public_score", flat=True)) == before


def test_a_rescore_interrupted_too_often_fails_with_a_message_and_a_new_one_may_start(world, team):
    _first, _second, third = three_scored(world)
    died = timezone.now() - console.rescore_lease() - timedelta(minutes=1)
    job = RescoreJob.objects.create(phase=world.phase, status=RescoreStatus.RUNNING, total=3, done=1,
                                    last_id=third.pk, heartbeat_at=died, attempts=console.RESCORE_MAX_ATTEMPTS)
    assert console.rescore_jobs_reap() == {"requeued": [], "resent": []}
    job.refresh_from_db()
    assert job.status == RescoreStatus.FAILED and job.finished_at
    assert job.error.startswith(f"The rescore was interrupted {console.RESCORE_MAX_ATTEMPTS} times")
    html = client_for(world.host_user).get(url(world, "rescore/")).content.decode()
    assert 'data-status="failed"' in html and f"The rescore was interrupted {console.RESCORE_MAX_ATTEMPTS} times" in html
    assert "1 of 3 rescored" in html
    again = console.rescore_start(actor=world.host_user, phase=world.phase,
                                  upload=upload(corrected_solution(), "c.csv"))
    again.refresh_from_db()
    assert (again.status, again.done) == (RescoreStatus.DONE, 3)


def test_a_queued_rescore_out_of_attempts_is_failed_by_the_claim(world, team):
    job = RescoreJob.objects.create(phase=world.phase, status=RescoreStatus.QUEUED,
                                    attempts=console.RESCORE_MAX_ATTEMPTS)
    assert console.rescore_run(job_id=job.pk) == RescoreStatus.FAILED
    assert RescoreJob.objects.get(pk=job.pk).error.startswith("The rescore was interrupted")


def test_a_requeued_rescore_says_so_on_the_console_and_keeps_polling(world, team, lost_messages):
    _first, _second, third = three_scored(world)
    died = timezone.now() - console.rescore_lease() - timedelta(minutes=1)
    job = RescoreJob.objects.create(phase=world.phase, status=RescoreStatus.RUNNING, total=3, last_id=third.pk,
                                    heartbeat_at=died, attempts=1)
    assert console.rescore_jobs_reap()["requeued"] == [job.pk]  # the message is lost too
    html = progress_html(world, job)
    assert 'data-status="queued"' in html and "hx-get" in html
    assert "Its worker stopped; the rescore carries on from where it was." in html


def test_the_periodic_reap_task_covers_rescores(world, team):
    _first, _second, third = three_scored(world)
    died = timezone.now() - console.rescore_lease() - timedelta(minutes=1)
    job = RescoreJob.objects.create(phase=world.phase, status=RescoreStatus.RUNNING, total=3, last_id=third.pk,
                                    heartbeat_at=died, attempts=1)
    assert tasks.reap()["rescores"] == {"requeued": [job.pk], "resent": []}
    assert RescoreJob.objects.get(pk=job.pk).status == RescoreStatus.DONE
