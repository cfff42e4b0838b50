"""The innovation-centre part of the ventures world: an SME with its admin, the centre's catalogue,
a cohort call of the centre in which `startup` (Padi Sense) is accepted, and a USD budget."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from forward.core.models import Membership, OrganizationKind, Role
from forward.ventures import grants, readiness
from forward.ventures.models import (
    ApplicationStatus,
    Call,
    CallStatus,
    CentreService,
    CohortApplication,
)
from tests.conftest import make_organization, make_user

CENTRE_ROLES = ["sme_admin", "sme_staff"]


def answers(level: int) -> dict[str, int]:
    """Answers that score every area at `level` (0-based option index level-1, 4 options max)."""
    return {q.id: min(level - 1, len(q.options) - 1) for q in readiness.QUESTIONS}


def make_services(centre):
    rows = [("cloud-migration", "Cloud migration assessment", ["cloud"], 2, 15),
            ("architecture-review", "Architecture review", ["cloud", "security"], 2, 10),
            ("data-platform", "Data platform workshop", ["data", "skills"], 3, 20),
            ("mentoring", "Mentoring office hours", ["strategy"], 1, 5)]
    return [CentreService.objects.create(centre=centre, slug=slug, name=name, description=f"{name} by experts.",
                                         areas=areas, assign_within_days=a, done_within_days=d, order=n)
            for n, (slug, name, areas, a, d) in enumerate(rows)]


@pytest.fixture
def centre_world(ventures):
    w = ventures
    w.sme_admin = make_user("sme-admin@ventures.test", "Siti SME", preferred_language="en")
    w.sme_staff = make_user("sme-staff@ventures.test", "Sara Staff", preferred_language="en")
    w.sme = make_organization(creator=w.sme_admin, name="Kedai Digital", kind=OrganizationKind.SME, country="MY")
    Membership.objects.create(user=w.sme_staff, organization=w.sme, role=Role.STAFF)
    w.services = make_services(w.centre)
    w.service = w.services[0]
    w.call = Call.objects.create(organizer=w.centre, title="Accelerator batch 1", status=CallStatus.DECIDED,
                                 deadline=timezone.now() - timedelta(days=30))
    CohortApplication.objects.create(call=w.call, startup=w.startup, status=ApplicationStatus.ACCEPTED)
    CohortApplication.objects.create(call=w.call, startup=w.other_startup, status=ApplicationStatus.REJECTED)
    w.budget = grants.budget_create(actor=w.centre_admin, organizer=w.centre, name="Cloud credits 2026",
                                    currency="USD", total=Decimal("10000"))
    return w
