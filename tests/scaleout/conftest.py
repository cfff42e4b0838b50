"""Forward on several machines, played on one host: web and worker processes, each with a data
directory of its own, that share only PostgreSQL, the broker (Redis) and the object store (SeaweedFS).

The processes start once per test module (``cluster``); each test builds its rows with the ORM
helpers the other test folders use, then acts over HTTP as people would. When a test fails, the end
of every process's log is added to its report.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings
from kombu import Connection

import forward
from forward import testing_s3
from tests.academy.conftest import academy  # noqa: F401 - the academy world, reused
from tests.competitions.conftest import team, world  # noqa: F401 - the competition world, reused
from tests.conftest import service_unavailable
from tests.credentials.conftest import cohort  # noqa: F401 - a graded cohort, reused
from tests.workers import BROKERS, database_url, reachable

# The Redis database this many below FORWARD_TEST_REDIS_URL's, as tests.workers.tasks_through_redis
# counts. CI gives its PostgreSQL run databases 15 to 13 and its SQLite run 12 and below, so the slot
# stays within 0..2; tests of one run never overlap in time, and each empties the database first, so
# sharing slot 2 with tests/competitions/test_worker_hostile.py is safe.
REDIS_SLOT = 2
PASSWORD = "correct horse battery"  # tests.conftest.make_user's
START_SECONDS = 120.0
SOURCE = Path(forward.__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def broker_url() -> str:
    base = BROKERS["redis"]
    if not reachable(base):
        service_unavailable(f"redis broker not reachable at {base}")
    prefix, _, base_db = base.rpartition("/")
    db = int(base_db or 0) - REDIS_SLOT
    if not 0 <= db < 16:
        raise ValueError(f"Redis database {base_db} minus slot {REDIS_SLOT} is not one of 0..15; "
                         "set FORWARD_TEST_REDIS_URL")
    url = f"{prefix}/{db}"
    with Connection(url) as conn:
        conn.default_channel.client.flushdb()
    return url


@dataclass
class Machine:
    """One `forward` process and the data directory that only it uses."""

    name: str
    data_dir: Path
    process: subprocess.Popen
    log_path: Path
    url: str = ""  # a web server's own address

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, chars: int = 6000) -> str:
        return self.log()[-chars:]

    def terminate(self) -> None:
        """Ask the process and its children to stop (gunicorn and celery shut down gracefully)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)

    def wait_stopped(self) -> None:
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@dataclass
class Cluster:
    site_url: str  # the public address every process names in links and credentials (web A's)
    storage_url: str
    broker_url: str
    web_a: Machine
    worker: Machine
    web_c: Machine

    @property
    def machines(self) -> list[Machine]:
        return [self.web_a, self.worker, self.web_c]

    def logs(self) -> str:
        return "\n".join(f"--- {m.name} ({m.log_path}), exit code {m.process.poll()} ---\n{m.log_tail()}"
                         for m in self.machines)

    def check_alive(self) -> None:
        dead = [m.name for m in self.machines if not m.alive()]
        if dead:
            pytest.fail(f"{', '.join(dead)} exited early\n{self.logs()}")

    def wait_until(self, condition, *, seconds: float, what: str):
        """Poll ``condition`` until it gives something true; fail (with the logs) at the deadline or
        as soon as a process has died."""
        deadline = time.monotonic() + seconds
        while True:
            result = condition()
            if result:
                return result
            self.check_alive()
            if time.monotonic() > deadline:
                pytest.fail(f"{what}: not within {seconds:.0f} s\n{self.logs()}")
            time.sleep(0.25)

    def files_on_disk(self) -> list[str]:
        """Every file under any machine's FORWARD_DATA_DIR/files (the local storage's place)."""
        return sorted(str(path) for m in self.machines for path in (m.data_dir / "files").rglob("*")
                      if not path.is_dir())


