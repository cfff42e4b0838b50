"""JSON-LD edges: what each path refuses and how it says so, the bundled-contexts loader, named
graphs and language tags on the reference path, and the explanation of every kind of JSON-LD
error. Both canonicalization paths must refuse the same documents with the same words."""

from __future__ import annotations

import pytest

from forward.vc import ld

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
