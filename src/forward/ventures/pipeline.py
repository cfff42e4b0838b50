"""Investors' deal pipelines and the investments startups confirm. Every write is a keyword-only
function in one transaction that checks permission itself; the reads the pages, the API and the
impact app share are at the end.

A pipeline belongs to its investor organization's acting members only (never operators, never the
startup). Stages run sourced → first meeting → due diligence → term sheet → invested, and any open
deal may be passed on (and a passed one picked up again); each move is recorded. Recording an
investment moves the deal to "invested"; the startup's acting members confirm or dispute it, and
only confirmed investments count as funding raised (`funding_raised`, read by the impact app).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, QuerySet, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from forward.core.audit import AuditAction
from forward.core.models import Organization, OrganizationKind, User
from forward.core.services import audit

from . import permissions
from .intros import clean_text
from .models.choices import MONEY_DIGITS, MONEY_PLACES, Currency, Instrument
from .models.pipeline import (
    NEXT_STEP_MAX,
    NOTE_MAX,
    Deal,
    DealNote,
    DealStage,
    DealStageChange,
    Investment,
    InvestmentStatus,
)

STAGES = list(DealStage.values)
BOARD_STAGES = STAGES  # the columns of the board, in order
MAX_AMOUNT = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES) - 1


class NotFound(Exception):
    """A deal or investment this person may not see (answered 404, as a missing id)."""


class AlreadyInPipeline(ValidationError):
    def __init__(self, deal: Deal):
        super().__init__(_("%(org)s is already in your pipeline.") % {"org": deal.startup.name})
        self.deal = deal


def stage_label(value: str) -> str:
    return str(DealStage(value).label) if value in DealStage.values else value


def _locked(*, user: User, deal_id: int) -> Deal:
    deal = Deal.objects.select_for_update(of=("self",)).select_related("investor", "startup").filter(
        pk=deal_id).first()
    if deal is None or not permissions.can_keep_pipeline(user, deal.investor):
        raise NotFound(deal_id)
    return deal


def add(*, user: User, investor: Organization, startup: Organization) -> Deal:
    """Add a verified startup to the investor's pipeline at "sourced". Once per startup: a second
    time raises AlreadyInPipeline carrying the deal there is."""
    if not permissions.can_keep_pipeline(user, investor):
        raise PermissionDenied(_("Only the admins and staff of a verified investor keep its pipeline."))
    if startup.kind != OrganizationKind.STARTUP or not startup.is_verified:
        raise ValidationError(_("Only verified startups can be added to a pipeline."))
    existing = Deal.objects.select_related("startup").filter(investor=investor, startup=startup).first()
    if existing is not None:
        raise AlreadyInPipeline(existing)
    now = timezone.now()
    try:
        with transaction.atomic():
            deal = Deal.objects.create(investor=investor, startup=startup, stage=DealStage.SOURCED, created_by=user,
                                       created_at=now, updated_at=now)
            DealStageChange.objects.create(deal=deal, actor=user, from_stage="", to_stage=DealStage.SOURCED, at=now)
            audit(actor=user, action=AuditAction.VENTURES_DEAL_ADD, organization=investor, target=f"deal:{deal.pk}",
                  startup=startup.pk)
    except IntegrityError:
        existing = Deal.objects.select_related("startup").filter(investor=investor, startup=startup).first()
        if existing is None:
            raise
        raise AlreadyInPipeline(existing) from None
    return deal


def move(*, user: User, deal: Deal, to_stage: str) -> Deal:
    """Move a deal to another stage and record the change. "Invested" comes only with the
    investment (`invest`); once the startup has confirmed it, the deal stays invested."""
    if to_stage not in DealStage.values:
        raise ValidationError(_("“%(stage)s” is not a stage. Choose one of: %(stages)s.") % {
            "stage": str(to_stage)[:40], "stages": ", ".join(STAGES)})
    now = timezone.now()
    with transaction.atomic():
        row = _locked(user=user, deal_id=deal.pk)
        if row.stage == to_stage:
            raise ValidationError(_("It is already at %(stage)s.") % {"stage": stage_label(to_stage)})
        if to_stage == DealStage.INVESTED:
            raise ValidationError(_("Record the investment (amount, currency, instrument) to move it to Invested."))
        investment = Investment.objects.filter(deal=row).first()
        if investment is not None and investment.status == InvestmentStatus.CONFIRMED:
            raise ValidationError(_("The startup has confirmed this investment; the deal stays at Invested."))
        if investment is not None:  # moving away from "invested" takes back an unconfirmed investment
            investment.delete()
        _record(deal=row, actor=user, to_stage=to_stage, now=now)
    return row


def _record(*, deal: Deal, actor: User, to_stage: str, now: datetime) -> None:
    from_stage = deal.stage
    deal.stage, deal.updated_at = to_stage, now
    deal.save(update_fields=["stage", "updated_at"])
    DealStageChange.objects.create(deal=deal, actor=actor, from_stage=from_stage, to_stage=to_stage, at=now)
    audit(actor=actor, action=AuditAction.VENTURES_DEAL_MOVE, organization=deal.investor, target=f"deal:{deal.pk}",
          **{"from": from_stage, "to": to_stage})


def note_add(*, user: User, deal: Deal, text: str) -> DealNote:
    """Append a note (notes are never edited), private to the investor organization."""
    text = clean_text(text, limit=NOTE_MAX, what=_("the note"), required=True)
    with transaction.atomic():
        row = _locked(user=user, deal_id=deal.pk)
        note = DealNote.objects.create(deal=row, author=user, text=text)
        Deal.objects.filter(pk=row.pk).update(updated_at=note.created_at)
    return note


def next_step_set(*, user: User, deal: Deal, text: str, on: date | None) -> Deal:
    """Set (or clear, with empty text and no date) what happens next and when."""
    text = clean_text(text, limit=NEXT_STEP_MAX, what=_("the next step"), required=False)
    if on is not None and not text:
        raise ValidationError(_("Say what the next step is, not only its date."))
    with transaction.atomic():
        row = _locked(user=user, deal_id=deal.pk)
        row.next_step, row.next_step_on, row.updated_at = text, on, timezone.now()
        row.save(update_fields=["next_step", "next_step_on", "updated_at"])
    return row


def parse_amount(value: object) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Write the amount as a number, such as 250000.")) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    if amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("Write the amount with at most two decimals and fourteen digits before them."))
    return amount


def invest(*, user: User, deal: Deal, amount: Decimal | int | str, currency: str, instrument: str, invested_on: date) -> Investment:
    """Record (or correct) the investment: the deal moves to Invested and the startup is asked to
    confirm it. A confirmed investment is no longer changed here."""
    amount = parse_amount(amount)
    if currency not in Currency.values:
        raise ValidationError(_("Choose a currency from the list."))
    if instrument not in Instrument.values:
        raise ValidationError(_("Choose an instrument from the list: SAFE, equity or convertible note."))
    if not isinstance(invested_on, date) or invested_on > timezone.localdate():
        raise ValidationError(_("Give the date the investment was made (not a future date)."))
    now = timezone.now()
    with transaction.atomic():
        row = _locked(user=user, deal_id=deal.pk)
        investment = Investment.objects.select_for_update().filter(deal=row).first()
        if investment is not None and investment.status == InvestmentStatus.CONFIRMED:
            raise ValidationError(_("The startup has confirmed this investment; it can no longer be changed."))
        fields = dict(amount=amount, currency=currency, instrument=instrument, invested_on=invested_on,
                      status=InvestmentStatus.PENDING, recorded_by=user, recorded_at=now, answered_by=None,
                      answered_at=None, dispute_reason="")
        if investment is None:
            investment = Investment.objects.create(deal=row, investor=row.investor, startup=row.startup, **fields)
        else:
            for name, value in fields.items():
                setattr(investment, name, value)
            investment.save()
        if row.stage != DealStage.INVESTED:
            _record(deal=row, actor=user, to_stage=DealStage.INVESTED, now=now)
        audit(actor=user, action=AuditAction.VENTURES_INVESTMENT_RECORD, organization=row.investor,
              target=f"investment:{investment.pk}", amount=str(amount), currency=currency)
    return investment


def _answer_investment(*, user: User, investment_id: int, status: str, reason: str = "") -> Investment:
    with transaction.atomic():
        row = (Investment.objects.select_for_update(of=("self",)).select_related("startup", "investor")
               .filter(pk=investment_id).first())
        if row is None or not permissions.can_answer_investment(user, row.startup):
            raise NotFound(investment_id)
        if row.status != InvestmentStatus.PENDING:
            raise ValidationError(_("This investment has already been answered (%(status)s).") % {
                "status": row.get_status_display()})
        row.status, row.answered_by, row.answered_at, row.dispute_reason = status, user, timezone.now(), reason
        row.save(update_fields=["status", "answered_by", "answered_at", "dispute_reason"])
        audit(actor=user, action=AuditAction(f"ventures.investment.{status}"), organization=row.startup,
              target=f"investment:{row.pk}")
    return row


def confirm(*, user: User, investment: Investment) -> Investment:
    """The startup confirms the investment recorded for it: it now counts as funding raised."""
    return _answer_investment(user=user, investment_id=investment.pk, status=InvestmentStatus.CONFIRMED)


def dispute(*, user: User, investment: Investment, reason: str = "") -> Investment:
    """The startup says the record is wrong (the investor may correct it, which asks again)."""
    reason = clean_text(reason, limit=500, what=_("the reason"), required=False)
    return _answer_investment(user=user, investment_id=investment.pk, status=InvestmentStatus.DISPUTED,
                              reason=reason)


# --- reads -------------------------------------------------------------------------------------------

def deals(*, investor: Organization, stage: str = "", q: str = "", due_only: bool = False) -> QuerySet[Deal]:
    """The investor's deals, most recently touched first, with the startup and its investment."""
    qs = (Deal.objects.filter(investor=investor).select_related("startup", "startup__startup", "investment")
          .order_by("-updated_at", "-pk"))
    if stage:
        qs = qs.filter(stage=stage)
    if q:
        qs = qs.filter(startup__name__icontains=q[:100])
    if due_only:
        qs = qs.filter(next_step_on__isnull=False).order_by("next_step_on", "pk")
    return qs


