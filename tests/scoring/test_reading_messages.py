"""Reading a CSV into typed columns: each refusal names the line, the column and the value, in words
a participant can act on, and the helpers behind alignment keep their contracts."""

import random
import zipfile
import zlib

import pyarrow as pa
import pytest

from forward.scoring import SolutionError, SubmissionError, load_solution
from forward.scoring.reading import (
    RATIO_FLOOR,
    Limits,
    plain_csv,
    read_columns,
    string_bytes,
    trimmed,
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


# --- Why a line cannot be read --------------------------------------------------------------


def test_a_row_with_too_many_fields_is_named_by_its_line_not_by_its_count(tmp_path):
    assert refusal(tmp_path, b"id,target\n1,0.5\n2,0.5\n3,0.5,x\n") == "Line 4 has 3 fields; the header has 2."


def test_bad_text_before_a_row_with_too_many_fields_is_named_first(tmp_path):
    assert refusal(tmp_path, b"id,target\na\xff,0.5\nb,0.5,x\n", TEXT_IDS) == (
        "The submission is not UTF-8 text (line 2, byte 2). Save it as \u201cCSV UTF-8\u201d.")


def test_a_row_with_too_many_fields_past_a_value_too_long_to_locate_is_reported_in_pyarrows_words(tmp_path):
    # Python's csv module stops at a field over 128 KB, so the row is not found by line.
    content = b"id,target\n" + b"a" * 200_000 + b",0.5\nb,0.5,x\n"
    assert refusal(tmp_path, content, TEXT_IDS) == (
        "A line has a different number of fields than the header "
        "(CSV parse error: Expected 2 columns, got 3: b,0.5,x).")


# --- Which value is not a number ------------------------------------------------------------


def test_text_ids_are_not_taken_for_the_bad_number(tmp_path):
    assert refusal(tmp_path, b"id,target\na,0.5\nb,x\n", TEXT_IDS) == "Line 3: the target value 'x' is not a number."


def test_a_category_column_is_not_taken_for_the_bad_number(tmp_path):
    content = b"Usage,target\nPublic,0.5\nPrivate,x\n"
    assert refusal(tmp_path, content, {"Usage": "category", "target": "float64"}, names=("Usage", "target")) == (
        "Line 3: the target value 'x' is not a number.")


def test_a_bad_number_is_found_under_a_header_written_with_spaces(tmp_path):
    assert refusal(tmp_path, b"id , target\n1,0.5\n2,x\n") == "Line 3: the target value 'x' is not a number."


@pytest.mark.parametrize("value", ["#N/A", "NULL", "NA", "n/a"])
def test_a_spreadsheets_missing_value_is_not_a_number(tmp_path, value):
    content = f"id,target\n1,0.5\n2,{value}\n".encode()
    assert refusal(tmp_path, content) == f"Line 3: the target value {value!r} is not a number."


def test_a_decimal_id_is_not_a_whole_number(tmp_path):
    assert refusal(tmp_path, b"id,target\n1,0.5\n2.5,0.5\n") == "Line 3: the id value '2.5' is not a whole number."


def test_infinity_is_a_number_but_not_a_whole_number(tmp_path):
    assert refusal(tmp_path, b"id,target\n1,inf\n2,-Infinity\n3,x\n") == (
        "Line 4: the target value 'x' is not a number.")
    assert refusal(tmp_path, b"id,target\n1,0.5\nnan,0.5\n2.5,0.5\n") == (
        "Line 3: the id value 'nan' is not a whole number.")


def test_a_number_of_spaces_only_is_empty(tmp_path):
    assert refusal(tmp_path, b"id,target\n1,0.5\n2,0.5\n3,   \n") == "Line 4: the target value is empty."


def test_a_long_bad_value_is_shown_by_its_first_40_characters(tmp_path):
    value = "0123456789abcdefghij" * 3
    content = f"id,target\n1,{value}\n".encode()
    assert refusal(tmp_path, content) == f"Line 2: the target value {value[:40]!r} is not a number."


# --- Too many rows, and .zip files ----------------------------------------------------------


def test_too_many_rows_without_an_expected_size_ends_the_sentence(tmp_path):
    path = tmp_path / "submission.csv"
    path.write_bytes(b"id,target\n1,0.5\n2,0.5\n3,0.5\n")
    with pytest.raises(SubmissionError) as refused, plain_csv(path, SubmissionError, Limits(max_lines=3)):
        pass
    assert str(refused.value) == "The file has more than 2 rows."


def test_every_file_under_macosx_is_metadata_whatever_its_name(tmp_path):
    path = tmp_path / "submission.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("predictions.csv", b"id,target\n1,0.5\n")
        archive.writestr("__MACOSX/predictions.csv", b"resource fork")
    with plain_csv(path, SubmissionError) as plain:
        assert plain.read_bytes() == b"id,target\n1,0.5\n"


def exactly_100_fold() -> bytes:
    """A CSV over 50 MB that DEFLATE (as zipfile runs it) packs to exactly a hundredth of its size."""
    head = b"id,target\n" + random.Random(7).randbytes(480_000)  # random bytes do not compress
    zeros = RATIO_FLOOR
    for _ in range(50):
        packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        over = len(head) + zeros - 100 * len(packer.compress(head + bytes(zeros)) + packer.flush())
        if over == 0:
            return head + bytes(zeros)
        zeros -= over  # a zero more adds about a thousandth of a byte packed
    raise AssertionError("no size found")


def test_past_50_mb_a_file_that_expands_exactly_100_fold_is_read(tmp_path):
    content = exactly_100_fold()
    path = tmp_path / "submission.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.csv", content)
    member = zipfile.ZipFile(path).infolist()[0]
    assert member.file_size == 100 * member.compress_size > RATIO_FLOOR
    with plain_csv(path, SubmissionError, 200 * 1024**2) as plain:
        assert plain.stat().st_size == len(content)


