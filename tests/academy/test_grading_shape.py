"""What an instructor is told about a grading policy of the wrong shape (typed in the studio or in a
course bundle's course.yaml): the exact message, with long names cut to 80 characters, and the
bounds themselves accepted."""

from __future__ import annotations

import datetime
import json

import pytest

from forward.academy.grading import policy_errors

QUIZ = {"type": "quiz", "weight": 1, "min_count": 1, "drop_lowest": 0}
LONG = "Capstone project graded by the whole teaching team at the end of the course, twice" * 2  # 166
CUT = LONG[:80]


def _policy(types=None, cutoffs=None, **more):
    return {"types": [QUIZ] if types is None else types,
            "cutoffs": {"pass": 0.5} if cutoffs is None else cutoffs, **more}


@pytest.mark.parametrize(("policy", "message"), [
    ({"types": [QUIZ], "cutoffs": {"pass": 0.5}, LONG: 1},
     f"Unknown field “{CUT}”: a policy has types, cutoffs, certificates."),
    (_policy(types=["quiz"]),
     "“types” is a list of assessment types, each with type, weight, min_count, drop_lowest."),
    (_policy(types=[QUIZ, 1]),
     "“types” is a list of assessment types, each with type, weight, min_count, drop_lowest."),
    (_policy(types={"quiz": QUIZ}),
     "“types” is a list of assessment types, each with type, weight, min_count, drop_lowest."),
    (_policy(cutoffs=[0.5]),
     "“cutoffs” gives each designation its fraction, such as “pass: 0.5”."),
    (_policy(types=[{**QUIZ, "notes": "weekly", "due": "Fridays"}]),
     "Unknown field “notes” in an assessment type: each has type, weight, min_count, drop_lowest."),
    (_policy(types=[{**QUIZ, LONG: 1}]),
     f"Unknown field “{CUT}” in an assessment type: each has type, weight, min_count, drop_lowest."),
    (_policy(types=[{**QUIZ, "type": LONG, "weight": 0.5}, {**QUIZ, "type": LONG, "weight": 0.5}]),
     f"“{CUT}” is listed twice in “types”: give each assessment type once."),
    (_policy(cutoffs={"pass": 0.5, " ": 0.7}),
     "Each cutoff is named by its designation, such as “pass” or “merit”."),
    (_policy(cutoffs={"pass": 0.5, LONG: "high"}),
     f"The cutoff “{CUT}” is a number, such as 0.5."),
    (_policy(types=[{"weight": 1}]),
     "Each assessment type names the assessments it grades in “type”: their category, or quiz, exam or lab."),
    (_policy(types=[{**QUIZ, "type": LONG, "weight": "heavy"}]),
     f"The weight of “{CUT}” is a number from 0 to 1, such as 0.3."),
    (_policy(types=[{**QUIZ, "type": LONG, "min_count": 101}]),
     f"“min_count” of “{CUT}” is a whole number from 0 to 100."),
    (_policy(types=[{**QUIZ, "type": LONG, "drop_lowest": 1.5}]),
     f"“drop_lowest” of “{CUT}” is a whole number from 0 to 100."),
])
def test_a_policy_of_the_wrong_shape_is_explained_in_one_message(policy, message):
    assert policy_errors(policy) == [message]


def test_twenty_types_and_ten_cutoffs_are_allowed_one_more_is_not():
    types = [{"type": f"unit {n}", "weight": 0.05} for n in range(20)]
    cutoffs = {"pass": 0.5, **{f"level {n}": 0.5 + n / 20 for n in range(1, 10)}}
    assert policy_errors(_policy(types=types, cutoffs=cutoffs)) == []
    too_many = "A policy has at most 20 assessment types and 10 cutoffs."
    assert policy_errors(_policy(types=[*types, {"type": "extra", "weight": 0}], cutoffs=cutoffs)) == [too_many]
    assert policy_errors(_policy(types=types, cutoffs={**cutoffs, "level 10": 1})) == [too_many]


def test_a_type_may_weigh_nothing():
    types = [{"type": "practice", "weight": 0}, {"type": "exam", "weight": 1}]
    assert policy_errors(_policy(types=types)) == []


def test_a_policy_of_5000_characters_is_allowed_one_more_is_not():
    def sized(n):
        policy = _policy(cutoffs={"pass": 0.5, "": 0.7})  # the long name goes where "" is
        policy["cutoffs"] = {"pass": 0.5, "m" * (n - len(json.dumps(policy))): 0.7}
        assert len(json.dumps(policy)) == n
        return policy

    assert policy_errors(sized(5000)) == []
    assert policy_errors(sized(5001)) == [
        "The policy is longer than 5000 characters written as JSON; shorten its names."]


def test_a_policy_that_cannot_be_written_as_json_is_refused_not_a_server_error():
    # A date as a key (as YAML reads `2027-01-01:`) cannot be stored as JSON.
    policy = _policy(certificates={datetime.date(2027, 1, 1): True})
    assert policy_errors(policy) == [
        "The policy is longer than 5000 characters written as JSON; shorten its names."]
