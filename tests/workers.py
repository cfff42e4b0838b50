"""Real worker processes and brokers for service tests."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from kombu import Connection, pools

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
    """Start `forward worker` processes on a broker; they are stopped after the test."""
    started: list[subprocess.Popen] = []

    def start(broker_url: str, queue: str, pool: str = "solo", name: str | None = None,
              periodic: bool = False) -> subprocess.Popen:
        """`name` tells apart two workers on one queue (node name and log file). The worker takes
        part in scheduling the periodic jobs only with `periodic`, so other tests see no job they
        did not send."""
        name = name or queue
        env = dict(os.environ)
        env.update({
            "FORWARD_BROKER_URL": broker_url,
            "FORWARD_DATABASE_URL": database_url(),
            "FORWARD_SECRET_KEY": settings.SECRET_KEY,
            "FORWARD_DATA_DIR": str(settings.DATA_DIR),
            "FORWARD_EMAIL_BACKEND": "file",
            "FORWARD_SITE_URL": settings.SITE_URL,
        })
        log = open(tmp_path / f"worker-{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "-m", "forward", "worker", "--concurrency=1", "--loglevel=INFO",
             *([] if periodic else ["--no-periodic"]), "--",
             "-Q", queue, "-P", pool, "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"{name}@%h"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        process.log_path = log.name
        started.append(process)
        return process

    yield start
    for process in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextlib.contextmanager
def tasks_through_redis(slot: int):
    """Send this test process's tasks through the real Redis broker, in the database ``slot`` numbers
    below FORWARD_TEST_REDIS_URL's (emptied first), so two test runs given different base databases
    (CI runs SQLite and PostgreSQL side by side) never share or empty each other's.

    Yields (broker URL, queue name). Skips, or fails under FORWARD_REQUIRE_SERVICES=1, without Redis.
    """
    from forward.celery import app as celery_app
    from tests.conftest import service_unavailable

    base = BROKERS["redis"]
    if not reachable(base):
        service_unavailable(f"redis broker not reachable at {base}")
    prefix, _, base_db = base.rpartition("/")
    db = int(base_db or 0) - slot
    if not 0 <= db < 16 or slot < 1:
        raise ValueError(f"Redis database {base_db} minus slot {slot} is not one of 0..15; set FORWARD_TEST_REDIS_URL")
    url = f"{prefix}/{db}"
    with Connection(url) as conn:
        conn.default_channel.client.flushdb()
    saved = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=url)
    _forget_connections(celery_app)
    try:
        yield url, celery_app.conf.task_default_queue
    finally:
        celery_app.conf.update(saved)
        _forget_connections(celery_app)


def _forget_connections(celery_app) -> None:
    """Drop pooled broker connections, so the next message uses the broker configured now."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    pools.reset()  # kombu's registry would hand back the closed pool for the same URL
