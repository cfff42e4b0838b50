"""Line 1 of a CSV (read_header), the row limit of a plain file (plain_csv's line count) and the
sizes in messages: each refusal is checked whole, at its boundary."""

import tracemalloc

import pytest

from forward.scoring import SolutionError, SubmissionError, load_solution
from forward.scoring.reading import MAX_HEADER_BYTES, Limits, plain_csv, read_header

WANTED = "; the file needs only the columns id, target."


def write(tmp_path, content, name="file.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def header_error(path, *expected):
    with pytest.raises(SubmissionError) as caught:
        read_header(path, SubmissionError, *expected)
    return str(caught.value)


# --- read_header ------------------------------------------------------------------------------------------


def test_without_expected_columns_the_messages_end_at_the_problem(tmp_path):
    long_line = write(tmp_path, "id," + "x" * MAX_HEADER_BYTES + "\n1,2\n", "long.csv")
    assert header_error(long_line) == "Line 1 is longer than 1 MB; it should only name the columns."
    wide = write(tmp_path, ",".join(f"c{i}" for i in range(1001)) + "\n", "wide.csv")
    assert header_error(wide) == "Line 1 has 1,001 columns; at most 1,000 are read."
    assert header_error(wide, "id, target") == "Line 1 has 1,001 columns; at most 1,000 are read" + WANTED


def test_line_1_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    # Spaces around a name are not part of it, so line 1 can be padded to any length (over 20
    # fields: the csv module refuses a field over 131,072 characters).
    names = [f"c{i}" for i in range(20)]
    pad = MAX_HEADER_BYTES - len(",".join(names) + "\n")
    line = ",".join(n + " " * (pad // 20 + (pad % 20 if i == 0 else 0)) for i, n in enumerate(names)) + "\n"
    assert len(line.encode()) == MAX_HEADER_BYTES
    assert read_header(write(tmp_path, line + "1,0.5\n"), SubmissionError) == names
    longer = write(tmp_path, " " + line + "1,0.5\n", "longer.csv")
    assert header_error(longer, "id, target") == ("Line 1 is longer than 1 MB; it should only name the "
                                                  "columns" + WANTED)


def test_a_line_1_without_end_is_refused_after_reading_about_its_first_megabyte(tmp_path):
    path = write(tmp_path, b"id," + b"x" * (40 * 1024 * 1024))
    tracemalloc.start()
    try:
        message = header_error(path, "id, target")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message == "Line 1 is longer than 1 MB; it should only name the columns" + WANTED
    assert peak < 4 * 1024 * 1024


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\n1,0.5\n", b" \n1,0.5\n", b'""\n1,0.5\n'])
def test_a_file_without_column_names_is_called_empty(tmp_path, content):
    # A byte-order mark alone passes the size check (the file is not 0 bytes) but names nothing.
    with pytest.raises(SolutionError) as caught:
        load_solution(write(tmp_path, content), "rmse")
    assert str(caught.value) == "The file is empty: line 1 should name the columns."


def test_a_line_1_the_csv_reader_refuses_is_not_a_header(tmp_path):
    # A field over the csv module's limit (131,072 characters) while line 1 is under 1 MB.
    path = write(tmp_path, "id," + "x" * 200_000 + "\n1,0.5\n")
    assert header_error(path) == "Line 1 is not a CSV header; it should name the columns, e.g. id,target."


@pytest.mark.parametrize(("line", "column"), [("id,,target, \n", 2), (",id,target,\n", 1), ("id,target,\n", 3)])
def test_the_first_column_without_a_name_is_named(tmp_path, line, column):
    assert header_error(write(tmp_path, line + "1,2,3,4\n")) == f"Column {column} on line 1 has no name."


def test_a_name_of_the_longest_length_is_read_and_one_character_more_is_refused(tmp_path):
    name = "n" * 1000
    assert read_header(write(tmp_path, f"id,{name}\n"), SubmissionError) == ["id", name]
    longer = write(tmp_path, f"id,{name}é\n", "longer.csv")
    assert header_error(longer, "id, target") == ("A column name on line 1 is 1,001 characters long; names may "
                                                  "be at most 1,000" + WANTED)


@pytest.mark.parametrize("line", ["id,target,id\n", "id,target, target \n"])
def test_a_name_given_twice_is_named(tmp_path, line):
    name = line.split(",")[-1].strip()
    assert header_error(write(tmp_path, line)) == f"The column {name} appears twice on line 1."


# --- Sizes in messages ---------------------------------------------------------------------------------


def refusal(path, limits):
    with pytest.raises(SubmissionError) as caught, plain_csv(path, SubmissionError, limits):
        pass
    return str(caught.value)


def test_sizes_under_a_megabyte_are_whole_kilobytes(tmp_path):
    path = write(tmp_path, b"id\n" + b"1" * (600 * 1024 - 4) + b"\n")
    assert refusal(path, Limits(max_bytes=500 * 1024)) == "The file is 600 KB, more than 500 KB, the limit."


def test_sizes_of_a_megabyte_or_more_are_rounded_megabytes(tmp_path):
    # 2.502 MiB rounds up to 3 MB (a MiB is 1024² bytes: 1025² would make it 2.497).
    path = write(tmp_path, b"id\n" + b"1" * (2 * 1024**2 + 527_000 - 4) + b"\n")
    assert refusal(path, Limits(max_bytes=2 * 1024**2)) == "The file is 3 MB, more than 2 MB, the limit."


# --- The row limit of a plain file ---------------------------------------------------------------------


def test_a_plain_file_with_as_many_lines_as_allowed_is_read(tmp_path):
    path = write(tmp_path, "id,target\n1,0.5\n2,0.6\n")
    with plain_csv(path, SubmissionError, Limits(max_lines=3)) as plain:
        assert plain == path


@pytest.mark.parametrize("content", ["id,target\n1,0.5\n2,0.6\n3,0.7\n", "\n\n\n\n"])
def test_one_line_more_is_refused_every_line_end_counting(tmp_path, content):
    path = write(tmp_path, content)
    assert refusal(path, Limits(max_lines=3)) == "The file has more than 2 rows."
    assert refusal(path, Limits(max_lines=3, expected="a submission has 2 rows")) == (
        "The file has more than 2 rows; a submission has 2 rows.")


def test_lines_are_counted_across_the_16_megabyte_stretches(tmp_path):
    # 17.5 MB: a first stretch of 16 MB and a second one; every line end in both counts once.
    rows = (17 * 1024**2 + 512 * 1024) // 8
    path = write(tmp_path, b"\n" + b"1234567\n" * rows)
    lines = rows + 1
    with plain_csv(path, SubmissionError, Limits(max_lines=lines)) as plain:
        assert plain == path
    assert refusal(path, Limits(max_lines=lines - 1)) == f"The file has more than {lines - 2:,} rows."
