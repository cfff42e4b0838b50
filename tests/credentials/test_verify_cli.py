"""`forward verify FILE` checks a downloaded credential offline, given what the issuer publishes
(JWKS or profile, status list), and says why when it fails; --fetch downloads those itself."""

import json
import os
import subprocess
import sys

import jwt as pyjwt

from forward.credentials import keys, services
from forward.vc import cli
from tests.conftest import client_for

from .test_pages import _tamper_jwt, issued  # noqa: F401 - the released cohort with a credential


def _published(issued, tmp_path):  # noqa: F811
    anyone = client_for(None)
    slug = issued.university.slug
    (tmp_path / "jwks.json").write_bytes(anyone.get(f"/credentials/issuers/{slug}/jwks.json").content)
    profile_url = keys.issuer_id(issued.university).replace("http://testserver", "")
    (tmp_path / "profile.json").write_bytes(anyone.get(profile_url).content)
    status_url = json.loads(issued.credential.document)["credentialStatus"]["statusListCredential"]
    (tmp_path / "status.json").write_bytes(anyone.get(status_url.replace("http://testserver", "")).content)
    (tmp_path / "credential.jwt").write_text(issued.credential.jwt)
    (tmp_path / "credential.json").write_text(issued.credential.document)
    return tmp_path


def test_a_downloaded_credential_verifies_offline_with_the_published_keys(issued, tmp_path, capsys):  # noqa: F811
    d = _published(issued, tmp_path)
    for name in ("credential.jwt", "credential.json"):
        assert cli.main([str(d / name), "--keys", str(d / "jwks.json"), "--status", str(d / "status.json")]) == 0
        out = capsys.readouterr().out
        assert out.startswith("VERIFIED: Cloud Computing Fundamentals") and "[ok  ] status" in out
    assert cli.main([str(d / "credential.json"), "--keys", str(d / "profile.json"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verified"] and report["checks"][-1] == {
        "name": "status", "ok": None, "message": report["checks"][-1]["message"]}  # no list given: not checked


def test_revoked_tampered_and_unusable_input_exit_nonzero_with_the_reason(issued, tmp_path, capsys):  # noqa: F811
    services.revoke(actor=issued.admin, credential=issued.credential, reason="Issued in error")
    d = _published(issued, tmp_path)
    assert cli.main([str(d / "credential.jwt"), "--keys", str(d / "jwks.json"), "--status", str(d / "status.json")]) == 1
    assert "REVOKED" in capsys.readouterr().out
    (d / "forged.jwt").write_text(_tamper_jwt(issued.credential.jwt))
    assert cli.main([str(d / "forged.jwt"), "--keys", str(d / "jwks.json")]) == 1
    assert "changed after it was signed" in capsys.readouterr().out
    assert cli.main([str(d / "credential.jwt")]) == 2
    err = capsys.readouterr().err
    assert "--keys" in err and "signed with http://testserver/credentials/issuers/" in err
    assert cli.main([str(d / "missing.jwt"), "--keys", str(d / "jwks.json")]) == 2
    (d / "edited-status.json").write_text(
        (d / "status.json").read_text().replace('"encodedList":"u', '"encodedList":"uX'))
    assert cli.main([str(d / "credential.jwt"), "--keys", str(d / "jwks.json"), "--status",
                     str(d / "edited-status.json")]) == 2
    assert "edited-status.json" in capsys.readouterr().err


def test_fetch_downloads_the_key_and_status_list_the_credential_names(issued, tmp_path, capsys, monkeypatch):  # noqa: F811
    fetched = []

    def fetch(url):
        fetched.append(url)
        return client_for(None).get(url.replace("http://testserver", "")).json()

    monkeypatch.setattr(cli, "_fetch_json", fetch)
    d = _published(issued, tmp_path)
    assert cli.main([str(d / "credential.jwt"), "--fetch"]) == 0
    assert "VERIFIED" in capsys.readouterr().out
    kid = pyjwt.get_unverified_header(issued.credential.jwt)["kid"]  # the RSA JWK is not in the profile
    assert fetched == [keys.issuer_id(issued.university), kid,
                       json.loads(issued.credential.document)["credentialStatus"]["statusListCredential"]]


def test_the_forward_command_runs_verify_without_any_site_settings(issued, tmp_path):  # noqa: F811
    d = _published(issued, tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FORWARD_", "DJANGO_"))}
    result = subprocess.run([sys.executable, "-m", "forward", "verify", str(d / "credential.json"), "--keys",
                             str(d / "jwks.json"), "--status", str(d / "status.json")],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("VERIFIED")
