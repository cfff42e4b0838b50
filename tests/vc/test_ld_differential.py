"""The fast path against the reference (pyld's expansion and to_rdf, an independent implementation):
on every shape below the fast path must handle the document and give exactly the reference's
dataset (compared in canonical form, which names blank nodes the same way for both); a feature it
does not handle must go to the reference; and on generated documents, whatever the fast path does,
fast_canonize must give what canonize gives, the same N-Quads or the same refusal.

Each test starts cold, as a fresh process does: pyld's resolved contexts and the fast path's
processed contexts and plans are all cached for the life of a process, so a warm cache would hide
how they were made."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld

from forward.vc import ld, rdfc

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CRED = "https://www.w3.org/2018/credentials#"
SEC = "https://w3id.org/security#"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
V = "https://forward.example/vocab#"
TEST_CONTEXT = "https://forward.example/contexts/test-v1"


@pytest.fixture(autouse=True)
def cold(monkeypatch):
    monkeypatch.setattr(ld, "_ROOTS", {})
    monkeypatch.setitem(ld._OPTIONS, "contextResolver", None)
    monkeypatch.setattr(jsonld, "_resolved_context_cache", jsonld.LRUCache(maxsize=100))
    ld.shipped.cache_clear()


@pytest.fixture
def ship(monkeypatch):
    """Ship one more context, as Forward would to support a new credential type: the fast path
    must send whatever it cannot express to the reference."""
    extra: dict[str, dict[str, Any]] = {}
    original = ld.shipped

    def shipped(url: str) -> dict[str, Any]:
        return extra[url] if url in extra else original(url)

    monkeypatch.setattr(ld, "shipped", shipped)

    def add(url: str, definitions: dict[str, Any]) -> None:
        extra[url] = {"@context": {"id": "@id", "type": "@type", **definitions}}
        monkeypatch.setitem(ld.SHIPPED, url, "(a test context)")

    return add


TEST_TERMS = {
    "plain": V + "plain",
    "score": {"@id": V + "score", "@type": XSD + "double"},
    "count": {"@id": V + "count", "@type": XSD + "integer"},
    "flag": {"@id": V + "flag", "@type": XSD + "boolean"},
    "tags": {"@id": V + "tags", "@container": "@set"},
    "kind": {"@id": V + "kind", "@type": "@vocab"},
    "ref": {"@id": V + "ref", "@type": "@id"},
    "state": {"@id": V + "state", "@type": "@vocab", "@context": {"Active": V + "Active"}},
    "Thing": {"@id": V + "Thing", "@context": {"colour": V + "colour"}},
    "Other": V + "Other",
    # what the fast path does not express
    "label": {"@id": V + "label", "@language": "en"},
    "arabic": {"@id": V + "arabic", "@direction": "rtl"},
    "parentOf": {"@reverse": V + "childOf"},
    "steps": {"@id": V + "steps", "@container": "@list"},
    "byLang": {"@id": V + "byLang", "@container": "@language"},
    "blob": {"@id": V + "blob", "@type": "@json"},
    "opaque": {"@id": V + "opaque", "@type": "@none", "@container": "@set"},
    "blank": "_:p",
}


def _reference(document: dict[str, Any]) -> str:
    return rdfc.canonize(ld.to_quads(document))


def _fast(document: dict[str, Any]) -> str:
    quads = ld.fast_quads(document)
    assert quads is not None, "the fast path handles this document"
    return rdfc.canonize(quads)


def _outcome(canonize, document):
    try:
        return canonize(document)
    except ld.LdError as refused:
        return f"refused: {refused}"


CREDENTIAL = {
    "@context": [ld.VC_V2, ld.OB_V3],
    "id": "https://forward.example/credentials/3",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": ["Data Science Track", None],
    "issuer": {"id": "https://forward.example/issuers/1", "type": "Profile", "name": "Forward", "url": "https://forward.example"},
    "validFrom": "2026-01-01T00:00:00Z",
    "credentialSubject": {
        "id": "_:learner",
        "type": ["AchievementSubject"],
        "creditsEarned": 4,
        "identifier": [{"type": "IdentityObject", "identityHash": "ada@example.org", "identityType": "emailAddress",
                        "hashed": False}],
        "achievement": {"id": "https://forward.example/achievements/7", "type": ["Achievement"],
                        "achievementType": "Course", "name": "Intro", "criteria": {"narrative": "Pass"},
                        "creditsAvailable": 2.5, "alignment": [{"type": ["Alignment"], "targetName": "Stats",
                                                                "targetUrl": "https://forward.example/t"}]},
    },
    "credentialStatus": {"id": "https://forward.example/status/1#7", "type": "BitstringStatusListEntry",
                         "statusPurpose": "revocation", "statusListIndex": "7",
                         "statusListCredential": "https://forward.example/status/1"},
}

CREDENTIAL_NQUADS = f"""\
<https://forward.example/achievements/7> <{RDF}type> <{OB}Achievement> .
<https://forward.example/achievements/7> <{OB}Criteria> _:c14n3 .
<https://forward.example/achievements/7> <{OB}achievementType> "Course" .
<https://forward.example/achievements/7> <{OB}alignment> _:c14n0 .
<https://forward.example/achievements/7> <{OB}creditsAvailable> "2.5E0"^^<https://www.w3.org/2001/XMLSchema#float> .
<https://forward.example/achievements/7> <https://schema.org/name> "Intro" .
<https://forward.example/credentials/3> <{RDF}type> <{OB}OpenBadgeCredential> .
<https://forward.example/credentials/3> <{RDF}type> <{CRED}VerifiableCredential> .
<https://forward.example/credentials/3> <https://schema.org/name> "Data Science Track" .
<https://forward.example/credentials/3> <{CRED}credentialStatus> <https://forward.example/status/1#7> .
<https://forward.example/credentials/3> <{CRED}credentialSubject> _:c14n2 .
<https://forward.example/credentials/3> <{CRED}issuer> <https://forward.example/issuers/1> .
<https://forward.example/credentials/3> <{CRED}validFrom> "2026-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<https://forward.example/issuers/1> <{RDF}type> <{OB}Profile> .
<https://forward.example/issuers/1> <https://schema.org/name> "Forward" .
<https://forward.example/issuers/1> <https://schema.org/url> "https://forward.example"^^<https://www.w3.org/2001/XMLSchema#anyURI> .
<https://forward.example/status/1#7> <{RDF}type> <https://www.w3.org/ns/credentials/status#BitstringStatusListEntry> .
<https://forward.example/status/1#7> <https://www.w3.org/ns/credentials/status#statusListCredential> <https://forward.example/status/1> .
<https://forward.example/status/1#7> <https://www.w3.org/ns/credentials/status#statusListIndex> "7" .
<https://forward.example/status/1#7> <https://www.w3.org/ns/credentials/status#statusPurpose> "revocation" .
_:c14n0 <{RDF}type> <https://schema.org/AlignmentObject> .
_:c14n0 <https://schema.org/targetName> "Stats" .
_:c14n0 <https://schema.org/targetUrl> "https://forward.example/t"^^<https://www.w3.org/2001/XMLSchema#anyURI> .
_:c14n1 <{RDF}type> <{OB}IdentityObject> .
_:c14n1 <{OB}hashed> "false"^^<https://www.w3.org/2001/XMLSchema#boolean> .
_:c14n1 <{OB}identityHash> "ada@example.org" .
_:c14n1 <{OB}identityType> "emailAddress" .
_:c14n2 <{RDF}type> <{OB}AchievementSubject> .
_:c14n2 <{OB}achievement> <https://forward.example/achievements/7> .
_:c14n2 <{OB}creditsEarned> "4"^^<https://www.w3.org/2001/XMLSchema#float> .
_:c14n2 <{OB}identifier> _:c14n1 .
_:c14n3 <{OB}narrative> "Pass" .
"""


def test_an_open_badge_gives_the_same_n_quads_by_both_paths():
    assert _fast(CREDENTIAL) == _reference(CREDENTIAL) == CREDENTIAL_NQUADS


def _vc(**members):
    return {"@context": [ld.VC_V2], "type": ["VerifiableCredential"], **members}


SHAPES = {
    "numbers and booleans untyped": {"@context": [ld.VC_V2], "name": [3, -7, 0, 2.5, 3.0, -0.0, 1e-7, 1e300, True, False]},
    "integers around 10**21": {"@context": [ld.VC_V2], "name": [10**21 - 1, 10**21, -(10**21), 10**22]},
    "a value twice": {"@context": [ld.VC_V2], "name": ["a", "a", None]},
    "a node reference": _vc(issuer="https://forward.example/i", credentialSubject={"id": "https://forward.example/s"}),
    "blank node ids": _vc(issuer="_:a1", credentialSubject={"id": "_:b1", "name": "one"},
                          evidence=[{"id": "_:c1", "name": "two"}, {"id": "_:f0"}, {"name": "three"}]),
    "a compact-looking absolute IRI": _vc(issuer="did:example:123", id="urn:uuid:1b4e28ba-2fa1-41d2-883f-0016d3cca427"),
    "a type as a string": {"@context": [ld.VC_V2], "type": "VerifiableCredential", "issuer": "https://forward.example/i"},
    "a type that is an IRI": {"@context": [ld.VC_V2], "type": ["https://forward.example/types/Custom"], "name": "x"},
    "a type-scoped node inside another": {
        "@context": [ld.VC_V2, ld.OB_V3], "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "credentialSubject": {"type": "AchievementSubject", "creditsEarned": 1,
                              "achievement": {"type": "Achievement", "creditsAvailable": 2, "name": "n"}}},
    "a reference inside a type-scoped node": {
        "@context": [ld.VC_V2, ld.OB_V3], "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "credentialSubject": {"type": "AchievementSubject", "achievement": {"id": "https://forward.example/a/1"}}},
    "two type-scoped contexts on one node": {
        "@context": [ld.VC_V2, ld.OB_V3], "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "credentialSubject": {"type": ["AchievementSubject", "Profile"], "creditsEarned": 1, "familyName": "Lovelace"}},
    "a context given as a string": {"@context": ld.VC_V2, "type": "VerifiableCredential", "name": "x"},
    "type and @type together": {"@context": [ld.VC_V2], "type": "VerifiableCredential", "@type": "DataIntegrityProof",
                                "cryptosuite": "eddsa-rdfc-2022"},
    "proof options": {"@context": [ld.VC_V2], "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
                      "created": "2026-11-23T09:00:00Z", "proofPurpose": "assertionMethod",
                      "verificationMethod": "https://forward.example/issuers/1#key-1"},
    "a proof purpose that is an IRI": {"@context": [ld.VC_V2], "type": "DataIntegrityProof",
                                       "proofPurpose": "https://forward.example/purposes/audit"},
    "a status entry": {"@context": [ld.VC_V2], "type": "BitstringStatusListEntry", "statusPurpose": "suspension",
                       "statusListIndex": "12", "statusListCredential": "https://forward.example/status/2"},
}


@pytest.mark.parametrize("name", SHAPES)
def test_the_fast_path_gives_the_reference_dataset(name):
    document = SHAPES[name]
    assert _fast(document) == _reference(document)


def test_typed_and_untyped_numbers_are_written_as_the_reference_writes_them():
    document = {"@context": [ld.VC_V2], "name": [2, 10**21, 2.5, True]}
    assert _fast(document) == _reference(document) == (
        f'_:c14n0 <https://schema.org/name> "1.0E21"^^<{XSD}double> .\n'
        f'_:c14n0 <https://schema.org/name> "2"^^<{XSD}integer> .\n'
        f'_:c14n0 <https://schema.org/name> "2.5E0"^^<{XSD}double> .\n'
        f'_:c14n0 <https://schema.org/name> "true"^^<{XSD}boolean> .\n')


@pytest.mark.parametrize("members", [
    {"score": [3, 2.5, 10**21, True]},  # xsd:double: an integer is written as a double
    {"count": [3, 2.5, 10**21, False]},
    {"flag": [True, 1]},
    {"plain": ["x", 4, 4.5], "tags": ["a", "b", "a"]},
    {"kind": "Other", "ref": ["https://forward.example/r", "_:r"]},
    {"state": ["Active", "Other"]},  # a property-scoped context, for string values
    {"type": "Thing", "colour": "red"},
    {"type": ["Thing", "Other"], "colour": "red", "plain": {"type": "Other", "plain": "nested"}},
])
def test_a_newly_shipped_context_takes_the_fast_path_and_agrees(ship, members):
    ship(TEST_CONTEXT, TEST_TERMS)
    document = {"@context": TEST_CONTEXT, **members}
    assert _fast(document) == _reference(document)


def test_an_integer_under_a_double_type_is_written_as_a_double(ship):
    ship(TEST_CONTEXT, TEST_TERMS)
    document = {"@context": [TEST_CONTEXT], "score": 3}
    assert _fast(document) == _reference(document) == f'_:c14n0 <{V}score> "3.0E0"^^<{XSD}double> .\n'


def test_a_property_scoped_context_may_redefine_a_protected_term(ship):
    # JSON-LD 1.1: a property-scoped context overrides protected terms (a type-scoped one may not)
    ship(TEST_CONTEXT, {"@protected": True, "Active": V + "Active",
                        "state": {"@id": V + "state", "@type": "@vocab", "@context": {"Active": V + "StateActive"}}})
    document = {"@context": TEST_CONTEXT, "state": "Active"}
    assert _fast(document) == _reference(document) == f"_:c14n0 <{V}state> <{V}StateActive> .\n"


def test_a_node_reference_inside_a_type_scoped_node_keeps_its_context_and_a_node_does_not(ship):
    # JSON-LD 1.1 expansion: a nested node object reverts to the context before the type-scoped
    # one, unless it is a lone node reference ({"id": …}), whose id expands in the scoped context.
    ship(TEST_CONTEXT, {"plain": V + "plain", "Thing": {"@id": V + "Thing", "@context": {"ex": "https://forward.example/ex/"}}})
    document = {"@context": TEST_CONTEXT, "type": "Thing", "id": "ex:me",
                "plain": [{"id": "ex:one"}, {"id": "ex:two", "plain": "x"}]}
    assert _fast(document) == _reference(document) == (
        f'<ex:two> <{V}plain> "x" .\n'
        f"<https://forward.example/ex/me> <{RDF}type> <{V}Thing> .\n"
        f"<https://forward.example/ex/me> <{V}plain> <ex:two> .\n"
        f"<https://forward.example/ex/me> <{V}plain> <https://forward.example/ex/one> .\n")


@pytest.mark.parametrize("members", [
    {"label": "hi"},
    {"arabic": "مرحبا"},
    {"parentOf": {"id": "https://forward.example/p"}},
    {"steps": ["a", "b"]},
    {"byLang": {"en": "x"}},
    {"blob": {"@id": "not/looked/into", "a": 1}},
    {"opaque": "x"},
    {"blank": "dropped by the reference: no predicate"},
    {"state": {"id": "https://forward.example/x"}},  # a property-scoped context on a node object
    {"type": "Thing", "plain": {"colour": "the scoped term does not reach here"}},
    {"kind": "nope"},
    {"ref": "relative"},
])
def test_what_a_newly_shipped_context_adds_beyond_the_fast_path_goes_to_the_reference(ship, members):
    ship(TEST_CONTEXT, TEST_TERMS)
    document = {"@context": TEST_CONTEXT, **members}
    assert ld.fast_quads(document) is None
    assert _outcome(ld.fast_canonize, document) == _outcome(ld.canonize, document)


@pytest.mark.parametrize("default", [{"@language": "en"}, {"@direction": "ltr"}, {"@base": "https://forward.example/"}])
def test_a_shipped_context_with_a_default_language_direction_or_base_goes_to_the_reference(ship, default):
    ship(TEST_CONTEXT, {"plain": V + "plain", **default})
    document = {"@context": TEST_CONTEXT, "plain": "x"}
    assert ld.fast_quads(document) is None
    assert ld.fast_canonize(document) == ld.canonize(document)


@pytest.mark.parametrize("document", [
    # the type-scoped terms of AchievementSubject do not reach the achievement inside it
    {"@context": [ld.VC_V2, ld.OB_V3], "type": ["VerifiableCredential", "OpenBadgeCredential"],
     "credentialSubject": {"type": "AchievementSubject", "achievement": {"type": "Achievement", "creditsEarned": 1}}},
    {"@context": [ld.VC_V2, ld.OB_V3], "type": ["VerifiableCredential", "OpenBadgeCredential"],
     "credentialSubject": {"type": "AchievementSubject", "achievement": {"name": "untyped", "creditsEarned": 1}}},
    # nor does VerifiableCredential's reach its subject
    _vc(credentialSubject={"name": "x", "validFrom": "2026-01-01T00:00:00Z"}),
])
def test_a_type_scoped_term_used_in_a_nested_node_is_refused_by_both_paths(document):
    message = _outcome(ld.canonize, document)
    assert message.startswith("refused: the member ") and message.endswith(
        " is not defined by the document's contexts (JSON-LD safe mode)")
    assert ld.fast_quads(document) is None
    assert _outcome(ld.fast_canonize, document) == message


def test_a_document_without_a_shipped_context_goes_to_the_reference():
    typed = {"@id": "https://forward.example/x", "@type": "https://forward.example/T"}
    for document in ({"name": "no context"}, {"@context": [], "name": "x"}, {"@context": [], **typed},
                     {"@context": [None], **typed}, {"@context": [ld.VC_V2, None], **typed},
                     {"@context": [ld.VC_V2, {"@protected": True}], "name": "x"}):
        assert ld.fast_quads(document) is None
        assert _outcome(ld.fast_canonize, document) == _outcome(ld.canonize, document)
    assert ld.fast_quads(["not", "an", "object"]) is None  # type: ignore[arg-type]


# --- generated documents: whatever the path, the same answer -----------------------------------

VC_KEYS = ["id", "type", "name", "description", "issuer", "validFrom", "validUntil", "credentialSubject",
           "credentialStatus", "evidence", "proofPurpose", "cryptosuite", "created", "verificationMethod",
           "statusPurpose", "statusListIndex", "achievement", "creditsEarned", "creditsAvailable", "hashed",
           "gradeBand", "@comment", "@id", "@type"]
TYPES = ["VerifiableCredential", "OpenBadgeCredential", "DataIntegrityProof", "BitstringStatusListEntry",
         "AchievementSubject", "Achievement", "Profile", "IdentityObject", "https://forward.example/types/T",
         "GoldBadge"]
SCALARS = st.one_of(
    st.text(max_size=6), st.integers(-10**22, 10**22), st.sampled_from([10**21, -(10**21), 10**21 - 1]),
    st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.none(),
    st.sampled_from(["https://forward.example/x", "_:a", "_:b", "did:example:1", "assertionMethod", "relative/ref",
                     "2026-01-01T00:00:00Z", "Course"]))


@st.composite
def nodes(draw, depth=2):
    node: dict[str, Any] = {}
    for key in draw(st.lists(st.sampled_from(VC_KEYS), max_size=5, unique=True)):
        if key in ("type", "@type"):
            node[key] = draw(st.one_of(st.sampled_from(TYPES), st.lists(st.sampled_from(TYPES), min_size=1, max_size=2)))
        elif key in ("id", "@id"):
            node[key] = draw(st.sampled_from(["https://forward.example/n", "_:a", "_:b", "relative", "urn:x:1"]))
        else:
            values = st.one_of(SCALARS, nodes(depth=depth - 1)) if depth else SCALARS
            node[key] = draw(st.one_of(values, st.lists(values, max_size=3)))
    return node


@st.composite
def documents(draw):
    context = draw(st.sampled_from([[ld.VC_V2], [ld.VC_V2, ld.OB_V3], ld.VC_V2]))
    return {"@context": context, **draw(nodes())}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_on_any_document_the_fast_path_answers_what_the_reference_answers(document):
    assert _outcome(ld.fast_canonize, document) == _outcome(ld.canonize, document)
