"""read_columns and the checks after parsing: blank, empty, too long or multi-line text with its
line, the parsing options that decide what is empty, and the helpers it shares with the scorer."""

import numpy as np
import pyarrow as pa
import pytest

from forward.scoring import SolutionError, SubmissionError, load_solution, score
from forward.scoring.reading import (
    MAX_HEADER_BYTES,
    as_numpy,
    first_ids_are_integers,
    read_columns,
    read_header,
)

TEXT_SOLUTION = "id,target,Usage\nr1,0.5,Public\nr2,0.6,Private\nr3,0.7,Public\nr4,0.8,Private\n"


def write(tmp_path, content, name="file.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def read(path, types, **options):
    """The columns as Python lists, read with the names on line 1."""
    columns = read_columns(path, read_header(path, SubmissionError), types, SubmissionError, **options)
    return {name: column.to_pylist() for name, column in columns.items()}


def refusal(path, types, **options):
    with pytest.raises(SubmissionError) as caught:
        read(path, types, **options)
    return str(caught.value)


TEXT_AND_NUMBER = {"id": "string", "target": "float64"}


@pytest.fixture
def text_solution(tmp_path):
    return load_solution(write(tmp_path, TEXT_SOLUTION, "solution.csv"), "rmse")


# --- Empty text ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "metric", "message"), [
    ("id,target,Usage\nr1,0.5,Public\n,0.6,Private\nr3,0.7,Public\n", "rmse", "Line 3: the id value is empty."),
    ('id,target,Usage\nr1,0.5,Public\n"",0.6,Private\nr3,0.7,Public\n', "rmse", "Line 3: the id value is empty."),
    ("id,target,Usage\n1,cat,Public\n2,dog,Private\n3,,Public\n", "accuracy", "Line 4: the target value is empty."),
])
def test_an_empty_text_value_in_a_solution_is_refused_like_a_blank_one(tmp_path, content, metric, message):
    with pytest.raises(SolutionError) as caught:
        load_solution(write(tmp_path, content), metric)
    assert str(caught.value) == message


def test_an_empty_text_id_in_a_submission_is_named_by_its_line(tmp_path, text_solution):
    with pytest.raises(SubmissionError) as caught:
        score(text_solution, write(tmp_path, "id,target\nr1,0.5\nr2,0.6\n,0.7\nr4,0.8\n"))
    assert str(caught.value) == "Line 4: the id value is empty."


@pytest.mark.parametrize("content", ["id,target\nr1,0.5\n   ,0.6\n,0.7\n", 'id,target\nr1,0.5\n" ",0.6\n"",0.7\n',
                                     "id,target\nr1,0.5\n,0.6\n   ,0.7\n"])
def test_the_first_empty_or_blank_text_value_is_named(tmp_path, content):
    assert refusal(write(tmp_path, content), TEXT_AND_NUMBER) == "Line 3: the id value is empty."


def test_a_blank_value_in_a_file_of_one_row_is_refused(tmp_path):
    assert refusal(write(tmp_path, "id,target\n ,0.5\n"), TEXT_AND_NUMBER) == "Line 2: the id value is empty."


# --- Which problem is named first ------------------------------------------------------------------------


def test_a_quoted_empty_number_is_named_before_a_blank_id_on_a_later_line(tmp_path):
    path = write(tmp_path, 'id,target\nr1,""\n ,0.6\n')
    assert refusal(path, TEXT_AND_NUMBER) == "Line 2: the target value is empty."


def test_a_line_break_is_named_before_an_empty_number_on_a_later_line(tmp_path):
    path = write(tmp_path, 'id,target\n"r\n1",0.5\nr2,\n')
    assert refusal(path, TEXT_AND_NUMBER) == ("Line 2: the id value holds a line break; each value must be on one "
                                              "line (is a quote left open?).")


def test_a_line_with_a_field_too_many_is_named_before_a_wrong_number_above_it(tmp_path):
    # The file's shape is checked before its values, all through a file read in one block.
    rows = ["id,target", "1,abc"] + [f"{i},0.5" for i in range(2, 1_000_000)] + ["1000000,0.5,7"]
    path = write(tmp_path, "\n".join(rows) + "\n")
    assert refusal(path, {"id": "int64", "target": "float64"}) == "Line 1000001 has 3 fields; the header has 2."


# --- Length limits -----------------------------------------------------------------------------------------


def test_the_length_limit_counts_characters_not_bytes(tmp_path):
    accepted = "é" * 1000  # 2,000 bytes
    assert read(write(tmp_path, f"id,target\nr1,0.5\n{accepted},0.6\n"), TEXT_AND_NUMBER)["id"] == ["r1", accepted]
    path = write(tmp_path, f"id,target\nr1,0.5\nr2,0.6\n{accepted}é,0.7\n", "longer.csv")
    assert refusal(path, TEXT_AND_NUMBER) == ("Line 4: the value in column 'id' is 1,001 characters long; values may "
                                              "be at most 1,000.")


def test_a_column_can_have_its_own_length_limit(tmp_path):
    path = write(tmp_path, "id,target\nr1,cat\nr2,donkey\n")
    types = {"id": "string", "target": "string"}
    assert read(path, types, max_lengths={"target": 6})["target"] == ["cat", "donkey"]
    assert refusal(path, types, max_lengths={"target": 5}) == ("Line 3: the value in column 'target' is 6 "
                                                              "characters long; values may be at most 5.")


