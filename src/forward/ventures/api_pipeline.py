"""Ventures API: investors' deal pipelines (/api/v1/ventures/pipeline/...) and the investments a
startup confirms (/api/v1/ventures/investments/...). Thin: parse, check permission, call
ventures.pipeline. A deal or investment that is not the caller's to see is a 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from forward.api_common import MAX_PAGE, errors
from forward.core.models import MAX_ID, Organization, OrganizationKind

from . import permissions
from . import pipeline as service
from .api_intros import page_of as _page
from .models.pipeline import NEXT_STEP_MAX, NOTE_MAX, Deal, Investment

router = Router(tags=["ventures"])

PAGE_SIZE = 50
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
StageName = Literal["sourced", "first-meeting", "due-diligence", "term-sheet", "invested", "passed"]
MoveStage = Literal["sourced", "first-meeting", "due-diligence", "term-sheet", "passed"]
NoteText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", min_length=1, max_length=NOTE_MAX)]
StepText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=NEXT_STEP_MAX)]
ReasonText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=500)]
CurrencyCode = Literal["USD", "SGD", "MYR", "IDR", "PHP", "CNY", "THB", "VND", "AUD", "HKD"]
InstrumentCode = Literal["safe", "equity", "convertible-note"]
# An amount of money: a whole number, or text with at most two decimal places ("250000.50").
Amount = (Annotated[int, Field(ge=1, le=int(service.MAX_AMOUNT))]
          | Annotated[str, StringConstraints(pattern=r"^[0-9]{1,14}(\.[0-9]{1,2})?$")])


class InvestmentOut(Schema):
    id: int
    deal: int
    investor: int
    investor_name: str
    startup: int
    startup_name: str
    amount: str = Field(description="a decimal amount in `currency`, as text")
    currency: str
    instrument: str
    invested_on: date
    status: str = Field(description="pending, confirmed or disputed")
    dispute_reason: str
    recorded_at: datetime
    answered_at: datetime | None


class DealOut(Schema):
    id: int
    investor: int
    startup: int
    startup_name: str
    stage: str
    next_step: str
    next_step_on: date | None
    created_at: datetime
    updated_at: datetime
    investment: InvestmentOut | None


class DealPage(Schema):
    count: int
    page: int
    pages: int
    results: list[DealOut]


class InvestmentPage(Schema):
    count: int
    page: int
    pages: int
    results: list[InvestmentOut]


class DealIn(Schema):
    investor: Id = Field(..., description="Your verified investor organization's id")
    startup: Id = Field(..., description="A verified startup organization's id")


class DealMoveIn(Schema):
    stage: MoveStage = Field(..., description="Invested comes with the investment (POST .../invest)")


class DealNoteIn(Schema):
    text: NoteText


class DealNoteOut(Schema):
    id: int
    deal: int
    author: str
    text: str
    created_at: datetime


class DealNextStepIn(Schema):
    next_step: StepText = ""
    next_step_on: date | None = None


class DealInvestIn(Schema):
    amount: Amount = Field(..., description="more than zero, in `currency`")
    currency: CurrencyCode
    instrument: InstrumentCode
    invested_on: date


class InvestmentDisputeIn(Schema):
    reason: ReasonText = ""


def _investment_out(i: Investment) -> InvestmentOut:
    return InvestmentOut(id=i.pk, deal=i.deal_id, investor=i.investor_id, investor_name=i.investor.name,
                         startup=i.startup_id, startup_name=i.startup.name, amount=str(i.amount), currency=i.currency,
                         instrument=i.instrument, invested_on=i.invested_on, status=i.status,
                         dispute_reason=i.dispute_reason, recorded_at=i.recorded_at, answered_at=i.answered_at)


def _deal_out(deal: Deal) -> DealOut:
    investment = getattr(deal, "investment", None) if hasattr(deal, "investment") else None
    if investment is not None:
        investment.investor, investment.startup = deal.investor, deal.startup
    return DealOut(id=deal.pk, investor=deal.investor_id, startup=deal.startup_id, startup_name=deal.startup.name,
                   stage=deal.stage, next_step=deal.next_step, next_step_on=deal.next_step_on,
                   created_at=deal.created_at, updated_at=deal.updated_at, investment=_investment_out(investment) if investment is not None else None)


def _deal(request, deal_id: int) -> Deal:
    try:
        return service.visible_deal(user=request.auth, deal_id=deal_id)
    except service.NotFound:
        raise HttpError(404, "Not found.") from None


def _run(call):
    try:
        return call()
    except service.NotFound:
        raise HttpError(404, "Not found.") from None
    except PermissionDenied:
        raise HttpError(404, "Not found.") from None
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None


@router.get("/pipeline/deals", response={200: DealPage, **errors(401, 404, 422)},
            summary="Your investor organization's deals, most recently touched first (filters: stage, q)")
def deal_list(request, investor: int = Query(..., ge=1, le=MAX_ID), stage: StageName | None = None,
              q: Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=100)] = "",
              page: int = Query(1, ge=1, le=MAX_PAGE)):
    organization = Organization.objects.filter(pk=investor).first()
    if organization is None or not permissions.can_keep_pipeline(request.auth, organization):
        raise HttpError(404, "Not found.")
    count, pages, rows = _page(service.deals(investor=organization, stage=stage or "", q=q), page)
    for row in rows:
        row.investor = organization
    return DealPage(count=count, page=page, pages=pages, results=[_deal_out(d) for d in rows])


@router.post("/pipeline/deals", response={201: DealOut, **errors(400, 401, 404, 409, 422)},
             summary="Add a verified startup to your pipeline at sourced (409 with the deal's id if it is there)")
def deal_create(request, body: DealIn):
    investor = Organization.objects.filter(pk=body.investor).first()
    startup = Organization.objects.filter(pk=body.startup, kind=OrganizationKind.STARTUP).first()
    if investor is None or startup is None or not permissions.can_keep_pipeline(request.auth, investor) \
            or not startup.is_verified:
        raise HttpError(404, "Not found.")
    try:
        deal = service.add(user=request.auth, investor=investor, startup=startup)
    except service.AlreadyInPipeline as exc:
        raise HttpError(409, f"{exc.messages[0]} (deal {exc.deal.pk})") from None
    deal = _run(lambda: deal)
    return Status(201, _deal_out(_deal(request, deal.pk)))


@router.get("/pipeline/deals/{deal_id}", response={200: DealOut, **errors(401, 404, 422)}, summary="One deal")
def deal_get(request, deal_id: int = Path(..., ge=1, le=MAX_ID)):
    return _deal_out(_deal(request, deal_id))


@router.post("/pipeline/deals/{deal_id}/move", response={200: DealOut, **errors(400, 401, 404, 422)},
             summary="Move a deal to another stage (recorded in its history)")
def deal_move(request, body: DealMoveIn, deal_id: int = Path(..., ge=1, le=MAX_ID)):
    deal = _deal(request, deal_id)
    _run(lambda: service.move(user=request.auth, deal=deal, to_stage=body.stage))
    return _deal_out(_deal(request, deal_id))


@router.post("/pipeline/deals/{deal_id}/notes", response={201: DealNoteOut, **errors(400, 401, 404, 422)},
             summary="Append a note to a deal (private to your organization; never edited)")
def deal_note(request, body: DealNoteIn, deal_id: int = Path(..., ge=1, le=MAX_ID)):
    deal = _deal(request, deal_id)
    note = _run(lambda: service.note_add(user=request.auth, deal=deal, text=body.text))
    return Status(201, DealNoteOut(id=note.pk, deal=deal.pk, author=request.auth.display_name, text=note.text,
                               created_at=note.created_at))


@router.post("/pipeline/deals/{deal_id}/next-step", response={200: DealOut, **errors(400, 401, 404, 422)},
             summary="Set or clear the deal's next step and its date")
def deal_next_step(request, body: DealNextStepIn, deal_id: int = Path(..., ge=1, le=MAX_ID)):
    deal = _deal(request, deal_id)
    _run(lambda: service.next_step_set(user=request.auth, deal=deal, text=body.next_step, on=body.next_step_on))
    return _deal_out(_deal(request, deal_id))


@router.post("/pipeline/deals/{deal_id}/invest", response={200: DealOut, **errors(400, 401, 404, 422)},
             summary="Record or correct the investment (the deal moves to invested; the startup confirms)")
def deal_invest(request, body: DealInvestIn, deal_id: int = Path(..., ge=1, le=MAX_ID)):
    deal = _deal(request, deal_id)
    _run(lambda: service.invest(user=request.auth, deal=deal, amount=body.amount, currency=body.currency,
                                instrument=body.instrument, invested_on=body.invested_on))
    return _deal_out(_deal(request, deal_id))


@router.get("/investments", response={200: InvestmentPage, **errors(401, 404, 422)},
            summary="Investments recorded for the startups you act for, pending first")
def investment_list(request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    count, pages, rows = _page(service.investments_for_startups(user=request.auth), page)
    return InvestmentPage(count=count, page=page, pages=pages, results=[_investment_out(i) for i in rows])


def _investment(request, investment_id: int) -> Investment:
    try:
        return service.visible_investment(user=request.auth, investment_id=investment_id)
    except service.NotFound:
        raise HttpError(404, "Not found.") from None


@router.post("/investments/{investment_id}/confirm", response={200: InvestmentOut, **errors(400, 401, 404, 422)},
             summary="Confirm an investment recorded for your startup (it then counts as funding raised)")
def investment_confirm(request, investment_id: int = Path(..., ge=1, le=MAX_ID)):
    investment = _investment(request, investment_id)
    return _investment_out(_run(lambda: service.confirm(user=request.auth, investment=investment)))


@router.post("/investments/{investment_id}/dispute", response={200: InvestmentOut, **errors(400, 401, 404, 422)},
             summary="Dispute an investment recorded for your startup, saying what is wrong")
def investment_dispute(request, body: InvestmentDisputeIn, investment_id: int = Path(..., ge=1, le=MAX_ID)):
    investment = _investment(request, investment_id)
    return _investment_out(_run(lambda: service.dispute(user=request.auth, investment=investment,
                                                        reason=body.reason)))
