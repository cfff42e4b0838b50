"""Pages: who sees what. The solution is never reachable by URL except for the host's members."""

import pytest

from forward.competitions import services, submissions
from tests.competitions.conftest import predictions_csv, upload
from tests.conftest import client_for


def test_the_solution_is_404_for_participants_outsiders_and_anonymous(world, team):
    url = f"/competitions/{world.competition.slug}/host/solution/1/download/"
    assert client_for(None).get(url).status_code == 404
    for person in (world.alice, world.outsider, world.other_host):
        assert client_for(person).get(url).status_code == 404
    response = client_for(world.host_member).get(url)
    assert response.status_code == 200
    assert b"Usage" in b"".join(response.streaming_content)


def test_data_files_need_accepted_rules(world, team):
    datafile = services.datafile_upload(actor=world.host_user, phase=world.phase,
                                        upload=upload(b"id,x\n1,2\n", "train.csv"))
    url = f"/competitions/{world.competition.slug}/data/{datafile.pk}/download/"
    assert client_for(world.carol).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    response = client_for(world.alice).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"id,x\n1,2\n"


@pytest.mark.parametrize("path", ["", "rules/", "data/", "leaderboard/"])
def test_public_pages_render_for_anonymous_visitors(world, team, path):
    submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    response = client_for(None).get(f"/competitions/{world.competition.slug}/{path}")
    assert response.status_code == 200
    assert "Repeat buyers" in response.content.decode()


def test_leaderboard_page_says_which_way_is_better_and_how_many_are_left(world, team):
    submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    html = client_for(world.alice).get(f"/competitions/{world.competition.slug}/leaderboard/").content.decode()
    assert "higher is better" in html
    assert "Gradient Gang" in html
    assert "4 submissions left today" in html


def test_the_host_page_is_for_the_host_only(world):
    url = f"/competitions/{world.competition.slug}/host/"
    assert client_for(world.host_member).get(url).status_code == 200
    assert client_for(world.other_host).get(url).status_code == 403
    assert client_for(world.alice).get(url).status_code == 403


def test_hidden_leaderboards_are_hidden(world, team):
    services.competition_update(actor=world.host_user, competition=world.competition, leaderboard_hidden=True)
    assert client_for(None).get(f"/competitions/{world.competition.slug}/leaderboard/").status_code == 404
    assert client_for(world.host_member).get(f"/competitions/{world.competition.slug}/leaderboard/").status_code == 200


def test_submitting_through_the_page_shows_the_error_for_a_broken_file(world, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.alice)
    url = f"/competitions/{world.competition.slug}/submissions/"
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", b""), "phase": "1"})
    assert response.status_code == 400
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", b"id,target\n1,0.5\n"), "phase": "1"},
                           follow=True)
    html = response.content.decode()
    assert "Failed" in html and "missing" in html.lower()
