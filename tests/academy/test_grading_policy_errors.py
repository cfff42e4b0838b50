"""What an instructor is told about a grading policy typed in the studio or in a course bundle's
course.yaml: `policy_errors` returns the exact messages shown (in English here), or nothing."""

import pytest

from forward.academy.grading import DEFAULT_POLICY, policy_errors

QUIZ = {"type": "quiz", "weight": 1}
CUTOFFS = {"pass": 0.5, "merit": 0.7}  # not in alphabetical order: the message lists them sorted
CERTIFICATES_SHAPE = 'certificates: use {"completion": true, "achievement": "merit"} (or "" for none).'


def _policy(types=(QUIZ,), cutoffs=CUTOFFS, **extra):
    return {"types": list(types), "cutoffs": dict(cutoffs), **extra}


def test_the_default_policy_is_fine():
    assert policy_errors(DEFAULT_POLICY) == []


def test_a_policy_without_assessment_types_asks_for_one():
    assert policy_errors(_policy(types=[])) == ["Add at least one assessment type."]


@pytest.mark.parametrize(("quiz", "errors"), [
    # min_count left out counts as 1: dropping one of one would leave nothing to grade.
    ({**QUIZ, "drop_lowest": 1}, ["quiz: drop fewer scores than the minimum count."]),
    ({**QUIZ, "min_count": 0, "drop_lowest": 1}, ["quiz: drop fewer scores than the minimum count."]),
    ({**QUIZ, "min_count": 3, "drop_lowest": 3}, ["quiz: drop fewer scores than the minimum count."]),
    ({**QUIZ, "min_count": 3, "drop_lowest": 2}, []),
    ({**QUIZ, "min_count": 0}, []),
    ({**QUIZ, "min_count": 0, "drop_lowest": 0}, []),
])
def test_dropping_as_many_scores_as_are_counted_is_refused(quiz, errors):
    assert policy_errors(_policy(types=[quiz])) == errors


def test_a_long_assessment_type_is_shortened_to_80_characters_in_the_message():
    name = "Laboratory " + "x" * 100
    errors = policy_errors(_policy(types=[{"type": name, "weight": 1, "drop_lowest": 1}]))
    assert errors == [name[:80] + ": drop fewer scores than the minimum count."]


def test_weights_that_do_not_add_up_to_one_are_refused():
    types = [{"type": "quiz", "weight": 0.25}, {"type": "exam", "weight": 0.5}]
    assert policy_errors(_policy(types=types)) == ["The weights add up to 0.75; they must add up to 1."]
    # Ten weights of 0.1 add up to 0.9999999999999999 in floating point: near enough to 1.
    types = [{"type": f"lab {i}", "weight": 0.1} for i in range(10)]
    assert policy_errors(_policy(types=types)) == []


def test_a_policy_without_a_pass_cutoff_asks_for_one():
    assert policy_errors(_policy(cutoffs={"merit": 0.7})) == ["Set a pass cutoff."]


@pytest.mark.parametrize(("cutoffs", "errors"), [
    ({"pass": 0}, ["Cutoffs are fractions between 0 and 1."]),
    ({"pass": 0.5, "merit": -0.1}, ["Cutoffs are fractions between 0 and 1."]),
    ({"pass": 0.5, "distinction": 1.5}, ["Cutoffs are fractions between 0 and 1."]),
    ({"pass": 0.5, "distinction": 2}, ["Cutoffs are fractions between 0 and 1."]),
    ({"pass": 0.5, "distinction": 1}, []),
    ({"pass": 0.001}, []),
])
def test_cutoffs_are_fractions_above_0_up_to_1(cutoffs, errors):
    assert policy_errors(_policy(cutoffs=cutoffs)) == errors


@pytest.mark.parametrize("certificates", [
    {"completion": True, "achievement": "merit"},
    {"completion": False, "achievement": "pass"},
    {"completion": True},
    {"achievement": "merit"},
    {"completion": True, "achievement": ""},  # no certificate of achievement
    {},
])
def test_certificate_rules_naming_a_cutoff_are_fine(certificates):
    assert policy_errors(_policy(certificates=certificates)) == []


@pytest.mark.parametrize("certificates", [
    {"completion": True, "badge": "gold"},
    {"Completion": True},
    ["completion"],
    "merit",
    True,
])
def test_certificate_rules_of_another_shape_are_explained(certificates):
    assert policy_errors(_policy(certificates=certificates)) == [CERTIFICATES_SHAPE]


def test_an_achievement_designation_that_is_not_a_cutoff_is_named_with_the_cutoffs():
    errors = policy_errors(_policy(certificates={"completion": True, "achievement": "honours"}))
    assert errors == ["certificates: the achievement designation “honours” is not one of the cutoffs "
                      "(merit, pass)."]


def test_a_long_achievement_designation_is_shortened_to_80_characters_in_the_message():
    name = "Distinction " + "x" * 100
    errors = policy_errors(_policy(cutoffs={"pass": 0.5}, certificates={"achievement": name}))
    assert errors == [f"certificates: the achievement designation “{name[:80]}” is not one of the cutoffs (pass)."]


def test_every_mistake_is_told_at_once():
    policy = {"types": [{"type": "quiz", "weight": 0.5, "min_count": 1, "drop_lowest": 1}],
              "cutoffs": {"merit": 1.5}, "certificates": {"achievement": "distinction"}}
    assert policy_errors(policy) == [
        "The weights add up to 0.5; they must add up to 1.",
        "quiz: drop fewer scores than the minimum count.",
        "Set a pass cutoff.",
        "Cutoffs are fractions between 0 and 1.",
        "certificates: the achievement designation “distinction” is not one of the cutoffs (merit).",
    ]
