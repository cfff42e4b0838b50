"""A signed Open Badges credential, the keys that vouch for it and a verifier call, built in memory."""



from forward.vc import di, jose, ld, statuslist, verify

from .issuer import ED_KEY, ED_KID, ISSUER, ISSUER_NAME, KEYS, NOW, RSA_KEY, RSA_KID, STATUS_URL


def credential(**changes) -> dict:
    """An unsigned credential; a change whose value is None removes that member."""
    document = {
        "@context": [ld.VC_V2, ld.OB_V3],
        "id": "https://forward.example/credentials/0b8f",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": ISSUER_NAME},
        "name": "Cloud Computing Fundamentals",
        "validFrom": "2026-06-01T00:00:00Z",
        "credentialSubject": {
            "id": "urn:uuid:1b4e28ba-2fa1-41d2-883f-0016d3cca427", "type": ["AchievementSubject"],
            "achievement": {"id": "https://forward.example/academy/cloud-101/#completion", "type": ["Achievement"],
                            "achievementType": "Course", "name": "Cloud Computing Fundamentals",
                            "description": "云计算基础", "criteria": {"narrative": "Reach 50%."}}},
        "credentialStatus": statuslist.status_entry(list_url=STATUS_URL, index=7),
    }
    document.update(changes)
    return {k: v for k, v in document.items() if v is not None}


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
