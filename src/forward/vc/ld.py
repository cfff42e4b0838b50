"""JSON-LD to canonical N-Quads without the network: the contexts Forward's credentials use are
shipped in the package, and any other context is refused rather than fetched.

Two ways to the same bytes:

* :func:`canonize` — the reference: pyld's JSON-LD to RDF, then RDF Dataset Canonicalization
  (RDFC-1.0) as implemented in :mod:`forward.vc.rdfc`;
* :func:`fast_canonize` — a compiled expansion for documents that only use the shipped contexts
  (every Forward credential and proof), about fifty times faster; it falls back to the reference
  when a document uses a JSON-LD feature it does not handle. Tests check that both agree.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from pyld import jsonld

from . import rdfc

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

SHIPPED = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-3.0.3.jsonld",
}


# pyld is untyped: a document loader takes a URL (and pyld's options) and returns pyld's
# remote-document dict.
Loader = Callable[..., dict[str, Any]]


class LdError(ValueError):
    """A document that cannot be canonicalized; the message says why."""


@cache
def shipped(url: str) -> dict[str, Any]:
    name = SHIPPED[url]
    document: dict[str, Any] = json.loads(resources.files("forward.vc").joinpath("contexts", name).read_text("utf-8"))
    return document


def document_loader(extra: dict[str, dict[str, Any]] | None = None) -> Loader:
    """A pyld document loader that serves the shipped contexts (and ``extra`` ones, for tests)
    and refuses everything else."""
    extra = extra or {}

    def load(url: str, options: object = None) -> dict[str, Any]:
        if url in extra:
            document = extra[url]
        elif url in SHIPPED:
            document = shipped(url)
        else:
            raise jsonld.JsonLdError(
                f"the context {url} is not one Forward ships; credentials are checked without fetching anything",
                "jsonld.LoadDocumentError", {"url": url}, code="loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(document)}

    return load


_DEFAULT_LOADER = document_loader()


class UndefinedTermError(LdError):
    """A member that no context defines: JSON-LD would silently drop it, so a signature would not
    cover it. Refused, as JSON-LD processors' "safe mode" (Digital Bazaar's verifiers) refuses it."""


def _refuse_dropped(expanded_property: str | None) -> None:
    raise UndefinedTermError(
        f"the member {expanded_property!r} is not defined by the document's contexts (JSON-LD safe mode)"
        if expanded_property else "a member is not defined by the document's contexts (JSON-LD safe mode)")


def _refuse_relative(element: object) -> None:
    """Raise for a type or node id that is not an absolute IRI (an undefined type, a relative
    reference): conversion to RDF would drop it without a word."""
    if isinstance(element, list):
        for item in element:
            _refuse_relative(item)
        return
    if not isinstance(element, dict):
        return
    is_value = "@value" in element
    for key, value in element.items():
        if (key == "@type" and not is_value) or key == "@id":
            for iri in value if isinstance(value, list) else [value]:
                if isinstance(iri, str) and not iri.startswith("_:") and not jsonld._is_absolute_iri(iri):
                    what = "type" if key == "@type" else "reference"
                    raise UndefinedTermError(f"the {what} {iri!r} is not defined by the document's contexts "
                                             "(JSON-LD safe mode)")
        elif key != "@value":
            _refuse_relative(value)


def to_quads(document: dict[str, Any], *, loader: Loader | None = None) -> list[rdfc.Quad]:
    """The RDF dataset a JSON-LD document denotes (blank nodes as pyld names them). A member, type
    or reference no context defines is an error, not silently dropped (JSON-LD safe mode)."""
    options = {"documentLoader": loader or _DEFAULT_LOADER, "base": None}
    try:
        processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
        expanded = processor.expand(document, dict(options))
        _refuse_relative(expanded)
        dataset = processor.to_rdf(expanded, dict(options))
    except UndefinedTermError:
        raise
    except jsonld.JsonLdError as exc:
        raise LdError(_reason(exc)) from exc
    quads = []
    for graph_name, triples in dataset.items():
        graph = None if graph_name == "@default" else _term(graph_name, is_graph=True)
        for triple in triples:
            quads.append(rdfc.Quad(_term(triple["subject"]), _term(triple["predicate"]),
                                   _term(triple["object"]), graph))
    return quads


def _term(node: Any, is_graph: bool = False) -> rdfc.Term:
    if is_graph:
        return rdfc.blank(node[2:]) if node.startswith("_:") else rdfc.iri(node)
    if node["type"] == "blank node":
        return rdfc.blank(node["value"][2:])
    if node["type"] == "IRI":
        return rdfc.iri(node["value"])
    return rdfc.literal(node["value"], node.get("datatype"), node.get("language"))


def _reason(exc: BaseException) -> str:
    """The innermost message: pyld wraps a loader's refusal in several generic errors."""
    cause, seen = exc, 0
    while seen < 20:
        inner = getattr(cause, "cause", None) or cause.__cause__
        if inner is None:
            break
        cause, seen = inner, seen + 1
    message = cause.args[0] if cause.args and isinstance(cause.args[0], str) else str(cause)
    if "not one Forward ships" in message or isinstance(cause, UndefinedTermError):
        return message
    return f"the document is not valid JSON-LD: {message.splitlines()[0] if message else type(cause).__name__}"


