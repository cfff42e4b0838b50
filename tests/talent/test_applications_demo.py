"""The demo loader: deterministic, every stage present, and it works with or without openings."""

from __future__ import annotations

import random

from forward.talent import demo_applications
from forward.talent.models import Application, ApplicationNote, InterviewSlot, Opening, Stage
from tests.talent.test_applications import world  # noqa: F401


def _state():
    return sorted(Application.objects.values_list("opening__title", "applicant__email", "stage"))


def test_applications_at_every_stage_with_notes_and_slots(world):  # noqa: F811
    from forward.core.models import Membership, Role
    from tests.conftest import make_user

    for i in range(12):
        Membership.objects.create(user=make_user(f"s{i}@ntu.test"), organization=world.university, role=Role.MEMBER)
    demo_applications.load(rng=random.Random(7))
    stages = set(Application.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert ApplicationNote.objects.exists()
    assert InterviewSlot.objects.filter(booked_by__isnull=False).exists()
    assert InterviewSlot.objects.filter(booked_by__isnull=True).exists()
    first = _state()
    assert first
    # Each application's history ends where the application is.
    for application in Application.objects.all():
        assert application.changes.order_by("at", "pk").last().to_stage == application.stage
    demo_applications.load(rng=random.Random(7))  # again: nothing doubles
    assert _state() == first


def test_without_openings_it_creates_two_for_the_first_employer(world):  # noqa: F811
    Opening.objects.all().delete()
    demo_applications.load(rng=random.Random(7))
    assert Opening.objects.filter(organization=world.employer).count() == 2
    assert Application.objects.exists()
