"""The /api/v1 endpoints of credentials: verification, open to anyone."""

from __future__ import annotations

import json

from ninja import Router, Schema
from ninja.errors import HttpError

from forward.vc import jose

from . import selectors

router = Router(tags=["credentials"])

MAX_BODY = 1_000_000


class CheckOut(Schema):
    name: str
    ok: bool | None
    message: str


class VerificationOut(Schema):
    verified: bool
    revoked: bool
    expired: bool
    reason: str
    proof_format: str | None
    checks: list[CheckOut]
    credential_id: str | None = None
    issuer: str | None = None
    name: str | None = None


def _credential_from_body(request) -> str | dict:
    """The body is the credential itself (a compact JWT, or its JSON), or {"credential": …}."""
    if len(request.body) > MAX_BODY:
        raise HttpError(413, "The body is larger than any credential; send the credential's JWT or JSON.")
    try:
        text = request.body.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise HttpError(400, "The body is not UTF-8 text; send the credential's JWT or JSON.") from None
    if not text:
        raise HttpError(400, 'Send the credential as the body: a JWT, its JSON, or {"credential": …}.')
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise HttpError(400, f"The body is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}).") from None
        if isinstance(data, dict) and "credential" in data and "@context" not in data:
            return data["credential"]
        return data
    return text


@router.post("/credentials/verify", auth=None, response=VerificationOut,
             summary="Verify an Open Badges 3.0 credential (VC-JWT or JSON with a Data Integrity proof)")
def verify(request):
    credential = _credential_from_body(request)
    if not isinstance(credential, str | dict):
        raise HttpError(400, '"credential" must be a JWT string or the credential\'s JSON object.')
    report = selectors.verify_data(credential)
    document = report.credential or {}
    return {
        **report.summary(),
        "credential_id": document.get("id") if isinstance(document.get("id"), str) else None,
        "issuer": jose.issuer_id(document),
        "name": document.get("name") if isinstance(document.get("name"), str) else None,
    }
