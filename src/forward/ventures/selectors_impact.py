"""Reads for the impact app's rollups: startups accepted into cohorts, granted cloud credits or
introduced to an investor; confirmed investments; credits granted. Plain rows, streamed, a constant
number of queries whatever the platform's size. Startups are organizations (their ids)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from forward.core.models import Organization, OrganizationKind

from .models import (
    ApplicationStatus,
    CohortApplication,
    EntryKind,
    Introduction,
    IntroStatus,
    Investment,
    InvestmentStatus,
    LedgerEntry,
)

CHUNK = 5000

_M = TypeVar("_M", bound=Model)


def _among(rows: QuerySet[_M], field: str, ids: Iterable[int] | None) -> QuerySet[_M]:
    return rows if ids is None else rows.filter(**{f"{field}__in": list(ids)})


def _dated(rows: Iterator[tuple[int, datetime | None, str]]) -> Iterator[tuple[int, datetime, str]]:
    """The rows with their date: the queries below already exclude undated ones, this tells the type."""
    for pk, when, country in rows:
        if when is not None:
            yield pk, when, country


def impact_startup_events(*, startups: Iterable[int] | None = None) -> Iterator[tuple[int, datetime, str]]:
    """(startup organization id, when, country) for each time a startup was accepted into a cohort
    (its application's status "accepted", decided then), granted cloud credits (a grant's ledger
    entry) or had an introduction with an investor accepted (status "accepted", answered then).
    Three streamed queries."""
    accepted = _among(CohortApplication.objects.filter(status=ApplicationStatus.ACCEPTED, decided_at__isnull=False),
                      "startup__organization_id", startups).order_by()
    yield from _dated(accepted.values_list("startup__organization_id", "decided_at", "startup__organization__country"
                                           ).iterator(chunk_size=CHUNK))
    granted = _among(LedgerEntry.objects.filter(kind=EntryKind.GRANT), "grant__startup_id", startups).order_by()
    yield from granted.values_list("grant__startup_id", "created_at", "grant__startup__country").iterator(
        chunk_size=CHUNK)
    intros = Introduction.objects.filter(status=IntroStatus.ACCEPTED, answered_at__isnull=False).order_by()
    asked = intros.filter(asker__kind=OrganizationKind.STARTUP, target__kind=OrganizationKind.INVESTOR)
    yield from _dated(_among(asked, "asker_id", startups).values_list("asker_id", "answered_at", "asker__country")
                      .iterator(chunk_size=CHUNK))
    offered = intros.filter(target__kind=OrganizationKind.STARTUP, asker__kind=OrganizationKind.INVESTOR)
    yield from _dated(_among(offered, "target_id", startups).values_list("target_id", "answered_at", "target__country")
                      .iterator(chunk_size=CHUNK))


def impact_changed_startups(*, since: datetime, until: datetime) -> set[int]:
    """Startups with a cohort decision, a grant or an introduction answered in [since, until)."""
    found = set(CohortApplication.objects.filter(decided_at__gte=since, decided_at__lt=until).order_by()
                .values_list("startup__organization_id", flat=True).distinct())
    found.update(LedgerEntry.objects.filter(kind=EntryKind.GRANT, created_at__gte=since, created_at__lt=until)
                 .order_by().values_list("grant__startup_id", flat=True).distinct())
    for asker, target in Introduction.objects.filter(answered_at__gte=since, answered_at__lt=until).values_list(
            "asker_id", "target_id"):
        found.update((asker, target))
    return found


def impact_investments(*, ids: Iterable[int] | None = None) -> Iterator[tuple[int, date, Decimal, str, str]]:
    """(investment id, invested on, amount, currency, startup's country) of every investment the
    startup confirmed, in a startup of the programme (one with a startup profile). Streamed."""
    rows = _among(Investment.objects.filter(status=InvestmentStatus.CONFIRMED, startup__startup__isnull=False),
                  "pk", ids).order_by()
    return rows.values_list("pk", "invested_on", "amount", "currency", "startup__country").iterator(chunk_size=CHUNK)


def impact_changed_investments(*, since: datetime, until: datetime) -> set[int]:
    """Investments recorded or answered (confirmed, disputed) in [since, until)."""
    return set(Investment.objects.filter(Q(recorded_at__gte=since, recorded_at__lt=until)
                                         | Q(answered_at__gte=since, answered_at__lt=until))
               .values_list("pk", flat=True))


def impact_grant_entries(*, ids: Iterable[int] | None = None) -> Iterator[tuple[int, datetime, Decimal, str, str]]:
    """(ledger entry id, written at, amount, currency, startup's country) of every credit grant
    (a grant's approval writes its ledger entry, never edited). Streamed."""
    rows = _among(LedgerEntry.objects.filter(kind=EntryKind.GRANT), "pk", ids).order_by()
    return rows.values_list("pk", "created_at", "amount", "budget__currency", "grant__startup__country").iterator(
        chunk_size=CHUNK)


def impact_new_grant_entries(*, since: datetime, until: datetime) -> set[int]:
    return set(LedgerEntry.objects.filter(kind=EntryKind.GRANT, created_at__gte=since, created_at__lt=until)
               .values_list("pk", flat=True))


def impact_investment_labels(ids: Iterable[int]) -> dict[int, tuple[str, str, Decimal, str]]:
    """investment id → (startup name, startup slug, amount, currency). One query."""
    return {pk: (name, slug, amount, currency) for pk, name, slug, amount, currency in
            Investment.objects.filter(pk__in=list(ids)).values_list("pk", "startup__name", "startup__slug",
                                                                     "amount", "currency")}


def impact_grant_labels(ids: Iterable[int]) -> dict[int, tuple[str, str, Decimal, str]]:
    """ledger entry id → (startup name, startup slug, amount, currency). One query."""
    return {pk: (name, slug, amount, currency) for pk, name, slug, amount, currency in
            LedgerEntry.objects.filter(pk__in=list(ids)).values_list("pk", "grant__startup__name",
                                                                     "grant__startup__slug", "amount",
                                                                     "budget__currency")}


def impact_organizations(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """organization id → (name, slug). One query."""
    return {pk: (name, slug) for pk, name, slug in Organization.objects.filter(pk__in=list(ids)).values_list(
        "pk", "name", "slug")}
