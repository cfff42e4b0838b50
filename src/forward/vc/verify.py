"""Verify an Open Badges 3.0 credential — a VC-JWT or a JSON document with an embedded proof — and
say what was checked: format, signature, issuer, dates and status, with the reason when it fails.

The caller supplies how keys, controller documents and status lists are found (this site's database,
files given to ``forward verify``, …), so the same code runs on the web and offline. A Data Integrity
proof is checked as a third-party verifier checks it: the proof's verificationMethod is dereferenced
to a key document naming its ``controller``, and the controller's document must list the key under
``assertionMethod``. Messages are English
templates marked for translation; pass ``translate`` (e.g. Django's gettext) to localize them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from .. import boundedjson
from . import di, jose, ld, statuslist
from .multibase import ed25519_from_multikey


def _(text: str) -> str:  # marks a message for extraction; the caller's translate() localizes it
    return text


@dataclass(frozen=True)
class PublicKey:
    id: str
    controller: str  # the issuer the key belongs to
    key: rsa.RSAPublicKey | ed25519.Ed25519PublicKey


@dataclass
class Check:
    name: str  # format | signature | issuer | dates | status
    ok: bool | None  # None: could not be checked
    message: str


@dataclass
class Report:
    ok: bool = False
    revoked: bool = False
    expired: bool = False
    reason: str = ""
    proof_format: str = ""
    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None

    def summary(self) -> dict[str, Any]:
        """The report as JSON: what the API answers and `forward verify --json` prints."""
        return {"verified": self.ok, "revoked": self.revoked, "expired": self.expired, "reason": self.reason,
                "proof_format": self.proof_format,
                "checks": [{"name": c.name, "ok": c.ok, "message": c.message} for c in self.checks]}


KeyResolver = Callable[[str], "PublicKey | None"]
StatusResolver = Callable[[str], "statuslist.BitString | None"]
ControllerResolver = Callable[[str], "dict[str, Any] | None"]  # a controller document (an issuer profile) by URL
DateFormatter = Callable[[datetime], str]
Translate = Callable[[str], str]


class _Fail(Exception):
    def __init__(self, name: str, template: str, params: dict[str, object] | None = None, *, revoked: bool = False,
                 expired: bool = False):
        super().__init__(template % params if params else template)
        self.name = name
        self.template = template
        self.params = params
        self.revoked = revoked
        self.expired = expired

    def message(self, translate: Translate) -> str:
        return translate(self.template) % self.params if self.params else translate(self.template)


def _parse(data: object) -> str | dict[str, Any]:
    """A JWT's text, or a JSON credential as a dict."""
    if isinstance(data, bytes | bytearray):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise _Fail("format", _("This is not text: give the credential's .json or .jwt file.")) from None
    if isinstance(data, dict):
        return data
    if not isinstance(data, str) or not data.strip():
        raise _Fail("format", _("Nothing to check: give a credential as a JWT or as JSON."))
    text = data.strip().lstrip("\ufeff")
    if text.startswith(("{", "[")):  # an array is JSON too, and is told it is not a credential
        try:
            document = boundedjson.loads(text)
        except boundedjson.JSONLimitError as exc:  # not JSON, or JSON beyond a limit (depth, numbers)
            raise _Fail("format", exc.template, exc.params) from None
        if not isinstance(document, dict):
            raise _Fail("format", _("A credential is a JSON object."))
        return document
    if text.count(".") == 2:
        return text
    raise _Fail("format", _("This is neither a JWT (three base64url parts separated by dots) nor a JSON credential."))


def _structure(credential: dict[str, Any]) -> str:
    """The issuer's id, once the credential has the members every check relies on."""
    context = credential.get("@context")
    if not isinstance(context, list) or not context or context[0] != ld.VC_V2:
        raise _Fail("format", _("The credential's @context must start with %(url)s."), {"url": ld.VC_V2})
    types = credential.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise _Fail("format", _("The credential's type must include VerifiableCredential."))
    issuer_id = jose.issuer_id(credential)
    if not issuer_id:
        raise _Fail("format", _("The credential names no issuer."))
    if not isinstance(credential.get("credentialSubject"), dict):
        raise _Fail("format", _("The credential has no credentialSubject."))
    return issuer_id


