"""A team name is data: it cannot run script on the leaderboard, nor a formula in its CSV."""

import csv
import io
import json
import re

from django.urls import reverse

from forward.competitions import services, submissions
from forward.competitions.models import LeaderboardEntry
from tests.competitions.conftest import predictions_csv, upload
from tests.conftest import client_for, make_user

SCRIPT_NAME = "</script><script>window.__pwned=1</script>"
FORMULA_NAME = '=HYPERLINK("http://evil.example","x")'


def scored_team(world, name: str, email: str):
    user = make_user(email, "Mallory")
    services.register(user=user, competition=world.competition)
    team = services.team_create(user=user, competition=world.competition, name=name)
    submissions.submission_create(user=user, phase=world.phase, upload=upload(predictions_csv()))
    return team


def test_a_team_name_cannot_close_the_chart_data_script(world):
    scored_team(world, SCRIPT_NAME, "mallory@uni.test")
    html = client_for(world.host_user).get(reverse("competitions:leaderboard", args=[world.competition.slug]))
    html = html.content.decode()
    assert "</script><script>" not in html
    assert "<script>window.__pwned" not in html
    # The chart's JSON sits in one json_script element and reads back to the very name.
    blocks = re.findall(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    assert [s["team"] for s in json.loads(blocks[0])["series"]] == [SCRIPT_NAME]
    # The table shows it as text.
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html


def test_the_leaderboard_csv_neutralises_formulas_and_keeps_numbers(world):
    team = scored_team(world, FORMULA_NAME, "mallory@uni.test")
    LeaderboardEntry.objects.filter(team=team).update(best_public=-0.5)  # as a metric that can go negative would
    response = client_for(None).get(reverse("competitions:leaderboard_csv", args=[world.competition.slug]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["rank", "team", "score"]
    assert rows[1][:3] == ["1", "'" + FORMULA_NAME, "-0.5"]