def stage_counts(*, investor: Organization) -> dict[str, int]:
    found = dict.fromkeys(STAGES, 0)
    for row in Deal.objects.filter(investor=investor).values("stage").annotate(n=Count("pk")):
        found[row["stage"]] = row["n"]
    return found


class BoardColumn(TypedDict):
    stage: str
    label: str
    count: int
    deals: list[Deal]


def board(*, investor: Organization, per_column: int = 20) -> list[BoardColumn]:
    """The board: for each stage its count and its most recently touched deals (one query per stage,
    a fixed number whatever the pipeline's size)."""
    counts = stage_counts(investor=investor)
    return [{"stage": stage, "label": stage_label(stage), "count": counts[stage],
             "deals": list(deals(investor=investor, stage=stage)[:per_column])} for stage in BOARD_STAGES]


def history(deal: Deal) -> list[DealStageChange]:
    return list(deal.changes.select_related("actor").order_by("at", "pk"))


def visible_deal(*, user: User, deal_id: int) -> Deal:
    deal = Deal.objects.select_related("investor", "startup", "startup__startup").filter(pk=deal_id).first()
    if deal is None or not permissions.can_keep_pipeline(user, deal.investor):
        raise NotFound(deal_id)
    return deal


def investments_for_startups(*, user: User) -> QuerySet[Investment]:
    """Investments recorded for the startups this person acts for: pending ones first."""
    return (Investment.objects.filter(startup__in=permissions.investment_organizations(user))
            .select_related("startup", "investor", "recorded_by")
            .order_by(Case(When(status=InvestmentStatus.PENDING, then=0), default=1), "-recorded_at", "-pk"))


