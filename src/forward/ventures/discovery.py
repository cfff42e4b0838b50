"""Directory reads: who sees which startup and investor, discovery lists sorted by fit, and the small
display helpers other ventures areas use.

For other areas (stable names):
- `startup_card(organization)` / `investor_card(organization)`: a small display dict (id, name,
  one-liner or thesis, sectors, stage(s), country, url) of any startup or investor organization;
- `fit_for(startup, investor)`: the explained fit (`forward.matching.thesis.Fit`) of a Startup
  row to an Investor row;
- `startup_facts(startup)` / `investor_thesis(investor)`: the plain values `forward.matching.thesis`
  takes;
- `startup_visible(user=, organization_id=)` / `investor_visible(user=, organization_id=)`: the row
  if this person may see it, else None (answer 404).

Discovery sorts in SQL: `startup_fit_expression(thesis)` and `investor_fit_expression(startup)`
compute the same score as `forward.matching.thesis.fit` from the derived search columns (bit masks,
amounts in US dollars), so a page of the 100,000 startups costs two queries (count, page); the page's
reasons are then worded from `thesis.fit` on those 20 rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict, TypeVar, cast

from django.core.paginator import Page, Paginator
from django.db.models import Case, Expression, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from forward.core.models import Organization, OrganizationKind, User
from forward.core.types import AnyUser
from forward.matching import thesis as rules

from . import permissions
from .models import DeckShare, Investor, InvestorType, Sector, Stage, Startup, TractionMonth
from .models.directory import SECTOR_CODES

if TYPE_CHECKING:

    from forward.credentials.selectors import Holding

PAGE_SIZE = 20

_Listed = TypeVar("_Listed", Startup, Investor)  # what discovery lists and pages

# Points are doubled in SQL so that the half points (12.5 for a neighbouring stage, 7.5 for an
# unknown ticket) stay integers; the fit is then (doubled + 1) / 2 in integer division, which is
# `thesis.round_score`.
_SECTOR2, _STAGE2, _COUNTRY2, _TICKET2 = (int(rules.WEIGHTS[t] * 2) for t in ("sector", "stage", "country", "ticket"))


def startup_facts(startup: Startup) -> rules.StartupFacts:
    return rules.StartupFacts(sectors=tuple(startup.sectors or ()), stage=startup.stage,
                              country=str(startup.organization.country or ""),
                              raising_amount=startup.raising_amount, raising_currency=startup.raising_currency)


def investor_thesis(investor: Investor) -> rules.Thesis:
    return rules.Thesis(sectors=tuple(investor.sectors or ()), stages=tuple(investor.stages or ()),
                        countries=tuple(investor.countries or ()), ticket_min=investor.ticket_min,
                        ticket_max=investor.ticket_max, ticket_currency=investor.ticket_currency)


def fit_for(startup: Startup, investor: Investor) -> rules.Fit:
    return rules.fit(startup_facts(startup), investor_thesis(investor))


# --- visibility ------------------------------------------------------------------------------------


def startup_visible(*, user: AnyUser, organization_id: int) -> Startup | None:
    startup = (Startup.objects.select_related("organization").filter(organization_id=organization_id,
                                                                      organization__kind=OrganizationKind.STARTUP)
               .first())
    if startup is None or not permissions.can_view_startup(user, startup.organization):
        return None
    return startup


def investor_visible(*, user: AnyUser, organization_id: int) -> Investor | None:
    investor = (Investor.objects.select_related("organization").filter(organization_id=organization_id,
                                                                        organization__kind=OrganizationKind.INVESTOR)
                .first())
    if investor is None or not permissions.can_view_investor(user, investor.organization):
        return None
    return investor


def listed_startups() -> QuerySet[Startup]:
    return Startup.objects.filter(organization__kind=OrganizationKind.STARTUP,
                                  organization__verified_at__isnull=False).select_related("organization")


def listed_investors() -> QuerySet[Investor]:
    return Investor.objects.filter(organization__kind=OrganizationKind.INVESTOR,
                                   organization__verified_at__isnull=False).select_related("organization")


# --- fit in SQL ------------------------------------------------------------------------------------


def _bit(code: str) -> int:
    return 1 << SECTOR_CODES.index(code)


def startup_fit_expression(investor: Investor) -> Expression:
    """The doubled fit of each Startup row to this investor's thesis, as a SQL expression over
    annotations `_sector_hit` (added by `with_startup_fit`)."""
    thesis = investor_thesis(investor)
    terms: list[Expression] = []
    if thesis.sectors:
        terms.append(Case(When(_sector_hit__gt=0, then=Value(_SECTOR2)), default=Value(0)))
    else:
        terms.append(Value(_SECTOR2))
    if thesis.stages:
        terms.append(Case(When(stage__in=list(thesis.stages), then=Value(_STAGE2)),
                          When(stage__in=rules.adjacent_stages(thesis.stages), then=Value(_STAGE2 // 2)),
                          default=Value(0)))
    else:
        terms.append(Value(_STAGE2))
    countries = [c.upper() for c in thesis.countries]
    terms.append(Case(When(organization__country__in=countries, then=Value(_COUNTRY2)), default=Value(0))
                 if countries else Value(_COUNTRY2))
    low, high = investor.ticket_min_usd, investor.ticket_max_usd
    if low is None and high is None:
        terms.append(Value(_TICKET2 // 2))
    else:
        whens = [When(raising_usd__isnull=True, then=Value(_TICKET2 // 2))]
        if low is not None:
            whens.append(When(raising_usd__lt=low, then=Value(0)))
        if high is not None:
            whens.append(When(raising_usd__gt=high * rules.TICKET_FACTOR, then=Value(0)))
        terms.append(Case(*whens, default=Value(_TICKET2)))
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def with_startup_fit(queryset: QuerySet[Startup], investor: Investor) -> QuerySet[Startup]:
    queryset = queryset.annotate(_sector_hit=F("sector_mask").bitand(investor.sector_mask or 0))
    return queryset.annotate(fit2=Cast(startup_fit_expression(investor), IntegerField())).annotate(
        fit=(F("fit2") + 1) / 2)


def investor_fit_expression(startup: Startup) -> tuple[Expression, int, int | None, int]:
    facts = startup_facts(startup)
    mask = startup.sector_mask or 0
    terms: list[Expression] = [Case(When(sector_mask=0, then=Value(_SECTOR2)), When(_sector_hit__gt=0, then=Value(_SECTOR2)),
                  default=Value(0))]
    if facts.stage in rules.STAGES:
        index = rules.STAGES.index(facts.stage)
        near = sum(1 << i for i in (index - 1, index + 1) if 0 <= i < len(rules.STAGES))
        terms.append(Case(When(stage_mask=0, then=Value(_STAGE2)), When(_stage_hit__gt=0, then=Value(_STAGE2)),
                          When(_stage_near__gt=0, then=Value(_STAGE2 // 2)), default=Value(0)))
    else:
        index, near = None, 0
        terms.append(Case(When(stage_mask=0, then=Value(_STAGE2)), default=Value(0)))
    country = facts.country.upper()
    country_hit = Q(countries_key="") | Q(countries_key__contains=f",{country},") if country else Q(countries_key="")
    terms.append(Case(When(country_hit, then=Value(_COUNTRY2)), default=Value(0)))
    raising = startup.raising_usd
    if raising is None:
        terms.append(Value(_TICKET2 // 2))
    else:
        terms.append(Case(When(ticket_min_usd__isnull=True, ticket_max_usd__isnull=True, then=Value(_TICKET2 // 2)),
                          When(ticket_min_usd__gt=raising, then=Value(0)),
                          When(_ticket_max10__lt=raising, then=Value(0)), default=Value(_TICKET2)))
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total, mask, index, near


def with_investor_fit(queryset: QuerySet[Investor], startup: Startup) -> QuerySet[Investor]:
    expression, mask, index, near = investor_fit_expression(startup)
    queryset = queryset.annotate(_sector_hit=F("sector_mask").bitand(mask),
                                 _stage_hit=F("stage_mask").bitand(1 << index if index is not None else 0),
                                 _stage_near=F("stage_mask").bitand(near),
                                 _ticket_max10=F("ticket_max_usd") * rules.TICKET_FACTOR)
    return queryset.annotate(fit2=Cast(expression, IntegerField())).annotate(fit=(F("fit2") + 1) / 2)


# --- discovery -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartupFilters:
    sector: str = ""
    stage: str = ""
    country: str = ""
    raising: str = ""  # "yes", "no" or "" (only for those who see rounds)
    text: str = ""

    def querystring_items(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in (("sector", self.sector), ("stage", self.stage), ("country", self.country),
                                    ("raising", self.raising), ("q", self.text)) if v]


@dataclass(frozen=True)
class InvestorFilters:
    sector: str = ""
    stage: str = ""
    country: str = ""
    investor_type: str = ""
    text: str = ""

    def querystring_items(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in (("sector", self.sector), ("stage", self.stage), ("country", self.country),
                                    ("type", self.investor_type), ("q", self.text)) if v]


def _text_filter(text: str, *fields: str) -> Q:
    q = Q()
    for word in text.split()[:5]:
        word_q = Q()
        for name in fields:
            word_q |= Q(**{f"{name}__icontains": word})
        q &= word_q
    return q


def search_startups(filters: StartupFilters, *, as_investor: Investor | None, sees_rounds: bool) -> QuerySet[Startup]:
    """Verified startups matching the filters; with fit and sorted by it when browsing as an
    investor, else by name. `raising` applies only for those who see rounds."""
    qs = listed_startups()
    if filters.sector in SECTOR_CODES:
        qs = qs.annotate(_filter_sector=F("sector_mask").bitand(_bit(filters.sector))).filter(_filter_sector__gt=0)
    if filters.stage in Stage.values:
        qs = qs.filter(stage=filters.stage)
    if filters.country:
        qs = qs.filter(organization__country=filters.country.upper())
    if sees_rounds and filters.raising == "yes":
        qs = qs.filter(raising_amount__isnull=False)
    elif sees_rounds and filters.raising == "no":
        qs = qs.filter(raising_amount__isnull=True)
    if filters.text:
        qs = qs.filter(_text_filter(filters.text, "organization__name", "one_liner"))
    if as_investor is not None:
        return with_startup_fit(qs, as_investor).order_by("-fit", "organization__name", "pk")
    return qs.order_by("organization__name", "pk")


def search_investors(filters: InvestorFilters, *, as_startup: Startup | None) -> QuerySet[Investor]:
    qs = listed_investors()
    if filters.sector in SECTOR_CODES:
        qs = qs.annotate(_filter_sector=F("sector_mask").bitand(_bit(filters.sector))).filter(_filter_sector__gt=0)
    if filters.stage in rules.STAGES:
        qs = qs.annotate(_filter_stage=F("stage_mask").bitand(1 << rules.STAGES.index(filters.stage))).filter(
            _filter_stage__gt=0)
    if filters.country:
        qs = qs.filter(Q(countries_key__contains=f",{filters.country.upper()},") | Q(countries_key=""))
    if filters.investor_type in InvestorType.values:
        qs = qs.filter(investor_type=filters.investor_type)
    if filters.text:
        qs = qs.filter(_text_filter(filters.text, "organization__name", "thesis"))
    if as_startup is not None:
        return with_investor_fit(qs, as_startup).order_by("-fit", "organization__name", "pk")
    return qs.order_by("organization__name", "pk")


def page_of(queryset: QuerySet[_Listed], number: int | str | None) -> Page[_Listed]:
    """A page of a search: the database sorts only (id, fit, name) of every match and returns 20
    ids (a narrow sort: the whole rows, with their descriptions, never go through the sorter), then
    those 20 rows are read with their organizations. Three queries: count, ids, rows."""
    ids = Paginator(queryset.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    page = cast("Page[_Listed]", ids)  # the same page: its object_list (the ids) is replaced by their rows
    page.object_list = rows_in_order(queryset, list(ids.object_list))
    return page


def rows_in_order(queryset: QuerySet[_Listed], ids: list[int]) -> list[_Listed]:
    """The rows of these ids (with their organizations), in the ids' order: one query."""
    rows = queryset.model.objects.select_related("organization").in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def resolve_browse_as(choices: QuerySet[Organization], value: str | None, *, default_first: bool) -> tuple[
        Organization | None, bool]:
    """(the organization picked by `?as=`, ok): `ok` is False when `as` names one this person may
    not browse as (answer 404, as for a missing one)."""
    if value:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            return None, False
        organization = choices.filter(pk=pk).first()
        return organization, organization is not None
    if default_first:
        return choices.order_by("name", "pk").first(), True
    return None, True


