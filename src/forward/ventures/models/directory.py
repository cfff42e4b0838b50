"""Startups and investors: organizations of kind startup and investor, with what founders and
investors say about themselves. The organization holds name, country, website and description;
these rows hold the rest. The directory area owns and extends them (traction, decks, team)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization

from .choices import (
    MONEY_DIGITS,
    MONEY_PLACES,
    Currency,
    Instrument,
    InvestorType,
    LeadStyle,
    Stage,
)


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
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("startup")
        verbose_name_plural = _("startups")
        indexes = [models.Index(fields=["stage"])]
        constraints = [
            models.CheckConstraint(condition=Q(raising_amount__isnull=True) | Q(raising_amount__gt=0),
                                   name="startup_raising_positive"),
        ]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def is_raising(self) -> bool:
        return self.raising_amount is not None


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
