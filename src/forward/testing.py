"""Pytest plugin (loaded with ``-p forward.testing``) that sets test settings before Django loads.

pytest-django configures Django before any conftest.py is read, so the environment defaults for the
test run live here. Set variables (e.g. FORWARD_DATABASE_URL for PostgreSQL) still win.

``FORWARD_TEST_STORAGE=s3`` stores every file of the run in a bucket on a real S3-compatible server
(SeaweedFS, started here on 127.0.0.1), so code that assumes a local disk fails in the tests and
not on the second web server. The settings go into ``os.environ``, so the worker processes that
service tests start store files in the same bucket. ``FORWARD_TEST_S3_ENDPOINT`` names the server
for the ``s3_server`` fixture (which then starts no second one); set before the run, it names a
server to use instead of starting one (it must accept ``forward.testing_s3``'s test credentials).
"""
import os
import sys
import tempfile
from collections.abc import Callable

import pytest

_data_dir = tempfile.mkdtemp(prefix="forward-test-")
os.makedirs(os.path.join(os.environ.get("FORWARD_DATA_DIR", _data_dir), "static"), exist_ok=True)
os.environ.setdefault("FORWARD_DATA_DIR", _data_dir)
os.environ.setdefault("FORWARD_SECRET_KEY", "test-secret-key-" + "x" * 40)
os.environ.setdefault("FORWARD_CACHE_URL", "locmem://")
os.environ.setdefault("FORWARD_CREDENTIAL_KEYS", "ZmV3YXJkLXRlc3QtY3JlZGVudGlhbC1rZXktMzJieXQ=")
os.environ.setdefault("FORWARD_EMAIL_BACKEND", "locmem")
os.environ.setdefault("FORWARD_SITE_URL", "http://testserver")
os.environ.setdefault("FORWARD_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright inside live-server tests
os.environ.pop("FORWARD_BROKER_URL", None)  # unit tests run tasks eagerly; service tests start their own

S3_ENDPOINT_VARIABLE = "FORWARD_TEST_S3_ENDPOINT"


def _required() -> bool:
    return os.environ.get("FORWARD_REQUIRE_SERVICES", "").lower() in ("1", "true", "yes")


def _use_s3() -> str:
    """Point the whole run's storage at a fresh bucket on SeaweedFS; returns the line for the report header."""
    from forward import testing_s3

    endpoint = os.environ.get(S3_ENDPOINT_VARIABLE, "").strip()
    try:
        if endpoint:
            server = testing_s3.Server(endpoint=endpoint, process=None, directory=None, log_path=None)
            server.client().list_buckets()  # reachable, and the test credentials work
            started = f"SeaweedFS at {endpoint} (given by {S3_ENDPOINT_VARIABLE})"
        else:
            server = testing_s3.start()  # stopped at exit (atexit), with its data directory
            started = f"SeaweedFS started at {server.endpoint}"
        bucket = server.create_bucket("forward-run")
    except Exception as exc:  # Unavailable, or a given endpoint that does not answer
        reason = f"FORWARD_TEST_STORAGE=s3, but no S3 server: {exc}"
        if _required():
            raise pytest.UsageError(f"{reason}\n(FORWARD_REQUIRE_SERVICES=1, so the run stops here)") from exc
        print(f"WARNING: {reason}\nThe tests store files in a local directory instead.", file=sys.stderr)
        os.environ.pop("FORWARD_STORAGE_URL", None)
        return f"storage: local files (S3 wanted, but unavailable: {str(exc).splitlines()[0]})"
    os.environ[S3_ENDPOINT_VARIABLE] = server.endpoint
    os.environ["FORWARD_STORAGE_URL"] = server.url(bucket)
    os.environ["AWS_ACCESS_KEY_ID"] = testing_s3.ACCESS_KEY
    os.environ["AWS_SECRET_ACCESS_KEY"] = testing_s3.SECRET_KEY
    os.environ.pop("AWS_SESSION_TOKEN", None)
    return f"storage: bucket {bucket} on {started}"


_storage = os.environ.get("FORWARD_TEST_STORAGE", "").strip().lower()
if _storage == "s3":
    _STORAGE_HEADER = _use_s3()
elif _storage in ("", "local"):
    _STORAGE_HEADER = f"storage: {os.environ.get('FORWARD_STORAGE_URL') or 'local files'}"
else:
    raise pytest.UsageError(f"FORWARD_TEST_STORAGE must be s3 or local (or unset), got {_storage!r}")


def pytest_report_header(config) -> str:
    """Say where this run stores files, since a test that passes on one storage may fail on the other."""
    return _STORAGE_HEADER


class _RSAKeys:
    """The credentials' RSA signing keys, each made once per process and handed out again, test
    after test (making one takes OpenSSL about 0.1 s; tests/credentials alone made 218).

    Within a test every key is new: no two organizations, nor two generations of one organization's
    key, share one. A key made while a fixture of a wider scope than the test is being set up (a
    demo loaded for a whole module) lives in that fixture's rows across tests, so it is made for it
    alone and never handed out again."""

    def __init__(self) -> None:
        self.make: Callable[[], object] | None = None  # forward.credentials.keys' own
        self.free: list[object] = []  # made for earlier tests, whose rows are gone
        self.taken: list[object] = []  # handed out in this test
        self.lasting = 0  # wider-scoped fixtures being set up

    def new(self) -> object:
        assert self.make is not None
        if self.lasting:
            return self.make()
        key = self.free.pop(0) if self.free else self.make()
        self.taken.append(key)
        return key

    def next_test(self) -> None:
        self.free[:0] = self.taken
        self.taken = []


_rsa_keys = _RSAKeys()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    if _rsa_keys.make is None:
        from forward.credentials import keys  # Django is set up by now

        _rsa_keys.make, keys._new_rsa_key = keys._new_rsa_key, _rsa_keys.new  # type: ignore[assignment]
    _rsa_keys.next_test()


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    lasting = fixturedef.scope != "function"
    _rsa_keys.lasting += lasting
    try:
        yield
    finally:
        _rsa_keys.lasting -= lasting
