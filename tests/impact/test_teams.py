"""Competition teams: each team entered counts once, in its host's country, on the day it was made
(the host's baseline row never counts); operators see who was counted as "Team · Competition",
linked to the competition; a refresh brings in the teams made since the last one, up to its moment."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forward.competitions.models import Competition, Team
from forward.core.models import OrganizationKind
from forward.impact import rollup, selectors
from forward.impact.selectors import Filters
from tests.conftest import client_for, make_organization
from tests.impact.worlds import World, at

pytestmark = pytest.mark.django_db


def total(**filters):
    return selectors.total("teams", filters=Filters(**filters)).entities


def teams_refreshed(results):
    return next(r["entities"] for r in results if r["measure"] == "teams")


def test_teams_count_in_their_hosts_country_and_operators_see_each_as_team_and_competition(client):
    w = World()  # its competition "Churn" is hosted in Singapore
    lab = make_organization(creator=w.operator, name=f"Traffic Lab {w.n}", kind=OrganizationKind.HOST, country="CN")
    traffic = Competition.objects.create(slug=f"traffic-{w.n}", title="Traffic flow", host=lab, metric="rmse")
    w.team("Alpha", at(2025, 3, 1))
    w.team("Beta", at(2025, 4, 1))
    Team.objects.create(competition=traffic, name="Gamma", invite_code=f"gamma-{w.n}", created_at=at(2025, 4, 2))
    Team.objects.create(competition=w.competition, name="Baseline", invite_code=f"base-{w.n}", is_baseline=True,
                        created_at=at(2025, 2, 1))
    rollup.refresh()

    assert total() == 3
    assert {key: a.entities for key, a in selectors.breakdown("teams", by="country")} == {"SG": 2, "CN": 1}
    assert [(month, a.entities) for month, a in selectors.monthly("teams")] == [(date(2025, 3, 1), 1),
                                                                                (date(2025, 4, 1), 2)]
    assert total(country="CN") == 1

    page = client_for(w.operator).get(reverse("impact:rows", args=["teams"])).content.decode()
    assert "3 counted" in page
    who = re.findall(r'<td data-label="Who"><a href="([^"]+)">([^<]+)</a></td>', page)
    churn = reverse("competitions:detail", args=[w.competition.slug])
    assert who == [(churn, "Alpha · Churn"), (churn, "Beta · Churn"),
                   (reverse("competitions:detail", args=[traffic.slug]), "Gamma · Traffic flow")]
    assert "Baseline" not in page


def test_a_refresh_brings_in_only_the_teams_made_since_the_last_one_up_to_its_moment():
    w = World()
    now = timezone.now()
    w.team("Alpha", at(2025, 3, 1))
    w.team("Beta", at(2025, 4, 1))
    Team.objects.create(competition=w.competition, name="Baseline", invite_code=f"base-{w.n}", is_baseline=True,
                        created_at=at(2025, 2, 1))
    rollup.refresh(now=now - timedelta(hours=3))
    assert total() == 2

    w.team("Made before the next refresh", now - timedelta(hours=2))
    w.team("Made after it", now)
    assert teams_refreshed(rollup.refresh(now=now - timedelta(hours=1))) == 1
    assert total() == 3

    assert teams_refreshed(rollup.refresh(now=now + timedelta(minutes=1))) == 2  # from an hour before the last
    assert total() == 4
