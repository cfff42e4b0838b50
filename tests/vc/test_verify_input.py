"""What the verifier accepts as a credential: a dict, JSON text or bytes (with or without a byte-order
mark) or a compact JWT; anything else is refused by the format check with a reason the holder can act
on, and JSON beyond the parser's limits is refused with the limit it broke."""

import json

import pytest

from forward.vc import verify

from .helpers_structure import check, refused, signed, token

NOT_TEXT = "This is not text: give the credential's .json or .jwt file."
NOTHING = "Nothing to check: give a credential as a JWT or as JSON."
NEITHER = "This is neither a JWT (three base64url parts separated by dots) nor a JSON credential."


def format_refused(report: verify.Report, message: str) -> None:
    refused(report, [verify.Check("format", False, message)])


@pytest.mark.parametrize("encode", [
    lambda document: json.dumps(document, ensure_ascii=False).encode("utf-8"),  # 云计算基础 as UTF-8 bytes
    lambda document: bytearray(json.dumps(document).encode("utf-8")),
    lambda document: json.dumps(document, ensure_ascii=False),
    lambda document: "\ufeff" + json.dumps(document, indent=2),  # a file saved with a byte-order mark
    lambda document: "\n  \ufeff" + json.dumps(document) + "\n",
])
def test_a_credential_given_as_json_text_or_bytes_verifies_and_is_reported_as_read(encode):
    document = signed()
    report = check(encode(document))
    assert report.ok and report.proof_format == "Data Integrity (eddsa-rdfc-2022)"
    assert report.credential == {k: v for k, v in document.items() if k != "proof"}


@pytest.mark.parametrize("wrap", [str, lambda t: "\ufeff" + t, lambda t: "\n " + t + " \r\n", lambda t: t.encode("ascii")])
def test_a_jwt_given_as_text_or_bytes_verifies(wrap):
    report = check(wrap(token()))
    assert report.ok and report.proof_format == "VC-JWT (RS256)"


def test_bytes_that_are_not_utf8_are_not_text():
    format_refused(check(b"\xff\xfe{\x00\"\x00"), NOT_TEXT)  # a UTF-16 file
    format_refused(check(bytearray(b'{"name": "caf\xe9"}')), NOT_TEXT)  # Latin-1


@pytest.mark.parametrize("data", ["", "   \n\t", b"", b" \r\n", None, 42, ["a.b.c"], 3.5])
def test_nothing_or_something_that_is_not_text_leaves_nothing_to_check(data):
    format_refused(check(data), NOTHING)


@pytest.mark.parametrize("data", ["a.b", "a.b.c.d", "not a credential", "\ufeff", "<credential/>"])
def test_text_that_is_neither_a_jwt_nor_json_is_refused(data):
    format_refused(check(data), NEITHER)


def test_only_the_byte_order_mark_is_taken_off_a_jwt():
    # A byte-order mark is dropped; any other character in front spoils the first base64url part.
    report = check("X" + token())
    assert not report.ok and [c.name for c in report.checks] == ["format"]
    assert report.reason.startswith("This JWT cannot be read: ")


@pytest.mark.parametrize("text,message", [
    ("{oops", "This is not valid JSON (Expecting property name enclosed in double quotes at line 1, column 2)."),
    ('{"name": "Cloud"}\n{"name": "Data"}', "This is not valid JSON (Extra data at line 2, column 1)."),
    ('{"a":' * 65 + "1" + "}" * 65, "The JSON is nested deeper than 64 levels."),
    ('{"credits": ' + "9" * 101 + "}", "A number in the JSON has more than 100 digits."),
    ('{"credits": NaN}', "NaN is not a JSON number: numbers must be finite."),
    ('{"credits": 1e999}', "A number in the JSON is too large (1e999): numbers must be finite."),
])
def test_json_that_cannot_be_read_or_is_beyond_a_limit_is_refused_with_the_limit(text, message):
    format_refused(check(text), message)
    format_refused(check(text.encode("utf-8")), message)


def test_json_at_the_depth_limit_is_read_and_checked_as_a_credential():
    report = check('{"a":' * 63 + "1" + "}" * 63)  # 63 levels here, 64 with the outer object
    format_refused(report, "The credential's @context must start with https://www.w3.org/ns/credentials/v2.")
    assert report.credential == json.loads('{"a":' * 63 + "1" + "}" * 63)


@pytest.mark.parametrize("text", ["[]", '["a.b.c"]', "[{}]"])
def test_json_that_is_not_an_object_is_not_a_credential(text):
    # A JSON array (a list of credentials, say) used to be called "neither a JWT nor JSON".
    format_refused(check(text), "A credential is a JSON object.")


def test_a_credential_wrapped_in_an_array_is_not_one():
    format_refused(check("[" + json.dumps(signed()) + "]"), "A credential is a JSON object.")
    format_refused(check(b"[" * 65 + b"]" * 65), "The JSON is nested deeper than 64 levels.")
