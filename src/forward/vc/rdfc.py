"""RDF Dataset Canonicalization (W3C RDFC-1.0) and canonical N-Quads.

Terms are small tuples so that datasets of a few dozen quads canonicalize in well under a
millisecond. Blank-node-heavy input is bounded: a dataset whose canonical labelling needs more
than ``MAX_DEEP_CALLS`` n-degree hashes is refused (a poison graph must not stall a verifier).
"""

from __future__ import annotations

import hashlib
import itertools
from functools import lru_cache
from typing import Any, NamedTuple

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
MAX_DEEP_CALLS = 4000


class RdfcError(ValueError):
    pass


# A term: ("i", iri) | ("b", label) | ("l", lexical, datatype, language)
Term = tuple[Any, ...]


def iri(value: str) -> Term:
    return ("i", value)


def blank(label: str) -> Term:
    return ("b", label)


def literal(value: str, datatype: str | None = None, language: str | None = None) -> Term:
    if language:
        return ("l", value, RDF_LANG_STRING, language)
    return ("l", value, datatype or XSD_STRING, None)


class Quad(NamedTuple):
    subject: Term
    predicate: Term
    object: Term
    graph: Term | None = None


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
for _code in [*range(0x00, 0x08), 0x0B, *range(0x0E, 0x20), 0x7F]:
    _ESCAPES[chr(_code)] = f"\\u{_code:04X}"
_TRANSLATE = str.maketrans(_ESCAPES)


def _escape(value: str) -> str:
    return value.translate(_TRANSLATE)


def term_nquads(term: Term, labels: dict[str, str] | None = None) -> str:
    if term[0] == "b":
        return "_:" + (labels[term[1]] if labels is not None else term[1])
    return _ground(term)


@lru_cache(maxsize=1 << 16)
def _ground(term: Term) -> str:
    """An IRI or a literal in canonical N-Quads (cached: the same IRIs recur in every credential)."""
    if term[0] == "i":
        return f"<{term[1]}>"
    text = f'"{_escape(term[1])}"'
    if term[3]:
        return f"{text}@{term[3]}"
    if term[2] != XSD_STRING:
        return f"{text}^^<{term[2]}>"
    return text


def quad_nquads(quad: Quad, labels: dict[str, str] | None = None) -> str:
    line = (term_nquads(quad.subject, labels) + " " + term_nquads(quad.predicate, labels) + " "
            + term_nquads(quad.object, labels))
    if quad.graph is not None:
        line += " " + term_nquads(quad.graph, labels)
    return line + " .\n"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Issuer:
    __slots__ = ("counter", "issued", "prefix")

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.counter = 0
        self.issued: dict[str, str] = {}

    def issue(self, label: str) -> str:
        found = self.issued.get(label)
        if found is None:
            found = self.issued[label] = f"{self.prefix}{self.counter}"
            self.counter += 1
        return found

    def copy(self) -> _Issuer:
        other = _Issuer(self.prefix)
        other.counter = self.counter
        other.issued = dict(self.issued)
        return other


def _first_degree_term(term: Term, reference: str) -> str:
    if term[0] == "b":
        return "_:a" if term[1] == reference else "_:z"
    return _ground(term)


