"""Startups and investors: organizations of kind startup and investor, with what founders and
investors say about themselves. The organization holds name, country, website and description;
these rows hold the rest: team and partners, monthly traction, the pitch deck and whom it is
shared with.

Sectors, stages and countries stay as JSON lists (what the founders and investors chose, in their
order); beside them, `save()` keeps derived search columns in step (sector and stage bit masks, a
",MY,SG," country key, amounts in US dollars at `forward.matching.thesis`'s reference rates) so
that discovery filters and sorts 100,000 startups by fit in SQL. Write these rows through
`save()` or the directory services (never `QuerySet.update` on the lists), or call
`refresh_search_fields()`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization
from forward.matching import thesis as fit_rules

from .choices import (
    MONEY_DIGITS,
    MONEY_PLACES,
    Currency,
    Instrument,
    InvestorType,
    LeadStyle,
    Sector,
    Stage,
)

SECTOR_CODES = tuple(Sector.values)  # bit i of a sector mask is SECTOR_CODES[i]; append new sectors only


class Startup(models.Model):
    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="startup")
    one_liner = models.CharField(_("one-liner"), max_length=160, blank=True)
    # Sector codes (choices.Sector), at most three, in the founders' order.
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.IDEA)
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    # The round it is raising, if any.
    raising_amount = models.DecimalField(_("raising"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES,
                                         null=True, blank=True)
    raising_currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    raising_instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices, blank=True)
    # The pitch deck: a PDF in Django storage under a random name, served only by the deck view.
    deck = models.FileField(_("pitch deck"), upload_to="ventures/decks/", blank=True)
    deck_uploaded_at = models.DateTimeField(null=True, blank=True)
    # Derived search columns (see the module docstring).
    sector_mask = models.PositiveIntegerField(default=0, editable=False)
    raising_usd = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("startup")
        verbose_name_plural = _("startups")
        indexes = [models.Index(fields=["stage"]), models.Index(fields=["raising_usd"])]
        constraints = [
            models.CheckConstraint(condition=Q(raising_amount__isnull=True) | Q(raising_amount__gt=0),
                                   name="startup_raising_positive"),
        ]

    def __str__(self) -> str:
        return self.organization.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "sector_mask", "raising_usd"}
        super().save(*args, **kwargs)

    @property
    def is_raising(self) -> bool:
        return self.raising_amount is not None

    def refresh_search_fields(self) -> None:
        self.sector_mask = fit_rules.sector_mask(self.sectors or [], SECTOR_CODES)
        self.raising_usd = fit_rules.to_usd(self.raising_amount, self.raising_currency)


class TractionMonth(models.Model):
    """One month of a startup's figures: revenue (with its currency) and users. One row a month,
    dated the month's first day."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="traction")
    month = models.DateField(_("month"))
    revenue = models.DecimalField(_("revenue"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=0)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    users = models.PositiveIntegerField(_("users"), default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "month"], name="traction_month_once"),
            models.CheckConstraint(condition=Q(revenue__gte=0), name="traction_revenue_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.startup} {self.month:%Y-%m}"


class DeckShare(models.Model):
    """The founders chose to show their pitch deck to this investor organization's acting members.
    Unsharing deletes the row (the audit log keeps both acts)."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="deck_shares")
    investor = models.ForeignKey("ventures.Investor", on_delete=models.CASCADE, related_name="decks_shared")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["startup", "investor"], name="deck_share_once")]

    def __str__(self) -> str:
        return f"{self.startup} → {self.investor}"


class TeamMember(models.Model):
    """A person on a startup's team page, with the title they go by. They are a member of the
    startup's organization (admins are its founders, by the roles the organization granted)."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["startup", "user"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.title})"


class Investor(models.Model):
    """An investor organization and its thesis: what it invests in, where, how much, how."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="investor")
    investor_type = models.CharField(_("type"), max_length=16, choices=InvestorType.choices,
                                     default=InvestorType.FUND)
    thesis = models.TextField(_("thesis"), blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)  # choices.Sector codes
    stages = models.JSONField(_("stages"), default=list, blank=True)  # choices.Stage codes
    countries = models.JSONField(_("countries"), default=list, blank=True)  # ISO 3166 alpha-2 codes
    ticket_min = models.DecimalField(_("smallest ticket"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES,
                                     null=True, blank=True)
    ticket_max = models.DecimalField(_("largest ticket"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES,
                                     null=True, blank=True)
    ticket_currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    lead_style = models.CharField(_("leads or follows"), max_length=8, choices=LeadStyle.choices,
                                  default=LeadStyle.BOTH)
    # Derived search columns (see the module docstring); "" country key: any country.
    sector_mask = models.PositiveIntegerField(default=0, editable=False)
    stage_mask = models.PositiveIntegerField(default=0, editable=False)
    countries_key = models.CharField(max_length=400, blank=True, editable=False)
    ticket_min_usd = models.BigIntegerField(null=True, blank=True, editable=False)
    ticket_max_usd = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("investor")
        verbose_name_plural = _("investors")
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket_min__isnull=True) | Q(ticket_max__isnull=True) | Q(ticket_min__lte=models.F("ticket_max")),
                name="investor_ticket_range"),
        ]

    def __str__(self) -> str:
        return self.organization.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "sector_mask", "stage_mask", "countries_key",
                                       "ticket_min_usd", "ticket_max_usd"}
        super().save(*args, **kwargs)

    def refresh_search_fields(self) -> None:
        self.sector_mask = fit_rules.sector_mask(self.sectors or [], SECTOR_CODES)
        self.stage_mask = fit_rules.stage_mask(self.stages or [])
        codes = [str(c).upper() for c in self.countries or []]
        self.countries_key = f",{','.join(codes)}," if codes else ""
        self.ticket_min_usd = fit_rules.to_usd(self.ticket_min, self.ticket_currency)
        self.ticket_max_usd = fit_rules.to_usd(self.ticket_max, self.ticket_currency)


class Partner(models.Model):
    """A partner of an investor organization, shown with its thesis (a member of the organization)."""

    investor = models.ForeignKey(Investor, on_delete=models.CASCADE, related_name="partners")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["investor", "user"], name="investor_partner_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.title})"
