"""The directory demo: traction for the startups with revenue, decks for some, Kampung Cloud's deck
shared with Lion City Ventures; founder@forward.demo and investor@lioncity.forward.demo each have
something to do; deterministic."""

from __future__ import annotations

import random

import pytest

from forward.core import demo as core_demo
from forward.core.models import User
from forward.ventures import demo_base, demo_directory
from forward.ventures.models import DeckShare, Stage, Startup, TractionMonth
from tests.conftest import client_for


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    core_demo.load(rng=random.Random(7), password="correct horse battery")
    demo_base.load(rng=random.Random(7))
    demo_directory.load(rng=random.Random(7))


def test_the_directory_demo(demo):
    with_revenue = Startup.objects.filter(stage__in=demo_directory.WITH_REVENUE)
    assert TractionMonth.objects.count() == with_revenue.count() * 12
    assert not TractionMonth.objects.exclude(startup__in=with_revenue).exists()
    kampung = Startup.objects.get(organization__slug="kampung-cloud")
    assert kampung.stage == Stage.SEED and kampung.deck.name
    assert Startup.objects.exclude(deck="").count() == demo_directory.DECKS
    assert DeckShare.objects.filter(startup=kampung, investor__organization__slug="lion-city-ventures").exists()
    with kampung.deck.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_demo_people_have_something_to_do(demo):
    founder = User.objects.get(email="founder@forward.demo")
    investor = User.objects.get(email="investor@lioncity.forward.demo")
    kampung = Startup.objects.get(organization__slug="kampung-cloud")
    html = client_for(founder).get("/ventures/my-startup/").content.decode()
    assert "My startup: Kampung Cloud" in html and "Lion City Ventures" in html
    html = client_for(founder).get("/ventures/investors/").content.decode()
    assert 'data-testid="fit"' in html and "Lion City Ventures" in html
    html = client_for(investor).get("/ventures/startups/").content.decode()
    assert 'data-testid="fit"' in html and "Kampung Cloud" in html
    page = client_for(investor).get(f"/ventures/startups/{kampung.organization_id}/").content.decode()
    assert 'data-testid="open-deck"' in page and 'data-testid="traction"' in page
    assert client_for(investor).get(f"/ventures/startups/{kampung.organization_id}/deck/").status_code == 200


def test_the_demo_is_deterministic(demo):
    first = sorted(TractionMonth.objects.values_list("startup__organization__slug", "month", "revenue", "users"))
    TractionMonth.objects.all().delete()
    demo_directory.load(rng=random.Random(7))
    assert sorted(TractionMonth.objects.values_list("startup__organization__slug", "month", "revenue", "users")) == first
