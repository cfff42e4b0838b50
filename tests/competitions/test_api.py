from datetime import timedelta

import pytest
from django.utils import timezone

from forward.competitions import submissions
from forward.competitions.models import Submission
from forward.core.services import api_token_create
from tests.competitions.conftest import predictions_csv


def bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_submit_through_the_api_and_read_the_score(client, world, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(f"/api/v1/competitions/{world.competition.slug}/submissions",
                           {"file": SimpleUploadedFile("p.csv", predictions_csv()), "description": "first"},
                           **bearer(world.alice))
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"id", "status", "created_at"} <= body.keys()
    assert body["submissions_left_today"] == 4
    detail = client.get(f"/api/v1/submissions/{body['id']}", **bearer(world.bob)).json()
    assert detail["status"] == "scored"
    assert detail["public_score"] == pytest.approx(1.0)
    assert detail["private_score"] is None  # never before the end
    assert detail["error"] == ""


def test_a_broken_submission_via_the_api_reports_the_error(client, world, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(f"/api/v1/competitions/{world.competition.slug}/submissions",
                           {"file": SimpleUploadedFile("p.csv", b"id,target\n1,0.5\n")}, **bearer(world.alice))
    assert response.status_code == 201
    detail = client.get(f"/api/v1/submissions/{response.json()['id']}", **bearer(world.alice)).json()
    assert detail["status"] == "failed"
    assert "missing" in detail["error"].lower()


def test_submitting_without_a_team_is_a_clear_400(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(f"/api/v1/competitions/{world.competition.slug}/submissions",
                           {"file": SimpleUploadedFile("p.csv", predictions_csv())}, **bearer(world.carol))
    assert response.status_code == 400
    assert "team" in response.json()["detail"]


def test_a_submission_is_404_for_everyone_outside_the_team_or_host(client, world, team):
    s = submissions.submission_create(user=world.alice, phase=world.phase,
                                      upload=__import__("tests.competitions.conftest", fromlist=["upload"]).upload(
                                          predictions_csv()))
    url = f"/api/v1/submissions/{s.pk}"
    assert client.get(url).status_code == 401
    assert client.get(url, **bearer(world.carol)).status_code == 404
    assert client.get(url, **bearer(world.other_host)).status_code == 404
    assert client.get("/api/v1/submissions/999999", **bearer(world.carol)).status_code == 404
    assert client.get(url, **bearer(world.host_member)).status_code == 200


def test_leaderboard_and_competitions_are_public(client, world, team):
    from tests.competitions.conftest import upload

    submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    board = client.get(f"/api/v1/competitions/{world.competition.slug}/leaderboard?page=1").json()
    assert board["rows"][0]["team"] == "Gradient Gang"
    assert {"rank", "team", "score", "entries", "last_submission"} <= board["rows"][0].keys()
    assert board["higher_is_better"] is True
    listing = client.get("/api/v1/competitions").json()
    assert [c["slug"] for c in listing["results"]] == [world.competition.slug]
    assert client.get(f"/api/v1/competitions/{world.competition.slug}").json()["metric"] == "auc"
    # The private leaderboard is refused before the end.
    private = client.get(f"/api/v1/competitions/{world.competition.slug}/leaderboard?view=private")
    assert private.status_code == 403


def test_drafts_are_404_to_everyone_but_the_host(client, world):
    from forward.competitions import services

    now = timezone.now()
    draft = services.competition_create(actor=world.host_user, host=world.host_org, title="Secret", metric="auc",
                                        starts_at=now, ends_at=now + timedelta(days=1))
    assert client.get(f"/api/v1/competitions/{draft.slug}").status_code == 404
    assert client.get(f"/api/v1/competitions/{draft.slug}", **bearer(world.other_host)).status_code == 404
    seen = client.get(f"/api/v1/competitions/{draft.slug}", **bearer(world.host_member))
    assert seen.status_code == 200 and seen.json()["title"] == "Secret"


def test_private_scores_appear_after_the_end(client, world, team):
    from tests.competitions.conftest import upload

    s = submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    Submission.objects.filter(pk=s.pk).update(created_at=timezone.now() - timedelta(days=1))
    world.phase.starts_at = timezone.now() - timedelta(days=3)
    world.phase.ends_at = timezone.now() - timedelta(seconds=1)
    world.phase.save()
    submissions.phase_finalize(phase_id=world.phase.pk)
    detail = client.get(f"/api/v1/submissions/{s.pk}", **bearer(world.alice)).json()
    assert detail["private_score"] == pytest.approx(1.0)
    board = client.get(f"/api/v1/competitions/{world.competition.slug}/leaderboard?view=private").json()
    assert board["rows"][0]["move"] == 0