# --- display helpers -------------------------------------------------------------------------------


def sector_labels(codes: Iterable[str] | None) -> list[str]:
    names = dict(Sector.choices)
    return [str(names[c]) for c in codes or [] if c in names]


def stage_labels(codes: Iterable[str] | None) -> list[str]:
    names = dict(Stage.choices)
    return [str(names[c]) for c in codes or [] if c in names]


class StartupCard(TypedDict):
    id: int
    name: str
    kind: str
    one_liner: str
    sectors: list[str]
    stage: str
    country: str
    verified: bool
    url: str


class InvestorCard(TypedDict):
    id: int
    name: str
    kind: str
    investor_type: str
    thesis: str
    sectors: list[str]
    stages: list[str]
    country: str
    verified: bool
    url: str


def startup_card(organization: Organization) -> StartupCard:
    """A small display dict of a startup organization (no query when `organization.startup` is
    already loaded)."""
    startup = getattr(organization, "startup", None)
    return {
        "id": organization.pk, "name": organization.name, "kind": "startup",
        "one_liner": startup.one_liner if startup else "",
        "sectors": sector_labels(startup.sectors) if startup else [],
        "stage": startup.get_stage_display() if startup else "",
        "country": str(organization.country.name) if organization.country else "",
        "verified": organization.is_verified,
        "url": reverse("ventures:startup_detail", args=[organization.pk]),
    }


