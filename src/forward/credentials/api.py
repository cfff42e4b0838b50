"""The /api/v1 endpoints of credentials: verification, open to anyone."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from forward.api_common import MAX_JSON_BODY, ErrorOut, json_body
from forward.vc import jose

from . import selectors

router = Router(tags=["credentials"])


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
    """The body is the credential itself (a compact JWT, or its JSON), or {"credential": …}.

    JSON is parsed with the API's limits (size, nesting depth, number length, finite numbers), so a
    crafted body gets a 400 or a 413 saying what is wrong, never a 500."""
    if len(request.body) > MAX_JSON_BODY:
        raise HttpError(413, _("The body is larger than any credential (%(kb)d KB at most); send the "
                               "credential's JWT or JSON.") % {"kb": MAX_JSON_BODY // 1024})
    try:
        text = request.body.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise HttpError(400, _("The body is not UTF-8 text; send the credential's JWT or JSON.")) from None
    if not text:
        raise HttpError(400, _('Send the credential as the body: a JWT, its JSON, or {"credential": …}.'))
    is_json = request.content_type == "application/json" or request.content_type.endswith("+json")
    if not is_json and not text.startswith("{"):
        return text  # a compact JWT as text/plain (or anything else, which the verifier explains)
    data = json_body(request)
    if isinstance(data, dict) and "credential" in data and "@context" not in data:
        data = data["credential"]
    if not isinstance(data, str | dict):
        raise HttpError(400, _('Send the credential as a JWT string or as its JSON object, alone or as '
                               '{"credential": …}.'))
    return data


REQUEST_BODY = {
    "required": True,
    "description": "The credential: its compact JWT as text, its JSON, or `{\"credential\": <JWT or JSON>}`. "
                   f"JSON bodies: at most {MAX_JSON_BODY // 1024} KB, nested at most 64 levels, finite numbers.",
    "content": {
        "application/json": {"schema": {"anyOf": [
            {"type": "object", "title": "The credential's JSON (with its proof), or {\"credential\": …}",
             "properties": {"credential": {"anyOf": [
                 {"type": "string", "description": "a compact JWT"},
                 {"type": "object", "description": "the credential's JSON"}]}}},
            {"type": "string", "title": "The credential's JWT, as a JSON string"},
        ]}},
        "text/plain": {"schema": {"type": "string", "minLength": 1, "pattern": "\\S",
                                  "description": "The credential's compact JWT (or its JSON)."}},
    },
}


@router.post("/credentials/verify", auth=None,
             response={200: VerificationOut, 400: ErrorOut, 413: ErrorOut},
             openapi_extra={"requestBody": REQUEST_BODY, "security": []},
             summary="Verify an Open Badges 3.0 credential (VC-JWT or JSON with a Data Integrity proof)",
             description="Public: no token needed. A credential that fails a check is still a 200 answer, "
                         "with `verified: false` and the reason; a body that is not a credential at all "
                         "(empty, not UTF-8, malformed or over-limit JSON) is a 400 or 413.")
def verify(request):
    credential = _credential_from_body(request)
    report = selectors.verify_data(credential)
    document = report.credential or {}
    return {
        **report.summary(),
        "credential_id": document.get("id") if isinstance(document.get("id"), str) else None,
        "issuer": jose.issuer_id(document),
        "name": document.get("name") if isinstance(document.get("name"), str) else None,
    }
