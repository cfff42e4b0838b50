"""`forward submit` uploads through the API with a personal token and waits for the score."""

import os
import subprocess
import sys

from forward.core.services import api_token_create
from tests.competitions.conftest import predictions_csv


def submit(live_server, *args, token=None, tmp_path=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORWARD_")}
    env["FORWARD_URL"] = live_server.url
    env["FORWARD_CONFIG"] = str(tmp_path / "missing.ini")
    if token:
        env["FORWARD_API_TOKEN"] = token
    return subprocess.run([sys.executable, "-m", "forward", "submit", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_submit_prints_the_score(live_server, world, team, tmp_path):
    _token, raw = api_token_create(user=world.alice, name="cli")
    good = tmp_path / "predictions.csv"
    good.write_bytes(predictions_csv())
    result = submit(live_server, world.competition.slug, str(good), "-m", "from the shell", token=raw,
                    tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "4 left today" in result.stdout
    assert "scored: public 1.0" in result.stdout


def test_submit_explains_a_broken_file_and_a_missing_token(live_server, world, team, tmp_path):
    _token, raw = api_token_create(user=world.alice, name="cli")
    broken = tmp_path / "broken.csv"
    broken.write_text("id,probability\n1,0.5\n")
    result = submit(live_server, world.competition.slug, str(broken), token=raw, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "missing column target" in result.stderr
    result = submit(live_server, world.competition.slug, str(broken), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "FORWARD_API_TOKEN" in result.stderr
