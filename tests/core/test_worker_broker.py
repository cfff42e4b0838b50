"""A task sent through a real broker is executed by a real `forward worker` process.

Runs against Redis and RabbitMQ when they are reachable (FORWARD_TEST_REDIS_URL, FORWARD_TEST_AMQP_URL);
skipped otherwise, and failed instead of skipped when FORWARD_REQUIRE_SERVICES=1 (CI).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import Celery
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone
from kombu import Connection

from forward.core.models import Invitation
from forward.core.services import invitation_from_token
from tests.conftest import service_unavailable

BROKERS = {
    "redis": os.environ.get("FORWARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
    "rabbitmq": os.environ.get("FORWARD_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//"),
}


def reachable(url: str) -> bool:
    try:
        with Connection(url, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception:
        return False
    return True


def database_url() -> str:
    """The URL of the test database this test process is using, for the worker process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until(condition, seconds: float = 60.0, worker: subprocess.Popen | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if worker is not None and worker.poll() is not None:
            pytest.fail(f"the worker exited early with code {worker.returncode}")
        time.sleep(0.2)
    pytest.fail(f"condition not met within {seconds} s")


@pytest.fixture
def worker_for(tmp_path):
    started: list[subprocess.Popen] = []

    def start(broker_url: str, queue: str) -> subprocess.Popen:
        env = dict(os.environ)
        env.update({
            "FORWARD_BROKER_URL": broker_url,
            "FORWARD_DATABASE_URL": database_url(),
            "FORWARD_SECRET_KEY": settings.SECRET_KEY,
            "FORWARD_DATA_DIR": str(settings.DATA_DIR),
            "FORWARD_EMAIL_BACKEND": "file",
            "FORWARD_SITE_URL": settings.SITE_URL,
        })
        log = open(tmp_path / f"worker-{queue}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "-m", "forward", "worker", "--concurrency=1", "--loglevel=INFO", "--",
             "-Q", queue, "-P", "solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"{queue}@%h"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        process.log_path = log.name
        started.append(process)
        return process

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.services
@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_a_real_worker_sends_the_invitation_email(broker, transactional_db, people, worker_for):
    url = BROKERS[broker]
    if not reachable(url):
        service_unavailable(f"{broker} broker not reachable at {url}")
    invitation = Invitation.objects.create(
        organization=people.org, email=f"new.student.{broker}@uni.test", key=uuid.uuid4().hex,
        invited_by=people.admin, expires_at=timezone.now() + timedelta(days=7),
    )
    queue = f"test-{broker}-{uuid.uuid4().hex[:8]}"
    worker = worker_for(url, queue)

    sender = Celery("forward-test-sender", broker=url)
    sender.send_task("forward.core.send_invitation_email", args=[invitation.pk], queue=queue)

    try:
        wait_until(lambda: Invitation.objects.get(pk=invitation.pk).sent_at, worker=worker)
    except BaseException:
        print(Path(worker.log_path).read_text(errors="replace")[-4000:])
        raise
    # The email went out from the worker process (file backend), not from this test process.
    assert mail.outbox == []
    sent = [p.read_text() for p in (Path(settings.DATA_DIR) / "mail").glob("*.log")]
    ours = [text for text in sent if f"To: new.student.{broker}@uni.test" in text]
    assert len(ours) == 1
    token = re.search(r"/invitations/([^/\s]+)/", ours[0]).group(1)
    assert invitation_from_token(token) == invitation
