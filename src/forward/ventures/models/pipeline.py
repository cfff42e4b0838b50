"""An investor organization's private deal pipeline: the startups it follows, each at a stage, with
append-only notes, a next step, a history of stage changes, and, once invested, the investment
(amount, currency, instrument) that the startup confirms or disputes. Only confirmed investments
count as funding raised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization

from .choices import MONEY_DIGITS, MONEY_PLACES, Currency, Instrument

NOTE_MAX = 4000
NEXT_STEP_MAX = 200


class DealStage(models.TextChoices):
    """In order along the pipeline; "passed" leaves it."""

    SOURCED = "sourced", _("Sourced")
    FIRST_MEETING = "first-meeting", _("First meeting")
    DUE_DILIGENCE = "due-diligence", _("Due diligence")
    TERM_SHEET = "term-sheet", _("Term sheet")
    INVESTED = "invested", _("Invested")
    PASSED = "passed", _("Passed")


class InvestmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the startup to confirm")
    CONFIRMED = "confirmed", _("Confirmed by the startup")
    DISPUTED = "disputed", _("Disputed by the startup")


class Deal(models.Model):
    investor = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="deals")
    startup = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="deals_as_startup")
    stage = models.CharField(_("stage"), max_length=16, choices=DealStage.choices, default=DealStage.SOURCED)
    next_step = models.CharField(_("next step"), max_length=NEXT_STEP_MAX, blank=True)
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        indexes = [models.Index(fields=["investor", "stage", "updated_at"])]
        constraints = [models.UniqueConstraint(fields=["investor", "startup"], name="deal_once_per_startup")]

    def __str__(self) -> str:
        return f"{self.investor} → {self.startup} ({self.stage})"


class DealNote(models.Model):
    """Append-only: notes are added, never edited."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(max_length=NOTE_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"note {self.pk} on deal {self.deal_id}"


class DealStageChange(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_stage = models.CharField(max_length=16, blank=True)
    to_stage = models.CharField(max_length=16)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"deal {self.deal_id}: {self.from_stage} → {self.to_stage}"

    @property
    def from_label(self) -> str:
        """The stage it left, worded ("" for the first); a code no longer a stage is shown as it is."""
        return str(DealStage(self.from_stage).label) if self.from_stage in DealStage.values else self.from_stage

    @property
    def to_label(self) -> str:
        return str(DealStage(self.to_stage).label) if self.to_stage in DealStage.values else self.to_stage


class Investment(models.Model):
    """What the investor recorded for a deal; the startup confirms or disputes it. A disputed one
    may be corrected by the investor, which asks the startup again."""

    deal = models.OneToOneField(Deal, on_delete=models.CASCADE, related_name="investment")
    # The deal's two organizations, kept here so that funding reads need no join through deals.
    investor = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    startup = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="investments_received")
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    invested_on = models.DateField(_("invested on"))
    status = models.CharField(max_length=12, choices=InvestmentStatus.choices, default=InvestmentStatus.PENDING)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        indexes = [models.Index(fields=["status", "invested_on"]), models.Index(fields=["startup", "status"])]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="investment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.currency} {self.amount} {self.investor} → {self.startup}"
