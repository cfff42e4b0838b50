"""JSON-LD with shipped contexts: the W3C eddsa-rdfc-2022 test vector verifies; the fast path
gives exactly the reference (pyld) canonical form on every document shape Forward signs, and hands
anything else to the reference; nothing ever touches the network."""

import re
import socket

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forward.vc import di, ld
from forward.vc.multibase import decode_multibase, ed25519_from_multikey

EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
EXAMPLES_LOADER = ld.document_loader({EXAMPLES_V2: {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}})

# W3C vc-di-eddsa TestVectors: keyPair.json and eddsa-rdfc-2022/signedDataInt.json.
W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_SIGNED = {
    "@context": ["https://www.w3.org/ns/credentials/v2", EXAMPLES_V2],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "proofPurpose": "assertionMethod",
        "proofValue": "z21EVs3eXERqTn4acNHT9viboqgzUaQ3kTmhPT3eA8qrVPE7CrQq78WkzctnMX5W4CrzcKnHw8V6dvy5pgWYCU5e9",
    },
}
# TestVectors/eddsa-rdfc-2022/proofCanonDataInt.txt
W3C_PROOF_CANON = """\
_:c14n0 <http://purl.org/dc/terms/created> "2023-02-24T23:36:38Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/security#DataIntegrityProof> .
_:c14n0 <https://w3id.org/security#cryptosuite> "eddsa-rdfc-2022"^^<https://w3id.org/security#cryptosuiteString> .
_:c14n0 <https://w3id.org/security#proofPurpose> <https://w3id.org/security#assertionMethod> .
_:c14n0 <https://w3id.org/security#verificationMethod> <https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2> .
"""


def _w3c_key():
    return ed25519.Ed25519PublicKey.from_public_bytes(ed25519_from_multikey(W3C_PUBLIC))


def test_the_w3c_eddsa_rdfc_2022_vector_verifies_with_the_shipped_v2_context():
    def canonize(document):
        return ld.canonize(document, loader=EXAMPLES_LOADER)

    options = {k: v for k, v in W3C_SIGNED["proof"].items() if k != "proofValue"}
    assert canonize({"@context": W3C_SIGNED["@context"], **options}) == W3C_PROOF_CANON
    assert di.verify(W3C_SIGNED, public_key=_w3c_key(), canonize=canonize)
    changed = {**W3C_SIGNED, "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "Another School"}}
    assert not di.verify(changed, public_key=_w3c_key(), canonize=canonize)


def test_the_1edtech_open_badges_vector_signature_is_reproduced():
    # OB 3.0 implementation guide, "Linked Data Proof Test Vector": proof and document hashes,
    # then the Ed25519 signature over proof-hash ‖ document-hash, as base58btc.
    private = ed25519.Ed25519PrivateKey.from_private_bytes(
        bytes.fromhex("6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4"))
    data = bytes.fromhex("3cf3c265b6c8ebb29b4d5ea310b87d2f31c79b633eff8af561d2e8c97a85c8cb"
                         "d994aebd5e53f4af4495dbe9e1155410bae683811107c26acf83671075c163b3")
    signature = private.sign(data)
    assert signature.hex() == ("17a898a91832fa58bd66433e18dc8256522bcf84382994c395c23c26cba71ff8"
                               "060a2587390e5ed20c4decec45c0c0c9eec1f7d2d1ce91e1ffc992983a74a300")
    assert decode_multibase("zUSD5bjo6mYV1n9i9E6ZwUiHuj4JyZDjCDfDqoJcPi9XJrc9LYstik9mdBvutdwBdquWXjWrwJDVGJrAarvRs8uD") \
        == signature


def test_an_unknown_context_is_refused_without_any_network_access(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("canonicalization tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    document = {"@context": [ld.VC_V2, "https://evil.example/context.jsonld"], "type": ["VerifiableCredential"]}
    with pytest.raises(ld.LdError, match="not one Forward ships"):
        ld.fast_canonize(document)
    assert ld.canonize({"@context": [ld.VC_V2], "name": "fine"})  # shipped contexts need nothing


@pytest.mark.parametrize("place", ["top", "subject", "achievement"])
def test_a_member_no_context_defines_is_refused_not_dropped(place):
    # The VC 2.0 context has no @vocab: an undefined member would be dropped from the signed data
    # (so changing it would not break the signature). Like JSON-LD safe mode, both paths refuse it.
    document = {"@context": [ld.VC_V2, ld.OB_V3], "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": "https://forward.example/i", "validFrom": "2026-01-01T00:00:00Z",
                "credentialSubject": {"type": ["AchievementSubject"],
                                      "achievement": {"type": ["Achievement"], "name": "A"}}}
    target = {"top": document, "subject": document["credentialSubject"],
              "achievement": document["credentialSubject"]["achievement"]}[place]
    target["gradeBand"] = "A"
    with pytest.raises(ld.LdError, match=r"gradeBand.*not defined"):
        ld.canonize(document)
    with pytest.raises(ld.LdError, match=r"gradeBand.*not defined"):
        ld.fast_canonize(document)


def test_the_shipped_vc_v2_context_has_no_vocab():
    assert "@vocab" not in ld.shipped(ld.VC_V2)["@context"]


# --- the fast path equals the reference on Forward's document shapes ---------------------------------

TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
URL = st.builds(lambda s: "https://forward.example/" + s, st.text(alphabet="abcxyz019/-_#?=", max_size=10))
NUMBER = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False, width=32),
                   st.sampled_from([0, 4, 2.5, 3.0, 1e-7, 12.75]))


def _maybe(draw, key, strategy, target):
    if draw(st.booleans()):
        target[key] = draw(strategy)


@st.composite
def node_ids(draw):
    return draw(st.one_of(URL, st.just("urn:uuid:1b4e28ba-2fa1-41d2-883f-0016d3cca427"), st.just("_:b7")))


@st.composite
def achievements(draw):
    achievement = {"type": draw(st.sampled_from([["Achievement"], "Achievement"])),
                   "achievementType": draw(st.sampled_from(["Course", "Certification", "LearningProgram", "Award"])),
                   "name": draw(TEXT), "description": draw(TEXT), "criteria": {"narrative": draw(TEXT)}}
    _maybe(draw, "id", URL, achievement)
    if draw(st.booleans()):
        achievement["alignment"] = [
            {"type": ["Alignment"], "targetName": draw(TEXT), "targetType": "ceasn:Competency", "targetUrl": draw(URL)}
            for _ in range(draw(st.integers(0, 3)))]
    _maybe(draw, "creditsAvailable", NUMBER, achievement)
    _maybe(draw, "inLanguage", st.sampled_from(["en", "zh-Hans", "ms"]), achievement)
    return achievement


@st.composite
def credentials(draw):
    subject = {"type": ["AchievementSubject"], "achievement": draw(achievements())}
    _maybe(draw, "id", node_ids(), subject)
    if draw(st.booleans()):
        subject["identifier"] = [
            {"type": "IdentityObject", "identityHash": draw(TEXT), "identityType": draw(st.sampled_from(["name", "emailAddress"])),
             "hashed": draw(st.booleans()), **({"salt": draw(TEXT)} if draw(st.booleans()) else {})}
            for _ in range(draw(st.integers(0, 2)))]
    _maybe(draw, "creditsEarned", NUMBER, subject)
    issuer = draw(st.one_of(URL, st.builds(lambda i, n: {"id": i, "type": ["Profile"], "name": n}, URL, TEXT)))
    if isinstance(issuer, dict) and draw(st.booleans()):
        issuer["url"] = draw(URL)
    document = {"@context": [ld.VC_V2, ld.OB_V3], "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": issuer, "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": subject}
    _maybe(draw, "id", URL, document)
    _maybe(draw, "name", TEXT, document)
    _maybe(draw, "validUntil", st.just("2028-01-01T00:00:00Z"), document)
    if draw(st.booleans()):
        document["evidence"] = [{"type": ["Evidence"], "name": draw(TEXT), "description": draw(TEXT)}
                                for _ in range(draw(st.integers(1, 2)))]
    if draw(st.booleans()):
        url = draw(URL)
        document["credentialStatus"] = {"id": url + "#7", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                                        "statusListIndex": "7", "statusListCredential": url}
    return document


@st.composite
def status_lists(draw):
    return {"@context": [ld.VC_V2], "id": draw(URL), "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": draw(URL), "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": draw(URL), "type": "BitstringStatusList", "statusPurpose": "revocation",
                                  "encodedList": "u" + draw(st.text(alphabet="abcXYZ-_09", max_size=20))}}


