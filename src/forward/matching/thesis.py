"""How well a startup fits an investor's thesis: a score from 0 to 100 and the reasons for it.

A pure library (no Django): the ventures app passes plain facts about a startup (sectors, stage,
country, the round it raises) and an investor's thesis (sectors, stages, countries, ticket range)
and gets back the score and one reason per term, so a page can say why ("Sector: AI and data ✓").

| term    | points | how                                                                              |
| ------- | -----: | -------------------------------------------------------------------------------- |
| sector  |     40 | the startup works in at least one of the thesis's sectors                         |
| stage   |     25 | its stage is one the thesis invests at; half when it is one step from one of them |
| country |     20 | its country is one the thesis invests in (a thesis naming none takes any)        |
| ticket  |     15 | raising an amount that the investor's smallest cheque fits in and that is at      |
|         |        | most ten times their largest; half when it is not raising now or either side has |
|         |        | not said; none when the round is smaller than their smallest cheque or more than |
|         |        | ten times their largest                                                           |

A thesis naming no sectors (or no stages) takes any: the term gives full points. Amounts in
different currencies are compared in US dollars through `REFERENCE_RATES`, a fixed table of
reference rates dated `RATES_DATE` (mid-market rates of that day, rounded; they are not updated by
themselves: they only decide whether a round and a ticket range are of the same order, and a page
always shows each amount in its own currency).

The ventures app also computes the same score in SQL to sort 100,000 startups without loading
them, from the same rules (the weights, `STAGES`, `adjacent_stages`, `TICKET_FACTOR`, the sector and
stage bit masks), and a test checks that both agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

SECTOR = 40.0
STAGE = 25.0
COUNTRY = 20.0
TICKET = 15.0
WEIGHTS = {"sector": SECTOR, "stage": STAGE, "country": COUNTRY, "ticket": TICKET}
TICKET_FACTOR = 10  # a round up to this many times the investor's largest cheque still fits

# The stages, in order ("one step" away for half the stage points).
STAGES = ("idea", "pre-seed", "seed", "series-a", "series-b-plus")

# US dollars for one unit of each currency, mid-market on RATES_DATE, rounded.
RATES_DATE = "2026-11-02"
REFERENCE_RATES: dict[str, Decimal] = {
    "USD": Decimal("1"),
    "SGD": Decimal("0.77"),
    "MYR": Decimal("0.236"),
    "IDR": Decimal("0.0000615"),
    "PHP": Decimal("0.0171"),
    "CNY": Decimal("0.140"),
    "THB": Decimal("0.0290"),
    "VND": Decimal("0.0000394"),
    "AUD": Decimal("0.655"),
    "HKD": Decimal("0.1285"),
}

MATCH, PARTIAL, MISS = "match", "partial", "miss"


def to_usd(amount: Decimal | int | float | None, currency: str) -> int | None:
    """An amount in whole US dollars at the reference rate; None when there is no amount or the
    currency is not in the table."""
    if amount is None:
        return None
    rate = REFERENCE_RATES.get((currency or "").upper())
    if rate is None:
        return None
    return int((Decimal(str(amount)) * rate).to_integral_value())


@dataclass(frozen=True)
class StartupFacts:
    sectors: Sequence[str] = ()
    stage: str = ""
    country: str = ""
    raising_amount: Decimal | None = None  # None: not raising now
    raising_currency: str = "USD"


@dataclass(frozen=True)
class Thesis:
    sectors: Sequence[str] = ()  # empty: any
    stages: Sequence[str] = ()  # empty: any
    countries: Sequence[str] = ()  # empty: any
    ticket_min: Decimal | None = None
    ticket_max: Decimal | None = None
    ticket_currency: str = "USD"


@dataclass(frozen=True)
class Reason:
    """One term of the score: its name, the points it gave out of its weight, whether it matched
    (`match`, `partial`, `miss`) and what it compared (for the page to word)."""

    term: str
    points: float
    weight: float
    status: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Fit:
    score: int  # 0..100, rounded
    reasons: tuple[Reason, ...]


def _sector(startup: StartupFacts, thesis: Thesis) -> Reason:
    shared = [s for s in startup.sectors if s in thesis.sectors]
    if not thesis.sectors or shared:
        return Reason("sector", SECTOR, SECTOR, MATCH, {"shared": shared or list(startup.sectors), "any": not thesis.sectors})
    return Reason("sector", 0.0, SECTOR, MISS, {"shared": [], "startup": list(startup.sectors),
                                                 "thesis": list(thesis.sectors)})


def stage_distance(stage: str, stages: Sequence[str]) -> int | None:
    """Steps from `stage` to the nearest of `stages` (0: one of them); None if unknown."""
    if stage not in STAGES:
        return None
    known = [STAGES.index(s) for s in stages if s in STAGES]
    if not known:
        return None
    here = STAGES.index(stage)
    return min(abs(here - k) for k in known)


def _stage(startup: StartupFacts, thesis: Thesis) -> Reason:
    if not thesis.stages:
        return Reason("stage", STAGE, STAGE, MATCH, {"stage": startup.stage, "any": True})
    distance = stage_distance(startup.stage, thesis.stages)
    detail = {"stage": startup.stage, "stages": list(thesis.stages)}
    if distance == 0:
        return Reason("stage", STAGE, STAGE, MATCH, detail)
    if distance == 1:
        return Reason("stage", STAGE / 2, STAGE, PARTIAL, detail)
    return Reason("stage", 0.0, STAGE, MISS, detail)


def _country(startup: StartupFacts, thesis: Thesis) -> Reason:
    countries = [c.upper() for c in thesis.countries]
    detail = {"country": startup.country, "countries": countries, "any": not countries}
    if not countries or (startup.country or "").upper() in countries:
        return Reason("country", COUNTRY, COUNTRY, MATCH, detail)
    return Reason("country", 0.0, COUNTRY, MISS, detail)


def ticket_status(raising_usd: int | None, min_usd: int | None, max_usd: int | None) -> str:
    """`match`, `partial` (not raising, or no range said) or `miss`, on amounts in US dollars."""
    if raising_usd is None or (min_usd is None and max_usd is None):
        return PARTIAL
    if min_usd is not None and raising_usd < min_usd:
        return MISS
    if max_usd is not None and raising_usd > max_usd * TICKET_FACTOR:
        return MISS
    return MATCH


def _ticket(startup: StartupFacts, thesis: Thesis) -> Reason:
    raising = to_usd(startup.raising_amount, startup.raising_currency)
    status = ticket_status(raising, to_usd(thesis.ticket_min, thesis.ticket_currency),
                           to_usd(thesis.ticket_max, thesis.ticket_currency))
    points = {MATCH: TICKET, PARTIAL: TICKET / 2, MISS: 0.0}[status]
    return Reason("ticket", points, TICKET, status, {
        "raising": startup.raising_amount, "raising_currency": startup.raising_currency,
        "min": thesis.ticket_min, "max": thesis.ticket_max, "currency": thesis.ticket_currency})


def fit(startup: StartupFacts, thesis: Thesis) -> Fit:
    """The explained fit of a startup to a thesis."""
    reasons = (_sector(startup, thesis), _stage(startup, thesis), _country(startup, thesis), _ticket(startup, thesis))
    return Fit(score=round_score(sum(r.points for r in reasons)), reasons=reasons)


def round_score(points: float) -> int:
    """Half points round up (12.5 → 13), the same in Python and in SQL."""
    return int(points + 0.5)


def adjacent_stages(stages: Sequence[str]) -> list[str]:
    """Stages one step from the nearest of `stages` (not among them): half the stage points."""
    return [s for s in STAGES if stage_distance(s, stages) == 1]


def sector_mask(sectors: Sequence[str], vocabulary: Sequence[str]) -> int:
    """The sectors as bits of an integer, bit i for vocabulary[i] (unknown codes are left out), so
    a database can test an overlap with one AND."""
    mask = 0
    for code in sectors:
        if code in vocabulary:
            mask |= 1 << list(vocabulary).index(code)
    return mask


def stage_mask(stages: Sequence[str]) -> int:
    mask = 0
    for code in stages:
        if code in STAGES:
            mask |= 1 << STAGES.index(code)
    return mask


_T = TypeVar("_T")


def rank(pairs: Sequence[tuple[_T, StartupFacts, Thesis]], *,
         key: Callable[[_T], Any] | None = None) -> list[tuple[_T, Fit]]:
    """Items with their fit, best first; ties by `key(item)` (default: the item itself)."""
    scored = [(item, fit(s, t)) for item, s, t in pairs]
    scored.sort(key=lambda pair: (-pair[1].score, key(pair[0]) if key else pair[0]))
    return scored
