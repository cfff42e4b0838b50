"""Hostile files cost bounded memory and time, and end with a message instead of a crash.

Each reproduction failed on the code before these limits: the long label asked NumPy for
rows × longest value × 4 bytes, the bomb of duplicated ids was expanded and parsed whole, the
non-UTF-8 byte on a line with a wrong field count raised UnicodeDecodeError, and a wide header
was truncated into a false "appears twice".
"""

import gzip
import os
import signal
import time

import numpy as np
import pytest

from forward.scoring import (
    JobCrashed,
    LimitExceeded,
    SubmissionError,
    load_solution,
    run_limited,
    score,
    score_files,
)
from forward.scoring.reading import MAX_COLUMNS

SOLUTION = "id,target,Usage\n1,1,Public\n2,0,Public\n3,1,Private\n4,0,Private\n5,1,Public\n6,0,Private\n"
LABELS = "key,label,Usage\na,cat,Public\nb,dog,Public\nc,cat,Private\nd,dog,Private\n"


def write(tmp_path, content, name="submission.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


@pytest.fixture
def solution(tmp_path):
    return load_solution(write(tmp_path, SOLUTION, "solution.csv"), "auc")


@pytest.fixture
def labels(tmp_path):
    return load_solution(write(tmp_path, LABELS, "labels.csv"), "accuracy")


def test_a_label_longer_than_the_cap_is_refused_with_its_line(tmp_path, labels):
    content = "key,label\na,cat\nb,dog\nc,cat\nd," + "x" * 50_000 + "\n"
    with pytest.raises(SubmissionError) as err:
        score(labels, write(tmp_path, content))
    assert str(err.value) == ("Line 5: the value in column 'label' is 50,000 characters long; values may be at "
                              "most 1,000.")


def test_an_id_longer_than_the_cap_is_refused(tmp_path, labels):
    with pytest.raises(SubmissionError, match="Line 3: the value in column 'key' is 1,001 characters long"):
        score(labels, write(tmp_path, "key,label\na,cat\n" + "é" * 1001 + ",dog\nc,cat\nd,dog\n"))


def test_long_labels_cost_memory_by_their_bytes_not_rows_times_the_longest(tmp_path):
    """100,000 rows with one label at the 1,000-character cap: a fixed-width copy would need 400 MB."""
    rows = 100_000
    keys = [f"k{i}" for i in range(rows)]
    truth = write(tmp_path, "key,label,Usage\n" + "".join(
        f"{k},{'cat' if i % 3 else 'dog'},{'Public' if i % 2 else 'Private'}\n" for i, k in enumerate(keys)),
        "solution.csv")
    guesses = ["cat"] * rows
    guesses[-1] = "z" * 1000
    submission = write(tmp_path, "key,label\n" + "".join(f"{k},{g}\n" for k, g in zip(keys, guesses, strict=True)))
    result = run_limited(score_files, truth, submission, "accuracy", memory_mb=256, timeout=60)
    assert result.rows == rows
    assert 0.6 < result.public < 0.7


def test_a_bomb_of_duplicated_ids_stops_at_the_rows_the_solution_implies(tmp_path, solution):
    bomb = write(tmp_path, gzip.compress(b"id,target\n" + b"1,0.5\n" * 2_000_000), "bomb.csv.gz")
    assert bomb.stat().st_size < 100_000
    with pytest.raises(SubmissionError) as err:
        score(solution, bomb)
    assert str(err.value) == ("The file has more than 1,006 rows; a submission for this competition has 6 rows "
                              "and should be about 1 KB.")


def test_a_bomb_of_long_lines_stops_at_the_bytes_the_solution_implies(tmp_path, solution):
    bomb = write(tmp_path, gzip.compress(b"id,target\n1," + b"9" * (20 * 1024 * 1024) + b"\n"), "bomb.csv.gz")
    with pytest.raises(SubmissionError) as err:
        score(solution, bomb)
    assert str(err.value) == ("The file expands to more than 16 MB; a submission for this competition has 6 rows "
                              "and should be about 1 KB.")


def test_the_bound_grows_with_the_solution(tmp_path):
    rows = 1_000_000
    sol = load_solution(write(tmp_path, "id,target,Usage\n" + "".join(
        f"{i},{i % 2},{'Public' if i % 4 < 2 else 'Private'}\n" for i in range(rows)), "big.csv"), "auc")
    limits = sol.submission_limits()
    assert limits.max_lines == rows + 1001
    assert 100 * 1024**2 < limits.max_bytes < 200 * 1024**2  # a real file is about 16 MB
    assert "has 1,000,000 rows and should be about 17 MB" in limits.expected


@pytest.mark.parametrize("content", [
    b"id,target\n1,0.9\n2,0.\xff2,7\n3,0.1\n",  # the bad byte on the line with a field too many
    b"id,target\n1,0.9\n2,0.2,7\n3,0.\xff1\n",  # a field too many, the bad byte later
])
def test_a_non_utf8_byte_near_a_wrong_field_count_is_a_message(tmp_path, solution, content):
    with pytest.raises(SubmissionError, match=r"not UTF-8 text \(line [34], byte \d+\)"):
        score(solution, write(tmp_path, content))


def test_a_header_longer_than_a_megabyte_is_not_truncated_into_false_duplicates(tmp_path, solution):
    names = ["id", "target"] + [f"c{i}" for i in range(200_000)]  # unique, 1.9 MB
    with pytest.raises(SubmissionError) as err:
        score(solution, write(tmp_path, ",".join(names) + "\n1,0.5," + ",".join(["0"] * 200_000) + "\n"))
    assert "appears twice" not in str(err.value)
    assert str(err.value) == ("Line 1 is longer than 1 MB; it should only name the columns; the file needs only "
                              "the columns id, target.")


def test_a_wide_header_is_refused_before_parsing_with_a_short_message(tmp_path, solution):
    names = ["id", "target"] + [f"feature_{i:05d}" for i in range(20_000)]
    with pytest.raises(SubmissionError) as err:
        score(solution, write(tmp_path, ",".join(names) + "\n"))
    assert str(err.value) == (f"Line 1 has 20,002 columns; at most {MAX_COLUMNS:,} are read; the file needs only "
                              "the columns id, target.")


def test_a_few_extra_columns_are_named_briefly(tmp_path, solution):
    names = ["id", "target"] + [f"c{i}" for i in range(900)]
    with pytest.raises(SubmissionError) as err:
        score(solution, write(tmp_path, ",".join(names) + "\n"))
    assert "unexpected columns c0, c1, c2, c3, c4 …" in str(err.value)
    assert len(str(err.value)) < 200


# --- The child process: memory, time, crashes ------------------------------------------------------------


def _allocate(megabytes):
    return np.ones(megabytes * 1024**2 // 8).sum()


def _sleep(seconds):
    time.sleep(seconds)


def _raise(error):
    raise error


def _die(sig):
    os.kill(os.getpid(), sig)


def test_a_job_returns_its_result_and_its_scoring_errors(tmp_path, solution):
    sol = write(tmp_path, SOLUTION, "solution.csv")
    good = write(tmp_path, "id,target\n1,0.9\n2,0.2\n3,0.7\n4,0.4\n5,0.6\n6,0.65\n")
    assert run_limited(score_files, sol, good, "auc", memory_mb=512, timeout=60) == score(solution, good)
    with pytest.raises(SubmissionError, match="missing column target"):
        run_limited(score_files, sol, write(tmp_path, "id,p\n1,0.5\n", "bad.csv"), "auc", memory_mb=512, timeout=60)


def test_a_job_over_its_memory_limit_ends_with_a_message_and_the_caller_lives():
    with pytest.raises(LimitExceeded) as err:
        run_limited(_allocate, 1024, memory_mb=128, timeout=60)
    assert err.value.kind == "memory"
    assert str(err.value) == (
        "The file needs more than 128 MB of memory to read, the limit for scoring; check that it has one row per "
        "id and only the id and target columns (`forward score` checks it on your machine).")
    assert run_limited(_allocate, 16, memory_mb=128, timeout=60) == 16 * 1024**2 // 8


def test_a_job_over_its_time_limit_is_killed():
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as err:
        run_limited(_sleep, 60, memory_mb=128, timeout=0.5)
    assert err.value.kind == "time"
    assert str(err.value) == (
        "Scoring took longer than 0.5 s, the limit, and was stopped; check that the file has one row per id and "
        "only the id and target columns (`forward score` checks it on your machine).")
    assert time.monotonic() - started < 10


def test_an_unexpected_error_or_a_signal_is_reported_not_raised_raw():
    with pytest.raises(JobCrashed) as err:
        run_limited(_raise, RuntimeError("boom"), memory_mb=128, timeout=60)
    assert "unexpected error" in str(err.value)
    assert "RuntimeError: boom" in err.value.detail
    with pytest.raises(LimitExceeded, match="needs more than 128 MB"):
        run_limited(_die, signal.SIGKILL, memory_mb=128, timeout=60)  # as the kernel's OOM killer does
    with pytest.raises(JobCrashed, match="unexpected error"):
        run_limited(_die, signal.SIGUSR2, memory_mb=128, timeout=60)
