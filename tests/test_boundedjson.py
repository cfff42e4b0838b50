"""forward.boundedjson: JSON from strangers within limits, one exception type, never a crash."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forward import boundedjson
from forward.boundedjson import JSONLimitError, loads, nesting_depth


@pytest.mark.parametrize("text, words", [
    ("[" * 100_000, "nested deeper than 64"),
    ("{" * 65, "nested deeper than 64"),
    ("[" * 65 + "]" * 65, "nested deeper than 64"),
    ("9" * 5001, "more than 100 digits"),
    ("-" + "1" * 200 + ".5", "more than 100 digits"),
    ("NaN", "NaN is not a JSON number"),
    ("[Infinity]", "Infinity is not a JSON number"),
    ('{"a": -Infinity}', "-Infinity is not a JSON number"),
    ("1e999", "numbers must be finite"),
    ("{nope", "not valid JSON"),
    (b"\xff\xfe", "not UTF-8"),
])
def test_what_is_refused_and_why(text, words):
    with pytest.raises(JSONLimitError, match=words) as refused:
        loads(text)
    assert refused.value.status == 400


def test_size_is_checked_before_parsing_with_its_own_status():
    with pytest.raises(JSONLimitError, match="larger than 1 KB") as refused:
        loads("[" + "1," * 1000 + "1]", max_bytes=1024)
    assert refused.value.status == 413


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = json.dumps({"a": "[[[[{{{{" * 100, "b": ['\\"[', "]"]})
    assert nesting_depth(text) == 2
    assert loads(text)["a"].startswith("[[[[")
    value = loads("[" * 64 + "]" * 64)  # 64 levels are fine
    for _level in range(63):
        value = value[0]
    assert value == []


def test_messages_are_templates_a_caller_translates():
    with pytest.raises(JSONLimitError) as refused:
        loads("[" * 70)
    translations = {"The JSON is nested deeper than %(n)d levels.": "JSON 嵌套超过 %(n)d 层。"}
    assert refused.value.message(translations.get) == "JSON 嵌套超过 64 层。"


scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.deferred(lambda: scalars | st.lists(json_values, max_size=4)
                          | st.dictionaries(st.text(), json_values, max_size=4))


@given(json_values)
def test_ordinary_json_reads_as_the_standard_library_reads_it(value):
    text = json.dumps(value)
    assert loads(text) == json.loads(text)
    assert nesting_depth(text) <= boundedjson.MAX_DEPTH


@given(st.text(alphabet='[]{}",:0123456789.eE-+ \\aN', max_size=200))
def test_any_text_is_json_or_a_json_limit_error(text):
    with contextlib.suppress(JSONLimitError):  # anything else (RecursionError, a plain ValueError) fails
        loads(text)