def _datetime(value: object, member: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))  # reads a trailing Z as UTC (Python 3.11)
    except ValueError:
        raise _Fail("dates", _("%(member)s is not a date-time: %(value)s"), {"member": member, "value": value}) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _check_jwt(token: str, resolve_key: KeyResolver, translate: Translate,
               checks: list[Check]) -> tuple[dict[str, Any], str]:
    try:
        header, payload, signing_input, signature = jose.decode_jwt(token)
    except jose.JoseError as exc:
        raise _Fail("format", _("This JWT cannot be read: %(error)s."), {"error": exc}) from None
    credential = jose.credential_from_jwt_payload(payload)
    issuer_id = _structure(credential)
    checks.append(Check("format", True, translate(_("An Open Badges 3.0 credential as a VC-JWT (RS256)."))))
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise _Fail("signature", _("The JWT header has no kid, so the signing key cannot be found."))
    public = resolve_key(kid)
    if public is None:
        raise _Fail("signature", _("The signing key %(kid)s is not one the issuer publishes (unknown key)."), {"kid": kid})
    if not isinstance(public.key, rsa.RSAPublicKey):
        raise _Fail("signature", _("The key %(kid)s is not an RSA key, so it cannot have made an RS256 signature."), {
            "kid": kid})
    if not jose.verify_rs256(signing_input, signature, public.key):
        raise _Fail("signature", _("The signature does not match: the credential was changed after it was signed "
                                   "(tampered), or it was not signed with this key."))
    mismatch = jose.check_jwt_claims(payload)
    if mismatch:
        raise _Fail("signature", _("The JWT is inconsistent: %(error)s."), {"error": mismatch})
    checks.append(Check("signature", True, translate(_("RS256 signature valid, made with %(kid)s.")) % {"kid": kid}))
    return credential, _check_issuer(public, issuer_id, translate)


def _check_json(document: dict[str, Any], resolve_key: KeyResolver, resolve_controller: ControllerResolver | None,
                translate: Translate, checks: list[Check]) -> tuple[dict[str, Any], str]:
    issuer_id = _structure(document)
    try:
        proof = di.proof_of(document)
    except di.ProofError as exc:
        raise _Fail("signature", _("The proof cannot be checked: %(error)s."), {"error": exc}) from None
    checks.append(Check("format", True, translate(_("An Open Badges 3.0 credential with a Data Integrity proof "
                                                    "(eddsa-rdfc-2022)."))))
    kid = proof["verificationMethod"]
    public = resolve_key(kid)
    if public is None:
        raise _Fail("signature", _("The signing key %(kid)s is not one the issuer publishes (unknown key)."), {"kid": kid})
    try:
        valid = di.verify(document, public_key=public.key)
    except di.ProofError as exc:
        raise _Fail("signature", _("The proof cannot be checked: %(error)s."), {"error": exc}) from None
    if not valid:
        raise _Fail("signature", _("The signature does not match: the credential was changed after it was signed "
                                   "(tampered), or it was not signed with this key."))
    checks.append(Check("signature", True, translate(_("Ed25519 proof valid, made with %(kid)s.")) % {"kid": kid}))
    if resolve_controller is not None:
        _check_controller(public, resolve_controller)
    return {k: v for k, v in document.items() if k != "proof"}, _check_issuer(public, issuer_id, translate)


def authorizes(controller_document: object, controller: str, kid: str, purpose: str = "assertionMethod") -> bool:
    """Whether a controller document is that controller's and lists the key for the purpose (by
    reference or embedded), as JSON-LD verifiers require."""
    if not isinstance(controller_document, dict) or controller_document.get("id") != controller:
        return False
    listed = controller_document.get(purpose)
    listed = listed if isinstance(listed, list) else [listed]
    return any(m == kid or (isinstance(m, dict) and m.get("id") == kid) for m in listed)


def _check_controller(public: PublicKey, resolve_controller: ControllerResolver) -> None:
    document = resolve_controller(public.controller)
    if document is None:
        raise _Fail("issuer", _("The key's controller %(controller)s is not a known issuer: its controller document "
                                "is not available (unknown issuer)."), {"controller": public.controller})
    if not authorizes(document, public.controller, public.id):
        raise _Fail("issuer", _("The key %(kid)s is not listed under assertionMethod in its controller's document "
                                "%(controller)s: the issuer has not authorized it to sign credentials."), {
            "kid": public.id, "controller": public.controller})