def investor_card(organization: Organization) -> InvestorCard:
    investor = getattr(organization, "investor", None)
    return {
        "id": organization.pk, "name": organization.name, "kind": "investor",
        "investor_type": investor.get_investor_type_display() if investor else "",
        "thesis": investor.thesis if investor else "",
        "sectors": sector_labels(investor.sectors) if investor else [],
        "stages": stage_labels(investor.stages) if investor else [],
        "country": str(organization.country.name) if organization.country else "",
        "verified": organization.is_verified,
        "url": reverse("ventures:investor_detail", args=[organization.pk]),
    }


# --- a startup's page ------------------------------------------------------------------------------


class TeamRow(TypedDict):
    user: User
    name: str
    title: str
    order: int
    credentials: list[Holding]


def team_with_credentials(startup: Startup) -> list[TeamRow]:
    """The team, in order, each with their unrevoked, unexpired credentials (two queries)."""
    from forward.credentials import selectors as credentials

    members = list(startup.team.select_related("user").order_by("order", "pk"))
    held: dict[int, list[Holding]] = {}
    for holding in credentials.holdings(user_ids=[m.user_id for m in members]):
        if not holding.expired:
            held.setdefault(holding.user_id, []).append(holding)
    return [{"user": m.user, "name": m.user.display_name, "title": m.title, "order": m.order,
             "credentials": held.get(m.user_id, [])} for m in members]


