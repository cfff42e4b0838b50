"""A running AUC competition with a solution, a host, and participants in roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forward.competitions import services, submissions
from forward.competitions.models import Competition
from forward.core.models import Membership, OrganizationKind, Role
from tests.conftest import make_organization, make_user

IDS = list(range(1, 21))
LABELS = [0, 1] * 10
USAGE = ["Public" if i % 2 == 0 else "Private" for i in range(20)]
# Pairs (0,1) fall in both parts, so each part has both classes.
USAGE = ["Public", "Public", "Private", "Private"] * 5


def solution_csv() -> bytes:
    rows = ["id,target,Usage"] + [f"{i},{y},{u}" for i, y, u in zip(IDS, LABELS, USAGE, strict=True)]
    return ("\n".join(rows) + "\n").encode()


def predictions_csv(probs=None, ids=None, header="id,target") -> bytes:
    ids = IDS if ids is None else ids
    probs = probs if probs is not None else [0.9 if y else 0.1 for y in LABELS]
    return (header + "\n" + "\n".join(f"{i},{p}" for i, p in zip(ids, probs, strict=False)) + "\n").encode()


def upload(content: bytes, name: str = "predictions.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


class World:
    pass


@pytest.fixture
def world(transactional_db) -> World:
    w = World()
    w.host_user = make_user("host@lab.test", "Hana Host")
    w.host_member = make_user("analyst@lab.test", "Ana Analyst")
    w.other_host = make_user("host@otherlab.test", "Olga Other")
    w.alice = make_user("alice@uni.test", "Alice")
    w.bob = make_user("bob@uni.test", "Bob")
    w.carol = make_user("carol@uni.test", "Carol")
    w.outsider = make_user("eve@example.test", "Eve")
    w.host_org = make_organization(creator=w.host_user, name="Retail Lab", kind=OrganizationKind.HOST, country="CN")
    Membership.objects.create(user=w.host_member, organization=w.host_org, role=Role.STAFF)
    w.other_org = make_organization(creator=w.other_host, name="Other Lab", kind=OrganizationKind.HOST,
                                      country="SG")
    w.uni = make_organization(creator=w.alice, name="Uni", kind=OrganizationKind.UNIVERSITY, country="SG")
    for person in (w.bob, w.carol):
        Membership.objects.create(user=person, organization=w.uni)
    now = timezone.now()
    w.competition = services.competition_create(
        actor=w.host_user, host=w.host_org, title="Repeat buyers", metric="auc",
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=10), rules="Be nice.",
        team_size_limit=3,
    )
    w.phase = w.competition.phases.get()
    w.phase = services.solution_upload(actor=w.host_user, phase=w.phase, upload=upload(solution_csv(), "solution.csv"))
    services.competition_publish(actor=w.host_user, competition=w.competition)
    w.competition = Competition.objects.get(pk=w.competition.pk)
    return w


@pytest.fixture
def team(world):
    """Alice and Bob registered, in team "Gradient Gang"."""
    services.register(user=world.alice, competition=world.competition)
    services.register(user=world.bob, competition=world.competition)
    t = services.team_create(user=world.alice, competition=world.competition, name="Gradient Gang")
    services.team_join(user=world.bob, competition=world.competition, invite_code=t.invite_code)
    return t


@pytest.fixture
def cache(settings):
    """The worker's solution cache, empty, with a 64 MB budget and its load counter at zero."""
    settings.FORWARD_SCORING_CACHE_MB = 64
    kept = submissions.solution_cache()
    kept.clear()
    kept.loads = 0
    return kept
