"""RDFC-1.0's n-degree hashing: symmetric blank-node structures (cycles, cliques, pairs of nodes
whose first-degree hashes agree, blank graph names) get the labels of pyld's independent
URDNA2015 implementation, and the limit on n-degree work counts exactly what the spec does."""

import random

import pytest
from pyld import jsonld

from forward.vc import rdfc

P = rdfc.iri("http://ex.org/p")
Q = rdfc.iri("http://ex.org/q")
S = rdfc.iri("http://ex.org/s")


def _pyld(quads):
    text = "".join(rdfc.quad_nquads(q) for q in quads)
    return jsonld.normalize(text, {"inputFormat": "application/n-quads", "algorithm": "URDNA2015",
                                   "format": "application/n-quads"})


def _b(name):
    return rdfc.blank(name)


def _cycle(names, predicate=P, graph=None):
    return [rdfc.Quad(_b(a), predicate, _b(names[(i + 1) % len(names)]), graph) for i, a in enumerate(names)]


def _clique(names, predicate=P):
    return [rdfc.Quad(_b(a), predicate, _b(c)) for a in names for c in names if a != c]


def _shapes():
    shapes = {
        "pair": _cycle(["x", "y"]),
        "triangle": _cycle(["x", "y", "z"]),
        "square": _cycle(["a", "b", "c", "d"]),
        "hexagon": _cycle(list("abcdef")),
        "two triangles": _cycle(["a", "b", "c"]) + _cycle(["d", "e", "f"]),
        "triangle and square": _cycle(["a", "b", "c"]) + _cycle(["d", "e", "f", "g"]),
        "k3": _clique(["a", "b", "c"]),
        "k4": _clique(["a", "b", "c", "d"]),
        "two predicates": _cycle(["a", "b", "c"]) + _cycle(["a", "c", "b"], Q),
        "square with a diagonal": [*_cycle(list("abcd")), rdfc.Quad(_b("a"), Q, _b("c"))],
        "tagged cycle": [*_cycle(list("abcd")), rdfc.Quad(_b("a"), Q, rdfc.literal("tag"))],
        "anchored cycle": [*_cycle(list("abcd")), rdfc.Quad(S, P, _b("a"))],
        "star": [rdfc.Quad(_b("hub"), P, _b(x)) for x in "abc"] + [rdfc.Quad(_b(x), Q, _b("leaf" + x)) for x in "abc"],
        "undirected square": _cycle(list("abcd")) + _cycle(list("dcba")),
        "cycles in blank graphs": _cycle(["a", "b"], graph=_b("g")) + _cycle(["c", "d"], graph=_b("h")),
        "blank graph holding a triangle": [*_cycle(["a", "b", "c"], graph=_b("g")), rdfc.Quad(_b("g"), P, _b("a"))],
        "same graph, two pairs": _cycle(["a", "b"], graph=_b("g")) + _cycle(["c", "d"], graph=_b("g")),
        "graphs named alike": [rdfc.Quad(S, P, _b("a"), _b("g")), rdfc.Quad(S, P, _b("b"), _b("h")),
                               rdfc.Quad(_b("a"), Q, _b("b"))],
        "unique node among twins": [rdfc.Quad(_b("u"), Q, _b("a")), rdfc.Quad(_b("u"), Q, _b("b")),
                                    rdfc.Quad(_b("a"), P, _b("b")), rdfc.Quad(_b("b"), P, _b("a"))],
    }
    for first, second in [(2, 3), (2, 4), (2, 5), (3, 4), (3, 5), (4, 5), (2, 6), (3, 6), (4, 6), (5, 6)]:
        left = [f"l{i}" for i in range(first)]
        right = [f"r{i}" for i in range(second)]
        shapes[f"cycles of {first} and {second}"] = _cycle(left) + _cycle(right)
        shapes[f"cycles of {first} and {second} in blank graphs"] = (_cycle(left, graph=_b("g"))
                                                                     + _cycle(right, graph=_b("h")))
    # Found by comparing mutated canonicalizers with pyld on random graphs: a node reached from an
    # earlier group of alike nodes, a permutation pruned during recursion, a path built in order.
    found = {
        "reached from an earlier group": [("n4", P, "n6", None), ("n3", P, "n0", None), ("n1", P, "n3", None)],
        "pruned in recursion": [("n4", P, "n5", None), ("n6", P, "n1", None), ("n4", P, "n6", None),
                                ("n1", P, "n5", None), ("n1", P, "n3", None), ("n5", P, "n1", None),
                                ("n2", P, "n6", None), ("n2", P, "n1", None)],
        "path over graphs": [("n4", P, "n0", None), ("n3", Q, "n1", None), ("n5", P, "n0", None),
                             ("n1", P, "n4", "h"), ("n5", P, "n0", "g"), ("n4", P, "n5", "h"), ("n0", P, "n1", "g")],
        "a later permutation after a pruned one": [
            (s, P, o, None) for s, o in [("n6", "n0"), ("n6", "n1"), ("n5", "n2"), ("n2", "n5"), ("n5", "n3"), ("n1", "n2"),
                                         ("n6", "n4"), ("n4", "n2"), ("n3", "n0"), ("n1", "n3"), ("n0", "n6"), ("n4", "n0")]],
    }
    for name, rows in found.items():
        shapes[name] = [rdfc.Quad(_b(s), p, _b(o), _b(g) if g else None) for s, p, o, g in rows]
    rng = random.Random(7)
    for n in range(40):
        names = [f"n{i}" for i in range(rng.randint(3, 6))]
        quads = {}
        for _ in range(rng.randint(3, 9)):
            a, c = rng.sample(names, 2)
            graph = rng.choice([None, None, _b("g"), _b("h"), S])
            quads[rdfc.Quad(_b(a), rng.choice([P, Q]), _b(c), graph)] = None
        shapes[f"random {n}"] = list(quads)
    return shapes


