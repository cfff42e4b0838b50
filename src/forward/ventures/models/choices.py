"""Vocabularies every ventures area shares: sectors, stages, instruments, currencies."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    AI_DATA = "ai-data", _("AI and data")
    CLOUD_DEVTOOLS = "cloud-devtools", _("Cloud and developer tools")
    FINTECH = "fintech", _("Fintech")
    HEALTHTECH = "healthtech", _("Health tech")
    EDTECH = "edtech", _("Education tech")
    ECOMMERCE = "ecommerce", _("E-commerce and retail")
    LOGISTICS = "logistics", _("Logistics and mobility")
    AGRITECH = "agritech", _("Agritech and food")
    CLIMATE = "climate", _("Climate and energy")
    GOVTECH = "govtech", _("Govtech and smart cities")
    MEDIA = "media", _("Media and entertainment")
    CYBERSECURITY = "cybersecurity", _("Cybersecurity")


class Stage(models.TextChoices):
    """In order: a thesis's stages and a call's eligibility compare against this order."""

    IDEA = "idea", _("Idea")
    PRE_SEED = "pre-seed", _("Pre-seed")
    SEED = "seed", _("Seed")
    SERIES_A = "series-a", _("Series A")
    SERIES_B_PLUS = "series-b-plus", _("Series B+")


class Instrument(models.TextChoices):
    SAFE = "safe", _("SAFE")
    EQUITY = "equity", _("Equity")
    CONVERTIBLE_NOTE = "convertible-note", _("Convertible note")


class Currency(models.TextChoices):
    """ISO 4217 codes of the programme's countries, and the dollar most rounds are priced in."""

    USD = "USD", "USD"
    SGD = "SGD", "SGD"
    MYR = "MYR", "MYR"
    IDR = "IDR", "IDR"
    PHP = "PHP", "PHP"
    CNY = "CNY", "CNY"
    THB = "THB", "THB"
    VND = "VND", "VND"
    AUD = "AUD", "AUD"
    HKD = "HKD", "HKD"


class InvestorType(models.TextChoices):
    FUND = "fund", _("Venture fund")
    ANGEL = "angel", _("Angel")
    CORPORATE_VC = "corporate-vc", _("Corporate VC")


class LeadStyle(models.TextChoices):
    LEADS = "leads", _("Leads rounds")
    FOLLOWS = "follows", _("Follows")
    BOTH = "both", _("Leads or follows")


# Money is stored as a decimal amount with its currency, never a float and never without one.
MONEY_DIGITS = 16
MONEY_PLACES = 2
