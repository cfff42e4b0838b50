"""The N-Quads reader: escapes, language tags, datatypes, graph names, comments, line endings, and
the whole message for a line it cannot read."""

import pytest

from forward.vc import rdfc

S = rdfc.iri("http://ex.org/s")
P = rdfc.iri("http://ex.org/p")
OBJ = rdfc.iri("http://ex.org/o")
G = rdfc.iri("http://ex.org/g")


def _object(text):
    [quad] = rdfc.parse_nquads(f"<http://ex.org/s> <http://ex.org/p> {text} .")
    return quad.object


@pytest.mark.parametrize(("text", "value"), [
    (r'"a\u4E2Db"', "a中b"),
    (r'"a\U0010FFFDb\U0001F600c"', "a\U0010fffdb😀c"),
    (r'"\U0001F600"', "😀"),
    (r'"\t\b\n\r\f\"\\\'"', "\t\b\n\r\f\"\\'"),
    (r'"x\by\fz"', "x\by\fz"),
])
def test_escapes_are_read(text, value):
    assert _object(text) == rdfc.literal(value)


def test_language_tags_and_datatypes_are_read():
    assert _object('"colour"@en-GB') == rdfc.literal("colour", language="en-GB")
    assert _object('"ça"@fr') == rdfc.literal("ça", language="fr")
    assert rdfc.parse_nquads('<http://ex.org/s> <http://ex.org/p> "hi"@en-US.') == [
        rdfc.Quad(S, P, rdfc.literal("hi", language="en-US"))]
    assert rdfc.parse_nquads('<http://ex.org/s> <http://ex.org/p> "1"^^<http://ex.org/int> <http://ex.org/g> .') == [
        rdfc.Quad(S, P, rdfc.literal("1", "http://ex.org/int"), G)]
    assert rdfc.parse_nquads('<http://ex.org/s> <http://ex.org/p> "1"^^<http://ex.org/int>.') == [
        rdfc.Quad(S, P, rdfc.literal("1", "http://ex.org/int"))]
    tagged = rdfc.parse_nquads('<http://ex.org/s> <http://ex.org/p> "x"@de <http://ex.org/g> .')
    assert tagged == [rdfc.Quad(S, P, rdfc.literal("x", language="de"), G)]
    assert rdfc.canonize(tagged) == '<http://ex.org/s> <http://ex.org/p> "x"@de <http://ex.org/g> .\n'


def test_terms_need_no_spaces_between_them_and_blank_labels_are_whole():
    assert rdfc.parse_nquads("<http://ex.org/s><http://ex.org/p><http://ex.org/o>.") == [rdfc.Quad(S, P, OBJ)]
    assert rdfc.parse_nquads("_:ab <http://ex.org/p> _:cd _:gh .") == [
        rdfc.Quad(rdfc.blank("ab"), P, rdfc.blank("cd"), rdfc.blank("gh"))]


def test_graph_names_comments_blank_lines_and_line_endings():
    text = ("# a comment\r\n\r\n<http://ex.org/s> <http://ex.org/p> <http://ex.org/o> <http://ex.org/g> .\r\n"
            "   \t\n# another\n<http://ex.org/s> <http://ex.org/p> <http://ex.org/o> .  \n")
    assert rdfc.parse_nquads(text) == [rdfc.Quad(S, P, OBJ, G), rdfc.Quad(S, P, OBJ)]


def _error(text):
    with pytest.raises(rdfc.RdfcError) as caught:
        rdfc.parse_nquads(text)
    return str(caught.value)


EXPECTED = "expected subject, predicate, object, optional graph and a final '.'"


def test_malformed_lines_are_named_by_number():
    good = "<http://ex.org/s> <http://ex.org/p> <http://ex.org/o> .\n"
    assert _error(good + "\n# c\n<http://ex.org/s> <http://ex.org/p> .\n") == f"line 4: {EXPECTED}"
    assert _error("<http://ex.org/s> <http://ex.org/p> _:o") == f"line 1: {EXPECTED}"
    assert _error("<http://ex.org/s> <http://ex.org/p> <http://ex.org/o>") == f"line 1: {EXPECTED}"
    assert _error(good + "<http://ex.org/s> <http://ex.org/p> <http://ex.org/o> <http://ex.org/g> <http://ex.org/h> .") == (
        f"line 2: {EXPECTED}")
    assert _error("<http://ex.org/s> <http://ex.org/p> <http://ex.org/o> .\x0c") == "line 1: cannot read a term at '.\\x0c'"  # only spaces and tabs are white
    assert _error(good + good + "<http://ex.org/s> <http://ex.org/p> 42 is not a term at all .") == (
        "line 3: cannot read a term at '42 is not a term at '")
    assert _error('<http://ex.org/s> <http://ex.org/p> "x"@en') == f"line 1: {EXPECTED}"
    assert _error("X<http://ex.org/s> <http://ex.org/p> <http://ex.org/o> .X") == (
        "line 1: cannot read a term at 'X<http://ex.org/s> <'")


def test_an_escape_beyond_unicode_is_refused():
    with pytest.raises(ValueError, match="chr"):
        _object(r'"\U10000041"')


def test_an_empty_blank_label_or_language_tag_is_refused():
    assert _error("_: <http://ex.org/p> <http://ex.org/o> .") == "line 1: cannot read a term at '_: <http://ex.org/p>'"
    assert _error('<http://ex.org/s> <http://ex.org/p> "x"@.') == "line 1: cannot read a term at '\"x\"@.'"
    assert _error('<http://ex.org/s> <http://ex.org/p> "x"@ <http://ex.org/g> .') == (
        "line 1: cannot read a term at '\"x\"@ <http://ex.org/'")
    assert _error("<http://ex.org/s> <http://ex.org/p> _:") == "line 1: cannot read a term at '_:'"
    # The grammar's LANGTAG is "@" [a-zA-Z]+ ("-" [a-zA-Z0-9]+)*: one letter is a tag.
    assert _object('"x"@a') == rdfc.literal("x", language="a")
