"""Cloud-credit budgets and grants. A budget's balance is never stored or edited: it is the sum of
its ledger (money added, minus grants approved). Approving locks the budget row, so two approvals at
once can never take it below zero.

Who may apply: a verified startup in a cohort of the budget's organizer (an ACCEPTED
CohortApplication to one of its calls), through its admins and staff. Staff (can_run_programme on
the organizer) add money, approve an amount up to what was asked, or reject.

For the impact app: `credits_granted(since=, until=, country=)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from forward.core.audit import AuditAction
from forward.core.models import Organization, User
from forward.core.services import audit

from . import emails_centre as emails
from . import permissions
from .models import (
    ApplicationStatus,
    CohortApplication,
    CreditBudget,
    CreditGrant,
    Currency,
    EntryKind,
    GrantStatus,
    LedgerEntry,
)
from .models.choices import MONEY_DIGITS, MONEY_PLACES

MAX_AMOUNT = Decimal("1000000000")  # per entry, well inside the column
MAX_PURPOSE = 2000
MAX_PENDING = 3  # pending applications per startup and budget

_MONEY: DecimalField[Decimal | str | float | Combinable, Decimal] = DecimalField(max_digits=MONEY_DIGITS + 2, decimal_places=MONEY_PLACES)


def money(value: object, *, what: str) -> Decimal:
    """A positive amount with at most two decimals, or a ValidationError saying so."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(what)s must be a number such as 1500 or 1500.50.") % {"what": what}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError(_("%(what)s must be more than zero.") % {"what": what})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("%(what)s can have at most two decimals.") % {"what": what})
    if amount > MAX_AMOUNT:
        raise ValidationError(_("%(what)s can be at most %(max)s.") % {"what": what, "max": MAX_AMOUNT})
    return amount


# --- reads -----------------------------------------------------------------------------------------

def _signed() -> Sum:
    return Sum(Case(When(entries__kind=EntryKind.DEPOSIT, then=F("entries__amount")),
                    When(entries__kind=EntryKind.GRANT, then=-F("entries__amount")),
                    default=Value(Decimal(0)), output_field=_MONEY))


def with_totals(qs: QuerySet[CreditBudget]) -> QuerySet[CreditBudget]:
    """Budgets with `balance`, `deposited` and `granted` computed from their ledgers (one query)."""
    return qs.annotate(
        balance=Coalesce(_signed(), Value(Decimal(0)), output_field=_MONEY),
        deposited=Coalesce(Sum("entries__amount", filter=Q(entries__kind=EntryKind.DEPOSIT)), Value(Decimal(0)),
                           output_field=_MONEY),
        granted=Coalesce(Sum("entries__amount", filter=Q(entries__kind=EntryKind.GRANT)), Value(Decimal(0)),
                         output_field=_MONEY))


def balance(budget: CreditBudget) -> Decimal:
    totals = LedgerEntry.objects.filter(budget=budget).aggregate(
        deposits=Sum("amount", filter=Q(kind=EntryKind.DEPOSIT)), grants=Sum("amount", filter=Q(kind=EntryKind.GRANT)))
    return ((totals["deposits"] or Decimal(0)) - (totals["grants"] or Decimal(0))).quantize(Decimal("0.01"))


def budgets_run_by(*, user: User) -> QuerySet[CreditBudget]:
    return with_totals(CreditBudget.objects.filter(organizer__in=permissions.programme_organizers(user))
                       .select_related("organizer")).order_by("-created_at", "-pk")


def in_cohort(*, startup: Organization, organizer: Organization) -> bool:
    return CohortApplication.objects.filter(startup__organization=startup, status=ApplicationStatus.ACCEPTED,
                                            call__organizer=organizer).exists()


