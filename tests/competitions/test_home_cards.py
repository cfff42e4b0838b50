"""Competitions' cards on the home page (/dashboard/): a host's competitions, the most active this
week first, each with its teams and the week's submissions and failures (the host's baseline left
out); someone new gets the published competitions with a round open now, the newest first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forward.competitions import selectors
from forward.competitions.models import (
    Competition,
    CompetitionStatus,
    Phase,
    Submission,
    SubmissionStatus,
    Team,
)
from forward.core import home
from forward.core.models import Membership, OrganizationKind
from tests.conftest import make_organization, make_user

pytestmark = pytest.mark.django_db


def cards(user) -> dict[str, home.Card]:
    memberships = list(Membership.objects.filter(user=user).select_related("organization"))
    groups = home.cards_for(user, memberships=memberships)
    return {card.key: card for group in groups for card in group["cards"]}


def competition(host, slug, *, days_ago, status=CompetitionStatus.PUBLISHED, created_at=None):
    return Competition.objects.create(slug=slug, title=slug.replace("-", " ").capitalize(), host=host, metric="auc",
                                      status=status, created_at=created_at or timezone.now() - timedelta(days=days_ago))


def round_of(competition, *, starts_in_days, ends_in_days):
    now = timezone.now()
    return Phase.objects.create(competition=competition, starts_at=now + timedelta(days=starts_in_days),
                                ends_at=now + timedelta(days=ends_in_days))


def teams(competition, *names, baseline=False):
    return [Team.objects.create(competition=competition, name=name, invite_code=f"{competition.slug}-{name}",
                                is_baseline=baseline) for name in names]


def submit(phase, team, user, *, days_ago=0.0, status=SubmissionStatus.SCORED):
    return Submission.objects.create(phase=phase, team=team, submitted_by=user, file="x.csv", original_name="x.csv",
                                     status=status, created_at=timezone.now() - timedelta(days=days_ago))


def test_a_host_sees_each_competition_with_its_own_teams_and_weeks_submissions_the_busiest_first():
    host = make_user("host@tianmu.test", "Sun Host")
    lab = make_organization(creator=host, name="Tianmu Data Lab", kind=OrganizationKind.HOST, country="CN")
    elsewhere = make_organization(creator=make_user("other@lab.test"), name="Other Lab", kind=OrganizationKind.HOST,
                                  country="SG")
    # Created oldest first, so the newest has the highest id.
    quiet = competition(lab, "quiet-one", days_ago=20)
    busy = competition(lab, "busy-one", days_ago=10)
    fresh = competition(lab, "fresh-one", days_ago=1)
    draft = competition(lab, "draft-one", days_ago=2, status=CompetitionStatus.DRAFT)
    other = competition(elsewhere, "not-mine", days_ago=0)

    busy_round = round_of(busy, starts_in_days=-10, ends_in_days=5)
    alpha, beta = teams(busy, "Alpha", "Beta")
    [baseline] = teams(busy, "Baseline", baseline=True)
    submit(busy_round, alpha, host)
    submit(busy_round, alpha, host, days_ago=6)
    submit(busy_round, beta, host, status=SubmissionStatus.FAILED)
    submit(busy_round, beta, host, days_ago=8, status=SubmissionStatus.FAILED)  # last week's: not counted
    submit(busy_round, baseline, host, status=SubmissionStatus.FAILED)  # the host's own baseline: not counted
    fresh_round = round_of(fresh, starts_in_days=-1, ends_in_days=9)
    [gamma] = teams(fresh, "Gamma")
    submit(fresh_round, gamma, host)
    other_round = round_of(other, starts_in_days=-1, ends_in_days=9)
    [delta] = teams(other, "Delta")
    for _ in range(4):
        submit(other_round, delta, host)

    card = cards(host)["host-competitions"]
    assert [(item.text, item.meta) for item in card.items] == [
        ("Busy one", "2 teams · 3 submissions this week · 1 failed"),
        ("Fresh one", "1 team · 1 submission this week"),
        ("Draft one", "draft · 0 teams · 0 submissions this week"),  # no activity: the newest first
        ("Quiet one", "0 teams · 0 submissions this week"),
    ]
    assert [item.url for item in card.items] == [
        reverse("competitions:host", args=[c.slug]) for c in (busy, fresh, draft, quiet)]
    assert [item.tone for item in card.items] == ["warning", "", "", ""]
    assert card.subtitle == "2 with activity this week"


def test_a_host_with_no_activity_sees_competitions_created_at_the_same_moment_in_the_order_they_were_made():
    host = make_user("host@tianmu.test", "Sun Host")
    first_lab = make_organization(creator=host, name="Tianmu Data Lab", kind=OrganizationKind.HOST, country="CN")
    second_lab = make_organization(creator=host, name="Tianmu Vision Lab", kind=OrganizationKind.HOST, country="CN")
    moment = timezone.now() - timedelta(days=3)
    made = [competition(lab, slug, days_ago=0, created_at=moment)
            for lab, slug in ((second_lab, "made-first"), (first_lab, "made-second"), (second_lab, "made-third"))]
    made[0].rules = "Be kind."  # edited since
    made[0].save()

    items = cards(host)["host-competitions"].items
    assert [item.text for item in items] == [c.title for c in made]


def test_someone_new_sees_the_published_competitions_open_now_the_newest_first():
    newcomer = make_user("new@example.test", "Nina Newcomer")
    host = make_user("host@tianmu.test", "Sun Host")
    lab = make_organization(creator=host, name="Tianmu Data Lab", kind=OrganizationKind.HOST, country="CN")
    older = competition(lab, "older-open", days_ago=9)
    newer = competition(lab, "newer-open", days_ago=3)
    ended = competition(lab, "ended-newest", days_ago=1)
    not_started = competition(lab, "not-started-newest", days_ago=1)
    competition(lab, "no-round-newest", days_ago=0)
    draft = competition(lab, "draft-newest", days_ago=0, status=CompetitionStatus.DRAFT)
    round_of(older, starts_in_days=-9, ends_in_days=20)
    round_of(newer, starts_in_days=-3, ends_in_days=2)
    round_of(ended, starts_in_days=-10, ends_in_days=-1)
    round_of(not_started, starts_in_days=2, ends_in_days=10)
    round_of(draft, starts_in_days=-1, ends_in_days=10)

    card = cards(newcomer)["learner-competitions"]
    assert card.title == "Data competitions"
    assert [(item.text, item.meta, item.url) for item in card.items] == [
        ("Newer open", "Tianmu Data Lab", reverse("competitions:detail", args=["newer-open"])),
        ("Older open", "Tianmu Data Lab", reverse("competitions:detail", args=["older-open"])),
    ]


def test_the_open_competitions_are_those_open_at_the_moment_asked_three_unless_told():
    host = make_user("host@tianmu.test", "Sun Host")
    lab = make_organization(creator=host, name="Tianmu Data Lab", kind=OrganizationKind.HOST, country="CN")
    moment = timezone.now() - timedelta(days=1)
    made = [competition(lab, f"same-moment-{i}", days_ago=0, created_at=moment, status=CompetitionStatus.DRAFT)
            for i in range(4)]
    for c in reversed(made):  # published the other way round
        round_of(c, starts_in_days=-2, ends_in_days=10)
        c.status, c.published_at = CompetitionStatus.PUBLISHED, timezone.now()
        c.save()
    last_week = competition(lab, "last-week", days_ago=0)
    round_of(last_week, starts_in_days=-8, ends_in_days=-7)

    assert selectors.home_open_competitions() == made[:3]  # the same moment: in the order they were made
    assert selectors.home_open_competitions(limit=5) == made
    assert selectors.home_open_competitions(now=timezone.now() - timedelta(days=7, hours=12)) == [last_week]
