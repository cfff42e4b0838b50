"""The thesis fit: each term, its weights, currencies through the dated reference table."""

from __future__ import annotations

import ast
import pathlib
from decimal import Decimal

import pytest

from forward.matching import thesis
from forward.matching.thesis import MATCH, MISS, PARTIAL, StartupFacts, Thesis

LION = Thesis(sectors=("ai-data", "fintech"), stages=("pre-seed", "seed"), countries=("MY", "SG", "ID"),
              ticket_min=Decimal("100000"), ticket_max=Decimal("1500000"), ticket_currency="USD")


def facts(**kw) -> StartupFacts:
    base = {"sectors": ("ai-data",), "stage": "seed", "country": "MY", "raising_amount": Decimal("1200000"),
            "raising_currency": "USD"}
    base.update(kw)
    return StartupFacts(**base)


def test_a_startup_that_fits_every_term_scores_100_with_four_reasons():
    fit = thesis.fit(facts(), LION)
    assert fit.score == 100
    assert [(r.term, r.status) for r in fit.reasons] == [("sector", MATCH), ("stage", MATCH), ("country", MATCH),
                                                         ("ticket", MATCH)]
    assert sum(thesis.WEIGHTS.values()) == 100


def test_each_missed_term_costs_its_weight():
    assert thesis.fit(facts(sectors=("climate",)), LION).score == 60
    assert thesis.fit(facts(country="CN"), LION).score == 80
    assert thesis.fit(facts(stage="series-b-plus"), LION).score == 75
    assert thesis.fit(facts(raising_amount=Decimal("50000")), LION).score == 85  # below their smallest cheque


def test_a_neighbouring_stage_gives_half_the_stage_points_rounded_up():
    fit = thesis.fit(facts(stage="series-a"), LION)
    assert fit.reasons[1].status == PARTIAL and fit.reasons[1].points == 12.5
    assert fit.score == 88  # 87.5 rounds up


def test_not_raising_or_no_range_is_half_the_ticket():
    assert thesis.fit(facts(raising_amount=None), LION).reasons[3].status == PARTIAL
    assert thesis.fit(facts(), Thesis(sectors=("ai-data",))).reasons[3].status == PARTIAL


def test_a_round_far_larger_than_their_largest_cheque_misses():
    assert thesis.fit(facts(raising_amount=Decimal("15000000")), LION).reasons[3].status == MATCH  # exactly 10x
    assert thesis.fit(facts(raising_amount=Decimal("15000001")), LION).reasons[3].status == MISS


def test_an_empty_thesis_takes_anything():
    fit = thesis.fit(facts(sectors=("media",), stage="idea", country="VN"), Thesis())
    assert [r.status for r in fit.reasons[:3]] == [MATCH, MATCH, MATCH]


def test_currencies_are_compared_through_the_dated_reference_table():
    assert thesis.RATES_DATE == "2026-11-02"
    assert thesis.to_usd(Decimal("1000000"), "MYR") == 236000
    assert thesis.to_usd(Decimal("10"), "XXX") is None
    merdeka = Thesis(ticket_min=Decimal("1000000"), ticket_max=Decimal("10000000"), ticket_currency="MYR")
    # USD 300k is about MYR 1.27M: inside MYR 1M–10M.
    assert thesis.fit(facts(raising_amount=Decimal("300000")), merdeka).reasons[3].status == MATCH
    assert thesis.fit(facts(raising_amount=Decimal("200000")), merdeka).reasons[3].status == MISS


def test_masks_and_rank():
    assert thesis.sector_mask(["b", "zz", "a"], ["a", "b", "c"]) == 0b11
    assert thesis.stage_mask(["idea", "seed"]) == 0b101
    assert thesis.adjacent_stages(["seed"]) == ["pre-seed", "series-a"]
    ranked = thesis.rank([("b", facts(), LION), ("a", facts(), LION), ("c", facts(country="CN"), LION)])
    assert [item for item, _fit in ranked] == ["a", "b", "c"]


@pytest.mark.parametrize("points,score", [(12.5, 13), (87.5, 88), (99.4, 99), (0, 0)])
def test_rounding(points, score):
    assert thesis.round_score(points) == score


def test_the_library_imports_no_django():
    source = pathlib.Path(thesis.__file__).read_text()
    modules = [n.module or "" for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in modules if m.startswith("django")]
