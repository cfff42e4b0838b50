"""Reads for the impact app's rollups: applications and accepted offers as plain rows, streamed,
a constant number of queries whatever the platform's size."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import Q

from .models import Application

CHUNK = 5000


# (applicant id, applied at, offer accepted at, applicant's country, opening's country, employer's country)
ApplicationRow = tuple[int, datetime, datetime | None, str, str, str]


def impact_applications(*, users: Iterable[int] | None = None, accepted: bool = False) -> Iterator[ApplicationRow]:
    """(applicant id, applied at, offer accepted at or None, applicant's country, opening's country,
    employer's country) of every application, or of these applicants'; `accepted`: only those whose
    offer the applicant accepted (the stage "hired": `offer_accepted_at` is set then, and never unset)."""
    rows = Application.objects.order_by()
    if accepted:
        rows = rows.filter(offer_accepted_at__isnull=False)
    if users is not None:
        rows = rows.filter(applicant_id__in=list(users))
    return rows.values_list("applicant_id", "created_at", "offer_accepted_at", "applicant__country",
                            "opening__country", "opening__organization__country").iterator(chunk_size=CHUNK)


def impact_applicants(*, since: datetime, until: datetime, accepted: bool = False) -> set[int]:
    """People who applied (or, `accepted`, accepted an offer) in [since, until)."""
    window = (Q(offer_accepted_at__gte=since, offer_accepted_at__lt=until) if accepted
              else Q(created_at__gte=since, created_at__lt=until))
    return set(Application.objects.filter(window).order_by().values_list("applicant_id", flat=True).distinct())