def _check_issuer(public: PublicKey, issuer_id: str, translate: Translate) -> str:
    if public.controller != issuer_id:
        raise _Fail("issuer", _("The key belongs to %(owner)s, but the credential claims to be issued by %(issuer)s."), {
            "owner": public.controller, "issuer": issuer_id})
    return issuer_id


def _check_dates(credential: dict[str, Any], now: datetime, translate: Translate, format_date: DateFormatter | None) -> Check:
    valid_from = _datetime(credential.get("validFrom"), "validFrom")
    valid_until = _datetime(credential.get("validUntil"), "validUntil")
    if valid_from is None:
        raise _Fail("dates", _("The credential has no validFrom date."))
    start = format_date(valid_from) if format_date else credential["validFrom"]
    end = (format_date(valid_until) if format_date else credential["validUntil"]) if valid_until else ""
    if now < valid_from:
        raise _Fail("dates", _("Not valid yet: valid from %(date)s."), {"date": start})
    if valid_until is not None and now >= valid_until:
        raise _Fail("dates", _("This credential expired on %(date)s."), {"date": end}, expired=True)
    if valid_until is not None:
        return Check("dates", True, translate(_("Valid from %(start)s until %(end)s.")) % {"start": start, "end": end})
    return Check("dates", True, translate(_("Valid from %(start)s; no end date.")) % {"start": start})


def _check_status(credential: dict[str, Any], resolve_status: StatusResolver, translate: Translate) -> Check:
    entries = credential.get("credentialStatus")
    if entries is None:
        return Check("status", True, translate(_("The issuer publishes no status for this credential.")))
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            raise _Fail("status", _("The credential's status entry is not a BitstringStatusListEntry."))
        if entry.get("statusPurpose") not in ("revocation", "suspension"):
            continue
        url = entry.get("statusListCredential")
        try:
            index = int(entry.get("statusListIndex", ""))  # missing: a ValueError, as for ""
        except (TypeError, ValueError):
            raise _Fail("status", _("The statusListIndex is not a number.")) from None
        if not isinstance(url, str):
            raise _Fail("status", _("The status entry names no status list."))
        try:
            bits = resolve_status(url)
        except ValueError as exc:
            raise _Fail("status", _("The status list %(url)s is not valid: %(error)s."), {"url": url, "error": exc}) from None
        if bits is None:
            return Check("status", None, translate(_("Not checked: the status list %(url)s is not available here.")) % {
                "url": url})
        try:
            set_ = bits.get(index)
        except IndexError:
            raise _Fail("status", _("The status index %(index)s is outside the status list."), {"index": index}) from None
        if set_:
            if entry.get("statusPurpose") == "revocation":
                raise _Fail("status", _("The issuer has revoked this credential."), revoked=True)
            raise _Fail("status", _("The issuer has suspended this credential."), revoked=True)
    return Check("status", True, translate(_("Not revoked (checked against the issuer's status list).")))


def verify_credential(data: object, *, resolve_key: KeyResolver, resolve_status: StatusResolver,
                      resolve_controller: ControllerResolver | None = None,
                      now: datetime | None = None, translate: Callable[[str], str] = _,
                      format_date: DateFormatter | None = None) -> Report:
    """Check a credential (JWT text, JSON text, bytes or a dict). Never raises for bad input: the
    report says what failed and why. Dates in the messages are as the credential writes them
    (ISO 8601), unless ``format_date`` writes them for a reader (the site: the locale's format).

    ``resolve_controller`` dereferences a key's controller (the issuer profile); a Data Integrity
    proof then verifies only if that document lists the key under ``assertionMethod``. Without it
    (``forward verify`` given only a JWKS) the keys the caller supplies are trusted as they are."""
    now = now or datetime.now(UTC)
    report = Report()
    try:
        parsed = _parse(data)
        if isinstance(parsed, str):
            credential, issuer_id = _check_jwt(parsed, resolve_key, translate, report.checks)
            report.proof_format = "VC-JWT (RS256)"
        else:
            report.credential = parsed
            credential, issuer_id = _check_json(parsed, resolve_key, resolve_controller, translate, report.checks)
            report.proof_format = "Data Integrity (eddsa-rdfc-2022)"
        report.credential = credential
        issuer = credential.get("issuer")
        name = issuer.get("name") if isinstance(issuer, dict) and isinstance(issuer.get("name"), str) else ""
        if name:
            message = translate(_("Issued by %(name)s (%(issuer)s), who holds the signing key.")) % {
                "name": name, "issuer": issuer_id}
        else:
            message = translate(_("Issued by %(issuer)s, who holds the signing key.")) % {"issuer": issuer_id}
        report.checks.append(Check("issuer", True, message))
        report.checks.append(_check_dates(credential, now, translate, format_date))
        report.checks.append(_check_status(credential, resolve_status, translate))
    except _Fail as failure:
        message = failure.message(translate)
        report.checks.append(Check(failure.name, False, message))
        report.reason = message
        report.revoked = failure.revoked
        report.expired = failure.expired
        return report
    report.ok = True
    return report



