"""read_columns and the checks after parsing: blank, empty, too long or multi-line text with its
line, the parsing options that decide what is empty, and the helpers it shares with the scorer."""

import pytest

from forward.scoring import SolutionError, SubmissionError, load_solution, score

TEXT_SOLUTION = "id,target,Usage\nr1,0.5,Public\nr2,0.6,Private\nr3,0.7,Public\nr4,0.8,Private\n"


def write(tmp_path, content, name="file.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


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
