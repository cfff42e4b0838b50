"""The issuer the vc tests sign as: its ids, its keys (made once per test run) and the moment they
verify at."""

from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from forward.vc import verify

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
