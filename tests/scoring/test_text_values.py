"""Text values (ids, labels, answers) that are blank or hold a line break are refused with their
line, wherever they are in the file and whatever kind of ids the file has."""

import pyarrow as pa
import pytest

from forward.scoring import SolutionError, SubmissionError, load_solution, score
from forward.scoring.reading import CHUNK, _explain, read_columns

TEXT_SOLUTION = "id,target,Usage\nr1,0.5,Public\nr2,0.6,Private\nr3,0.7,Public\nr4,0.8,Private\n"
LABEL_SOLUTION = "id,target,Usage\n1,cat,Public\n2,dog,Private\n3,cat,Public\n4,dog,Private\n"


def write(tmp_path, text, name="file.csv"):
    path = tmp_path / name
    path.write_text(text, newline="")
    return path


@pytest.fixture
def text_solution(tmp_path):
    return load_solution(write(tmp_path, TEXT_SOLUTION, "solution.csv"), "rmse")


@pytest.mark.parametrize("blank", [" ", "   ", "\t", '" "'])
def test_a_blank_text_id_in_a_solution_is_refused_like_a_missing_one(tmp_path, blank):
    text = f"id,target,Usage\nr1,0.5,Public\n{blank},0.6,Private\nr3,0.7,Public\n"
    with pytest.raises(SolutionError) as caught:
        load_solution(write(tmp_path, text), "rmse")
    assert str(caught.value) == "Line 3: the id value is empty."


def test_a_blank_text_id_in_a_submission_is_refused(tmp_path, text_solution):
    with pytest.raises(SubmissionError) as caught:
        score(text_solution, write(tmp_path, "id,target\nr1,0.5\nr2,0.6\n  ,0.7\nr4,0.8\n"))
    assert str(caught.value) == "Line 4: the id value is empty."


def test_a_blank_label_in_a_solution_is_refused(tmp_path):
    text = "id,target,Usage\n1,cat,Public\n2,dog,Private\n3, ,Public\n4,dog,Private\n"
    with pytest.raises(SolutionError) as caught:
        load_solution(write(tmp_path, text), "accuracy")
    assert str(caught.value) == "Line 4: the target value is empty."


def test_a_blank_label_in_a_submission_is_refused(tmp_path):
    solution = load_solution(write(tmp_path, LABEL_SOLUTION, "solution.csv"), "accuracy")
    with pytest.raises(SubmissionError) as caught:
        score(solution, write(tmp_path, 'id,target\n1,cat\n2," "\n3,cat\n4,dog\n'))
    assert str(caught.value) == "Line 3: the target value is empty."


@pytest.mark.parametrize("value", ['"r\n2"', '"r\r\n2"', '"r\r2"', '"\n"'])
def test_a_quoted_line_break_in_an_id_is_refused_with_its_line(tmp_path, text_solution, value):
    with pytest.raises(SubmissionError) as caught:
        score(text_solution, write(tmp_path, f"id,target\nr1,0.5\n{value},0.6\nr3,0.7\nr4,0.8\n"))
    assert str(caught.value) == ("Line 3: the id value holds a line break; each value must be on one line "
                                 "(is a quote left open?).")


def test_a_line_break_in_a_solution_label_is_refused(tmp_path):
    text = 'id,target,Usage\n1,cat,Public\n2,"d\nog",Private\n3,cat,Public\n4,dog,Private\n'
    with pytest.raises(SolutionError, match=r"^Line 3: the target value holds a line break"):
        load_solution(write(tmp_path, text), "accuracy")


def test_the_first_line_break_is_named_whichever_column_holds_it(tmp_path):
    solution = load_solution(write(tmp_path, LABEL_SOLUTION.replace("1,", "r1,").replace("2,", "r2,")
                                   .replace("3,", "r3,").replace("4,", "r4,"), "solution.csv"), "accuracy")
    # The label on line 3 breaks before the id on line 4 does.
    text = 'id,target\nr1,cat\nr2,"d\nog"\n"r\n3",cat\nr4,dog\n'
    with pytest.raises(SubmissionError, match=r"^Line 3: the target value holds a line break"):
        score(solution, write(tmp_path, text))


