"""The directory demo, on top of demo_base's startups and investors: twelve months of traction for
the startups that have revenue (seed and later), a pitch deck (a small PDF drawn with reportlab)
for some, and Kampung Cloud (founder@forward.demo's) sharing its deck with Lion City Ventures
(investor@lioncity.forward.demo's), so both have something to open on first sign-in.
Deterministic (seeded); a few hundred rows and a handful of small files: it loads in well under a
second."""

from __future__ import annotations

import io
import random
import uuid
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from .demo_base import FOUNDER_STARTUP
from .models import Currency, DeckShare, Investor, Stage, Startup, TractionMonth

LION_CITY = "lion-city-ventures"
MONTHS = 12
WITH_REVENUE = (Stage.SEED, Stage.SERIES_A, Stage.SERIES_B_PLUS)
# Monthly revenue at the start of the twelve months, by stage, in the startup's currency's dollars.
START_REVENUE: dict[str, int] = {Stage.SEED: 8_000, Stage.SERIES_A: 90_000, Stage.SERIES_B_PLUS: 600_000}
LOCAL_CURRENCY = {"MY": Currency.MYR, "SG": Currency.SGD, "ID": Currency.IDR, "PH": Currency.PHP, "CN": Currency.CNY}
USD_TO_LOCAL = {Currency.MYR: Decimal("4.2"), Currency.SGD: Decimal("1.3"), Currency.IDR: Decimal("16000"),
                Currency.PHP: Decimal("58"), Currency.CNY: Decimal("7.1"), Currency.USD: Decimal("1")}
DECKS = 6  # the first startups by name with revenue, and Kampung Cloud


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    months = []
    year, month = first.year, first.month
    for _n in range(MONTHS):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(date(year, month, 1))
    return list(reversed(months))


def deck_pdf(startup: Startup) -> bytes:
    """A three-page pitch deck: the problem, the product, the round."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(A4), invariant=1)
    _width, height = landscape(A4)
    organization = startup.organization
    pages = [
        (organization.name, startup.one_liner),
        ("The problem", organization.description or startup.one_liner),
        ("The round", f"Raising {startup.raising_currency} {startup.raising_amount:,.0f} ({startup.raising_instrument})"
         if startup.raising_amount else "Not raising now: building with revenue."),
    ]
    for title, text in pages:
        pdf.setFont("Helvetica-Bold", 36)
        pdf.drawString(60, height - 120, title)
        pdf.setFont("Helvetica", 18)
        pdf.drawString(60, height - 180, text[:90])
        pdf.setFont("Helvetica", 10)
        pdf.drawString(60, 40, f"{organization.name} · confidential · shared through Forward")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def load(*, rng: random.Random) -> None:
    now = timezone.now()
    months = _months(timezone.localdate())
    rows = []
    candidates = list(Startup.objects.select_related("organization").order_by("organization__name", "pk"))
    for startup in candidates:
        if startup.stage not in WITH_REVENUE:
            continue
        currency = LOCAL_CURRENCY.get(str(startup.organization.country), Currency.USD)
        revenue = Decimal(START_REVENUE[startup.stage]) * USD_TO_LOCAL[currency]
        users = START_REVENUE[startup.stage] // 4
        growth = Decimal(str(1.03 + rng.random() * 0.09))
        for month in months:
            rows.append(TractionMonth(startup=startup, month=month, revenue=revenue.quantize(Decimal("1")),
                                      currency=currency, users=users, updated_at=now))
            revenue *= growth * Decimal(str(0.97 + rng.random() * 0.06))
            users = int(users * (1.02 + rng.random() * 0.1))
    TractionMonth.objects.bulk_create(rows, ignore_conflicts=True)

    kampung = next((s for s in candidates if s.organization.slug == FOUNDER_STARTUP), None)
    with_deck = [s for s in candidates if s.stage in WITH_REVENUE and s is not kampung][:DECKS - 1]
    if kampung is not None:
        with_deck.append(kampung)
    for startup in with_deck:
        if startup.deck.name:
            continue
        name = default_storage.save(f"ventures/decks/{uuid.UUID(int=rng.getrandbits(128)).hex}.pdf",
                                    ContentFile(deck_pdf(startup)))
        Startup.objects.filter(pk=startup.pk).update(deck=name, deck_uploaded_at=now)

    lion = Investor.objects.filter(organization__slug=LION_CITY).first()
    if kampung is not None and lion is not None:
        DeckShare.objects.get_or_create(startup=kampung, investor=lion, defaults={"created_at": now})
