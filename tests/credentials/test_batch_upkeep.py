"""Keeping batches moving: a failed batch is tried again from its page; the periodic job sends
again the queued batches nobody picked up and puts back the running ones whose worker died
(counting afresh), leaving recent, finished and healthy running batches alone, a hundred at a time."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forward.academy import awards
from forward.academy import services as academy_services
from forward.credentials import services, sources
from forward.credentials.models import BatchStatus, Credential, IssuanceBatch
from tests.conftest import client_for

from .conftest import committed


def _queued_batch(w, django_capture_on_commit_callbacks) -> IssuanceBatch:
    """The cohort's batch, queued and not yet picked up by a worker."""
    w.uni_run.grades_released_at = timezone.now()
    w.uni_run.save()
    with django_capture_on_commit_callbacks(execute=False):
        return academy_services.run_certify(actor=w.admin, run=w.uni_run)


def _ago(**delta) -> timezone.datetime:
    return timezone.now() - timedelta(**delta)


class WorkerKilled(BaseException):
    """The worker process ends mid-batch (killed, out of memory): nothing of batch_run's own runs after."""


def _watch_awards(monkeypatch, during) -> list[str]:
    """academy's runs, with `during(source)` called when a worker asks who earned what (mid-batch)."""
    academy_runs = sources.get("academy.run:0")
    asked = []

    def awards_watched(source: str):
        asked.append(source)
        during(source)
        return academy_runs.awards(source)

    monkeypatch.setitem(sources._REGISTRY, "academy.run", dataclasses.replace(academy_runs, awards=awards_watched))
    return asked


def test_a_failed_batch_is_tried_again_from_its_page_and_finishes(cohort, django_capture_on_commit_callbacks):
    failed = _queued_batch(cohort, django_capture_on_commit_callbacks)
    IssuanceBatch.objects.filter(pk=failed.pk).update(status=BatchStatus.FAILED, error="The worker was stopped.",
                                                      started_at=timezone.now(), finished_at=timezone.now())
    client = client_for(cohort.admin)
    assert "Try again" in client.get(reverse("credentials:batch", args=[failed.pk])).content.decode()

    with committed():
        response = client.post(reverse("credentials:batch_retry", args=[failed.pk]))
    again = IssuanceBatch.objects.exclude(pk=failed.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("credentials:batch", args=[again.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Cloud Computing Fundamentals · NTU S1" in page
    assert "Finished: 5 new certificates issued." in page and Credential.objects.count() == 5
    back = reverse("academy:cohort", args=[cohort.uni_run.pk])
    assert f'<a href="{back}">Back to the cohort</a>' in page
    # the new batch is the admin's (listed among their recent batches) and the university's
    assert f'href="{reverse("credentials:batch", args=[again.pk])}"' in client.get("/credentials/issued/").content.decode()
    assert (again.source, again.requested_by, again.organization) == (failed.source, cohort.admin, cohort.university)
    # someone who may not certify the cohort cannot retry it
    assert client_for(cohort.plain_member).post(reverse("credentials:batch_retry", args=[failed.pk])).status_code == 404


def test_a_batch_whose_worker_died_is_counted_afresh_and_finishes(cohort, django_capture_on_commit_callbacks):
    w = cohort
    batch = _queued_batch(w, django_capture_on_commit_callbacks)
    services.issue(awards.run_awards(run=w.uni_run)[:2])  # the worker issued two of five, then died
    IssuanceBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, total=5, done=2, issued=2,
                                                     started_at=_ago(minutes=30, seconds=30),
                                                     created_at=_ago(minutes=31))
    assert services.batches_requeue_stale() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.issued) == (BatchStatus.DONE, 5, 5, 3)
    assert batch.summary == "Finished: 3 new certificates issued. 2 were already held."


def test_while_a_worker_runs_a_batch_its_page_says_so_and_a_second_delivery_does_nothing(
        cohort, monkeypatch, django_capture_on_commit_callbacks):
    batch = _queued_batch(cohort, django_capture_on_commit_callbacks)
    seen = []

    def mid_batch(source):
        if len(asked) > 1:  # the second delivery got in: let it finish instead of recursing
            return
        page = client_for(cohort.admin).get(reverse("credentials:batch", args=[batch.pk]),
                                            HTTP_ACCEPT_LANGUAGE="en").content.decode()
        seen.append((page.count('hx-trigger="every 2s"'), "Issuing" in page, "Waiting to start." in page,
                     "Finding who has earned a certificate…" in page))
        seen.append(services.batch_run(batch_id=batch.pk))  # the queue delivered the message twice

    asked = _watch_awards(monkeypatch, mid_batch)
    done = services.batch_run(batch_id=batch.pk)
    assert seen == [(1, True, False, True), None] and len(asked) == 1
    assert (done.status, done.total, done.done, done.issued) == (BatchStatus.DONE, 5, 5, 5)
    assert Credential.objects.count() == 5
    assert done.created_at <= done.started_at <= done.finished_at <= timezone.now()  # the admin list's times


def test_a_batch_whose_worker_was_killed_mid_run_is_put_back_once_it_ran_too_long(
        cohort, monkeypatch, django_capture_on_commit_callbacks):
    batch = _queued_batch(cohort, django_capture_on_commit_callbacks)

    def killed_the_first_time(source):
        if len(asked) == 1:
            raise WorkerKilled

    asked = _watch_awards(monkeypatch, killed_the_first_time)
    with pytest.raises(WorkerKilled):
        services.batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RUNNING and Credential.objects.count() == 0
    assert services.batches_requeue_stale() == 0  # running for less than half an hour: left to its worker
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RUNNING
    # with the limits at nothing, it has now run too long: back to the queue and sent again
    assert services.batches_requeue_stale(queued_minutes=0, running_minutes=0) == 1
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.issued) == (BatchStatus.DONE, 5, 5, 5)
    assert len(asked) == 2 and Credential.objects.count() == 5


