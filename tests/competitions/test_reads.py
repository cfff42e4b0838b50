"""Reads never write (issue 18 §2): looking at the leaderboard of a round that has ended does not
finalize it (nor start the awards of the competition's last round); the page says the private board
is being finalized, and the periodic reap finalizes it, once."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from forward.competitions import selectors, tasks
from forward.competitions.models import Phase, PhaseResult
from forward.credentials.models import IssuanceBatch
from tests.competitions.test_host_console import split_probs, submit
from tests.conftest import client_for
from tests.reads import no_writes


def _end(world) -> None:
    now = timezone.now()
    Phase.objects.filter(pk=world.phase.pk).update(starts_at=now - timedelta(days=3), ends_at=now - timedelta(seconds=1))
    world.phase.refresh_from_db()


def test_the_leaderboard_of_an_ended_round_is_read_without_finalizing_it(world, team):
    submit(world, world.alice, split_probs(True, False))
    _end(world)
    slug = world.competition.slug
    anyone = client_for(None)
    with no_writes():
        page = anyone.get(f"/competitions/{slug}/leaderboard/")
        asked = anyone.get(f"/competitions/{slug}/leaderboard/?view=private")
        csv = anyone.get(f"/competitions/{slug}/leaderboard.csv?view=private")
        b"".join(csv.streaming_content)
        api = anyone.get(f"/api/v1/competitions/{slug}/leaderboard?view=private")
        assert not selectors.private_available(world.phase)
        assert selectors.competition_winners(competition=world.competition) == []
    assert page.status_code == 200 and 'data-testid="finalizing"' in page.content.decode()
    assert "view=private" not in page.content.decode()  # no link to a board that is not computed yet
    assert "Final standings" not in asked.content.decode()  # the public board, until the private one exists
    assert api.status_code == 403 and "being finalized" in api.json()["detail"]
    assert not PhaseResult.objects.exists() and not IssuanceBatch.objects.exists()

    assert tasks.reap()["finalized"] == [world.phase.pk]  # the durable path: the periodic job
    assert tasks.reap()["finalized"] == []  # once
    assert PhaseResult.objects.filter(phase=world.phase).count() == 1
    assert IssuanceBatch.objects.count() == 1  # the last round's awards, started once
    page = anyone.get(f"/competitions/{slug}/leaderboard/").content.decode()
    assert 'data-testid="finalizing"' not in page and "view=private" in page
    board = anyone.get(f"/api/v1/competitions/{slug}/leaderboard?view=private").json()
    assert [r["team"] for r in board["rows"]] == ["Gradient Gang"]


def test_a_round_still_running_says_nothing_about_finalizing(world, team):
    submit(world, world.alice, split_probs(True, True))
    page = client_for(None).get(f"/competitions/{world.competition.slug}/leaderboard/").content.decode()
    assert 'data-testid="finalizing"' not in page and "appears when the round ends" in page


def test_a_team_is_told_its_submissions_left_today_only_while_the_round_is_open(world, team):
    submit(world, world.alice, split_probs(True, True))
    alice = client_for(world.alice)
    page = alice.get(f"/competitions/{world.competition.slug}/leaderboard/").content.decode()
    assert 'data-testid="left-today"' in page
    _end(world)
    page = alice.get(f"/competitions/{world.competition.slug}/leaderboard/").content.decode()
    assert 'data-testid="left-today"' not in page and 'data-testid="finalizing"' in page
