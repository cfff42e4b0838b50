"""The cohorts demo: a decided batch with Kampung Cloud in its cohort, an open accelerator call
scored by two panels with one declared conflict; the founder, the Lion City investor and the
operator each have something to do. Deterministic."""

from __future__ import annotations

import random

import pytest

from forward.core import demo as core_demo
from forward.core.models import User
from forward.ventures import cohorts as svc
from forward.ventures import demo_base, demo_cohorts, judging, permissions
from forward.ventures.models import (
    ApplicationStatus,
    Call,
    CallStatus,
    CohortApplication,
    Conflict,
    Criterion,
    Score,
    Startup,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _load():
    core_demo.load(rng=random.Random(7), password="correct horse battery")
    demo_base.load(rng=random.Random(7))
    demo_cohorts.load(rng=random.Random(7))


def _summary():
    names = {str(c.pk): c.name for c in Criterion.objects.all()}
    return sorted((a.call.title, a.startup.organization.slug, a.status, tuple(sorted(
        (s.judge.email, tuple(sorted((names[k], v) for k, v in s.marks.items())), s.submitted_at is not None)
        for s in a.scores.all())))
        for a in CohortApplication.objects.select_related("call", "startup__organization")
        .prefetch_related("scores__judge"))


def test_the_demo_cohorts():
    _load()
    batch = Call.objects.get(title=demo_cohorts.BATCH_1)
    accelerator = Call.objects.get(title=demo_cohorts.ACCELERATOR)
    assert batch.status == CallStatus.DECIDED and accelerator.status == CallStatus.OPEN
    assert accelerator.organizer.slug == demo_cohorts.CENTRE
    kampung = Startup.objects.get(organization__slug="kampung-cloud")
    assert list(svc.cohorts_of(startup=kampung)) == [batch]
    assert svc.cohort(call=batch).count() == 6
    assert batch.panels.count() == 2 and accelerator.panels.count() == 2
    assert Conflict.objects.filter(application__call=batch).count() == 1
    assert permissions.can_view_cohort(User.objects.get(email="founder@forward.demo"), batch)
    # The ranking has spread: harsh and lenient judges, several judges per application.
    rows = judging.ranking(call=batch)
    assert all(r.judges >= 5 for r in rows) and len({round(r.normalised_mean, 6) for r in rows}) > 3

    founder = User.objects.get(email="founder@forward.demo")
    draft = CohortApplication.objects.get(call=accelerator, startup=kampung)
    assert draft.status == ApplicationStatus.DRAFT and permissions.can_apply(founder, kampung.organization)
    assert svc.missing_answers(draft)  # something to finish
    page = client_for(founder).get(f"/ventures/applications/{draft.pk}/")
    assert page.status_code == 200 and b"Save and submit" in page.content

    investor = User.objects.get(email="investor@lioncity.forward.demo")
    queue = list(judging.judge_queue(user=investor))
    assert len(queue) == 8 and sum(1 for a in queue if not a.my_submitted_at) == 8
    assert Score.objects.filter(judge=investor, application__call=accelerator, submitted_at__isnull=True).count() == 1
    assert client_for(investor).get("/ventures/judging/").status_code == 200

    operator = User.objects.get(email="operator@forward.demo")
    for call in (batch, accelerator):
        assert client_for(operator).get(f"/ventures/calls/{call.pk}/ranking/").status_code == 200
    assert client_for(founder).get(f"/ventures/calls/{batch.pk}/cohort/").status_code == 200


def test_the_demo_is_deterministic():
    _load()
    first = _summary()
    Call.objects.all().delete()
    demo_cohorts.load(rng=random.Random(7))
    assert _summary() == first