def budgets_open_to(*, startup: Organization) -> QuerySet[CreditBudget]:
    """Budgets a startup may apply to: those of organizers whose cohort it is in."""
    organizers = CohortApplication.objects.filter(startup__organization=startup,
                                                  status=ApplicationStatus.ACCEPTED).values("call__organizer_id")
    return CreditBudget.objects.filter(organizer_id__in=organizers, organizer__verified_at__isnull=False) \
        .select_related("organizer").order_by("-created_at", "-pk")


def ledger(*, budget: CreditBudget) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(budget=budget).select_related("grant__startup", "created_by").order_by(
        "-created_at", "-pk")


def grants_of(*, budget: CreditBudget, status: str = "") -> QuerySet[CreditGrant]:
    qs = CreditGrant.objects.filter(budget=budget)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("startup", "requested_by", "budget").order_by("-created_at", "-pk")


def grants_mine(*, user: User) -> QuerySet[CreditGrant]:
    return (CreditGrant.objects.filter(startup__in=permissions.assessment_organizations(user))
            .select_related("startup", "budget__organizer").order_by("-created_at", "-pk"))


@dataclass
class CreditsGranted:
    """Credits granted in a period: the total per currency, and how many distinct startups got any."""

    totals: dict[str, Decimal] = field(default_factory=dict)
    startups: int = 0


def credits_granted(*, since: datetime | None = None, until: datetime | None = None,
                    country: str | None = None) -> CreditsGranted:
    """The impact app's read: approved grants whose ledger entry was written in [since, until),
    optionally for startups of one country (ISO 3166 alpha-2). Totals are per currency (never
    summed across currencies). Two queries."""
    entries = LedgerEntry.objects.filter(kind=EntryKind.GRANT)
    if since is not None:
        entries = entries.filter(created_at__gte=since)
    if until is not None:
        entries = entries.filter(created_at__lt=until)
    if country:
        entries = entries.filter(grant__startup__country=country)
    totals = {row["budget__currency"]: row["total"]
              for row in entries.values("budget__currency").annotate(total=Sum("amount")).order_by("budget__currency")}
    startups = entries.values("grant__startup_id").distinct().count()
    return CreditsGranted(totals=totals, startups=startups)


# --- writes ----------------------------------------------------------------------------------------

def budget_create(*, actor: User, organizer: Organization, name: str, currency: str, total: object) -> CreditBudget:
    """A new budget; its first money is a ledger entry like every later one."""
    if not permissions.can_run_programme(actor, organizer):
        raise PermissionDenied
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationError(_("Give the budget a name of at most 120 characters."))
    if currency not in Currency.values:
        raise ValidationError(_("Choose a currency: %(all)s.") % {"all": ", ".join(Currency.values)})
    amount = money(total, what=_("The total"))
    with transaction.atomic():
        budget = CreditBudget.objects.create(organizer=organizer, name=name, currency=currency, created_by=actor)
        LedgerEntry.objects.create(budget=budget, kind=EntryKind.DEPOSIT, amount=amount, created_by=actor,
                                   note=_("Opening total"))
        audit(actor=actor, action=AuditAction.VENTURES_CREDITS_BUDGET, organization=organizer, target=f"budget:{budget.pk}",
              currency=currency, total=str(amount))
    return budget


def budget_deposit(*, actor: User, budget: CreditBudget, amount: object, note: str = "") -> LedgerEntry:
    if not permissions.can_run_programme(actor, budget.organizer):
        raise PermissionDenied
    value = money(amount, what=_("The amount"))
    with transaction.atomic():
        CreditBudget.objects.select_for_update().get(pk=budget.pk)
        entry = LedgerEntry.objects.create(budget=budget, kind=EntryKind.DEPOSIT, amount=value, created_by=actor,
                                           note=(note or "").strip()[:300])
        audit(actor=actor, action=AuditAction.VENTURES_CREDITS_DEPOSIT, organization=budget.organizer,
              target=f"budget:{budget.pk}", amount=str(value))
    return entry


