"""The progress API refuses events that cannot be real (issue part 4): ids beyond 64 bits, positions
that are not finite, times in the future or long past. Stored, such an event froze the lesson's
progress: no later event could ever be newer or further."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from forward.academy import services
from forward.academy.models import LessonProgress
from forward.core.services import api_token_create

URL = "/api/v1/academy/progress"


@pytest.fixture
def player(client, academy):
    services.enrol(user=academy.student, run=academy.open_run)
    _token, raw = api_token_create(user=academy.student, name="player")

    def post(body: str | dict):
        text = body if isinstance(body, str) else json.dumps(body)
        return client.post(URL, text, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")

    return post


def now() -> str:
    return timezone.now().isoformat()


def position(academy) -> float | None:
    row = LessonProgress.objects.filter(lesson=academy.video).first()
    return None if row is None else row.position_seconds


@pytest.mark.parametrize("lesson", [99999999999999999999, 2**63, 0, -1])
def test_a_lesson_id_beyond_64_bits_or_below_1_is_a_422(player, academy, lesson):
    """Issue reproduction: on SQLite, lesson 99999999999999999999 was a 500 (OverflowError)."""
    response = player({"events": [{"lesson": lesson, "position": 3, "at": now()}]})
    assert response.status_code == 422
    assert "lesson" in response.json()["detail"]


def test_the_largest_64_bit_id_is_simply_a_lesson_that_does_not_exist(player, academy):
    response = player({"events": [{"lesson": 2**63 - 1, "position": 3, "at": now()}]})
    assert response.status_code == 200 and "does not exist" in response.json()["ignored"][0]


@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "NaN", "1e999", "-1", "86401"])
def test_a_position_that_is_not_a_finite_time_into_a_video_is_refused_and_nothing_stored(player, academy,
                                                                                       number):
    """Issue reproduction: raw JSON ``Infinity`` (Python's json accepts it) was stored as the position."""
    text = f'{{"events": [{{"lesson": {academy.video.pk}, "position": {number}, "at": "{now()}"}}]}}'
    response = player(text)
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"]
    assert position(academy) is None


def test_non_finite_numbers_are_refused_by_the_parser_with_a_clear_message(player, academy):
    response = player(f'{{"events": [{{"lesson": {academy.video.pk}, "position": Infinity, "at": "{now()}"}}]}}')
    assert response.status_code == 400
    assert response.json()["detail"] == "Infinity is not a JSON number: numbers must be finite."


def test_an_event_in_year_9999_is_refused_and_later_progress_still_advances(player, academy):
    """Issue reproduction: a timestamp in year 9999 was stored and froze the lesson's progress."""
    player({"events": [{"lesson": academy.video.pk, "position": 10, "at": now()}]})
    response = player({"events": [{"lesson": academy.video.pk, "position": 500, "at": "9999-12-31T23:59:59Z"}]})
    assert response.status_code == 400
    assert "in the future" in response.json()["detail"]
    assert position(academy) == 10
    later = (timezone.now() + timedelta(seconds=5)).isoformat()
    assert player({"events": [{"lesson": academy.video.pk, "position": 42, "at": later}]}).status_code == 200
    assert position(academy) == 42


def test_a_batch_with_one_bad_event_is_refused_whole(player, academy):
    response = player({"events": [{"lesson": academy.video.pk, "position": 30, "at": now()},
                                  {"lesson": academy.reading.pk, "completed": True,
                                   "at": (timezone.now() + timedelta(hours=1)).isoformat()}]})
    assert response.status_code == 400 and "Event 2 is in the future" in response.json()["detail"]
    assert not LessonProgress.objects.exists()


def test_a_little_clock_skew_is_fine_but_old_or_zoneless_times_are_not(player, academy):
    skewed = (timezone.now() + timedelta(minutes=2)).isoformat()
    assert player({"events": [{"lesson": academy.video.pk, "position": 5, "at": skewed}]}).status_code == 200
    old = (timezone.now() - timedelta(days=400)).isoformat()
    response = player({"events": [{"lesson": academy.video.pk, "position": 6, "at": old}]})
    assert response.status_code == 400 and "more than a year old" in response.json()["detail"]
    response = player({"events": [{"lesson": academy.video.pk, "position": 6, "at": "2026-01-01T10:00:00"}]})
    assert response.status_code == 400 and "time zone" in response.json()["detail"]
    assert position(academy) == 5


def test_the_service_itself_refuses_what_cannot_be_real(academy):
    services.enrol(user=academy.student, run=academy.open_run)
    from django.core.exceptions import ValidationError

    for bad in (float("inf"), float("nan"), -1.0):
        event = services.ProgressEvent(lesson_id=academy.video.pk, position=bad, completed=False,
                                       at=timezone.now())
        with pytest.raises(ValidationError, match="position"):
            services.progress_apply(user=academy.student, events=[event])
    huge = services.ProgressEvent(lesson_id=10**20, position=1, completed=False, at=timezone.now())
    assert "does not exist" in services.progress_apply(user=academy.student, events=[huge]).ignored[0]
    assert not LessonProgress.objects.exists()