@st.composite
def proof_options(draw):
    return di.proof_options(context=draw(st.sampled_from([[ld.VC_V2], [ld.VC_V2, ld.OB_V3]])),
                            verification_method=draw(URL), created="2026-11-23T09:00:00Z")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(credentials(), status_lists(), proof_options()))
def test_the_fast_path_gives_the_reference_canonical_form(document):
    quads = ld.fast_quads(document)
    assert quads is not None, "every shape Forward signs takes the fast path"
    assert ld.fast_canonize(document) == ld.canonize(document)


@pytest.mark.parametrize("odd", [
    {"@context": [ld.VC_V2, {"@vocab": "https://example.org/"}], "name": "embedded context"},
    {"@context": [ld.VC_V2], "name": {"@value": "value object", "@language": "fr"}},
    {"@context": [ld.VC_V2], "name": [["a list of lists"]]},
    {"@context": [ld.VC_V2], "type": ["VerifiableCredential"], "proof": {"type": "DataIntegrityProof"}},
    {"@context": [ld.VC_V2], "@included": [{"id": "https://example.org/x"}], "name": "a keyword key"},
])
def test_anything_the_fast_path_does_not_handle_goes_to_the_reference(odd):
    assert ld.fast_quads(odd) is None
    assert ld.fast_canonize(odd) == ld.canonize(odd)


@pytest.mark.parametrize("change,what", [
    (lambda d: d.update(type=["VerifiableCredential", "OpenBadgeCredential", "GoldBadge"]), "type 'GoldBadge'"),
    (lambda d: d["credentialSubject"].update(id="learners/7"), "reference 'learners/7'"),
])
def test_an_undefined_type_or_a_relative_reference_is_refused_not_dropped(change, what):
    # The fast path hands these to the reference, which refuses them as JSON-LD safe mode does.
    document = {"@context": [ld.VC_V2, ld.OB_V3], "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": "https://forward.example/i", "validFrom": "2026-01-01T00:00:00Z",
                "credentialSubject": {"type": ["AchievementSubject"]}}
    change(document)
    for canonize in (ld.canonize, ld.fast_canonize):
        with pytest.raises(ld.LdError, match=re.escape(what) + " is not defined"):
            canonize(document)
