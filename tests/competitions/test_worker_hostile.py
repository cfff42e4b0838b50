"""A real `forward worker` given each hostile file ends it `failed` with its message and lives on.

The files of the security report, made small: a 50,000-character label, a gzip bomb of duplicated
ids, a non-UTF-8 byte on a line with a field too many, a header of 20,000 columns and one of
1.9 MB; and a well-formed 3,000,000-row submission that needs more memory than the worker's
scoring limit (FORWARD_SCORING_MEMORY_MB=64), as does its solution (at 1,000,000 rows either alone
may fit, and a worker that keeps the solution reads only the submission in the job). After them a
good submission is scored by the same worker process. Runs with the solo and the prefork pool (whose
processes are daemonic). Uses Redis database 13; skipped without Redis, failed instead when
FORWARD_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import gzip
from datetime import timedelta

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forward.competitions import services, submissions
from forward.competitions.models import Competition, Submission, SubmissionStatus
from tests.competitions.conftest import predictions_csv
from tests.workers import tasks_through_redis, wait_until

BIG = 3_000_000


@pytest.fixture
def broker_tasks():
    with tasks_through_redis(2) as url_and_queue:
        yield url_and_queue


def competition_with(world, title: str, metric: str, solution: bytes):
    now = timezone.now()
    competition = services.competition_create(
        actor=world.host_user, host=world.host_org, title=title, metric=metric,
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=10), rules="Be nice.")
    phase = services.solution_upload(actor=world.host_user, phase=competition.phases.get(),
                                     upload=SimpleUploadedFile("solution.csv", solution))
    services.competition_publish(actor=world.host_user, competition=competition)
    competition = Competition.objects.get(pk=competition.pk)
    services.register(user=world.alice, competition=competition)
    services.team_create(user=world.alice, competition=competition, name=f"Alice at {title}")
    phase.refresh_from_db()
    return phase


def big_files() -> tuple[bytes, bytes]:
    ids = np.arange(BIG)
    solution = "id,target,Usage\n" + "".join(
        f"{i},{i % 2},{'Public' if i % 4 < 2 else 'Private'}\n" for i in ids)
    rng = np.random.default_rng(3)
    predictions = "id,target\n" + "".join(f"{i},{p:.4f}\n" for i, p in zip(ids, rng.random(BIG), strict=True))
    return solution.encode(), gzip.compress(predictions.encode(), compresslevel=1)


@pytest.mark.services
@pytest.mark.parametrize("pool", ["solo", "prefork"])
def test_hostile_files_fail_with_a_message_and_the_worker_scores_the_next(
        transactional_db, world, team, broker_tasks, worker_for, monkeypatch, pool):
    url, queue = broker_tasks
    labels = competition_with(world, "Pets", "accuracy",
                              b"key,label,Usage\na,cat,Public\nb,dog,Public\nc,cat,Private\nd,dog,Private\n")
    big_solution, big_submission = big_files()
    big = competition_with(world, "Clicks", "auc", big_solution)
    wide = ["id", "target"] + [f"feature_{i:05d}" for i in range(20_000)]
    longer = ["id", "target"] + [f"c{i}" for i in range(200_000)]
    hostile = [  # (phase, file name, content, words in the message)
        (labels, "long-label.csv", b"key,label\na,cat\nb,dog\nc,cat\nd," + b"x" * 50_000 + b"\n",
         "Line 5: the value in column 'label' is 50,000 characters long; values may be at most 1,000."),
        (world.phase, "bomb.csv.gz", gzip.compress(b"id,target\n" + b"1,0.5\n" * 2_000_000),
         "The file has more than 1,020 rows; a submission for this competition has 20 rows"),
        (world.phase, "latin1.csv", b"id,target\n1,0.9\n2,0.\xff2,7\n3,0.1\n", "not UTF-8 text (line 3"),
        (world.phase, "wide.csv", (",".join(wide) + "\n").encode(), "Line 1 has 20,002 columns"),
        (world.phase, "long-header.csv.gz", gzip.compress((",".join(longer) + "\n").encode()),
         "Line 1 is longer than 1 MB"),
        (big, "big.csv.gz", big_submission, "The file needs more than 64 MB of memory to read"),
    ]
    monkeypatch.setenv("FORWARD_SCORING_MEMORY_MB", "64")
    monkeypatch.setenv("FORWARD_SCORING_TIMEOUT", "120")
    worker = worker_for(url, queue, pool=pool)

    made = [(submissions.submission_create(user=world.alice, phase=phase,
                                           upload=SimpleUploadedFile(name, content)), words)
            for phase, name, content, words in hostile]
    good = submissions.submission_create(user=world.alice, phase=world.phase,
                                         upload=SimpleUploadedFile("good.csv", predictions_csv()))
    wait_until(lambda: Submission.objects.filter(pk=good.pk, status=SubmissionStatus.SCORED).exists(),
               seconds=180, worker=worker)
    for submission, words in made:
        submission.refresh_from_db()
        assert submission.status == SubmissionStatus.FAILED, (submission.original_name, submission.error)
        assert words in submission.error, submission.error
        assert submission.attempts == 1
    assert worker.poll() is None  # the same process, alive
    good.refresh_from_db()
    assert good.public_score == pytest.approx(1.0)
