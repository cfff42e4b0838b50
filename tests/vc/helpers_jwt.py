"""Credentials, keys and a verifier built in memory, for the tests of verify.py's JWT and date checks."""

import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from forward.vc import di, jose, statuslist, verify

from . import issuer
from .issuer import ED_KEY, ED_KID, ISSUER, ISSUER_NAME, KEYS, NOW, RSA_KEY, RSA_KID, STATUS_URL

STATUS_CHECK = {"name": "status", "ok": True, "message": "The issuer publishes no status for this credential."}


def credential(**changes) -> dict:
    """An Open Badges 3.0 credential with no status entry; a member given as None is left out."""
    return issuer.credential(**{"credentialStatus": None, **changes})


def signed_jwt(document: dict, kid: str = RSA_KID) -> str:
    return jose.encode_vc_jwt(document, private_key=RSA_KEY, kid=kid)


def b64_json(data: dict) -> str:
    return jose.b64url_encode(json.dumps(data).encode())


def rs256(header: dict, payload: dict) -> str:
    """A compact JWS of exactly this header and payload, signed with RSA_KEY."""
    signing_input = b64_json(header) + "." + b64_json(payload)
    signature = RSA_KEY.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + jose.b64url_encode(signature)


def signed_di(document: dict) -> dict:
    return di.sign(document, private_key=ED_KEY, verification_method=ED_KID, created="2026-06-01T00:00:00Z")


def check(data, *, now=NOW, revoked=(), format_date=None) -> verify.Report:
    bits = statuslist.BitString()
    for index in revoked:
        bits.set(index, True)
    return verify.verify_credential(data, resolve_key=KEYS.get, resolve_status={STATUS_URL: bits}.get, now=now,
                                    format_date=format_date)


def passed_until(name: str, *, proof: str = "VC-JWT (RS256)") -> list[dict]:
    """The checks that pass before the one named fails, for the credential above."""
    signature = ("RS256 signature valid, made with " + RSA_KID + "." if proof.startswith("VC-JWT")
                 else "Ed25519 proof valid, made with " + ED_KID + ".")
    format_ = ("An Open Badges 3.0 credential as a VC-JWT (RS256)." if proof.startswith("VC-JWT")
               else "An Open Badges 3.0 credential with a Data Integrity proof (eddsa-rdfc-2022).")
    passed = [{"name": "format", "ok": True, "message": format_},
              {"name": "signature", "ok": True, "message": signature},
              {"name": "issuer", "ok": True, "message": f"Issued by {ISSUER_NAME} ({ISSUER}), who holds the signing key."}]
    return passed[:[c["name"] for c in passed].index(name)] if name in ("format", "signature", "issuer") else passed


def failed(name: str, message: str, *, proof: str = "VC-JWT (RS256)",
           expired: bool = False) -> dict:
    """The summary a report failing at check `name` with `message` must have."""
    return {"verified": False, "revoked": False, "expired": expired, "reason": message,
            "proof_format": proof if name not in ("format", "signature", "issuer") else "",
            "checks": [*passed_until(name, proof=proof), {"name": name, "ok": False, "message": message}]}
