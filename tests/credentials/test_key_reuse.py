"""The test run hands out RSA signing keys it made for earlier tests (forward.testing: making one takes
OpenSSL about 0.1 s). What the credentials' tests rely on still holds: within a test every key is
new, and a key in rows that outlive a test (a wider-scoped fixture's) is never handed out again."""

import pytest

from forward.core.models import Organization, OrganizationKind
from forward.credentials import keys

EARLIER: set[int] = set()  # the RSA moduli handed to the earlier rounds in this process


def modulus(key) -> int:
    return keys.private_keys(key).rsa.private_numbers().public_numbers.n


@pytest.fixture(scope="module")
def lasting() -> int:
    """A key made for the whole module, as a demo loaded once for a module makes them."""
    return modulus(keys._generate(Organization(name="Lasting University", kind=OrganizationKind.UNIVERSITY)))


@pytest.mark.parametrize("round_", range(3))
def test_every_key_in_a_test_is_new_and_a_lasting_one_is_never_handed_out(round_, lasting, people):
    made = {modulus(keys.active_key(people.org)), modulus(keys.active_key(people.other_org)),
            modulus(keys.rotate(people.org))}
    assert len(made) == 3  # two organizations and a rotation: three keys
    assert lasting not in made
    if EARLIER:  # reuse is real: a round is handed the keys the round before it had
        assert made <= EARLIER
    EARLIER.update(made)