def traction_months(startup: Startup, *, limit: int = 24) -> list[TractionMonth]:
    rows = list(TractionMonth.objects.filter(startup=startup).order_by("-month")[:limit])
    rows.reverse()
    return rows


def deck_shared_with_ids(startup: Startup) -> list[int]:
    return list(DeckShare.objects.filter(startup=startup).values_list("investor__organization_id", flat=True))


def deck_shares(startup: Startup) -> list[DeckShare]:
    return list(DeckShare.objects.filter(startup=startup).select_related("investor__organization", "shared_by"))


# --- wording the fit -------------------------------------------------------------------------------


def short_money(amount: Decimal | int | float | None, currency: str) -> str:
    """"USD 1.2M", "MYR 250k", "SGD 900": an amount with its currency, short."""
    if amount is None:
        return ""
    value = float(amount)
    for limit, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if value >= limit:
            number = f"{value / limit:.1f}".rstrip("0").rstrip(".")
            return f"{currency} {number}{suffix}"
    return f"{currency} {value:.0f}"


def money_range(low: Decimal | int | float | None, high: Decimal | int | float | None, currency: str) -> str:
    """"USD 100k–1.5M", "from MYR 1M", "up to SGD 500k"; "" when neither end is said."""
    if low is None and high is None:
        return ""
    if high is None:
        return _("from %(amount)s") % {"amount": short_money(low, currency)}
    if low is None:
        return _("up to %(amount)s") % {"amount": short_money(high, currency)}
    return f"{short_money(low, currency)}–{short_money(high, currency).removeprefix(currency + ' ')}"


