"""Regression tests for behaviour that once broke silently (issue 18, section 1): rotating an
issuer's key really changes what it signs with, the wallet reads each credential's issuer in the
same query however many issuers there are, and `forward verify --fetch` checks a credential
against what a running site really publishes (no stand-in for the download)."""

import json
import os
import subprocess
import sys

import jwt as pyjwt
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forward.core.models import OrganizationKind
from forward.credentials import documents, keys, selectors, services
from tests.conftest import client_for, make_organization, make_user


def _award(recipient, issuer, key: str, name: str = "Cloud Computing Fundamentals") -> documents.Award:
    return documents.Award(
        recipient=recipient, issuer=issuer, kind="course_completion", achievement_key=key, name=name,
        achievement=documents.achievement(id=f"https://forward.test/achievements/{key}", kind="Course", name=name,
                                          description=name, criteria="Pass the course."))


def _kid(token: str) -> str:
    return pyjwt.get_unverified_header(token)["kid"]


@pytest.fixture
def issuer(db):
    """A verified university, its admin, and a learner holding one credential it issued."""

    class World:
        pass

    w = World()
    w.admin = make_user("admin@ntu.test", "Ada Admin")
    w.university = make_organization(creator=w.admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    w.learner = make_user("learner@ntu.test", "Lee Learner")
    w.credential = services.issue([_award(w.learner, w.university, "course:1")])[0]
    return w


# --- 1. the rotate button rotates ------------------------------------------------------------------

def test_rotating_the_key_signs_what_follows_with_a_new_key_and_keeps_the_old_one_published(issuer):
    slug = issuer.university.slug
    old_kid = _kid(issuer.credential.jwt)
    assert old_kid == keys.rsa_kid(keys.active_key(issuer.university))

    response = client_for(issuer.admin).post(f"/credentials/issuers/{slug}/rotate/")
    assert response.status_code == 302

    active = keys.active_key(issuer.university)
    assert keys.rsa_kid(active) != old_kid  # the issuer now signs with another key
    published = {k["kid"] for k in client_for(None).get(f"/credentials/issuers/{slug}/jwks.json").json()["keys"]}
    assert old_kid in published and keys.rsa_kid(active) in published  # the old one still verifies

    new = services.issue([_award(issuer.learner, issuer.university, "course:2", "Data Engineering")])[0]
    assert _kid(new.jwt) == keys.rsa_kid(active) != old_kid
    for credential in (issuer.credential, new):
        answer = client_for(None).post("/api/v1/credentials/verify", credential.jwt,
                                       content_type="application/jwt").json()
        assert answer["verified"] is True, answer


# --- 2. the wallet: one query for the credentials and their issuers ---------------------------------

def _holder_of(count: int, email: str):
    """A learner holding `count` credentials, each from a different verified issuer."""
    learner = make_user(email, "Wally Wallet")
    for i in range(count):
        admin = make_user(f"admin{i}-{email}", f"Admin {i}")
        org = make_organization(creator=admin, name=f"Issuer {i} of {email}", kind=OrganizationKind.UNIVERSITY,
                                country="SG")
        services.issue([_award(learner, org, f"course:{i}", f"Course {i}")])
    return learner


def test_the_wallet_selector_reads_credentials_and_their_issuers_in_one_query(db, django_assert_num_queries):
    learner = _holder_of(8, "many@wallet.test")
    with django_assert_num_queries(1):
        names = [c.issuer.name for c in selectors.wallet(user=learner)]
    assert sorted(names) == sorted(f"Issuer {i} of many@wallet.test" for i in range(8))


def test_the_wallet_page_makes_as_many_queries_for_eight_issuers_as_for_two(db):
    few, many = _holder_of(2, "few@wallet.test"), _holder_of(8, "many@wallet.test")
    counts = {}
    for learner in (few, many):
        client = client_for(learner)
        client.get("/credentials/")  # warm the session and per-process caches
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/credentials/").content.decode()
        counts[learner.email] = len(queries)
        assert html.count('data-testid="wallet-badge"') == (2 if learner is few else 8)
        assert f"Issuer 1 of {learner.email}" in html
    assert counts["few@wallet.test"] == counts["many@wallet.test"], counts


# --- 4. forward verify --fetch against a running site -------------------------------------------------

def _verify_fetch(path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FORWARD_", "DJANGO_"))}
    return subprocess.run([sys.executable, "-m", "forward", "verify", str(path), "--fetch"],
                          env=env, capture_output=True, text=True, timeout=120)


def test_verify_fetch_downloads_the_keys_and_status_list_from_the_site_and_sees_a_revocation(
        live_server, settings, tmp_path):
    settings.SITE_URL = live_server.url  # what the credential names is where this site answers
    admin = make_user("admin@ntu.test", "Ada Admin")
    university = make_organization(creator=admin, name="NTU", kind=OrganizationKind.UNIVERSITY, country="SG")
    learner = make_user("learner@ntu.test", "Lee Learner")
    credential = services.issue([_award(learner, university, "course:1")])[0]
    assert json.loads(credential.document)["issuer"]["id"].startswith(live_server.url)
    (tmp_path / "credential.jwt").write_text(credential.jwt)
    (tmp_path / "credential.json").write_text(credential.document)

    for name in ("credential.jwt", "credential.json"):
        result = _verify_fetch(tmp_path / name)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.startswith("VERIFIED: Cloud Computing Fundamentals")
        assert "[ok  ] status" in result.stdout

    services.revoke(actor=admin, credential=credential, reason="Issued in error")
    for name in ("credential.jwt", "credential.json"):
        result = _verify_fetch(tmp_path / name)
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stdout.startswith("REVOKED: Cloud Computing Fundamentals")  # not verified, and why
