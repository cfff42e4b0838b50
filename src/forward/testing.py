"""Pytest plugin (loaded with ``-p forward.testing``) that sets test settings before Django loads.

pytest-django configures Django before any conftest.py is read, so the environment defaults for the
test run live here. Set variables (e.g. FORWARD_DATABASE_URL for PostgreSQL) still win.
"""
import os
import tempfile

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
