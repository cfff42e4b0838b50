"""Reading a CSV into typed columns: each refusal names the line, the column and the value, in words
a participant can act on, and the helpers behind alignment keep their contracts."""


import pytest

from forward.scoring import SubmissionError
from forward.scoring.reading import (
    read_columns,
)

NUMBERS = {"id": "int64", "target": "float64"}
TEXT_IDS = {"id": "string", "target": "float64"}


def refusal(tmp_path, content: bytes, types=None, names=("id", "target")) -> str:
    path = tmp_path / "submission.csv"
    path.write_bytes(content)
    with pytest.raises(SubmissionError) as refused:
        read_columns(path, list(names), types or NUMBERS, SubmissionError, what="submission")
    return str(refused.value)


# --- pyarrow's words, not the file's ---------------------------------------------------------


def test_a_value_that_reads_utf8_is_not_taken_for_bad_text(tmp_path):
    assert refusal(tmp_path, b"id,target\n1,0.5\n2,UTF8\n") == "Line 3: the target value 'UTF8' is not a number."


def test_a_row_with_too_many_fields_that_mentions_utf8_is_named_by_its_line(tmp_path):
    assert refusal(tmp_path, b"id,target\n1,0.5\n2,0.5,UTF-8\n") == "Line 3 has 3 fields; the header has 2."


def test_a_value_that_reads_like_a_field_count_is_not_taken_for_one(tmp_path):
    assert refusal(tmp_path, b"id,target\n1,0.5\n2,Expected 3 columns\n") == (
        "Line 3: the target value 'Expected 3 columns' is not a number.")
