"""A file that is not UTF-8 is refused with the line and byte of its first bad sequence, wherever
it falls: in a text or a number column, and across the chunks the file is read in."""

from __future__ import annotations

import pytest

from forward.scoring import SubmissionError, reading, score_key_files
from forward.scoring.reading import _line_of_bad_utf8


def refusal(tmp_path, key: str, metric: str, submission: bytes) -> str:
    (tmp_path / "key.csv").write_text(key)
    (tmp_path / "s.csv").write_bytes(submission)
    with pytest.raises(SubmissionError) as caught:
        score_key_files(tmp_path / "key.csv", tmp_path / "s.csv", metric)
    return str(caught.value)


def test_a_bad_byte_in_a_text_column_is_located(tmp_path):
    assert refusal(tmp_path, "id,target\nq1,10\nq2,20\n", "answers", b"id,target\nq1,10\nq2,2\xff0\n") == (
        "The submission is not UTF-8 text (line 3, byte 5). Save it as “CSV UTF-8”.")


def test_a_bad_byte_in_a_number_column_is_located(tmp_path):
    assert refusal(tmp_path, "id,target\n1,1.5\n2,2.5\n", "rmse", b"id,target\n1,1.5\n2,2\xff.5\n") == (
        "The submission is not UTF-8 text (line 3, byte 4). Save it as “CSV UTF-8”.")


@pytest.mark.parametrize(("data", "where"), [
    (b"a\xffb", (1, 2)),
    (b"ab\nc\xc3\xa9d\n\xffx", (3, 1)),  # é split by a chunk boundary is valid
    (b"a\n\xf0\x9f\x98\x80b\n\xffx", (3, 1)),  # so is a 4-byte character cut after 3
    (b"abcd\nefgh\nij\xffkl", (3, 3)),  # after whole valid chunks
    (b"ab\ncd\n\xc3", (3, 1)),  # a sequence cut short by the end of the file
])
@pytest.mark.parametrize("chunk", [5, 1024 * 1024])
def test_the_first_bad_sequence_is_found_across_chunks(tmp_path, monkeypatch, data, where, chunk):
    monkeypatch.setattr(reading, "CHUNK", chunk)
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert _line_of_bad_utf8(path) == where
