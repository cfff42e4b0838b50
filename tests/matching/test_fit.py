"""forward.matching.fit: each term, the gate that keeps the unqualified below, ranking, and properties."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from forward.matching import fit as F
from forward.matching.fit import (
    Candidate,
    CredentialRef,
    HeldCredential,
    Opening,
    RequiredCredential,
    SkillEvidence,
)

PY = SkillEvidence(level=2, credentials=(CredentialRef(uuid="u-1", name="Python Professional"),))
SQL = SkillEvidence(level=0, credentials=(CredentialRef(uuid="u-2", name="Databases"),))


def test_the_weights_add_up_to_100():
    assert sum(F.WEIGHTS.values()) == 100


def test_a_perfect_candidate_scores_100_and_says_why():
    opening = Opening(required_skills=("python", "sql"), preferred_skills=("spark",),
                      required_credentials=(RequiredCredential("certification", 2),), kind="internship",
                      countries_eligible=frozenset({"SG"}), start_date=date(2027, 1, 4),
                      skill_names={"python": "Python", "sql": "SQL", "spark": "Spark"})
    candidate = Candidate(skills={"python": PY, "sql": SQL, "spark": SkillEvidence()},
                          held=(HeldCredential("certification", 3, "u-9", "Cloud Expert"),),
                          best_grade=1.0, best_level=3, best_percentile=100.0, countries=frozenset({"SG", "MY"}),
                          available_for=frozenset({"internship"}), available_from=date(2026, 12, 1))
    result = F.fit(candidate, opening)
    assert result.score == 100
    assert result.qualified
    assert [m.name for m in result.required_met] == ["Python", "SQL"]
    assert result.required_met[0].credentials == (CredentialRef(uuid="u-1", name="Python Professional"),)
    assert result.credentials_met[0]["uuid"] == "u-9" and result.credentials_met[0]["held_level"] == 3
    assert not result.required_missing and not result.credentials_missing


def test_required_skills_count_only_verified_ones_and_name_what_is_missing():
    opening = Opening(required_skills=("python", "sql", "ml"))
    result = F.fit(Candidate(skills={"python": PY}), opening)
    assert math.isclose(result.term("required_skills").points, F.REQUIRED_SKILLS / 3)
    assert [m.slug for m in result.required_missing] == ["sql", "ml"]
    assert result.term("requirements").points == 0
    assert not result.qualified


def test_preferred_skills_share():
    opening = Opening(preferred_skills=("python", "sql"))
    assert F.fit(Candidate(skills={"sql": SQL}), opening).term("preferred_skills").points == F.PREFERRED_SKILLS / 2
    assert F.fit(Candidate(), Opening()).term("preferred_skills").points == F.PREFERRED_SKILLS  # none asked


def test_required_credentials_kind_and_level():
    opening = Opening(required_credentials=(RequiredCredential("certification", 2),
                                            RequiredCredential("competition", 0)))
    low = Candidate(held=(HeldCredential("certification", 1, "a", "Associate"),
                          HeldCredential("competition", 0, "b", "Top 10")))
    result = F.fit(low, opening)
    assert result.term("required_credentials").points == F.REQUIRED_CREDENTIALS / 2
    assert result.credentials_missing == ({"kind": "certification", "level": 2},)
    assert not result.qualified
    high = replace(low, held=(*low.held, HeldCredential("certification", 2, "c", "Professional")))
    assert F.fit(high, opening).qualified


def test_level_grade_and_percentile_terms():
    result = F.fit(Candidate(best_level=2, best_grade=0.5, best_percentile=90.0), Opening())
    assert result.term("level").points == F.LEVEL * 2 / 3
    assert result.term("grade").points == F.GRADE * 0.5
    assert math.isclose(result.term("percentile").points, F.PERCENTILE * 0.9)
    none = F.fit(Candidate(), Opening())
    assert none.term("grade").points == none.term("percentile").points == none.term("level").points == 0


def test_country_term():
    opening = Opening(countries_eligible=frozenset({"SG", "MY"}))
    assert F.fit(Candidate(countries=frozenset({"MY"})), opening).term("country").points == F.COUNTRY
    assert F.fit(Candidate(countries=frozenset({"CN"})), opening).term("country").points == 0
    assert F.fit(Candidate(), opening).term("country").points == F.COUNTRY / 2  # not said
    assert F.fit(Candidate(countries=frozenset({"CN"})), Opening()).term("country").points == F.COUNTRY  # anywhere


def test_availability_and_start_terms():
    start = date(2027, 1, 4)
    opening = Opening(kind="internship", start_date=start)
    assert F.fit(Candidate(available_for=frozenset({"job"})), opening).term("availability").points == 0
    assert F.fit(Candidate(), opening).term("availability").points == F.AVAILABILITY / 2
    assert F.fit(Candidate(available_for=frozenset({"job"})), replace(opening, kind="project")).term(
        "availability").points == F.AVAILABILITY
    on_time = F.fit(Candidate(available_from=start), opening).term("start")
    assert on_time.points == F.START
    six_weeks = F.fit(Candidate(available_from=start + timedelta(weeks=6)), opening).term("start")
    assert six_weeks.points == F.START / 2 and six_weeks.detail["weeks_late"] == 6
    assert F.fit(Candidate(available_from=start + timedelta(weeks=20)), opening).term("start").points == 0


def test_anyone_missing_a_requirement_ranks_below_everyone_who_meets_them_all():
    opening = Opening(required_skills=("python",), required_credentials=(RequiredCredential("certification", 1),),
                      countries_eligible=frozenset({"SG"}), start_date=date(2027, 1, 1), key=0)
    brilliant_but_missing = Candidate(skills={"python": PY}, best_level=0, best_grade=1.0, best_percentile=100.0,
                                      countries=frozenset({"SG"}), available_for=frozenset({"internship"}), key=1)
    plain_but_qualified = Candidate(skills={"python": SkillEvidence()}, held=(HeldCredential("certification", 1),),
                                    countries=frozenset({"CN"}), available_for=frozenset({"job"}),
                                    available_from=date(2028, 1, 1), key=2)
    ranked = F.rank_candidates([brilliant_but_missing, plain_but_qualified], opening)
    assert [c.key for _, c in ranked] == [2, 1]
    assert ranked[0][0] >= F.QUALIFIED_FLOOR > 60 > ranked[1][0]


def test_ties_are_broken_by_key_every_time():
    opening = Opening(required_skills=("python",))
    people = [Candidate(skills={"python": PY}, key=k) for k in (5, 3, 9, 1)]
    assert [c.key for _, c in F.rank_candidates(people, opening)] == [1, 3, 5, 9]
    openings = [Opening(key=k) for k in ("b", "a", "c")]
    assert [o.key for _, o in F.rank_openings(Candidate(), openings)] == ["a", "b", "c"]


def test_json_explanation_is_plain_data():
    result = F.fit(Candidate(skills={"python": PY}), Opening(required_skills=("python", "sql")))
    data = result.as_json()
    assert data["required_skills_met"][0]["credentials"] == [{"uuid": "u-1", "name": "Python Professional"}]
    assert data["required_skills_missing"][0]["slug"] == "sql"
    assert {t["code"] for t in data["terms"]} == set(F.WEIGHTS)


# --- properties -------------------------------------------------------------------------------------

SLUGS = ["python", "sql", "ml", "spark", "go", "stats"]
COUNTRIES = ["SG", "MY", "ID", "CN"]
KINDS = list(F.AVAILABILITY_FOR_KIND)
dates = st.one_of(st.none(), st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 1, 1)))
held = st.builds(HeldCredential, kind=st.sampled_from(["certification", "competition", "course_achievement"]),
                 level=st.integers(0, 3))
candidates = st.builds(
    Candidate,
    skills=st.dictionaries(st.sampled_from(SLUGS), st.builds(SkillEvidence, level=st.integers(0, 3)), max_size=6),
    held=st.lists(held, max_size=3).map(tuple),
    best_grade=st.one_of(st.none(), st.floats(0, 1)),
    best_level=st.integers(0, 3),
    best_percentile=st.one_of(st.none(), st.floats(0, 100)),
    countries=st.frozensets(st.sampled_from(COUNTRIES)),
    available_for=st.frozensets(st.sampled_from(["internship", "graduate", "job"])),
    available_from=dates,
)
openings = st.builds(
    Opening,
    required_skills=st.lists(st.sampled_from(SLUGS), unique=True, max_size=4).map(tuple),
    preferred_skills=st.lists(st.sampled_from(SLUGS), unique=True, max_size=3).map(tuple),
    required_credentials=st.lists(st.builds(RequiredCredential, kind=st.sampled_from(["certification", "competition"]),
                                            level=st.integers(0, 3)), max_size=2).map(tuple),
    kind=st.sampled_from(KINDS),
    countries_eligible=st.frozensets(st.sampled_from(COUNTRIES)),
    start_date=dates,
)


@settings(max_examples=300)
@given(candidates, openings)
def test_score_is_between_0_and_100_and_is_the_sum_of_its_terms(candidate, opening):
    result = F.fit(candidate, opening)
    assert 0 <= result.score <= 100
    assert math.isclose(sum(t.points for t in result.terms), result.score, abs_tol=1e-9)
    assert all(0 <= t.points <= t.max_points for t in result.terms)
    assert result.score == F.score(candidate, opening)
    assert result.qualified == (result.score >= F.QUALIFIED_FLOOR)


@settings(max_examples=300)
@given(candidates, openings, st.data())
def test_adding_a_verified_required_skill_never_lowers_the_score(candidate, opening, data):
    missing = [s for s in opening.required_skills if s not in candidate.skills]
    if not missing:
        return
    slug = data.draw(st.sampled_from(missing))
    more = replace(candidate, skills={**candidate.skills, slug: SkillEvidence(level=data.draw(st.integers(0, 3)))})
    assert F.score(more, opening) >= F.score(candidate, opening)


@settings(max_examples=300)
@given(candidates, openings, st.floats(0, 100), st.floats(0, 100))
def test_monotone_in_percentile(candidate, opening, a, b):
    low, high = sorted((a, b))
    assert F.score(replace(candidate, best_percentile=high), opening) >= F.score(
        replace(candidate, best_percentile=low), opening)


@settings(max_examples=100)
@given(st.lists(candidates, max_size=8), openings)
def test_ranking_agrees_with_fit(people, opening):
    people = [replace(c, key=i) for i, c in enumerate(people)]
    ranked = F.rank_candidates(people, opening)
    assert [s for s, _ in ranked] == sorted((F.fit(c, opening).score for c in people), reverse=True)
    assert all(s == F.fit(c, opening).score for s, c in ranked)


@settings(max_examples=100)
@given(candidates, st.lists(openings, max_size=8))
def test_opening_ranking_agrees_with_fit(candidate, many):
    many = [replace(o, key=i) for i, o in enumerate(many)]
    ranked = F.rank_openings(candidate, many)
    assert all(s == F.fit(candidate, o).score for s, o in ranked)
    assert [s for s, _ in ranked] == sorted((s for s, _ in ranked), reverse=True)


@settings(max_examples=100)
@given(candidates, st.lists(openings, max_size=8))
def test_ranking_from_counts_scores_exactly_as_fit(candidate, many):
    many = [replace(o, key=i) for i, o in enumerate(many)]
    ranked = F.rank_summaries(candidate, [F.summary_of(candidate, o) for o in many])
    assert [(s, o.key) for s, o in ranked] == [(s, o.key) for s, o in F.rank_openings(candidate, many)]
    assert all(s == F.fit(candidate, many[o.key]).score for s, o in ranked)