def grant_apply(*, user: User, budget: CreditBudget, startup: Organization, amount: object, purpose: str) -> CreditGrant:
    if not permissions.can_apply_for_credits(user, startup):
        raise PermissionDenied
    if not budget.organizer.is_verified or not in_cohort(startup=startup, organizer=budget.organizer):
        raise ValidationError(_("Credits from this budget are for startups in a cohort of %(org)s.") % {
            "org": budget.organizer.name})
    value = money(amount, what=_("The amount"))
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError(_("Say what the credits are for."))
    if len(purpose) > MAX_PURPOSE:
        raise ValidationError(_("Describe the purpose in at most %(n)s characters.") % {"n": MAX_PURPOSE})
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=startup.pk).first()
        if CreditGrant.objects.filter(budget=budget, startup=startup, status=GrantStatus.PENDING).count() \
                >= MAX_PENDING:
            raise ValidationError(_("You have %(n)s applications waiting for a decision on this budget; wait for "
                                    "them first.") % {"n": MAX_PENDING})
        grant = CreditGrant.objects.create(budget=budget, startup=startup, requested_by=user, amount_requested=value,
                                           purpose=purpose)
        audit(actor=user, action=AuditAction.VENTURES_CREDITS_APPLY, organization=budget.organizer, target=f"grant:{grant.pk}",
              amount=str(value))
    return grant


def _decidable(grant: CreditGrant) -> CreditGrant:
    row = CreditGrant.objects.select_for_update(of=("self",)).select_related("budget").get(pk=grant.pk)
    if row.status != GrantStatus.PENDING:
        raise ValidationError(_("This application has already been decided: %(status)s.") % {
            "status": GrantStatus(row.status).label})
    return row


def grant_approve(*, actor: User, grant: CreditGrant, amount: object) -> CreditGrant:
    """Approve up to the amount asked, in the budget's currency; refused if the budget's balance
    cannot cover it. The budget row is locked first, so concurrent approvals queue up."""
    if not permissions.can_run_programme(actor, grant.budget.organizer):
        raise PermissionDenied
    value = money(amount, what=_("The amount"))
    with transaction.atomic():
        budget = CreditBudget.objects.select_for_update().get(pk=grant.budget_id)
        row = _decidable(grant)
        if value > row.amount_requested:
            raise ValidationError(_("Approve at most the %(amount)s %(currency)s asked for.") % {
                "amount": row.amount_requested, "currency": budget.currency})
        left = balance(budget)
        if value > left:
            raise ValidationError(_("The budget has %(left)s %(currency)s left; approve less or add to the budget.") % {
                "left": left, "currency": budget.currency})
        now = timezone.now()
        row.status, row.amount_approved, row.decided_by, row.decided_at = GrantStatus.APPROVED, value, actor, now
        row.save(update_fields=["status", "amount_approved", "decided_by", "decided_at"])
        LedgerEntry.objects.create(budget=budget, kind=EntryKind.GRANT, amount=value, grant=row, created_by=actor,
                                   created_at=now)
        audit(actor=actor, action=AuditAction.VENTURES_CREDITS_APPROVE, organization=budget.organizer, target=f"grant:{row.pk}",
              amount=str(value))
        transaction.on_commit(lambda: emails.grant_decided(grant_id=row.pk), robust=True)
    return row


def grant_reject(*, actor: User, grant: CreditGrant, note: str = "") -> CreditGrant:
    if not permissions.can_run_programme(actor, grant.budget.organizer):
        raise PermissionDenied
    with transaction.atomic():
        row = _decidable(grant)
        row.status, row.decided_by, row.decided_at = GrantStatus.REJECTED, actor, timezone.now()
        row.decision_note = (note or "").strip()[:500]
        row.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit(actor=actor, action=AuditAction.VENTURES_CREDITS_REJECT, organization=row.budget.organizer,
              target=f"grant:{row.pk}")
        transaction.on_commit(lambda: emails.grant_decided(grant_id=row.pk), robust=True)
    return row