def reason_text(reason: rules.Reason) -> str:
    """One reason as a sentence a founder or investor reads, ending in ✓, ~ or ✗."""
    mark = {rules.MATCH: "✓", rules.PARTIAL: "~", rules.MISS: "✗"}[reason.status]
    d = reason.detail
    if reason.term == "sector":
        if d.get("any"):
            text = _("Sector: any (the thesis names none)")
        elif reason.status == rules.MATCH:
            text = _("Sector: %(sectors)s") % {"sectors": ", ".join(sector_labels(d["shared"]))}
        else:
            text = _("Sector: %(startup)s, thesis %(thesis)s") % {
                "startup": ", ".join(sector_labels(d["startup"])) or _("none given"),
                "thesis": ", ".join(sector_labels(d["thesis"]))}
    elif reason.term == "stage":
        stage = ", ".join(stage_labels([d["stage"]])) or _("not given")
        if d.get("any"):
            text = _("Stage: %(stage)s, any stage in the thesis") % {"stage": stage}
        else:
            text = _("Stage: %(stage)s, thesis %(stages)s") % {"stage": stage,
                                                               "stages": ", ".join(stage_labels(d["stages"]))}
    elif reason.term == "country":
        name = countries.name(d["country"]) if d["country"] else _("not given")
        if d.get("any"):
            text = _("Country: %(country)s, any country in the thesis") % {"country": name}
        else:
            text = _("Country: %(country)s, thesis %(countries)s") % {"country": name,
                                                                      "countries": ", ".join(d["countries"])}
    else:
        their = money_range(d["min"], d["max"], d["currency"]) or _("no range given")
        if d["raising"] is None:
            text = _("Ticket: not raising now, their range %(range)s") % {"range": their}
        else:
            text = _("Ticket: raising %(amount)s, their range %(range)s") % {
                "amount": short_money(d["raising"], d["raising_currency"]), "range": their}
    return f"{text} {mark}"


class ReasonRow(TypedDict):
    term: str
    status: str
    points: float
    weight: float
    text: str


class Explained(TypedDict):
    score: int
    reasons: list[ReasonRow]


def explained(fit: rules.Fit) -> Explained:
    return {"score": fit.score, "reasons": [{"term": r.term, "status": r.status, "points": r.points,
                                             "weight": r.weight, "text": reason_text(r)} for r in fit.reasons]}