# --- keys and status lists from published documents (for offline verification) --------------------

def _controller_of(kid: str) -> str:
    if "/keys/" in kid:  # Forward's <issuer>/keys/<token>-<alg>: the issuer's own URL may hold /keys/ (a slug "keys")
        return kid.rsplit("/keys/", 1)[0]
    return kid.split("#", 1)[0]


def keys_from_document(document: object) -> dict[str, PublicKey]:
    """Public keys, by id, from what an issuer publishes: its profile (a controller document whose
    ``verificationMethod`` lists Multikeys; older profiles carried a ``jwks``), a JWKS, a single JWK
    or a Multikey document."""
    if not isinstance(document, dict):
        raise ValueError("expected a JSON object")
    found: dict[str, PublicKey] = {}
    if isinstance(document.get("verificationMethod"), list):
        for method in document["verificationMethod"]:
            if isinstance(method, dict) and method.get("type") == "Multikey":
                found.update(keys_from_document(method))
        if found or "jwks" not in document:
            return found
    if isinstance(document.get("jwks"), dict):
        owner = document.get("id")
        for key_id, key in keys_from_document(document["jwks"]).items():
            found[key_id] = PublicKey(key_id, owner if isinstance(owner, str) else key.controller, key.key)
        return found
    if isinstance(document.get("keys"), list):
        for jwk in document["keys"]:
            found.update(keys_from_document(jwk))
        return found
    if document.get("type") == "Multikey":
        kid, controller = document.get("id"), document.get("controller")
        if not isinstance(kid, str) or not isinstance(controller, str):
            raise ValueError("a Multikey document needs an id and a controller")
        raw = ed25519_from_multikey(document.get("publicKeyMultibase", ""))
        found[kid] = PublicKey(kid, controller, ed25519.Ed25519PublicKey.from_public_bytes(raw))
        return found
    if "kty" in document:
        kid = document.get("kid")
        if not isinstance(kid, str):
            raise ValueError("a JWK without a kid cannot be matched to a credential")
        try:
            public = jose.public_key_from_jwk(document)
        except jose.JoseError as exc:  # callers (forward verify) report a ValueError as what is wrong with the file
            raise ValueError(str(exc)) from exc
        found[kid] = PublicKey(kid, _controller_of(kid), public)
        return found
    raise ValueError("not a JWKS, an issuer profile, a JWK or a Multikey document")


def status_from_document(document: dict[str, Any], keys: dict[str, PublicKey],
                         controllers: dict[str, dict[str, Any]] | None = None) -> tuple[str, statuslist.BitString]:
    """(url, bits) of a BitstringStatusListCredential whose proof verifies with one of `keys` (and,
    when the key's controller document is among ``controllers``, that it authorizes the key)."""
    if "BitstringStatusListCredential" not in (document.get("type") or []):
        raise ValueError("not a BitstringStatusListCredential")
    proof = di.proof_of(document)
    public = keys.get(proof["verificationMethod"])
    if public is None:
        raise ValueError(f"the status list is signed with {proof['verificationMethod']}, which is not among the keys given")
    if jose.issuer_id(document) != public.controller:
        raise ValueError("the status list is not issued by the owner of the key that signed it")
    if not di.verify(document, public_key=public.key):
        raise ValueError("the status list's signature does not match: it was changed after it was signed")
    if controllers is not None and public.controller in controllers and not authorizes(
            controllers[public.controller], public.controller, public.id):
        raise ValueError(f"the key {public.id} is not listed under assertionMethod in its controller's document")
    url = document.get("id")
    if not isinstance(url, str):
        raise ValueError("the status list has no id, so no credential can refer to it")
    subject = document.get("credentialSubject") or {}
    return url, statuslist.BitString.decode(subject.get("encodedList"))