SHAPES = _shapes()


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_symmetric_blank_nodes_are_labelled_as_an_independent_implementation_does(name):
    quads = SHAPES[name]
    expected = _pyld(quads)
    assert rdfc.canonize(quads) == expected
    rng = random.Random(name)
    blanks = sorted({t[1] for q in quads for t in q if t is not None and t[0] == "b"})
    renamed = dict(zip(blanks, rng.sample([f"r{i}" for i in range(len(blanks))], len(blanks)), strict=True))
    shuffled = [rdfc.Quad(*(_b(renamed[t[1]]) if t is not None and t[0] == "b" else t for t in q)) for q in quads]
    rng.shuffle(shuffled)
    assert rdfc.canonize(shuffled) == expected


def test_a_two_cycle_is_labelled_c14n0_c14n1():
    assert rdfc.canonize(_cycle(["y", "x"])) == "_:c14n0 <http://ex.org/p> _:c14n1 .\n_:c14n1 <http://ex.org/p> _:c14n0 .\n"


TOO_ENTANGLED = "the document's blank nodes are too entangled to canonicalize"


def test_the_limit_counts_every_n_degree_hash_and_permutation(monkeypatch):
    # Two blank nodes pointing at each other share a first-degree hash. For each of them (in the
    # spec's words): its n-degree hash (1), the neighbour's two related hashes (as subject, as
    # object), each a group of one permutation (2, 6), and inside the first the neighbour's own
    # n-degree hash (3) with its two groups of one permutation (4, 5): 12 steps in all.
    quads = _cycle(["x", "y"])
    monkeypatch.setattr(rdfc, "MAX_DEEP_CALLS", 12)
    assert rdfc.canonize(quads) == "_:c14n0 <http://ex.org/p> _:c14n1 .\n_:c14n1 <http://ex.org/p> _:c14n0 .\n"
    for limit in (11, 8, 0):  # stopped at a permutation, at an n-degree hash, at the first one
        monkeypatch.setattr(rdfc, "MAX_DEEP_CALLS", limit)
        with pytest.raises(rdfc.RdfcError) as caught:
            rdfc.canonize(quads)
        assert str(caught.value) == TOO_ENTANGLED


def test_the_limit_admits_exactly_its_number_of_n_degree_hashes(monkeypatch):
    # Two blank nodes alike with no blank neighbours: one n-degree hash each, no permutation.
    quads = [rdfc.Quad(_b("x"), P, S), rdfc.Quad(_b("y"), P, S)]
    monkeypatch.setattr(rdfc, "MAX_DEEP_CALLS", 2)
    assert rdfc.canonize(quads) == "_:c14n0 <http://ex.org/p> <http://ex.org/s> .\n_:c14n1 <http://ex.org/p> <http://ex.org/s> .\n"
    monkeypatch.setattr(rdfc, "MAX_DEEP_CALLS", 1)
    with pytest.raises(rdfc.RdfcError) as caught:
        rdfc.canonize(quads)
    assert str(caught.value) == TOO_ENTANGLED


def test_every_permutation_of_a_clique_is_counted(monkeypatch):
    # K4 takes 556 steps (a regression pin: pruned permutations are still counted as tried, and
    # the permutations after a pruned one are still tried).
    quads = _clique(["a", "b", "c", "d"])
    monkeypatch.setattr(rdfc, "MAX_DEEP_CALLS", 556)
    assert rdfc.canonize(quads) == _pyld(quads)
    monkeypatch.setattr(rdfc, "MAX_DEEP_CALLS", 555)
    with pytest.raises(rdfc.RdfcError) as caught:
        rdfc.canonize(quads)
    assert str(caught.value) == TOO_ENTANGLED


def test_the_poison_graph_message_is_whole():
    nodes = [f"n{i}" for i in range(10)]
    with pytest.raises(rdfc.RdfcError) as caught:
        rdfc.canonize(_clique(nodes))
    assert str(caught.value) == TOO_ENTANGLED