def canonize(document: dict[str, Any], *, loader: Loader | None = None) -> str:
    """Canonical N-Quads (RDFC-1.0) of a JSON-LD document, the reference way."""
    return rdfc.canonize(to_quads(document, loader=loader))


# --- the fast path -----------------------------------------------------------------------------
# Expansion and conversion to RDF for node objects whose contexts are all shipped, done directly
# on the JSON with processed contexts cached per (context, types). Context processing and IRI
# expansion are pyld's own, so the two paths share every rule they can; anything else the fast
# path meets (value objects, lists, graphs, embedded contexts, property-scoped contexts, relative
# IRIs…) sends the whole document down the reference path.

_PROCESSOR = jsonld.JsonLdProcessor()
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_TYPE = rdfc.iri(_RDF_TYPE)
_OPTIONS = {"documentLoader": _DEFAULT_LOADER, "base": "", "processingMode": "json-ld-1.1", "isFrame": False,
            "contextResolver": None}


class _Unsupported(Exception):
    pass


class _Context:
    """A processed pyld active context, with the type-scoped children it leads to."""

    __slots__ = ("active", "children", "keys", "plans", "previous")

    def __init__(self, active: dict[str, Any], previous: _Context | None = None):
        self.active = active
        self.previous = previous
        self.children: dict[tuple[str, ...], _Context] = {}
        self.keys: dict[str, str | None] = {}
        self.plans: dict[str, _Plan] = {}

    def key(self, key: str) -> str | None:
        """A key (or a type term) expanded as a vocabulary term, cached."""
        try:
            return self.keys[key]
        except KeyError:
            expanded: str | None = _PROCESSOR._expand_iri(self.active, key, vocab=True)
            self.keys[key] = expanded
            return expanded

    def with_types(self, terms: tuple[str, ...]) -> _Context:
        found = self.children.get(terms)
        if found is not None:
            return found
        active = self.active
        for term in terms:  # in lexicographic order, as expansion applies them
            mapping = self.active["mappings"].get(term)
            if mapping and "@context" in mapping:
                active = _PROCESSOR._process_context(active, mapping["@context"], _options(), propagate=False)
        # Types without scoped contexts change nothing; otherwise nested nodes revert to this context.
        found = self.children[terms] = self if active is self.active else _Context(active, previous=self)
        return found

    def for_property(self, key: str) -> _Context:
        found = self.children.get(("@property", key))
        if found is None:
            active = _PROCESSOR._process_context(self.active, self.active["mappings"][key]["@context"], _options(),
                                                 propagate=True, override_protected=True)
            found = self.children[("@property", key)] = _Context(active)
        return found


def _options() -> dict[str, Any]:
    if _OPTIONS["contextResolver"] is None:
        from pyld.context_resolver import ContextResolver

        _OPTIONS["contextResolver"] = ContextResolver(jsonld._resolved_context_cache, _DEFAULT_LOADER)
    return dict(_OPTIONS)


_ROOTS: dict[tuple[str, ...], _Context] = {}


def _root(context: object) -> _Context:
    urls = tuple(context) if isinstance(context, list) else (context,)
    found = _ROOTS.get(urls)
    if found is None:
        if not urls or not all(isinstance(url, str) and url in SHIPPED for url in urls):
            raise _Unsupported
        initial = _PROCESSOR._get_initial_context(_options())
        active = _PROCESSOR._process_context(initial, list(urls), _options())
        if "@language" in active or "@direction" in active or "@base" in active:
            raise _Unsupported
        found = _ROOTS[urls] = _Context(active)
    return found


def _iri(active: dict[str, Any], value: str, *, vocab: bool) -> str:
    # No base: a relative reference stays relative (not resolved against pyld's default base) and
    # goes to the reference path, which refuses it.
    expanded = _PROCESSOR._expand_iri(active, value, vocab=vocab)
    if not isinstance(expanded, str) or not jsonld._is_absolute_iri(expanded):  # also a keyword
        raise _Unsupported
    return expanded


def _node_term(value: str) -> rdfc.Term:
    if value.startswith("_:"):
        return rdfc.blank("u" + value[2:])
    return rdfc.iri(value)


_ID, _TYPE_KEY, _BAD = "@id", "@type", "bad"
# (kind,) or ("prop", predicate term, coercion, value context, property-scoped)
_Plan = tuple[str] | tuple[str, rdfc.Term, str | None, _Context, bool]


