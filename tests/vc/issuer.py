"""The issuer the vc tests sign as: its ids, its keys (made once per test run) and the moment they
verify at."""

from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from forward.vc import ld, statuslist, verify

ISSUER = "https://forward.example/credentials/issuers/ntu"
ISSUER_NAME = "Nanyang Technological University"
ED_KID = ISSUER + "/keys/abc-ed25519"
RSA_KID = ISSUER + "/keys/abc-rs256"
STATUS_URL = "https://forward.example/credentials/status/ntu/1"
ED_KEY = ed25519.Ed25519PrivateKey.generate()
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KEYS = {ED_KID: verify.PublicKey(ED_KID, ISSUER, ED_KEY.public_key()),
        RSA_KID: verify.PublicKey(RSA_KID, ISSUER, RSA_KEY.public_key())}
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def credential(*, achievement: dict | None = None, **changes) -> dict:
    """An unsigned Open Badges 3.0 credential from this issuer, with a status entry (index 7):
    ``achievement`` adds members to its achievement; each change replaces a member, or removes it
    when its value is None."""
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
                            "name": "Cloud Computing Fundamentals", "criteria": {"narrative": "Reach 50%."},
                            **(achievement or {})}},
        "credentialStatus": statuslist.status_entry(list_url=STATUS_URL, index=7),
    }
    document.update(changes)
    return {k: v for k, v in document.items() if v is not None}
