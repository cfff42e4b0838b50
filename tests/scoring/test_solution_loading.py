"""Loading a competition's solution (id, target, Usage): the messages a host sees, and what it allows."""

import pytest

from forward.scoring import SolutionError, SubmissionError, load_solution, score


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return path


def refused(tmp_path, text: str, metric: str) -> str:
    with pytest.raises(SolutionError) as caught:
        load_solution(write(tmp_path, "solution.csv", text), metric)
    return str(caught.value)


@pytest.mark.parametrize(("usage", "missing"), [(("Private", "private"), "Public"), (("Public", " PUBLIC"), "Private")])
def test_a_solution_needs_public_and_private_rows_and_names_the_missing_part(tmp_path, usage, missing):
    text = f"id,target,Usage\n1,1.5,{usage[0]}\n2,2.5,{usage[1]}\n"
    assert refused(tmp_path, text, "rmse") == (
        f"The solution has no {missing} rows; both the Public and the Private part need rows.")


@pytest.mark.parametrize(("metric", "rows", "message"), [
    ("logloss", "1,1,Public\n2,0.5,Private\n", "Line 3: label is 0.5; logloss needs targets of 0 or 1."),
    ("rmse", "1,1,Public\n2,nan,Private\n", "Line 3: label is nan; targets must be finite numbers."),
    ("rmsle", "1,1,Public\n2,-2,Private\n", "Line 3: label is negative; rmsle needs targets of 0 or more."),
    ("mape", "1,0,Public\n2,3,Private\n",
     "Line 2: label is 0; mape divides by the target, so targets must not be 0."),
    ("f1", "1,1,Public\n2,2,Private\n", "Binary F1 needs label to be 0 or 1 in every row."),
])
def test_a_bad_target_is_named_by_its_column(tmp_path, metric, rows, message):
    assert refused(tmp_path, "id,label,Usage\n" + rows, metric) == message


def test_ranked_lists_may_be_as_long_as_twice_the_solutions_longest(tmp_path):
    # map@1 alone would allow 1,000 characters; a solution with a 749-character list allows 1,498.
    items = " ".join(f"i{n:03d}" for n in range(150))
    assert len(items) == 749
    solution = load_solution(write(tmp_path, "solution.csv",
                                   f"id,items,Usage\n1,{items},Public\n2,i001,Private\n"), "map@1")
    guess = " ".join(["i000"] + [f"x{n:03d}" for n in range(279)])  # the right first item, then 279 wrong ones
    assert len(guess) == 1399
    result = score(solution, write(tmp_path, "long.csv", f"id,items\n1,{guess}\n2,i002\n"))
    assert (result.public, result.private, result.rows) == (1.0, 0.0, 2)
    too_long = guess + "".join(f" y{n:03d}" for n in range(20))  # one character more than allowed
    with pytest.raises(SubmissionError) as caught:
        score(solution, write(tmp_path, "too-long.csv", f"id,items\n2,i001\n1,{too_long}\n"))
    assert str(caught.value) == ("Line 3: the value in column 'items' is 1,499 characters long; "
                                 "values may be at most 1,498.")