def environment(data_dir: Path, *, site_url: str, broker: str, storage_url: str) -> dict[str, str]:
    """A production configuration: nothing inherited from the test run's FORWARD_* settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FORWARD_", "AWS_"))}
    # The code this test run imports (a relative PYTHONPATH=src would not survive the process's own cwd).
    env["PYTHONPATH"] = os.pathsep.join([str(SOURCE), *filter(None, [os.environ.get("PYTHONPATH")])])
    env.update({
        "HOME": str(data_dir / "home"),  # a machine of its own: e.g. gunicorn's control socket lives there
        "FORWARD_DATA_DIR": str(data_dir),
        "FORWARD_DATABASE_URL": database_url(),
        "FORWARD_BROKER_URL": broker,
        "FORWARD_STORAGE_URL": storage_url,
        "AWS_ACCESS_KEY_ID": testing_s3.ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": testing_s3.SECRET_KEY,
        "FORWARD_SECRET_KEY": settings.SECRET_KEY,
        "FORWARD_CREDENTIAL_KEYS": ",".join(settings.CREDENTIAL_KEYS),
        "FORWARD_ALLOWED_HOSTS": "127.0.0.1",
        "FORWARD_SITE_URL": site_url,
        "FORWARD_SSL_REDIRECT": "false",
        "FORWARD_CACHE_URL": "locmem://",
        "FORWARD_EMAIL_BACKEND": "locmem",
    })
    return env


def launch(name: str, root: Path, argv: list[str], **config) -> Machine:
    data_dir = root / name
    (data_dir / "static").mkdir(parents=True)
    (data_dir / "home").mkdir()
    log_path = root / f"{name}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "forward", *argv],
                                   env=environment(data_dir, **config), stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, cwd=data_dir)
    return Machine(name=name, data_dir=data_dir, process=process, log_path=log_path)


def serve(name: str, root: Path, port: int, **config) -> Machine:
    machine = launch(name, root, ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
                                  "--threads", "2"], **config)
    machine.url = f"http://127.0.0.1:{port}"
    return machine


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def cluster(request, django_db_setup, tmp_path_factory):
    """Web A and web C (`forward serve`) and worker W (`forward worker`), each in a data directory of
    its own, on the test database, a Redis database and a fresh bucket."""
    broker = broker_url()
    s3_server = request.getfixturevalue("s3_server")
    storage_url = s3_server.url(s3_server.create_bucket())
    root = tmp_path_factory.mktemp("machines")
    port_a, port_c = free_port(), free_port()
    site_url = f"http://127.0.0.1:{port_a}"
    config = {"site_url": site_url, "broker": broker, "storage_url": storage_url}
    machines: list[Machine] = []
    try:
        machines.append(serve("web-a", root, port_a, **config))
        machines.append(launch("worker-w", root, ["worker", "--concurrency=1", "--loglevel=INFO", "--", "-P", "solo",
                                                  "--without-gossip", "--without-mingle", "--without-heartbeat",
                                                  "-n", "two-machines@%h"], **config))
        machines.append(serve("web-c", root, port_c, **config))
        found = Cluster(site_url, storage_url, broker, *machines)
        for web in (found.web_a, found.web_c):
            found.wait_until(lambda web=web: answers(web.url + "/accounts/login/"), seconds=START_SECONDS,
                             what=f"{web.name} answering at {web.url}")
        found.wait_until(lambda: " ready." in found.worker.log(), seconds=START_SECONDS,
                         what="the worker ready")
        yield found
    finally:
        for machine in machines:
            machine.terminate()
        for machine in machines:
            machine.wait_stopped()


@pytest.fixture(autouse=True)
def on_the_cluster(request, settings, monkeypatch):
    """This test process stores in the cluster's bucket, names the cluster's address and hashes
    passwords as the servers check them, as a third machine of the same site would (only for tests
    that use the cluster)."""
    if "cluster" not in request.fixturenames:
        yield None
        return
    cluster = request.getfixturevalue("cluster")
    from django.core.files.storage import default_storage

    from forward.storage_url import storage_config

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", testing_s3.ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", testing_s3.SECRET_KEY)
    settings.FORWARD_STORAGE_URL = cluster.storage_url
    settings.STORAGES = {**settings.STORAGES, "default": storage_config(
        cluster.storage_url, media_root=settings.MEDIA_ROOT, presign_seconds=settings.FORWARD_STORAGE_PRESIGN_SECONDS)}
    assert default_storage.bucket_name in cluster.storage_url
    settings.SITE_URL = cluster.site_url
    # Passwords hashed so that the servers can check them (tests elsewhere use MD5, which production
    # does not accept); scrypt is among Django's defaults and quick enough.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.ScryptPasswordHasher"]
    yield cluster


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test's report ends with what each process logged."""
    outcome = yield
    report = outcome.get_result()
    cluster = getattr(item, "funcargs", {}).get("cluster")
    if report.failed and isinstance(cluster, Cluster):
        for machine in cluster.machines:
            report.sections.append((f"{machine.name} log (end)", machine.log_tail()))


def sign_in(base_url: str, email: str) -> requests.Session:
    """A browser-like session signed in through the real login form (CSRF cookie and token)."""
    session = requests.Session()
    login = base_url + "/accounts/login/"
    assert session.get(login, timeout=30).status_code == 200
    response = session.post(login, data={"login": email, "password": PASSWORD,
                                         "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                            headers={"Referer": login}, timeout=30)
    assert response.status_code == 200 and session.cookies.get("sessionid"), response.text[-2000:]
    return session


def post_form(session: requests.Session, url: str, data: dict, files: dict | None = None) -> requests.Response:
    """Submit a form as the page would: with the CSRF token of the session's cookie."""
    return session.post(url, data={**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]}, files=files,
                        headers={"Referer": url}, timeout=120)
