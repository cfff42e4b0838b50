"""FORWARD_TEST_STORAGE=s3 (CI's PostgreSQL run): the test run really stores files in a bucket on
SeaweedFS, and a run that cannot have one says so, or stops when services are required."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from forward import testing_s3

ROOT = Path(__file__).resolve().parents[2]


def test_the_run_stores_files_where_its_header_says(tmp_path):
    name = default_storage.save("probe/where.txt", ContentFile(b"stored by the test run"))
    try:
        if os.environ.get("FORWARD_TEST_STORAGE") == "s3":
            # The object is in the run's bucket, read back by another S3 client, not through Django.
            endpoint = os.environ["FORWARD_TEST_S3_ENDPOINT"]
            bucket = default_storage.bucket_name
            assert os.environ["FORWARD_STORAGE_URL"].startswith(f"s3://{bucket}?endpoint={endpoint}")
            client = testing_s3.Server(endpoint=endpoint, process=None, directory=None, log_path=None).client()
            assert client.get_object(Bucket=bucket, Key=name)["Body"].read() == b"stored by the test run"
        else:
            assert Path(default_storage.path(name)).read_bytes() == b"stored by the test run"
    finally:
        default_storage.delete(name)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pytest_without_s3(**env: str) -> subprocess.CompletedProcess:
    """A pytest run told to use an S3 server that is not there (collecting one small file)."""
    environ = {key: value for key, value in os.environ.items()
               if key not in ("FORWARD_STORAGE_URL", "FORWARD_REQUIRE_SERVICES", "PYTEST_ADDOPTS")}
    environ.update(FORWARD_TEST_STORAGE="s3", FORWARD_TEST_S3_ENDPOINT=f"http://127.0.0.1:{_closed_port()}",
                   AWS_MAX_ATTEMPTS="1", **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "tests/test_boundedjson.py"],
        env=environ, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_without_a_server_the_run_warns_and_keeps_files_locally():
    run = _pytest_without_s3()
    assert run.returncode == 0, run.stderr
    assert "WARNING: FORWARD_TEST_STORAGE=s3, but no S3 server" in run.stderr
    assert "storage: local files (S3 wanted, but unavailable" in run.stdout


def test_without_a_server_a_run_that_requires_services_stops_with_the_reason():
    run = _pytest_without_s3(FORWARD_REQUIRE_SERVICES="1")
    assert run.returncode == 4  # pytest's usage error: nothing was run
    assert "FORWARD_TEST_STORAGE=s3, but no S3 server" in run.stderr
    assert "FORWARD_REQUIRE_SERVICES=1, so the run stops here" in run.stderr
