"""The impact demo on a small world (the core and academy demos under it): two years of monthly
activity behind the numbers, the programme's published targets, one target on track and one at risk."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from forward.academy import demo as academy_demo
from forward.core import demo as core_demo
from forward.core.models import User
from forward.impact import demo, progress, selectors
from forward.impact.models import Target

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Loaded once for the module (it takes a while), rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        core_demo.load(rng=random.Random(7), password="correct horse battery")
        academy_demo.load(rng=random.Random(7))
        demo.load(rng=random.Random(7))
        yield
        transaction.set_rollback(True)


def test_two_years_of_monthly_activity_are_behind_the_numbers(loaded):
    months = [month for month, amount in selectors.monthly("learners") if amount.value > 0]
    assert len(months) >= 22  # nearly every month of the two years ending today has new learners
    today = timezone.localdate()
    assert (today.year - months[0].year) * 12 + today.month - months[0].month >= 23
    assert months[-1] >= (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # and it goes on till now
    assert selectors.total("talents").value > 500
    by_country = {country for country, _amount in selectors.breakdown("learners", by="country")}
    assert {"SG", "MY", "ID", "TH", "VN", "PH", "CN"} <= by_country


def test_the_published_targets_are_there(loaded):
    published = {(t.measure, t.value, t.country) for t in Target.objects.all()}
    assert {("talents", 1_000_000, ""), ("developers", 100_000, ""), ("startups", 100_000, ""),
            ("universities_teaching", 100, "CN"), ("universities_covered", 300, "CN"), ("certified", 50_000, "CN"),
            ("teams", 7_000, "")} <= published


def test_one_target_is_on_track_and_one_at_risk(loaded):
    statuses = [p.status for p in progress.all_progress(today=timezone.localdate())]
    assert statuses.count("on_track") >= 1
    assert statuses.count("at_risk") >= 1


def test_generated_people_cannot_sign_in(loaded):
    generated = User.objects.filter(email__endswith="@learners.forward.demo")
    assert generated.count() >= 1000
    assert not any(user.has_usable_password() for user in generated[:50])
