"""Reading solutions and submissions: every mistake gets a message that says what to fix."""

import gzip
import json
import zipfile

import pytest
from sklearn.metrics import roc_auc_score

from forward.scoring import SolutionError, SubmissionError, load_solution, score
from forward.scoring.cli import main

SOLUTION = "id,target,Usage\n1,1,Public\n2,0,Public\n3,1,Private\n4,0,Private\n5,1,Public\n6,0,Private\n"
GOOD = "id,target\n1,0.9\n2,0.2\n3,0.7\n4,0.4\n5,0.6\n6,0.65\n"


@pytest.fixture
def solution(tmp_path):
    path = tmp_path / "solution.csv"
    path.write_text(SOLUTION)
    return load_solution(path, "auc")


def write(tmp_path, content, name="submission.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def test_scores_the_public_and_private_parts_like_sklearn(tmp_path, solution):
    result = score(solution, write(tmp_path, GOOD))
    assert result.rows == 6
    assert result.public == pytest.approx(roc_auc_score([1, 0, 1], [0.9, 0.2, 0.6]), abs=1e-12)
    assert result.private == pytest.approx(roc_auc_score([1, 0, 0], [0.7, 0.4, 0.65]), abs=1e-12)


def test_spreadsheet_exports_are_read_as_meant(tmp_path, solution):
    content = ("\ufeffid,target\r\n\"1\",9E-1\r\n2,2.0e-1\r\n\"3\",\"0.7\"\r\n4,4e-1\r\n5, 0.6\r\n6,0.65\r\n").encode()
    assert score(solution, write(tmp_path, content)).public == score(solution, write(tmp_path, GOOD, "b.csv")).public


def test_columns_in_another_order_are_fine(tmp_path, solution):
    flipped = "target,id\n" + "\n".join(",".join(reversed(line.split(","))) for line in GOOD.splitlines()[1:])
    assert score(solution, write(tmp_path, flipped)).rows == 6


def test_gzip_and_zip_are_accepted(tmp_path, solution):
    gz = write(tmp_path, gzip.compress(GOOD.encode()), "s.csv.gz")
    assert score(solution, gz).rows == 6
    zpath = tmp_path / "s.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("predictions.csv", GOOD)
    assert score(solution, zpath).rows == 6


@pytest.mark.parametrize(("content", "words"), [
    ("", "empty"),
    ("id,target\n", "no rows"),
    (b"id,target\n1,0.9\n2,0.\xff2\n", "not UTF-8 text (line 3"),
    ("id,prob\n1,0.9\n", "missing column target"),
    ("id,target,extra\n1,0.9,1\n", "unexpected column extra"),
    ("id,target\n1,0.9\n2,0.2\n3,0.7\n", "3 ids of the test set are missing, e.g. 4, 5, 6"),
    (GOOD + "77,0.5\n", "1 ids are not in the test set, e.g. 77 (line 8)"),
    (GOOD + "2,0.5\n", "2 on lines 3, 8"),
    ("id,target\n1,0.9\n2,abc\n", "Line 3: the target value 'abc' is not a number"),
    ("id,target\n1,0.9\n2,\n", "Line 3: the target value is empty"),
    ("id,target\n1,0.9\n2,nan\n3,0.1\n4,0.1\n5,0.1\n6,0.1\n", "NaN"),
    ("id,target\n1,0.9\n2,inf\n3,0.1\n4,0.1\n5,0.1\n6,0.1\n", "infinity"),
    ("id,target\n1,1.5\n2,0.2\n3,0.7\n4,0.4\n5,0.6\n6,0.65\n", "Line 2: target is 1.5; probabilities must be between 0 and 1"),
    ("id,target\n1,0.9\n2,0.2,7\n", "Line 3 has 3 fields"),
    ("id,target\nx1,0.9\n", "Line 2: the id value 'x1' is not a whole number"),
])
def test_invalid_submissions_say_what_is_wrong(tmp_path, solution, content, words):
    with pytest.raises(SubmissionError) as err:
        score(solution, write(tmp_path, content))
    assert words in str(err.value)


def test_a_zip_with_several_files_is_refused(tmp_path, solution):
    zpath = tmp_path / "s.zip"
    with zipfile.ZipFile(zpath, "w") as archive:
        archive.writestr("a.csv", GOOD)
        archive.writestr("b.csv", GOOD)
    with pytest.raises(SubmissionError, match="exactly one CSV"):
        score(solution, zpath)


def test_a_compression_bomb_is_refused(tmp_path, solution):
    zpath = tmp_path / "bomb.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.csv", "id,target\n" + "0" * (60 * 1024 * 1024))
    # The solution's 6 rows bound the submission long before the 100-fold rule would.
    with pytest.raises(SubmissionError, match="is 60 MB, more than 16 MB; a submission for this competition has 6 rows"):
        score(solution, zpath)
    gz = write(tmp_path, gzip.compress(b"id,target\n" + b"0" * (60 * 1024 * 1024)), "bomb.csv.gz")
    with pytest.raises(SubmissionError, match="expands to more than 16 MB; a submission for this competition has 6"):
        score(solution, gz)


