"""How the site's verifier finds an issuer's keys and profile (selectors.resolve_key and
resolve_controller): only this site's keys of the issuer their URL names, each read once per
process (at most 10,000 of each remembered), and a profile read again when a key it may not list
turns up (a credential signed after a key rotation)."""

import pytest

from forward.core.models import OrganizationKind
from forward.credentials import keys, selectors, services
from forward.credentials.models import SigningKey
from tests.conftest import make_organization, make_user
from tests.credentials.test_regressions import _award, issuer  # noqa: F401


def test_a_credential_signed_after_a_key_rotation_verifies_though_its_issuers_profile_was_read_before(
        issuer):  # noqa: F811
    assert selectors.verify_stored(issuer.credential).ok  # the verifier has read NTU's profile: one key
    services.key_rotate(actor=issuer.admin, organization=issuer.university)
    later = services.issue([_award(issuer.learner, issuer.university, "course:2", "Data Engineering")])[0]
    report = selectors.verify_stored(later)
    assert report.ok, report
    assert selectors.verify_stored(issuer.credential).ok  # the retired key still verifies what it signed


def test_a_key_resolves_to_its_url_and_its_issuer(issuer):  # noqa: F811
    key = keys.active_key(issuer.university)
    for kid in (keys.rsa_kid(key), keys.ed25519_kid(key)):
        found = selectors.resolve_key(kid)
        assert (found.id, found.controller) == (kid, keys.issuer_id(issuer.university))


def test_a_key_url_naming_another_issuer_resolves_to_nothing(issuer):  # noqa: F811
    other = make_organization(creator=make_user("admin@zju.test"), name="ZJU", kind=OrganizationKind.UNIVERSITY,
                              country="CN")
    token = keys.active_key(issuer.university).token
    for owner in (keys.issuer_id(other), keys.issuer_id(issuer.university).replace(issuer.university.slug, "nobody")):
        assert selectors.resolve_key(f"{owner}/keys/{token}-rs256") is None
        assert selectors.resolve_key(f"{owner}/keys/{token}-ed25519") is None


def test_an_organization_that_never_signed_has_no_profile_for_verifiers(issuer):  # noqa: F811
    other = make_organization(creator=make_user("admin@zju.test"), name="ZJU", kind=OrganizationKind.UNIVERSITY,
                              country="CN")
    assert not SigningKey.objects.filter(organization=other).exists()
    assert selectors.resolve_controller(keys.issuer_id(other)) is None
    assert selectors.resolve_controller(keys.issuer_id(issuer.university))["id"] == keys.issuer_id(issuer.university)


def test_another_sites_urls_are_answered_without_reading_the_database(issuer, django_assert_num_queries):  # noqa: F811
    with django_assert_num_queries(0):
        assert selectors.resolve_controller("https://elsewhere.example/credentials/issuers/ntu") is None
        assert selectors.resolve_controller("") is None
        assert selectors.resolve_key("https://elsewhere.example/credentials/issuers/ntu/keys/00ff-rs256") is None


def test_a_key_is_read_with_its_issuer_in_one_query(issuer, django_assert_num_queries):  # noqa: F811
    key = keys.active_key(issuer.university)
    for kid in (keys.rsa_kid(key), keys.ed25519_kid(key)):
        with django_assert_num_queries(1):
            assert selectors.resolve_key(kid).controller == keys.issuer_id(issuer.university)


def test_keys_and_profiles_are_read_once_per_process(issuer, django_assert_num_queries):  # noqa: F811
    key = keys.active_key(issuer.university)
    kids = [keys.rsa_kid(key), keys.ed25519_kid(key)]
    profile_url = keys.issuer_id(issuer.university)
    first = [selectors.resolve_key(kid) for kid in kids]
    profile = selectors.resolve_controller(profile_url)
    assert profile["assertionMethod"] == [kids[1]]
    with django_assert_num_queries(0):
        assert [selectors.resolve_key(kid) for kid in kids] == first
        assert selectors.resolve_controller(profile_url) == profile


@pytest.mark.parametrize("alg", ["rs256", "ed25519"])
def test_a_process_remembers_at_most_ten_thousand_keys_and_profiles(issuer, alg):  # noqa: F811
    kid = f"{keys.issuer_id(issuer.university)}/keys/{keys.active_key(issuer.university).token}-{alg}"
    profile_url = keys.issuer_id(issuer.university)
    selectors._KEYS.update({f"https://elsewhere.example/keys/{i}": None for i in range(10_000)})
    selectors._CONTROLLERS.update({f"https://elsewhere.example/issuers/{i}": {} for i in range(10_000)})
    try:
        assert selectors.resolve_key(kid).id == kid  # still resolved, not remembered
        assert selectors.resolve_controller(profile_url)["id"] == profile_url
        assert len(selectors._KEYS) == len(selectors._CONTROLLERS) == 10_000
    finally:
        selectors.clear_caches()
