"""A signed Open Badges credential, the keys that vouch for it and a verifier call, built in memory."""



from forward.vc import di, jose, statuslist, verify

from . import issuer
from .issuer import ED_KEY, ED_KID, KEYS, NOW, RSA_KEY, RSA_KID, STATUS_URL


def credential(**changes) -> dict:
    """An unsigned credential; a change whose value is None removes that member."""
    return issuer.credential(achievement={"achievementType": "Course", "description": "云计算基础"}, **changes)


def signed(document: dict | None = None, *, key=ED_KEY, kid=ED_KID) -> dict:
    return di.sign(credential() if document is None else document, private_key=key, verification_method=kid,
                   created="2026-06-01T00:00:00Z")


def token(document: dict | None = None) -> str:
    return jose.encode_vc_jwt(credential() if document is None else document, private_key=RSA_KEY, kid=RSA_KID)


def check(data, *, keys=None, **options) -> verify.Report:
    """Verify with this issuer's keys and an empty status list (nothing revoked)."""
    statuses = {STATUS_URL: statuslist.BitString()}
    return verify.verify_credential(data, resolve_key=(KEYS if keys is None else keys).get,
                                    resolve_status=statuses.get, now=NOW, **options)


def refused(report: verify.Report, checks: list[verify.Check], *, proof_format: str = "") -> None:
    """The report fails with exactly these checks, the last one saying why; the proof's format is named
    once the proof has been checked."""
    assert report.checks == checks
    assert not report.ok and report.reason == checks[-1].message and report.proof_format == proof_format
    assert not report.revoked and not report.expired