# --- Duplicate ids --------------------------------------------------------------------------


def key_refusal(tmp_path, lines: list[str]) -> str:
    path = tmp_path / "key.csv"
    path.write_text("id,target\n" + "".join(f"{line}\n" for line in lines))
    with pytest.raises(SolutionError) as refused:
        load_solution(path, "rmse", parts=False)
    return str(refused.value)


@pytest.mark.parametrize("prefix", ["", "q"])
def test_duplicates_show_the_first_five_ids(tmp_path, prefix):
    ids = [f"{prefix}{i}" for i in range(1, 8)]
    assert key_refusal(tmp_path, [f"{i},1" for i in ids + ids]) == (
        f"The answer key has 7 duplicate ids: {prefix}1 on lines 2, 9; {prefix}2 on lines 3, 10; "
        f"{prefix}3 on lines 4, 11; {prefix}4 on lines 5, 12; {prefix}5 on lines 6, 13.")


@pytest.mark.parametrize("prefix", ["", "q"])
def test_an_id_repeated_often_shows_its_first_five_lines(tmp_path, prefix):
    assert key_refusal(tmp_path, [f"{prefix}1,1"] * 7 + [f"{prefix}2,1"]) == (
        f"The answer key has 1 duplicate ids: {prefix}1 on lines 2, 3, 4, 5, 6.")


# --- Text helpers ---------------------------------------------------------------------------


def test_string_bytes_of_a_slice_hold_only_its_values(tmp_path):
    column = pa.array(["alpha", "be", "gamma", "delta", "epsilon"]).slice(1, 3)
    offsets, data = string_bytes(column)
    assert offsets.tolist() == [5, 7, 12, 17]
    assert bytes(data) == b"begammadelta"


@pytest.mark.parametrize(("values", "expected"), [
    ([" "], [""]),
    (["", ""], ["", ""]),
    (["ab", "cd"], ["ab", "cd"]),
    (["a\u00a0", "b"], ["a", "b"]),  # a non-breaking space is white space too
])
def test_trimmed_removes_surrounding_white_space(values, expected):
    assert trimmed(pa.array(values)).to_pylist() == expected


def test_trimmed_trims_large_text_columns_too():
    assert trimmed(pa.array(["ab", " c"], pa.large_string())).to_pylist() == ["ab", "c"]


# --- The value blamed is one pyarrow refused -----------------------------------------------


@pytest.mark.parametrize("accepted", ["007", " 12 ", "\t-3", "9223372036854775807", "-9223372036854775808"])
def test_a_whole_number_pyarrow_reads_is_not_blamed_for_a_later_bad_one(tmp_path, accepted):
    content = f"id,target\n{accepted},0.5\n2.5,0.5\n".encode()
    assert refusal(tmp_path, content) == "Line 3: the id value '2.5' is not a whole number."


@pytest.mark.parametrize("value", ["9223372036854775808", "-9223372036854775809", "12345678901234567890"])
def test_a_whole_number_past_the_int64_range_is_named(tmp_path, value):
    content = f"id,target\n1,0.5\n{value},0.5\n".encode()
    assert refusal(tmp_path, content) == f"Line 3: the id value {value!r} is not a whole number."


@pytest.mark.parametrize("value", ["\f1.5", "1.5\r", "inf\f", "\x0b2"])
def test_a_number_padded_with_white_space_pyarrow_does_not_trim_is_named(tmp_path, value):
    content = f'id,target\n1,0.5\n2,"{value}"\n'.encode()
    assert refusal(tmp_path, content) == f"Line 3: the target value {value!r} is not a number."


def test_a_row_that_quotes_pyarrows_words_twice_is_still_named_by_its_line(tmp_path):
    assert refusal(tmp_path, b"id,target\n1,0.5\n2,0.5,UTF8, got 1\n") == "Line 3 has 4 fields; the header has 2."


def test_a_long_text_id_is_not_a_whole_number(tmp_path):
    content = b"id,target\n1,0.5\norder-0000000000000002,0.5\n"
    assert refusal(tmp_path, content) == "Line 3: the id value 'order-0000000000000002' is not a whole number."


@pytest.mark.parametrize("value", ["infX", "Xnan"])
def test_a_word_around_inf_or_nan_is_not_a_number(tmp_path, value):
    content = f"id,target\n1,0.5\n2,{value}\n".encode()
    assert refusal(tmp_path, content) == f"Line 3: the target value {value!r} is not a number."
