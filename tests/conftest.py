"""Shared fixtures: people in roles, organizations, and the service gate."""

from __future__ import annotations

import os

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone

from forward import testing_s3
from forward.core import services
from forward.core.models import Membership, Organization, OrganizationKind, Role, User

REQUIRE_SERVICES = os.environ.get("FORWARD_REQUIRE_SERVICES", "").lower() in ("1", "true", "yes")


def service_unavailable(reason: str) -> None:
    """Skip a test whose service is missing, or fail it when FORWARD_REQUIRE_SERVICES=1 (CI)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service not available: {reason}")
    pytest.skip(reason)


class _SessionS3Server:
    """The SeaweedFS that forward.testing started for the whole run (FORWARD_TEST_STORAGE=s3): the same
    methods as testing_s3.Server, and nothing to stop here (it stops when the run ends)."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint

    url = testing_s3.Server.url
    client = testing_s3.Server.client
    create_bucket = testing_s3.Server.create_bucket

    def stop(self) -> None:
        pass


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (SeaweedFS) on 127.0.0.1 for this test session: the run's own when
    FORWARD_TEST_STORAGE=s3 started one (FORWARD_TEST_S3_ENDPOINT), otherwise started on first use."""
    endpoint = os.environ.get("FORWARD_TEST_S3_ENDPOINT")
    if endpoint:
        yield _SessionS3Server(endpoint)
        return
    try:
        server = testing_s3.start()
    except testing_s3.Unavailable as exc:
        service_unavailable(f"SeaweedFS: {exc}")
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    """The default storage switched to a fresh, empty bucket on the SeaweedFS server for one test."""
    from django.core.files.storage import default_storage

    from forward.storage_url import storage_config

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", testing_s3.ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", testing_s3.SECRET_KEY)
    url = s3_server.url(s3_server.create_bucket())
    settings.FORWARD_STORAGE_URL = url
    settings.STORAGES = {**settings.STORAGES, "default": storage_config(
        url, media_root=settings.MEDIA_ROOT, presign_seconds=settings.FORWARD_STORAGE_PRESIGN_SECONDS)}
    # Django's setting_changed handler drops the cached storages, so default_storage is now the bucket.
    assert default_storage.bucket_name in url
    return default_storage


@pytest.fixture
def local_storage(settings, tmp_path):
    """The default storage switched to a fresh, empty directory for one test."""
    from django.core.files.storage import default_storage

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    return default_storage


@pytest.fixture
def fresh_storage(request, settings):
    """The default storage switched to a fresh, empty place of the run's kind for one test: a new
    bucket when the run stores its files on S3 (FORWARD_STORAGE_URL), else a new directory. For a
    test that counts the files left behind: files of earlier tests (and of earlier runs on the same
    data directory, whose ids repeat) are elsewhere."""
    if getattr(settings, "FORWARD_STORAGE_URL", "").startswith("s3"):
        return request.getfixturevalue("s3_storage")
    return request.getfixturevalue("local_storage")


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Each test starts in the site's language and time zone: a request by someone in Malay, or in
    Shanghai, must not leak into the next test (the middleware sets both for the rest of the thread)."""
    from django.utils import timezone, translation

    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Each test starts with empty in-process caches: Django's cache (cached figures, and rate-limit
    counts: allauth allows 30 logins a minute from one address, and every browser journey signs in
    from 127.0.0.1) and the verifier's caches of keys, issuer documents and status lists. They are keyed
    by ids and slugs, which repeat between test databases: a second run in one process (as mutmut
    runs each mutant's tests, after a whole run) would otherwise read what the first one left."""
    from django.core.cache import caches

    from forward.credentials import selectors

    for cache in caches.all():
        cache.clear()
    selectors.clear_caches()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_organization(*, creator: User, name: str, kind: str, country: str, verified: bool = True,
                      **fields) -> Organization:
    """An organization created as its admin would (unverified), then verified by an operator unless
    ``verified=False``."""
    organization = services.organization_create(creator=creator, name=name, kind=kind, country=country, **fields)
    if verified and not organization.is_verified:  # as services.organization_verify, without an operator account
        Organization.objects.filter(pk=organization.pk).update(verified_at=timezone.now())
        organization.refresh_from_db()
    return organization


def make_user(email: str, name: str = "", password: str = "correct horse battery", **fields) -> User:
    user = User.objects.create_user(email=email, password=password, name=name or email.split("@")[0], **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def people(db):
    """An organization with an admin and a member, another organization with its own admin, and an outsider."""

    class People:
        pass

    p = People()
    p.admin = make_user("admin@uni.test", "Ada Admin", country="SG")
    p.member = make_user("member@uni.test", "Mo Member", country="SG")
    p.other_admin = make_user("admin@other.test", "Otto Other", country="MY")
    p.outsider = make_user("outsider@example.test", "Olu Outsider", country="ID")
    p.org = make_organization(creator=p.admin, name="Uni of Testing", kind=OrganizationKind.UNIVERSITY,
                                         country="SG")
    Membership.objects.create(user=p.member, organization=p.org, role=Role.MEMBER)
    p.other_org = make_organization(creator=p.other_admin, name="Other Org", kind=OrganizationKind.EMPLOYER,
                                    country="MY")
    return p


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def org(people) -> Organization:
    return people.org


from tests.workers import worker_for  # noqa: E402, F401 - a fixture shared by service tests