def visible_investment(*, user: User, investment_id: int) -> Investment:
    investment = Investment.objects.select_related("startup", "investor").filter(pk=investment_id).first()
    if investment is None or not permissions.can_answer_investment(user, investment.startup):
        raise NotFound(investment_id)
    return investment


@dataclass
class FundingRaised:
    """Confirmed investments: the total per currency (never summed across currencies), how many
    investments and how many distinct startups."""

    totals: dict[str, Decimal] = field(default_factory=dict)
    investments: int = 0
    startups: int = 0


def funding_raised(*, since: date | None = None, until: date | None = None, country: str | None = None) -> FundingRaised:
    """Funding raised through the programme, for the impact app: confirmed investments only, by the
    date invested (`since` and `until` inclusive), optionally of startups in one country (ISO code).
    Two queries whatever the data."""
    qs = Investment.objects.filter(status=InvestmentStatus.CONFIRMED)
    if since is not None:
        qs = qs.filter(invested_on__gte=since)
    if until is not None:
        qs = qs.filter(invested_on__lte=until)
    if country:
        qs = qs.filter(startup__country=country)
    totals = {row["currency"]: row["total"] for row in qs.values("currency").annotate(total=Sum("amount"))
              .order_by("currency")}
    summary = qs.aggregate(investments=Count("pk"), startups=Count("startup", distinct=True))
    return FundingRaised(totals=totals, investments=summary["investments"], startups=summary["startups"])