@pytest.mark.parametrize(("content", "metric", "words"), [
    ("id,target,Usage\n1,1,Public\n1,0,Private\n", "auc", "duplicate ids: 1 on lines 2, 3"),
    ("id,target,Usage\n1,1,Public\n2,0,Public\n", "auc", "no Private rows"),
    ("id,target,Usage\n1,1,Public\n2,1,Public\n3,0,Private\n4,1,Private\n", "auc", "Public part has only class 1"),
    ("id,target,Usage\n1,1,Public\n2,0,Secret\n", "auc", "Line 3: Usage is 'Secret'"),
    ("id,target\n1,1\n", "auc", "needs a Usage column"),
    ("id,a,b,Usage\n1,1,1,Public\n", "rmse", "2 target columns"),
    ("id,target,Usage\n1,0.5,Public\n2,0,Private\n", "logloss", "needs targets of 0 or 1"),
    ("id,target,Usage\n1,0,Public\n2,3,Private\n", "mape", "must not be 0"),
    ("id,target,Usage\n1,-1,Public\n2,3,Private\n", "rmsle", "0 or more"),
])
def test_invalid_solutions_are_refused_with_the_reason(tmp_path, content, metric, words):
    with pytest.raises(SolutionError) as err:
        load_solution(write(tmp_path, content, "solution.csv"), metric)
    assert words in str(err.value)


def test_string_ids_and_labels(tmp_path):
    sol = load_solution(write(tmp_path, "key,species,Usage\na-01,cat,Public\na-02,dog,Private\nb,cat,Private\n",
                              "s.csv"), "accuracy")
    result = score(sol, write(tmp_path, "species,key\ncat,a-01\ncat,a-02\ncat, b\n"))
    assert (result.public, result.private) == (1.0, 0.5)


def test_numeric_ids_match_after_a_spreadsheet_drops_leading_zeros(tmp_path):
    sol = load_solution(write(tmp_path, "id,y,Usage\n001,1.5,Public\n002,2,Private\n", "s.csv"), "rmse")
    assert score(sol, write(tmp_path, "id,y\n1,1.5\n2,2\n")).public == 0.0


def test_the_command_prints_json_and_uses_exit_codes(tmp_path, capsys):
    sol = write(tmp_path, SOLUTION, "solution.csv")
    assert main([str(sol), str(write(tmp_path, GOOD)), "--metric", "auc"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["metric"] == "auc" and printed["rows"] == 6 and {"public", "private"} <= printed.keys()
    assert main([str(sol), str(write(tmp_path, "id,target\n1,2\n", "bad.csv")), "--metric", "auc"]) == 1
    assert "missing" in capsys.readouterr().err
    assert main([str(write(tmp_path, "id,target\n1,1\n", "s2.csv")), str(sol), "--metric", "auc"]) == 2
    assert main([str(sol), str(sol), "--metric", "nope"]) == 2
    with pytest.raises(SystemExit) as stop:
        main([str(sol)])
    assert stop.value.code == 2