class _Canonicalizer:
    def __init__(self, quads: list[Quad]):
        self.quads = quads
        self.by_blank: dict[str, list[Quad]] = {}
        for quad in quads:
            for term in (quad.subject, quad.object, quad.graph):
                if term is not None and term[0] == "b":
                    bucket = self.by_blank.setdefault(term[1], [])
                    if not bucket or bucket[-1] is not quad:
                        bucket.append(quad)
        self.canonical = _Issuer("c14n")
        self.first_degree: dict[str, str] = {}
        self.deep_calls = 0

    def hash_first_degree(self, label: str) -> str:
        found = self.first_degree.get(label)
        if found is not None:
            return found
        lines = []
        for quad in self.by_blank[label]:
            line = (_first_degree_term(quad.subject, label) + " " + term_nquads(quad.predicate) + " "
                    + _first_degree_term(quad.object, label))
            if quad.graph is not None:
                line += " " + _first_degree_term(quad.graph, label)
            lines.append(line + " .\n")
        lines.sort()
        found = self.first_degree[label] = _sha256("".join(lines))
        return found

    def hash_related(self, related: str, quad: Quad, issuer: _Issuer, position: str) -> str:
        if related in self.canonical.issued:
            identifier = "_:" + self.canonical.issued[related]
        elif related in issuer.issued:
            identifier = "_:" + issuer.issued[related]
        else:
            identifier = self.hash_first_degree(related)
        text = position
        if position != "g":
            text += term_nquads(quad.predicate)
        return _sha256(text + identifier)

    def hash_n_degree(self, label: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        self.deep_calls += 1
        if self.deep_calls > MAX_DEEP_CALLS:
            raise RdfcError("the document's blank nodes are too entangled to canonicalize")
        related_by_hash: dict[str, list[str]] = {}
        for quad in self.by_blank[label]:
            for term, position in ((quad.subject, "s"), (quad.object, "o"), (quad.graph, "g")):
                if term is not None and term[0] == "b" and term[1] != label:
                    digest = self.hash_related(term[1], quad, issuer, position)
                    related_by_hash.setdefault(digest, []).append(term[1])
        data = ""
        for digest in sorted(related_by_hash):
            data += digest
            chosen_path = ""
            chosen_issuer = None
            for permutation in itertools.permutations(related_by_hash[digest]):
                self.deep_calls += 1
                if self.deep_calls > MAX_DEEP_CALLS:
                    raise RdfcError("the document's blank nodes are too entangled to canonicalize")
                issuer_copy = issuer.copy()
                path = ""
                recursion: list[str] = []
                skip = False
                for related in permutation:
                    if related in self.canonical.issued:
                        path += "_:" + self.canonical.issued[related]
                    else:
                        if related not in issuer_copy.issued:
                            recursion.append(related)
                        path += "_:" + issuer_copy.issue(related)
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                for related in recursion:
                    result_hash, result_issuer = self.hash_n_degree(related, issuer_copy)
                    path += "_:" + issuer_copy.issue(related) + "<" + result_hash + ">"
                    issuer_copy = result_issuer
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                if not chosen_path or path < chosen_path:
                    chosen_path = path
                    chosen_issuer = issuer_copy
            data += chosen_path
            assert chosen_issuer is not None  # the first permutation is never skipped
            issuer = chosen_issuer
        return _sha256(data), issuer

    def run(self) -> str:
        by_hash: dict[str, list[str]] = {}
        for label in self.by_blank:
            by_hash.setdefault(self.hash_first_degree(label), []).append(label)
        shared = []
        for digest in sorted(by_hash):
            labels = by_hash[digest]
            if len(labels) == 1:
                self.canonical.issue(labels[0])
            else:
                shared.append(labels)
        for labels in shared:
            paths = []
            for label in labels:
                if label in self.canonical.issued:
                    continue
                temporary = _Issuer("b")
                temporary.issue(label)
                paths.append(self.hash_n_degree(label, temporary))
            for _digest, issuer in sorted(paths, key=lambda item: item[0]):
                for label in issuer.issued:
                    self.canonical.issue(label)
        issued = self.canonical.issued
        return "".join(sorted({quad_nquads(quad, issued) for quad in self.quads}))


def canonize(quads: list[Quad]) -> str:
    """Canonical N-Quads of a dataset: blank nodes relabelled ``c14n0…``, lines sorted, duplicates
    dropped."""
    return _Canonicalizer(list(dict.fromkeys(quads))).run()


def parse_nquads(text: str) -> list[Quad]:
    """A small N-Quads reader for test vectors (IRIs, blank nodes, literals with the usual
    escapes)."""
    quads = []
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), 1):  # not splitlines: U+0085 is text
        line = raw.strip(" \t\r")
        if not line or line.startswith("#"):
            continue
        terms, rest = [], line
        while rest and rest != ".":
            term, rest = _read_term(rest, number)
            terms.append(term)
            rest = rest.lstrip()
        if rest != "." or len(terms) not in (3, 4):
            raise RdfcError(f"line {number}: expected subject, predicate, object, optional graph and a final '.'")
        quads.append(Quad(terms[0], terms[1], terms[2], terms[3] if len(terms) == 4 else None))
    return quads


def _read_term(text: str, number: int) -> tuple[Term, str]:
    if text.startswith("<"):
        end = text.index(">")
        return iri(text[1:end]), text[end + 1:]
    if text.startswith("_:") and len(text) > 2 and not text[2].isspace():  # a label is never empty
        end = 2
        while end < len(text) and not text[end].isspace():
            end += 1
        return blank(text[2:end]), text[end:]
    if text.startswith('"'):
        out, i = [], 1
        while text[i] != '"':
            if text[i] == "\\":
                code = text[i + 1]
                if code == "u":
                    out.append(chr(int(text[i + 2:i + 6], 16)))
                    i += 6
                    continue
                if code == "U":
                    out.append(chr(int(text[i + 2:i + 10], 16)))
                    i += 10
                    continue
                out.append({"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "\\": "\\",
                            "'": "'"}[code])
                i += 2
                continue
            out.append(text[i])
            i += 1
        value, rest = "".join(out), text[i + 1:]
        if rest.startswith("^^<"):
            end = rest.index(">")
            return literal(value, rest[3:end]), rest[end + 1:]
        if rest.startswith("@"):
            end = 1
            while end < len(rest) and (rest[end].isalnum() or rest[end] == "-"):
                end += 1
            if end > 1:  # nor is a language tag
                return literal(value, language=rest[1:end]), rest[end:]
            raise RdfcError(f"line {number}: cannot read a term at {text[:20]!r}")
        return literal(value), rest
    raise RdfcError(f"line {number}: cannot read a term at {text[:20]!r}")