def test_only_batches_left_waiting_or_running_too_long_are_sent_again(cohort, django_capture_on_commit_callbacks):
    w = cohort
    batch = _queued_batch(w, django_capture_on_commit_callbacks)
    IssuanceBatch.objects.filter(pk=batch.pk).update(created_at=_ago(minutes=2, seconds=30))  # never picked up

    def other(n: int, status: str, **fields) -> IssuanceBatch:
        return IssuanceBatch.objects.create(source=f"academy.run:{900000 + n}", title=f"Other {n}", status=status,
                                            **fields)

    just_queued = other(1, BatchStatus.QUEUED, created_at=_ago(seconds=30))
    busy = other(2, BatchStatus.RUNNING, total=8, done=3, issued=3, started_at=_ago(minutes=29),
                 created_at=_ago(minutes=29))
    finished = other(3, BatchStatus.DONE, total=4, done=4, issued=4, started_at=_ago(hours=2),
                     created_at=_ago(hours=2), finished_at=_ago(hours=2))

    assert services.batches_requeue_stale() == 1  # only the cohort's
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.issued == 5
    for row, expected in ((just_queued, (BatchStatus.QUEUED, 0, 0, 0)), (busy, (BatchStatus.RUNNING, 8, 3, 3)),
                          (finished, (BatchStatus.DONE, 4, 4, 4))):
        row.refresh_from_db()
        assert (row.status, row.total, row.done, row.issued) == expected, row.title


def test_the_periodic_job_sends_a_hundred_waiting_batches_at_a_time(db):
    long_ago = _ago(hours=1)
    IssuanceBatch.objects.bulk_create(
        IssuanceBatch(source=f"academy.run:{900000 + n}", title=f"Gone {n}", created_at=long_ago) for n in range(101))
    assert services.batches_requeue_stale() == 100
    assert IssuanceBatch.objects.filter(status=BatchStatus.QUEUED).count() == 1  # the next run's
    assert services.batches_requeue_stale() == 1
    assert not IssuanceBatch.objects.filter(status=BatchStatus.QUEUED).exists()


def test_a_failed_batch_keeps_the_first_two_thousand_characters_of_its_error(cohort, monkeypatch,
                                                                             django_capture_on_commit_callbacks):
    batch = _queued_batch(cohort, django_capture_on_commit_callbacks)
    said = "The awarding app could not say who earned what: "
    message = said + "x" * (1999 - len(said)) + "yz and more"  # "y" is the 2,000th character

    def broken(source: str):
        raise RuntimeError(message)

    _watch_awards(monkeypatch, broken)
    with pytest.raises(RuntimeError):
        services.batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and batch.error == message[:2000]
    assert len(batch.error) == 2000 and batch.error.endswith("xy")
