"""``forward verify FILE``: check a credential offline against the issuer's published keys.

    forward verify credential.jwt --keys jwks.json [--status status-list.json]
    forward verify credential.json --keys profile.json   # the issuer profile: keys and their authorization
    forward verify credential.json --fetch        # download profile, key and status list from the issuer

Given the issuer's profile (its controller document, by --keys or --fetch), a Data Integrity proof's
key must be listed there under assertionMethod, as JSON-LD verifiers require; keys given only as a
JWKS or a JWK are trusted as they are.

Exit status: 0 verified, 1 not verified, 2 the command could not run (missing file, bad option).
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from datetime import UTC, datetime

from .. import boundedjson
from . import jose, verify
from .statuslist import BitString

FETCH_LIMIT = 2_000_000


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="forward verify", description="Verify an Open Badges 3.0 credential (VC-JWT or JSON with a Data "
        "Integrity proof): signature, issuer, dates and revocation status. Works offline given the issuer's "
        "published keys.")
    parser.add_argument("file", help="the credential: a .jwt or .json file, or - for standard input")
    parser.add_argument("--keys", action="append", default=[], metavar="FILE",
                        help="the issuer's keys: its profile (the controller document at the issuer's id), "
                        "its JWKS (…/jwks.json), a JWK or a Multikey document; repeat for several")
    parser.add_argument("--status", action="append", default=[], metavar="FILE",
                        help="a BitstringStatusListCredential the issuer published (its URL is in the "
                        "credential's credentialStatus); repeat for several")
    parser.add_argument("--fetch", action="store_true",
                        help="download the keys and status list from the URLs the credential names")
    parser.add_argument("--at", metavar="DATETIME", help="check dates as of this ISO 8601 time (default: now)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8-sig") as handle:
        return handle.read()


def _load_json(path: str) -> dict:
    try:
        data = boundedjson.loads(_read(path))
    except ValueError as exc:
        raise SystemExit(_usage(f"{path} is not JSON ({exc})")) from None
    if not isinstance(data, dict):
        raise SystemExit(_usage(f"{path} is not a JSON object"))
    return data


def _usage(message: str) -> int:
    print(f"forward verify: error: {message}", file=sys.stderr)
    return 2


def _fetch_json(url: str) -> dict:
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"{url} is not an http(s) URL")
    request = urllib.request.Request(url, headers={"Accept": "application/json, application/ld+json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http(s) only, checked above
        body = response.read(FETCH_LIMIT + 1)
    if len(body) > FETCH_LIMIT:
        raise ValueError(f"{url} is larger than a key set or status list can be")
    return boundedjson.loads(body)


def _named_urls(text: str) -> tuple[str | None, str | None, list[str]]:
    """(issuer id, key id, status list URLs) a credential names, read without verifying anything."""
    try:
        if text.lstrip().startswith("{"):
            credential = boundedjson.loads(text)
            proof = credential.get("proof") or {}
            proof = proof[0] if isinstance(proof, list) and proof else proof  # Forward issues an array of one
            kid = proof.get("verificationMethod") if isinstance(proof, dict) else None
        else:
            header, payload, _, _ = jose.decode_jwt(text)
            credential, kid = payload, header.get("kid")
        issuer = jose.issuer_id(credential)
    except (ValueError, jose.JoseError, AttributeError):
        return None, None, []
    entries = credential.get("credentialStatus") or []
    entries = entries if isinstance(entries, list) else [entries]
    return (issuer, kid if isinstance(kid, str) else None,
            [e["statusListCredential"] for e in entries if isinstance(e, dict) and e.get("statusListCredential")])


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        text = _read(args.file)
    except OSError as exc:
        return _usage(f"cannot read {args.file}: {exc.strerror}")
    keys: dict[str, verify.PublicKey] = {}
    controllers: dict[str, dict] = {}  # controller documents (issuer profiles) by id

    def add_keys(document: dict) -> None:
        keys.update(verify.keys_from_document(document))
        if isinstance(document.get("id"), str) and "assertionMethod" in document:
            controllers[document["id"]] = document

    for path in args.keys:
        try:
            add_keys(_load_json(path))
        except OSError as exc:
            return _usage(f"cannot read {path}: {exc.strerror}")
        except ValueError as exc:
            return _usage(f"{path}: {exc}")
    status_documents = []
    for path in args.status:
        try:
            status_documents.append((path, _load_json(path)))
        except OSError as exc:
            return _usage(f"cannot read {path}: {exc.strerror}")
    if args.fetch:
        issuer, kid, status_urls = _named_urls(text)
        try:
            if issuer:  # the issuer's profile: its Ed25519 keys, old and new, and which it authorizes
                add_keys(_fetch_json(issuer))
            if kid and kid not in keys:
                keys.update(verify.keys_from_document(_fetch_json(kid.split("#")[0])))
            for url in status_urls:
                status_documents.append((url, _fetch_json(url)))
        except (OSError, ValueError) as exc:
            return _usage(f"could not download what the credential names: {exc}")
    if not keys:
        _issuer, kid, _urls = _named_urls(text)
        hint = f" (the credential is signed with {kid})" if kid else ""
        return _usage(f"give the issuer's keys with --keys FILE, or use --fetch{hint}")
    lists: dict[str, BitString] = {}
    for name, document in status_documents:
        try:
            url, bits = verify.status_from_document(document, keys, controllers)
        except ValueError as exc:
            return _usage(f"{name}: {exc}")
        lists[url] = bits
    now = None
    if args.at:
        try:
            now = datetime.fromisoformat(args.at.replace("Z", "+00:00"))
        except ValueError:
            return _usage(f"--at {args.at} is not an ISO 8601 date-time")
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
    report = verify.verify_credential(text, resolve_key=keys.get, resolve_status=lists.get,
                                      resolve_controller=controllers.get if controllers else None, now=now)
    if args.json:
        print(json.dumps(report.summary(), indent=2, ensure_ascii=False))
    else:
        credential = report.credential or {}
        title = credential.get("name") or ""
        verdict = "VERIFIED" if report.ok else ("REVOKED" if report.revoked else "NOT VERIFIED")
        print(f"{verdict}{': ' + title if title else ''}")
        for check in report.checks:
            mark = "ok  " if check.ok else ("skip" if check.ok is None else "FAIL")
            print(f"  [{mark}] {check.name}: {check.message}")
    return 0 if report.ok else 1
