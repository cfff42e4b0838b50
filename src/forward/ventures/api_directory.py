"""Ventures API: the directory, under /api/v1/ventures/. Lists and pages are public (fit for those who
browse as an organization they act for); writing needs a token or a session of the startup's
founders and staff (or the investor's admins and staff). What someone may not see answers 404,
exactly as a missing id does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, StringConstraints

from forward.api_auth import PUBLIC
from forward.api_common import MAX_PAGE, PUBLIC_SECURITY, errors

from . import discovery, investors, permissions, startups
from .models import Currency, Instrument, Investor, InvestorType, LeadStyle, Sector, Stage, Startup

router = Router(tags=["ventures"])

NOT_FOUND = "Not found."

SectorLiteral = Literal[tuple(Sector.values)]  # type: ignore[valid-type]
StageLiteral = Literal[tuple(Stage.values)]  # type: ignore[valid-type]
CurrencyLiteral = Literal[tuple(Currency.values)]  # type: ignore[valid-type]
InstrumentLiteral = Literal[tuple(Instrument.values)]  # type: ignore[valid-type]
TypeLiteral = Literal[tuple(InvestorType.values)]  # type: ignore[valid-type]
LeadLiteral = Literal[tuple(LeadStyle.values)]  # type: ignore[valid-type]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Line = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=100)]
Month = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
# An amount: text with at most two decimal places ("1200000", "3500.50").
Amount = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,11}(\.[0-9]{1,2})?$")]
ZeroAmount = Annotated[str, StringConstraints(pattern=r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$")]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
AS_QUERY = Query(None, alias="as", description="the organization id to browse as")


class ReasonOut(Schema):
    term: str = Field(description="sector, stage, country or ticket")
    status: str = Field(description="match, partial or miss")
    points: float
    weight: float
    text: str = Field(description="the reason in the caller's language")


class FitOut(Schema):
    score: int = Field(description="0–100, from forward.matching.thesis")
    reasons: list[ReasonOut]


class TeamMemberOut(Schema):
    name: str
    title: str
    credentials: list[dict] = Field(description="verified credentials: name, issuer, verify_url")


class RoundOut(Schema):
    amount: str = Field(description="a decimal amount in `currency`, as text")
    currency: str
    instrument: str


class TractionOut(Schema):
    month: str = Field(description="YYYY-MM")
    revenue: str
    currency: str
    users: int


class StartupOut(Schema):
    id: int = Field(description="the startup organization's id")
    url: str
    name: str
    one_liner: str
    sectors: list[str]
    stage: str
    country: str
    round: RoundOut | None = Field(None, description="only for verified investors, programme staff and the startup")
    fit: FitOut | None = Field(None, description="when browsing as an investor")


class StartupDetailOut(StartupOut):
    description: str
    founded_on: date | None
    video_url: str
    verified: bool
    team: list[TeamMemberOut]
    traction: list[TractionOut] | None = Field(None, description="as `round`")
    deck_url: str | None = Field(None, description="when the caller may open the deck")


class StartupPage(Schema):
    count: int
    page: int
    pages: int
    browsing_as: int | None = Field(description="the investor organization whose thesis gives the fit")
    results: list[StartupOut]


class InvestorOut(Schema):
    id: int = Field(description="the investor organization's id")
    url: str
    name: str
    investor_type: str
    thesis: str
    sectors: list[str]
    stages: list[str]
    countries: list[str]
    ticket_min: str | None
    ticket_max: str | None
    ticket_currency: str
    lead_style: str
    fit: FitOut | None = Field(None, description="when browsing as a startup")


class PartnerOut(Schema):
    name: str
    title: str


class InvestorDetailOut(InvestorOut):
    verified: bool
    partners: list[PartnerOut]


class InvestorPage(Schema):
    count: int
    page: int
    pages: int
    browsing_as: int | None = Field(description="the startup organization whose fit is shown")
    results: list[InvestorOut]


class StartupProfileIn(Schema):
    one_liner: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=startups.MAX_ONE_LINER)] = ""
    description: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=startups.MAX_DESCRIPTION)] = ""
    sectors: list[SectorLiteral] = Field(default_factory=list, max_length=startups.MAX_SECTORS)  # type: ignore[valid-type]
    stage: StageLiteral  # type: ignore[valid-type]
    country: CountryCode
    founded_on: date | None = Field(None, description="not in the future")
    video_url: Annotated[str, StringConstraints(pattern=r"^(https://[^\s\x00]{3,480})?$")] = ""


class RoundIn(Schema):
    amount: Amount
    currency: CurrencyLiteral  # type: ignore[valid-type]
    instrument: InstrumentLiteral  # type: ignore[valid-type]


class TractionIn(Schema):
    revenue: ZeroAmount
    currency: CurrencyLiteral  # type: ignore[valid-type]
    users: int = Field(ge=0, le=startups.MAX_USERS)


class ShareIn(Schema):
    investor: Id = Field(description="a verified investor organization's id")


class ShareOut(Schema):
    investor: int
    name: str
    shared_at: str


class InvestorProfileIn(Schema):
    investor_type: TypeLiteral  # type: ignore[valid-type]
    thesis: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=investors.MAX_THESIS)] = ""
    sectors: list[SectorLiteral] = Field(default_factory=list, max_length=len(Sector.values))  # type: ignore[valid-type]
    stages: list[StageLiteral] = Field(default_factory=list, max_length=len(Stage.values))  # type: ignore[valid-type]
    countries: list[CountryCode] = Field(default_factory=list, max_length=investors.MAX_COUNTRIES)
    ticket_min: Amount | None = None
    ticket_max: Amount | None = None
    ticket_currency: CurrencyLiteral = "USD"  # type: ignore[valid-type]
    lead_style: LeadLiteral = "both"  # type: ignore[valid-type]


# --- output ----------------------------------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _startup_out(request, startup: Startup, *, private: bool, fit=None) -> dict:
    organization = startup.organization
    return {
        "id": organization.pk, "url": request.build_absolute_uri(reverse("ventures:startup_detail",
                                                                          args=[organization.pk])),
        "name": organization.name, "one_liner": startup.one_liner, "sectors": list(startup.sectors or []),
        "stage": startup.stage, "country": str(organization.country or ""),
        "round": {"amount": str(startup.raising_amount), "currency": startup.raising_currency,
                  "instrument": startup.raising_instrument} if private and startup.is_raising else None,
        "fit": discovery.explained(fit) if fit else None,
    }


def _investor_out(request, investor: Investor, *, fit=None) -> dict:
    organization = investor.organization
    return {
        "id": organization.pk, "url": request.build_absolute_uri(reverse("ventures:investor_detail",
                                                                          args=[organization.pk])),
        "name": organization.name, "investor_type": investor.investor_type, "thesis": investor.thesis,
        "sectors": list(investor.sectors or []), "stages": list(investor.stages or []),
        "countries": list(investor.countries or []), "ticket_min": _money(investor.ticket_min),
        "ticket_max": _money(investor.ticket_max), "ticket_currency": investor.ticket_currency,
        "lead_style": investor.lead_style, "fit": discovery.explained(fit) if fit else None,
    }


def _startup_detail(request, startup: Startup) -> dict:
    user = request.auth
    organization = startup.organization
    private = permissions.can_see_startup_private(user, organization)
    shared = discovery.deck_shared_with_ids(startup) if startup.deck.name else []
    deck = bool(startup.deck.name) and permissions.can_open_deck(user, organization, shared_with_ids=shared)
    return {
        **_startup_out(request, startup, private=private),
        "description": organization.description, "founded_on": startup.founded_on, "video_url": startup.video_url,
        "verified": organization.is_verified,
        "team": [{"name": m["name"], "title": m["title"],
                  "credentials": [{"name": c.name, "issuer": c.issuer_name, "verify_url": c.verify_url}
                                  for c in m["credentials"]]} for m in discovery.team_with_credentials(startup)],
        "traction": [{"month": f"{r.month:%Y-%m}", "revenue": str(r.revenue), "currency": r.currency, "users": r.users}
                     for r in discovery.traction_months(startup)] if private else None,
        "deck_url": request.build_absolute_uri(reverse("ventures:startup_deck", args=[organization.pk]))
        if deck else None,
    }


def _paged(queryset, page: int):
    count = queryset.count()
    pages = max(1, -(-count // discovery.PAGE_SIZE))
    if page > pages:
        raise HttpError(404, f"page {page} does not exist; there are {pages}")
    ids = list(queryset.values_list("pk", flat=True)[(page - 1) * discovery.PAGE_SIZE: page * discovery.PAGE_SIZE])
    return count, pages, discovery.rows_in_order(queryset, ids)


def _browse_as(request, choices, value: int | None):
    organization, ok = discovery.resolve_browse_as(choices, str(value) if value else None,
                                                   default_first=not permissions.is_operator(request.auth))
    if not ok:
        raise HttpError(404, NOT_FOUND)
    return organization


# --- startups --------------------------------------------------------------------------------------


@router.get("/startups", response={200: StartupPage, **errors(401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="Verified startups, with fit for investors",
            description="20 a page. Browsing as a verified investor one acts for (`as`, default: the first by name; "
                        "operators: none unless given) sorts by fit to its thesis, then by name; otherwise by name. "
                        "`raising` filters only for those who see rounds (verified investors, programme staff).")
def startup_list(request, page: int = Query(1, ge=1, le=MAX_PAGE), as_: Id | None = AS_QUERY,
                 sector: SectorLiteral | None = None, stage: StageLiteral | None = None,  # type: ignore[valid-type]
                 country: CountryCode | None = None, raising: Literal["yes", "no"] | None = None, q: Line = ""):
    user = request.auth
    as_org = _browse_as(request, permissions.browse_as_investors(user), as_)
    as_investor = Investor.objects.select_related("organization").filter(organization=as_org).first() if as_org else None
    sees_rounds = permissions.sees_rounds(user)
    filters = discovery.StartupFilters(sector=sector or "", stage=stage or "", country=country or "",
                                       raising=raising or "", text=q.strip())
    count, pages, rows = _paged(discovery.search_startups(filters, as_investor=as_investor, sees_rounds=sees_rounds),
                                page)
    return {"count": count, "page": page, "pages": pages, "browsing_as": as_org.pk if as_org else None,
            "results": [_startup_out(request, s, private=sees_rounds,
                                     fit=discovery.fit_for(s, as_investor) if as_investor else None) for s in rows]}


def _visible_startup(request, organization_id: int) -> Startup:
    startup = discovery.startup_visible(user=request.auth, organization_id=organization_id)
    if startup is None:
        raise HttpError(404, NOT_FOUND)
    return startup


def _editable_startup(request, organization_id: int) -> Startup:
    startup = _visible_startup(request, organization_id)
    if not permissions.can_prepare_startup(request.auth, startup.organization):
        raise HttpError(404, NOT_FOUND)  # another startup's editing does not exist for them
    return startup


def _call(service, **kwargs):
    try:
        return service(**kwargs)
    except PermissionDenied:
        raise HttpError(404, NOT_FOUND) from None
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None


@router.get("/startups/{organization_id}", response={200: StartupDetailOut, **errors(401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="One startup",
            description="A verified startup's public facts for anyone; round and traction for verified investors, "
                        "programme staff and the startup's admins and staff; `deck_url` for those who may open the "
                        "deck. An unverified startup: 404 except to its members and operators.")
def startup_detail(request, organization_id: Id):
    return _startup_detail(request, _visible_startup(request, organization_id))


@router.put("/startups/{organization_id}/profile", response={200: StartupDetailOut, **errors(400, 401, 404, 422)},
            summary="Replace the startup's public profile", description="By its founders and staff, or an operator.")
def startup_profile(request, organization_id: Id, body: StartupProfileIn):
    startup = _editable_startup(request, organization_id)
    startup = _call(startups.startup_update_profile, actor=request.auth, startup=startup, **body.dict())
    return _startup_detail(request, _visible_startup(request, startup.organization_id))


@router.put("/startups/{organization_id}/round", response={200: StartupDetailOut, **errors(400, 401, 404, 422)},
            summary="Set the round it is raising")
def startup_round(request, organization_id: Id, body: RoundIn):
    startup = _editable_startup(request, organization_id)
    _call(startups.startup_set_round, actor=request.auth, startup=startup, **body.dict())
    return _startup_detail(request, _visible_startup(request, organization_id))


@router.delete("/startups/{organization_id}/round", response={200: StartupDetailOut, **errors(401, 404, 422)},
               summary="Not raising now")
def startup_round_clear(request, organization_id: Id):
    startup = _editable_startup(request, organization_id)
    _call(startups.startup_clear_round, actor=request.auth, startup=startup)
    return _startup_detail(request, _visible_startup(request, organization_id))


@router.put("/startups/{organization_id}/traction/{month}", response={200: TractionOut, **errors(400, 401, 404, 422)},
            summary="Set a month's revenue and users", description="`month` is YYYY-MM, not in the future.")
def traction_set(request, organization_id: Id, month: Month, body: TractionIn):
    startup = _editable_startup(request, organization_id)
    row = _call(startups.traction_set, actor=request.auth, startup=startup, month=month, **body.dict())
    return {"month": f"{row.month:%Y-%m}", "revenue": str(row.revenue), "currency": row.currency, "users": row.users}


@router.delete("/startups/{organization_id}/traction/{month}", response={204: None, **errors(400, 401, 404, 422)},
               summary="Delete a month's figures")
def traction_delete(request, organization_id: Id, month: Month):
    startup = _editable_startup(request, organization_id)
    _call(startups.traction_delete, actor=request.auth, startup=startup, month=month)
    return Status(204, None)


def _share_out(share) -> dict:
    return {"investor": share.investor.organization_id, "name": share.investor.organization.name,
            "shared_at": share.created_at.isoformat()}


@router.get("/startups/{organization_id}/deck-shares", response={200: list[ShareOut], **errors(401, 404, 422)},
            summary="Whom the deck is shared with", description="For the startup's founders and staff.")
def deck_shares(request, organization_id: Id):
    startup = _editable_startup(request, organization_id)
    return [_share_out(s) for s in discovery.deck_shares(startup)]


@router.post("/startups/{organization_id}/deck-shares", response={201: ShareOut, **errors(400, 401, 404, 422)},
             summary="Share the deck with a verified investor", description="Sharing twice keeps one share.")
def deck_share(request, organization_id: Id, body: ShareIn):
    startup = _editable_startup(request, organization_id)
    investor = discovery.listed_investors().filter(organization_id=body.investor).first()
    if investor is None:
        raise HttpError(404, NOT_FOUND)
    share = _call(startups.deck_share, actor=request.auth, startup=startup, investor=investor)
    share.investor = investor
    return Status(201, _share_out(share))


@router.delete("/startups/{organization_id}/deck-shares/{investor_id}", response={204: None, **errors(401, 404, 422)},
               summary="Stop sharing the deck with an investor")
def deck_unshare(request, organization_id: Id, investor_id: Id):
    startup = _editable_startup(request, organization_id)
    investor = Investor.objects.filter(organization_id=investor_id).select_related("organization").first()
    if investor is None or not _call(startups.deck_unshare, actor=request.auth, startup=startup, investor=investor):
        raise HttpError(404, NOT_FOUND)
    return Status(204, None)


# --- investors -------------------------------------------------------------------------------------


@router.get("/investors", response={200: InvestorPage, **errors(401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="Verified investors, with fit for founders",
            description="20 a page. Browsing as a startup one acts for (`as`, default: the first by name; operators: "
                        "none unless given) sorts by fit, then by name; otherwise by name. `country`: investors "
                        "investing there (or anywhere).")
def investor_list(request, page: int = Query(1, ge=1, le=MAX_PAGE), as_: Id | None = AS_QUERY,
                  sector: SectorLiteral | None = None, stage: StageLiteral | None = None,  # type: ignore[valid-type]
                  country: CountryCode | None = None, type: TypeLiteral | None = None,  # type: ignore[valid-type]
                  q: Line = ""):
    as_org = _browse_as(request, permissions.browse_as_startups(request.auth), as_)
    as_startup = Startup.objects.select_related("organization").filter(organization=as_org).first() if as_org else None
    filters = discovery.InvestorFilters(sector=sector or "", stage=stage or "", country=country or "",
                                        investor_type=type or "", text=q.strip())
    count, pages, rows = _paged(discovery.search_investors(filters, as_startup=as_startup), page)
    return {"count": count, "page": page, "pages": pages, "browsing_as": as_org.pk if as_org else None,
            "results": [_investor_out(request, i, fit=discovery.fit_for(as_startup, i) if as_startup else None)
                        for i in rows]}


def _investor_detail(request, investor: Investor) -> dict:
    return {**_investor_out(request, investor), "verified": investor.organization.is_verified,
            "partners": [{"name": p.user.display_name, "title": p.title}
                         for p in investor.partners.select_related("user").order_by("order", "pk")]}


def _visible_investor(request, organization_id: int) -> Investor:
    investor = discovery.investor_visible(user=request.auth, organization_id=organization_id)
    if investor is None:
        raise HttpError(404, NOT_FOUND)
    return investor


@router.get("/investors/{organization_id}", response={200: InvestorDetailOut, **errors(401, 404, 422)}, auth=PUBLIC,
            openapi_extra=PUBLIC_SECURITY, summary="One investor",
            description="A verified investor for anyone; an unverified one only to its members and operators.")
def investor_detail(request, organization_id: Id):
    return _investor_detail(request, _visible_investor(request, organization_id))


@router.put("/investors/{organization_id}/profile", response={200: InvestorDetailOut, **errors(400, 401, 404, 422)},
            summary="Replace the investor's thesis",
            description="By its admins and staff (an unverified investor too: it is listed once verified), or an "
                        "operator. `ticket_max` must be at least `ticket_min`.")
def investor_profile(request, organization_id: Id, body: InvestorProfileIn):
    investor = _visible_investor(request, organization_id)
    if not permissions.can_edit_investor(request.auth, investor.organization):
        raise HttpError(404, NOT_FOUND)
    _call(investors.investor_update_profile, actor=request.auth, investor=investor, **body.dict())
    return _investor_detail(request, _visible_investor(request, organization_id))
