"""A team's own submissions page: newest first, a constant number of queries, and what is left today."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forward.competitions.models import Phase, Submission
from tests.competitions.test_host_console import split_probs, submit
from tests.conftest import client_for


def listed_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<td data-label="#">(\d+)</td>', html)]


def test_submissions_are_listed_newest_first_then_by_the_later_id(world, team):
    older, same_time, newest = (submit(world, world.alice, split_probs(True, True)) for _ in range(3))
    now = timezone.now()
    # The first submission is the newest; the next two were made at the same moment (rewritten the
    # later one first, so that the database's own order of the two is not that of their ids).
    Submission.objects.filter(pk=older.pk).update(created_at=now)
    for submission in (newest, same_time):
        Submission.objects.filter(pk=submission.pk).update(created_at=now - timedelta(hours=1))
    page = client_for(world.bob).get(f"/competitions/{world.competition.slug}/submissions/").content.decode()
    assert listed_ids(page) == [older.pk, newest.pk, same_time.pk]


def test_the_submissions_page_keeps_its_query_count_as_submissions_grow(world, team, django_assert_num_queries):
    url = f"/competitions/{world.competition.slug}/submissions/"
    alice = client_for(world.alice)
    submit(world, world.alice, split_probs(True, True))
    with CaptureQueriesContext(connection) as one:
        alice.get(url)
    for person in (world.bob, world.alice, world.bob):
        submit(world, person, split_probs(True, False))
    with django_assert_num_queries(len(one.captured_queries)):
        page = alice.get(url).content.decode()
    assert len(listed_ids(page)) == 4 and "Bob" in page and "Alice" in page


def test_a_team_with_no_submissions_left_today_is_told_so_and_cannot_submit(world, team):
    url = f"/competitions/{world.competition.slug}/submissions/"
    Phase.objects.filter(pk=world.phase.pk).update(daily_limit=2)
    submit(world, world.alice, split_probs(True, True))
    page = client_for(world.alice).get(url).content.decode()
    assert re.search(r'data-testid="left-today">\s*1 submission left today', page)
    assert '<button type="submit">Submit</button>' in page
    submit(world, world.bob, split_probs(True, True))
    Phase.objects.filter(pk=world.phase.pk).update(daily_limit=1)  # lowered below what was used
    page = client_for(world.alice).get(url).content.decode()
    assert re.search(r'data-testid="left-today">\s*0 submissions left today', page)
    assert '<button type="submit" disabled>Submit</button>' in page
