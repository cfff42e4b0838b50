"""Just enough JOSE for Open Badges 3.0 VC-JWTs: RS256 compact JWS over ``cryptography``, JWKs
for RSA and Ed25519 keys. The credential's members are the JWT payload (no ``vc`` wrapper), with
``iss``, ``jti``, ``nbf``, ``exp`` and ``sub`` mapped from it as the standard says."""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

from .. import boundedjson

REGISTERED = ("iss", "jti", "nbf", "exp", "sub", "iat")


class JoseError(Exception):
    """A malformed or unacceptable token; the message says what is wrong."""


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or not _B64URL.fullmatch(text):
        raise JoseError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JoseError("not base64url") from exc


_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def _int(value: int) -> str:
    return b64url_encode(value.to_bytes((value.bit_length() + 7) // 8 or 1, "big"))


def rsa_public_jwk(public_key: rsa.RSAPublicKey, *, kid: str) -> dict[str, str]:
    numbers = public_key.public_numbers()
    return {"kty": "RSA", "kid": kid, "n": _int(numbers.n), "e": _int(numbers.e)}


def ed25519_public_jwk(public_key: ed25519.Ed25519PublicKey, *, kid: str) -> dict[str, str]:
    from cryptography.hazmat.primitives import serialization

    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "kid": kid, "x": b64url_encode(raw)}


def public_key_from_jwk(jwk: dict[str, Any]) -> rsa.RSAPublicKey | ed25519.Ed25519PublicKey:
    if not isinstance(jwk, dict):
        raise JoseError("a JWK is a JSON object")
    try:
        if jwk.get("kty") == "RSA":
            n = int.from_bytes(b64url_decode(jwk["n"]), "big")
            e = int.from_bytes(b64url_decode(jwk["e"]), "big")
            return rsa.RSAPublicNumbers(e, n).public_key()
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    except (KeyError, ValueError) as exc:
        named = f"the JWK {jwk['kid']}" if jwk.get("kid") else "the JWK"
        raise JoseError(f"{named} is malformed ({exc})") from exc
    raise JoseError(f"unsupported key type {jwk.get('kty')!r}{' / ' + str(jwk.get('crv')) if jwk.get('crv') else ''}; "
                    "expected RSA or OKP Ed25519")


def _numeric_date(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def issuer_id(credential: dict[str, Any]) -> str | None:
    """The issuer's id: `issuer` is either that URL or a Profile object carrying it."""
    issuer = credential.get("issuer")
    found = issuer.get("id") if isinstance(issuer, dict) else issuer
    return found if isinstance(found, str) else None


def claims_for(credential: dict[str, Any]) -> dict[str, object]:
    claims: dict[str, object] = {}
    claims["iss"] = issuer_id(credential)
    claims["jti"] = credential.get("id")
    if credential.get("validFrom"):
        claims["nbf"] = _numeric_date(credential["validFrom"])
    if credential.get("validUntil"):
        claims["exp"] = _numeric_date(credential["validUntil"])
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and subject.get("id"):
        claims["sub"] = subject["id"]
    return claims


def encode_vc_jwt(credential: dict[str, Any], *, private_key: rsa.RSAPrivateKey, kid: str) -> str:
    header = {"alg": "RS256", "typ": "JWT", "kid": kid}
    payload = {**credential, **claims_for(credential)}
    signing_input = (b64url_encode(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64url_encode(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()))
    signature = private_key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url_encode(signature)


def decode_jwt(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """(header, payload, signing input, signature) of a compact JWS; nothing verified yet."""
    if not isinstance(token, str):
        raise JoseError("a JWT is text")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise JoseError(f"a compact JWT has three parts separated by dots; this has {len(parts)}")
    try:
        header = boundedjson.loads(b64url_decode(parts[0]))
        payload = boundedjson.loads(b64url_decode(parts[1]))
    except boundedjson.JSONLimitError as exc:  # not JSON, not UTF-8, or JSON beyond a limit; its message says which
        raise JoseError(f"the JWT's header or payload is not acceptable JSON: {str(exc).removesuffix('.')}") from exc
    except (JoseError, ValueError) as exc:
        raise JoseError("the JWT's header or payload is not base64url-encoded JSON") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise JoseError("the JWT's header and payload must be JSON objects")
    alg = header.get("alg")
    if alg != "RS256":
        raise JoseError(f"the JWT is signed with {alg!r}; Open Badges 3.0 credentials from Forward use RS256")
    return header, payload, (parts[0] + "." + parts[1]).encode("ascii"), b64url_decode(parts[2])


def verify_rs256(signing_input: bytes, signature: bytes, public_key: object) -> bool:
    if not isinstance(public_key, rsa.RSAPublicKey):
        return False
    try:
        public_key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def credential_from_jwt_payload(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k not in REGISTERED}


def check_jwt_claims(payload: dict[str, Any]) -> str | None:
    """A reason when the registered claims disagree with the credential they carry."""
    try:
        expected = claims_for(credential_from_jwt_payload(payload))
    except (ValueError, TypeError, AttributeError):
        return "the credential's dates are not valid date-times"
    names = {"iss": "issuer.id", "jti": "id", "nbf": "validFrom", "exp": "validUntil", "sub": "credentialSubject.id"}
    for claim, member in names.items():
        if payload.get(claim) != expected.get(claim):
            return f"the JWT's {claim} claim does not match {member}"
    return None