def _plan(context: _Context, key: str) -> _Plan:
    """What a key of a node object means in this context: ("@id",), ("@type",), ("bad",) or
    ("prop", predicate term, coercion, value context, property-scoped). Cached per context."""
    found = context.plans.get(key)
    if found is not None:
        return found
    expanded = context.key(key)
    plan: _Plan
    if expanded in (_ID, _TYPE_KEY):
        plan = (expanded,)
    elif expanded is None or expanded.startswith("_:") or not jsonld._is_absolute_iri(expanded):
        # a dropped member (None, also for "@comment" and the like), another keyword, a relative
        # or a blank-node property: the reference decides (safe mode refuses what it would drop)
        plan = (_BAD,)
    else:
        mapping = context.active["mappings"].get(key) or {}
        value_context = context
        if mapping.get("reverse") or "@language" in mapping or "@direction" in mapping:
            plan = (_BAD,)
        else:
            if "@context" in mapping:  # a property-scoped context: supported for plain string values
                value_context = context.for_property(key)
                mapping = value_context.active["mappings"].get(key) or {}
            container = mapping.get("@container") or []
            coerce = mapping.get("@type")
            if any(c != "@set" for c in container) or coerce in ("@json", "@none"):
                plan = (_BAD,)
            else:
                plan = ("prop", rdfc.iri(expanded), coerce, value_context, value_context is not context)
    context.plans[key] = plan
    return plan


class _Builder:
    __slots__ = ("counter", "quads")

    def __init__(self) -> None:
        self.quads: list[rdfc.Quad] = []
        self.counter = 0

    def node(self, element: dict[str, Any], context: _Context) -> rdfc.Term:
        if "@context" in element:
            raise _Unsupported
        # type-scoped contexts do not reach into nested node objects
        if context.previous is not None and not (len(element) == 1 and _plan(context, next(iter(element)))[0] == _ID):
            context = context.previous
        type_scoped = context
        types: list[str] | None = None
        for key, value in element.items():
            if _plan(type_scoped, key)[0] == _TYPE_KEY:
                values = value if isinstance(value, list) else [value]
                for v in values:
                    if not isinstance(v, str):
                        raise _Unsupported
                types = values if types is None else types + values
        if types:
            context = type_scoped.with_types(tuple(sorted(types)))
        subject = None
        plans: list[tuple[tuple[str, rdfc.Term, str | None, _Context, bool], Any]] = []
        for key, value in element.items():
            plan = _plan(context, key)
            kind = plan[0]
            if len(plan) == 5:  # ("prop", ...), the only plan of five
                if value is not None:
                    plans.append((plan, value))
            elif kind == _ID:
                if not isinstance(value, str) or subject is not None:  # two ids ("id" and "@id") collide
                    raise _Unsupported
                subject = _node_term(value if value.startswith("_:") else _iri(context.active, value, vocab=False))
            elif kind == _BAD:
                raise _Unsupported
        if subject is None:
            subject = rdfc.blank(f"f{self.counter}")
            self.counter += 1
        quads = self.quads
        if types:
            for term in types:
                expanded = type_scoped.key(term)
                if not isinstance(expanded, str) or not jsonld._is_absolute_iri(expanded):
                    raise _Unsupported
                quads.append(rdfc.Quad(subject, _TYPE, _node_term(expanded)))
        for (_kind, predicate, coerce, value_context, scoped), value in plans:
            items = value if isinstance(value, list) else (value,)
            for item in items:
                if scoped and not isinstance(item, str):
                    raise _Unsupported
                obj = self.value(item, coerce, value_context)
                if obj is not None:
                    quads.append(rdfc.Quad(subject, predicate, obj))
        return subject

    def value(self, item: object, coerce: str | None, context: _Context) -> rdfc.Term | None:
        if item is None:
            return None
        if isinstance(item, list):
            raise _Unsupported  # a list of lists is a JSON-LD list
        if isinstance(item, dict):
            if any(key.startswith("@") for key in item):
                raise _Unsupported
            return self.node(item, context)
        if coerce in ("@id", "@vocab"):
            if not isinstance(item, str):
                raise _Unsupported
            if item.startswith("_:"):
                return _node_term(item)
            return rdfc.iri(_iri(context.active, item, vocab=coerce == "@vocab"))
        if coerce in ("@json", "@none"):
            raise _Unsupported
        if isinstance(item, bool):
            return rdfc.literal("true" if item else "false", coerce or _XSD + "boolean")
        if isinstance(item, (int, float)):
            if jsonld._is_double(item):
                return rdfc.literal(jsonld._canonicalize_double(item), coerce or _XSD + "double")
            if coerce == _XSD + "double" or abs(item) >= 1e21:
                return rdfc.literal(jsonld._canonicalize_double(float(item)), coerce or _XSD + "double")
            return rdfc.literal(str(int(item)), coerce or _XSD + "integer")
        if isinstance(item, str):
            return rdfc.literal(item, coerce)
        raise _Unsupported


def fast_quads(document: dict[str, Any]) -> list[rdfc.Quad] | None:
    """The document's dataset by the fast path; None when it needs the reference path."""
    if not isinstance(document, dict) or "@context" not in document:
        return None
    try:
        context = _root(document["@context"])
        body = {k: v for k, v in document.items() if k != "@context"}
        builder = _Builder()
        builder.node(body, context)
    except (_Unsupported, jsonld.JsonLdError, RecursionError, TypeError, AttributeError):
        return None
    return builder.quads


def fast_canonize(document: dict[str, Any]) -> str:
    """Canonical N-Quads, by the fast path when the document allows it."""
    quads = fast_quads(document)
    if quads is None:
        return canonize(document)
    return rdfc.canonize(quads)