def test_a_line_break_on_the_edge_of_a_parsing_block_gets_the_same_message(tmp_path):
    # The CSV parser reads 16 MB blocks; a quoted line break that straddles the edge of the first
    # one must be seen as a line break in a value, not as two short lines.
    block = 16 * 1024 * 1024
    header = "id,target\n"
    row = "r1,0.5\n"
    rows = (block - len(header)) // len(row) - 1
    head = header + row * rows
    pad = block - 1 - len(head) - 1
    text = head + '"' + "r" * pad + "\n" + 'x",0.6\n' + "r3,0.7\n"
    assert text.index("\n", len(head)) == block - 1  # the last byte of the first block
    with pytest.raises(SubmissionError) as caught:
        read_columns(write(tmp_path, text), ["id", "target"], {"id": "string", "target": "float64"},
                     SubmissionError)
    assert str(caught.value).startswith(f"Line {rows + 2}: the id value holds a line break")


def test_a_quote_never_closed_is_named_as_such(tmp_path, text_solution):
    with pytest.raises(SubmissionError) as caught:
        score(text_solution, write(tmp_path, 'id,target\nr1,0.5\n"r2,0.6\nr3,0.7\nr4,0.8\n'))
    assert str(caught.value) == "Line 3: a quote opened on this line is never closed."


def test_a_closed_multi_line_row_with_too_few_fields_is_named_by_the_line_it_starts_on(tmp_path, text_solution):
    # Line 3 holds a value over two lines; the short row is the one on line 5.
    with pytest.raises(SubmissionError) as caught:
        score(text_solution, write(tmp_path, 'id,target\nr1,0.5\n"r\n2",0.6\nr3\nr4,0.8\n'))
    assert str(caught.value) == "Line 5 has 1 fields; the header has 2."


def test_a_quote_never_closed_in_a_long_file_is_named_as_such(tmp_path, text_solution):
    # What follows the open quote is longer than the csv module reads as one field (128 KB).
    text = 'id,target\nr1,0.5\n"r2,0.6\n' + "r3,0.7\n" * 30_000
    with pytest.raises(SubmissionError) as caught:
        read_columns(write(tmp_path, text), ["id", "target"], {"id": "string", "target": "float64"},
                     SubmissionError)
    assert str(caught.value) == "Line 3: a quote opened on this line is never closed."


def test_a_quote_never_closed_far_into_a_long_file_is_named_on_its_line(tmp_path):
    # The open quote is past the first megabyte read, after an odd number of quotes inside
    # unquoted values (which are read as they are), so only the quotes from its line on count.
    before = 'r"1,0.5\n' * 199_999 + '"r1",0.5\n'
    text = "id,target\n" + before + '"r2,0.6\n' + "r3,0.7\n" * 30_000
    with pytest.raises(SubmissionError) as caught:
        read_columns(write(tmp_path, text), ["id", "target"], {"id": "string", "target": "float64"},
                     SubmissionError)
    assert str(caught.value) == "Line 200002: a quote opened on this line is never closed."


def _refused(path):
    with pytest.raises(SubmissionError) as caught:
        read_columns(path, ["id", "target"], {"id": "string", "target": "float64"}, SubmissionError)
    return str(caught.value)


def test_quotes_before_the_open_one_and_doubled_inside_it_are_counted_right(tmp_path):
    # Line 2 holds one quote inside an unquoted value (read as it is); the open value on line 3
    # holds a doubled quote, so three quotes follow its start, and the file runs past the first
    # megabyte read, so the quotes of every chunk are added up.
    text = 'id,target\nx"y,0.5\n"r2""b,0.6\n' + "r3,0.7\n" * 160_000
    assert _refused(write(tmp_path, text)) == "Line 3: a quote opened on this line is never closed."


def test_a_line_end_that_is_the_first_byte_of_a_chunk_read_is_counted(tmp_path):
    rows = (CHUNK - len("id,target\n")) // len("r1,0.5\n") - 1
    head = "id,target\n" + "r1,0.5\n" * rows
    pad = "r" * (CHUNK - len(head) - len(",0.5")) + ",0.5"  # the row whose line end is byte CHUNK
    text = head + pad + "\n" + '"r2,0.6\n' + "r3,0.7\n" * 30_000
    assert text[CHUNK] == "\n" and text[CHUNK + 1] == '"'
    assert _refused(write(tmp_path, text)) == f"Line {rows + 3}: a quote opened on this line is never closed."


def test_a_reading_error_no_message_covers_is_shown_by_its_first_line(tmp_path):
    # The last resort of the explanations: pyarrow refused the file in words none of them knows.
    found = _explain(pa.ArrowInvalid("CSV parse error: something new\nfrom pyarrow"), write(tmp_path, "id\n1\n"),
                     ["id"], {"id": "string"}, SubmissionError, "submission")
    assert isinstance(found, SubmissionError)
    assert str(found) == "The submission cannot be read as CSV: CSV parse error: something new"