def test_a_value_of_megabytes_is_named_as_too_long(tmp_path):
    # A row far longer than a parsing block is still read, and refused for what it is.
    path = write(tmp_path, "id,target\nr1,0.5\n" + "x" * 3_000_000 + ",0.6\n")
    assert refusal(path, TEXT_AND_NUMBER) == ("Line 3: the value in column 'id' is 3,000,000 characters long; values "
                                              "may be at most 1,000.")


# --- Category columns (a solution's Usage) ------------------------------------------------------------------

SOLUTION_HEAD = "id,target,Usage\n1,0.5,Public\n2,0.6,Private\n3,0.7,Public\n"


@pytest.mark.parametrize(("last", "message"), [
    ("4,0.8, ", "Line 5: the Usage value is empty."),
    ("4,0.8,", "Line 5: the Usage value is empty."),
    ('4,0.8,"Pri\nvate"', "Line 5: the Usage value holds a line break; each value must be on one line "
                           "(is a quote left open?)."),
    ("4,0.8," + "P" * 1001, "Line 5: the value in column 'Usage' is 1,001 characters long; values may be at most "
                            "1,000."),
])
def test_a_category_value_is_checked_and_named_by_its_row(tmp_path, last, message):
    # Usage is read as a dictionary: Public, Private, then the bad value, third in it but on line 5.
    with pytest.raises(SolutionError) as caught:
        load_solution(write(tmp_path, SOLUTION_HEAD + last + "\n"), "rmse")
    assert str(caught.value) == message


# --- Reading options -----------------------------------------------------------------------------------------


def test_names_are_those_of_line_1_without_surrounding_spaces(tmp_path):
    path = write(tmp_path, "\ufeff id , target \nr1,0.5\nr2,0.6\n")
    assert read(path, TEXT_AND_NUMBER) == {"id": ["r1", "r2"], "target": [0.5, 0.6]}


def test_a_file_is_called_a_file_unless_told_otherwise(tmp_path):
    path = write(tmp_path, b"id,target\nr1,0.5\nr\xff2,0.6\n")
    assert refusal(path, TEXT_AND_NUMBER) == "The file is not UTF-8 text (line 3, byte 2). Save it as “CSV UTF-8”."
    assert refusal(path, TEXT_AND_NUMBER, what="submission") == ("The submission is not UTF-8 text (line 3, byte 2). "
                                                                 "Save it as “CSV UTF-8”.")


# --- Which line has the wrong number of fields ----------------------------------------------------------------


def test_a_spreadsheet_header_with_a_quoted_comma_counts_as_its_fields(tmp_path):
    # "CSV UTF-8" from a spreadsheet: a byte-order mark, then a quoted name holding a comma.
    path = write(tmp_path, '\ufeff"Id, text",target\nr1,0.5\nr2,0.6,7\n')
    assert refusal(path, {"Id, text": "string", "target": "float64"}) == "Line 3 has 3 fields; the header has 2."


def test_a_name_holding_a_line_break_makes_line_1_the_line_with_the_wrong_number_of_fields(tmp_path):
    path = write(tmp_path, '"id\nx",target\n1,0.5\n')
    assert read_header(path, SubmissionError) == ["id"]
    assert refusal(path, {"id": "string"}) == "Line 1 has 2 fields; the header has 1."


# --- first_ids_are_integers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "perhaps"), [
    ("17", True), ("-3", True), ('" +12"', True), ("", True),
    ('"\t-+ 0123456789"', True),  # every character an integer's text may hold
    ("r1", False), ("X1", False), ("1.5", False), ("12\x0c", False), ("1e3", False),
])
def test_the_first_id_decides_whether_integers_are_tried(tmp_path, first, perhaps):
    path = write(tmp_path, f"id,target\r\n{first},0.5\r\n2,0.6\r\n")
    assert first_ids_are_integers(path) is perhaps


def test_only_the_sample_of_the_first_data_line_is_looked_at(tmp_path):
    path = write(tmp_path, "id,target\n1234x,0.5\n")
    assert first_ids_are_integers(path, sample=4) is True
    assert first_ids_are_integers(path, sample=5) is False


def test_the_first_data_line_follows_a_header_of_the_longest_length(tmp_path):
    header = "id," + " " * (MAX_HEADER_BYTES - len("id,target\n")) + "target\n"
    path = write(tmp_path, header + "r1,0.5\n")
    assert first_ids_are_integers(path) is False


# --- as_numpy ----------------------------------------------------------------------------------------------------


def test_a_column_with_missing_values_gives_them_as_none():
    assert as_numpy(pa.array([1.5, None, 2.5])).tolist() == [1.5, None, 2.5]


@pytest.mark.parametrize("values", [[1, 2, 3, 4, 5], [0.5, 1.5, 2.5, 3.5, 4.5]])
def test_a_slice_of_a_column_gives_only_its_own_values(values):
    assert np.array_equal(as_numpy(pa.array(values).slice(1, 3)), np.array(values[1:4]))
