"""The openings demo: about 25 openings from the demo employers, a couple of drafts, a closed one and
two featured; deterministic; it also runs alone on an empty database."""

from __future__ import annotations

import random

from django.utils import timezone

from forward.core import demo as core_demo
from forward.talent import demo_openings, openings
from forward.talent.models import Opening, OpeningStatus


def _summary():
    return sorted((o.organization.slug, o.title, o.status, str(o.pay_min), o.currency, o.deadline.date().isoformat())
                  for o in Opening.objects.select_related("organization"))


def test_the_demo_openings(db):
    core_demo.load(rng=random.Random(7), password="correct horse battery")
    demo_openings.load(rng=random.Random(7))
    assert Opening.objects.count() == 25
    assert Opening.objects.filter(status=OpeningStatus.DRAFT).count() == 2
    assert Opening.objects.filter(status=OpeningStatus.CLOSED).count() == 1
    assert Opening.objects.filter(featured_at__isnull=False).count() == 2
    assert not Opening.objects.filter(deadline__lte=timezone.now()).exists()
    assert {o.currency for o in Opening.objects.all()} == {"SGD", "CNY", "IDR", "MYR", "PHP"}
    assert {o.city for o in Opening.objects.all()} >= {"Singapore", "Kuala Lumpur", "Jakarta", "Hangzhou", "Penang",
                                                       "Makati"}
    results = list(openings.search())
    assert len(results) == 22 and all(r.featured_at for r in results[:2])
    straits = Opening.objects.filter(organization__slug="straits-fintech").first()
    assert straits.created_by.email == "hr@straits.forward.demo"
    assert "## What you will do" in straits.description


def test_the_demo_is_deterministic_and_runs_alone(db):
    demo_openings.load(rng=random.Random(7))
    first = _summary()
    Opening.objects.all().delete()
    demo_openings.load(rng=random.Random(7))
    assert _summary() == first and len(first) == 25
