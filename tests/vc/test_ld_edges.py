"""JSON-LD edges: what each path refuses and how it says so, the bundled-contexts loader, named
graphs and language tags on the reference path, and the explanation of every kind of JSON-LD
error. Both canonicalization paths must refuse the same documents with the same words."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from pyld import jsonld

from forward.vc import ld

from .test_ld_differential import cold  # noqa: F401  (each test starts with nothing cached)

VC = {"@context": [ld.VC_V2], "type": ["VerifiableCredential"], "issuer": "https://forward.example/i"}


def _refusal(canonize, document):
    with pytest.raises(ld.LdError) as caught:
        canonize(document)
    return str(caught.value)


@pytest.mark.parametrize("canonize", [ld.canonize, ld.fast_canonize])
def test_a_member_that_only_looks_like_a_keyword_is_refused_by_both_paths(canonize):
    # JSON-LD ignores "@comment" (it is not a keyword), so a signature would not cover it.
    document = {**VC, "@comment": "added after signing", "name": "A"}
    assert _refusal(canonize, document) == \
        "a member is not defined by the document's contexts (JSON-LD safe mode)"


@pytest.mark.parametrize("canonize", [ld.canonize, ld.fast_canonize])
def test_a_proof_purpose_no_context_defines_is_refused_by_both_paths(canonize):
    # proofPurpose is @vocab-typed: "nope" is no term, so it is a relative reference, not an IRI
    # under some base.
    document = {"@context": [ld.VC_V2], "type": "DataIntegrityProof", "proofPurpose": "nope"}
    assert _refusal(canonize, document) == \
        "the reference 'nope' is not defined by the document's contexts (JSON-LD safe mode)"


@pytest.mark.parametrize("canonize", [ld.canonize, ld.fast_canonize])
@pytest.mark.parametrize(("document", "message"), [
    ({**VC, "type": ["VerifiableCredential", "GoldBadge"]},
     "the type 'GoldBadge' is not defined by the document's contexts (JSON-LD safe mode)"),
    ({**VC, "credentialSubject": {"id": "learners/7"}},
     "the reference 'learners/7' is not defined by the document's contexts (JSON-LD safe mode)"),
    ({**VC, "credentialSubject": {"gradeBand": "A"}},
     "the member 'gradeBand' is not defined by the document's contexts (JSON-LD safe mode)"),
    ({"@context": [ld.VC_V2, "https://evil.example/context.jsonld"], "name": "x"},
     "the context https://evil.example/context.jsonld is not one Forward ships; credentials are checked "
     "without fetching anything"),
    ({"@context": [ld.VC_V2], "id": 5},
     'the document is not valid JSON-LD: Invalid JSON-LD syntax; "@id" value must be a string.'),
    ({"@context": [ld.VC_V2], "name": {"@value": "x", "@type": "nope"}},
     'the document is not valid JSON-LD: Invalid JSON-LD syntax; an element containing "@value" and "@type" '
     'must have an absolute IRI for the value of "@type".'),
    ({"@context": [ld.VC_V2, {"id": "https://forward.example/id"}], "name": "x"},
     "the document is not valid JSON-LD: Invalid JSON-LD syntax; tried to redefine a protected term."),
    ({"@context": 5, "name": "x"},
     "the document is not valid JSON-LD: Invalid JSON-LD syntax; @context must be an object."),
])
def test_every_refusal_says_what_is_wrong_in_the_same_words_on_both_paths(canonize, document, message):
    assert _refusal(canonize, document) == message


def test_a_json_literal_is_not_looked_into():
    # "_sd" is an @json member of the VC 2.0 context: its value is a JSON string, not JSON-LD, so
    # what looks like a relative reference or an undefined type inside it is only text.
    document = {"@context": [ld.VC_V2], "_sd": {"@id": "relative", "@type": "Undefined"}}
    assert ld.canonize(document) == ld.fast_canonize(document) == (
        '_:c14n0 <https://www.iana.org/assignments/jwt#_sd> "{\\"@id\\":\\"relative\\",\\"@type\\":\\"Undefined\\"}"'
        "^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .\n")


def test_a_language_tag_is_kept():
    document = {"@context": [ld.VC_V2], "name": {"@value": "Nom", "@language": "fr"}}
    assert ld.canonize(document) == ld.fast_canonize(document) == '_:c14n0 <https://schema.org/name> "Nom"@fr .\n'


def test_a_proof_is_in_a_named_graph_of_its_own():
    # The VC 2.0 context makes "proof" a @graph container: the proof's statements are in a graph
    # named by a blank node, which the credential points to.
    document = {**VC, "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
                                "proofPurpose": "assertionMethod"}}
    assert ld.canonize(document) == ld.fast_canonize(document) == (
        "_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/security#DataIntegrityProof> _:c14n0 .\n"
        '_:c14n1 <https://w3id.org/security#cryptosuite> "eddsa-rdfc-2022"^^<https://w3id.org/security#cryptosuiteString> _:c14n0 .\n'
        "_:c14n1 <https://w3id.org/security#proofPurpose> <https://w3id.org/security#assertionMethod> _:c14n0 .\n"
        "_:c14n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .\n"
        "_:c14n2 <https://w3id.org/security#proof> _:c14n0 .\n"
        "_:c14n2 <https://www.w3.org/2018/credentials#issuer> <https://forward.example/i> .\n")


def test_a_graph_named_by_an_iri_keeps_its_name():
    document = {"@context": [ld.VC_V2], "id": "https://forward.example/g",
                "@graph": [{"id": "https://forward.example/s", "name": "n"}]}
    assert ld.canonize(document) == ld.fast_canonize(document) == \
        '<https://forward.example/s> <https://schema.org/name> "n" <https://forward.example/g> .\n'


# --- the loader -------------------------------------------------------------------------------

EXTRA_URL = "https://forward.example/contexts/extra-v1"
EXTRA = {"@context": {"note": "https://forward.example/vocab#note"}}


def _shipped_file(name):
    return json.loads(resources.files("forward.vc").joinpath("contexts", name).read_text("utf-8"))


@pytest.mark.parametrize(("url", "name"), list(ld.SHIPPED.items()))
def test_the_loader_serves_each_shipped_context_from_the_package(url, name):
    load = ld.document_loader()
    remote = load(url)
    assert remote == {"contextUrl": None, "documentUrl": url, "document": _shipped_file(name)}
    remote["document"]["@context"]["added"] = "https://evil.example/added"  # pyld may change what it gets
    assert load(url, {})["document"] == _shipped_file(name)


def test_the_loader_serves_extra_contexts_and_still_the_shipped_ones():
    load = ld.document_loader({EXTRA_URL: EXTRA})
    remote = load(EXTRA_URL)
    assert remote == {"contextUrl": None, "documentUrl": EXTRA_URL, "document": EXTRA}
    remote["document"]["@context"]["note"] = "changed"
    assert load(EXTRA_URL)["document"] == {"@context": {"note": "https://forward.example/vocab#note"}}
    assert load(ld.VC_V2)["document"] == _shipped_file("credentials-v2.jsonld")


@pytest.mark.parametrize("extra", [None, {EXTRA_URL: EXTRA}])
def test_the_loader_refuses_any_other_url_as_pyld_expects(extra):
    with pytest.raises(jsonld.JsonLdError) as caught:
        ld.document_loader(extra)("https://evil.example/context.jsonld")
    error = caught.value
    assert error.args == ("the context https://evil.example/context.jsonld is not one Forward ships; credentials "
                          "are checked without fetching anything",)
    assert (error.type, error.code, error.details) == (
        "jsonld.LoadDocumentError", "loading document failed", {"url": "https://evil.example/context.jsonld"})


def test_a_document_using_an_extra_context_canonizes_with_that_loader():
    document = {"@context": [ld.VC_V2, EXTRA_URL], "note": "kept"}
    assert ld.canonize(document, loader=ld.document_loader({EXTRA_URL: EXTRA})) == \
        '_:c14n0 <https://forward.example/vocab#note> "kept" .\n'
    assert _refusal(ld.canonize, document) == (
        f"the context {EXTRA_URL} is not one Forward ships; credentials are checked without fetching anything")


# --- _reason: the innermost message -----------------------------------------------------------


class _Pyld2Error(Exception):
    """pyld 2 (still allowed by pyproject) chains its errors in a ``cause`` attribute."""

    def __init__(self, message, cause=None):
        super().__init__(message)
        self.cause = cause


def _chain(depth, *, pyld2=False):
    """Errors e0 → e1 → … → e{depth-1}, each caused by the next."""
    error = None
    for level in reversed(range(depth)):
        if pyld2:
            error = _Pyld2Error(f"e{level}", cause=error)
        else:
            outer = ValueError(f"e{level}")
            outer.__cause__ = error
            error = outer
    return error


@pytest.mark.parametrize("pyld2", [False, True])
@pytest.mark.parametrize(("depth", "shown"), [(1, "e0"), (2, "e1"), (20, "e19"), (21, "e20"), (22, "e20"), (30, "e20")])
def test_the_innermost_of_at_most_twenty_causes_is_shown(pyld2, depth, shown):
    assert ld._reason(_chain(depth, pyld2=pyld2)) == f"the document is not valid JSON-LD: {shown}"


def test_a_cycle_of_causes_ends():
    first, second = ValueError("first"), ValueError("second")
    first.__cause__, second.__cause__ = second, first
    assert ld._reason(first) == "the document is not valid JSON-LD: first"  # 20 steps: back to the first


@pytest.mark.parametrize(("cause", "shown"), [
    (ValueError("first line\nsecond line"), "first line"),
    (ValueError(42), "42"),
    (ValueError(), "ValueError"),
    (ValueError(""), "ValueError"),
    (KeyError("gone"), "gone"),
])
def test_the_first_line_of_the_message_is_shown_or_else_the_error_kind(cause, shown):
    outer = jsonld.JsonLdError("Could not expand input.", "jsonld.ExpandError")
    outer.__cause__ = cause
    assert ld._reason(outer) == f"the document is not valid JSON-LD: {shown}"


def test_a_refused_context_or_member_is_shown_as_it_was_said():
    refused = jsonld.JsonLdError("the context https://x.example/c is not one Forward ships; credentials are checked "
                                 "without fetching anything", "jsonld.LoadDocumentError")
    assert ld._reason(_Pyld2Error("Dereferencing a URL did not result in a valid JSON-LD object.", cause=refused)) == \
        "the context https://x.example/c is not one Forward ships; credentials are checked without fetching anything"
    undefined = ld.UndefinedTermError("whatever it says")
    assert ld._reason(_Pyld2Error("Could not expand input.", cause=undefined)) == "whatever it says"


@pytest.mark.parametrize("canonize", [ld.canonize, ld.fast_canonize])
@pytest.mark.parametrize("ids", [("https://forward.example/a", "https://forward.example/b"),
                                 ("https://forward.example/a", "https://forward.example/a")])
def test_a_node_with_two_ids_is_refused_by_both_paths(canonize, ids):
    # "id" is the VC 2.0 context's alias of "@id": which one would a signature cover?
    document = {"@context": [ld.VC_V2], "id": ids[0], "@id": ids[1], "name": "x"}
    assert _refusal(canonize, document) == \
        "the document is not valid JSON-LD: Invalid JSON-LD syntax; colliding keywords detected."


@pytest.mark.parametrize("canonize", [ld.canonize, ld.fast_canonize])
def test_an_id_that_is_a_term_is_still_a_relative_reference(canonize):
    # Terms expand keys, types and @vocab values, not ids: "name" as an id is relative.
    document = {**VC, "credentialSubject": {"id": "name", "description": "x"}}
    assert _refusal(canonize, document) == \
        "the reference 'name' is not defined by the document's contexts (JSON-LD safe mode)"
