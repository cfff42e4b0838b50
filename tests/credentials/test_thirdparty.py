"""Forward's credentials verified by third-party libraries, as any W3C VC verifier built on them
does: Digital Bazaar's Data Integrity stack (@digitalbazaar/vc, eddsa-rdfc-2022, Bitstring Status
List) for the JSON and jose for the VC-JWT, run by Node.js (tests/thirdparty/verify.mjs, versions
pinned by its package-lock.json). Forward's documents (issuer profile = controller document, key
documents, status list) are requested from their real URLs and handed to the verifier, which
fetches nothing else: contexts come from the npm packages."""

import base64
import json
import shutil
import subprocess
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from forward.academy import awards
from forward.credentials import services
from forward.credentials.models import Credential, CredentialKind
from tests.conftest import client_for, service_unavailable

from .conftest import release

THIRDPARTY = Path(__file__).resolve().parents[1] / "thirdparty"


@pytest.fixture(scope="session")
def node():
    """The node binary, with tests/thirdparty's locked packages installed (npm ci on first use, and
    again when the lockfile is newer than what is installed)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        service_unavailable("Node.js and npm are needed to verify credentials with third-party libraries "
                            "(apt-get install nodejs npm)")
    installed = THIRDPARTY / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < (THIRDPARTY / "package-lock.json").stat().st_mtime:
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=THIRDPARTY, capture_output=True,
                              text=True, timeout=600)
        if done.returncode:
            service_unavailable(f"npm ci failed in {THIRDPARTY} (is the npm registry reachable?): "
                                f"{done.stderr.strip()[-2000:]}")
    return node


def _get(url: str):
    assert url.startswith(settings.SITE_URL + "/"), url
    response = client_for(None).get(url[len(settings.SITE_URL):])
    assert response.status_code == 200, (url, response.status_code)
    return response.json()


def _documents(credentials: list[Credential]) -> dict:
    """What a verifier dereferences, fetched from the URLs the credentials name."""
    urls = set()
    for credential in credentials:
        document = json.loads(credential.document)
        proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
        urls |= {document["issuer"]["id"], document["credentialStatus"]["statusListCredential"],
                 *(p["verificationMethod"] for p in proofs)}
        header = json.loads(_b64(credential.jwt.split(".")[0]))
        urls.add(header["kid"])
    found = {url: _get(url) for url in sorted(urls)}
    for status_list in [d for d in found.values() if "BitstringStatusListCredential" in d.get("type", [])]:
        for proof in status_list["proof"] if isinstance(status_list["proof"], list) else [status_list["proof"]]:
            if proof["verificationMethod"] not in found:
                found[proof["verificationMethod"]] = _get(proof["verificationMethod"])
    return found


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _verify(node, tmp_path, documents: dict, items: list[dict]) -> dict:
    path = tmp_path / "input.json"
    path.write_text(json.dumps({"documents": documents, "credentials": items}))
    done = subprocess.run([node, str(THIRDPARTY / "verify.mjs"), str(path)], cwd=THIRDPARTY, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_third_party_verifiers_accept_valid_credentials_and_catch_expired_revoked_and_tampered_ones(
        node, cohort, tmp_path):
    release(cohort)
    valid = Credential.objects.get(recipient=cohort.top, kind=CredentialKind.COURSE_ACHIEVEMENT)
    revoked = Credential.objects.get(recipient=cohort.pass_, kind=CredentialKind.COURSE_COMPLETION)
    services.revoke(actor=cohort.admin, credential=revoked, reason="Issued in error")
    award = next(a for a in awards.run_awards(run=cohort.uni_run) if a.recipient == cohort.merit)
    now = timezone.now()
    (expired,) = services.issue([replace(award, recipient=cohort.outsider, valid_from=now - timedelta(days=800),
                                         valid_until=now - timedelta(days=70))])
    tampered = json.loads(valid.document)
    tampered["credentialSubject"]["achievement"]["name"] = "Quantum Computing Mastery"

    documents = _documents([valid, revoked, expired])
    issuer = documents[json.loads(valid.document)["issuer"]["id"]]
    assert "jwks" not in issuer and issuer["assertionMethod"]  # a controller document, nothing undefined
    issuer_url = json.loads(valid.document)["issuer"]["id"]
    report = _verify(node, tmp_path, documents, [
        {"name": "valid", "json": json.loads(valid.document), "jwt": valid.jwt},
        # what the issuer profile was before: a member no context defines, the key not authorized
        {"name": "with jwks", "json": json.loads(valid.document),
         "documents": {issuer_url: {**issuer, "jwks": {"keys": []}}}},
        {"name": "not authorized", "json": json.loads(valid.document),
         "documents": {issuer_url: {**issuer, "assertionMethod": []}}},
        {"name": "expired", "json": json.loads(expired.document), "jwt": expired.jwt},
        {"name": "revoked", "json": json.loads(revoked.document), "jwt": revoked.jwt},
        {"name": "tampered", "json": tampered},
    ])

    ok = report["valid"]
    assert ok["dataIntegrity"] == {"verified": True, "errors": [], "statusChecked": True, "revoked": False}, ok
    assert ok["jwt"]["verified"] and ok["jwt"]["jti"] == json.loads(valid.document)["id"], ok

    late = report["expired"]
    assert not late["dataIntegrity"]["verified"], late
    assert any('after "validUntil"' in e for e in late["dataIntegrity"]["errors"]), late
    assert late["whileValid"]["verified"] and not late["whileValid"]["revoked"], late  # signature and status fine
    assert not late["jwt"]["verified"] and late["jwt"]["errors"][0].startswith("ERR_JWT_EXPIRED"), late

    gone = report["revoked"]
    assert gone["dataIntegrity"]["verified"] and gone["dataIntegrity"]["statusChecked"], gone  # signature ok
    assert gone["dataIntegrity"]["revoked"] is True, gone  # the published status list says revoked
    assert gone["jwt"]["verified"], gone  # a VC-JWT's signature stays valid; its status entry says revoked

    forged = report["tampered"]
    assert not forged["dataIntegrity"]["verified"], forged
    assert "Invalid signature." in forged["dataIntegrity"]["errors"], forged

    # the checks the issue found failing are real: the profile as it was fails them
    assert any(e.startswith("Safe mode validation error.") and '"jwks"' in e
               for e in report["with jwks"]["dataIntegrity"]["errors"]), report["with jwks"]
    assert any("not authorized by controller for proof purpose \"assertionMethod\"" in e
               for e in report["not authorized"]["dataIntegrity"]["errors"]), report["not authorized"]

    status_url = json.loads(valid.document)["credentialStatus"]["statusListCredential"]
    assert report[status_url]["dataIntegrity"] == {"verified": True, "errors": []}, report[status_url]
