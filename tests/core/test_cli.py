"""The `forward` command: help, one-line configuration errors, and the demo's create-once behaviour."""

import os
import sqlite3
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

PRODUCTION = {"FORWARD_SECRET_KEY": "k" * 40, "FORWARD_CREDENTIAL_KEYS": Fernet.generate_key().decode()}


def run(args, **env_changes):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORWARD_")}
    env.update({k: v for k, v in env_changes.items() if v is not None})
    return subprocess.run([sys.executable, "-m", "forward", *args], env=env, capture_output=True, text=True,
                          timeout=300)


def one_line_naming(result, variable: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_help_lists_the_commands():
    result = run(["--help"])
    assert result.returncode == 0
    for command in ("demo", "serve", "worker", "manage"):
        assert command in result.stdout


def test_serve_without_a_secret_key_says_so_in_one_line(tmp_path):
    one_line_naming(run(["serve"], FORWARD_DATA_DIR=str(tmp_path)), "FORWARD_SECRET_KEY")


def test_serve_without_the_credential_key_says_so_in_one_line(tmp_path):
    result = run(["serve"], FORWARD_DATA_DIR=str(tmp_path), FORWARD_SECRET_KEY="k" * 40)
    one_line_naming(result, "FORWARD_CREDENTIAL_KEYS")
    bad = run(["serve"], FORWARD_DATA_DIR=str(tmp_path), FORWARD_SECRET_KEY="k" * 40, FORWARD_CREDENTIAL_KEYS="short")
    one_line_naming(bad, "FORWARD_CREDENTIAL_KEYS")


@pytest.mark.parametrize("url", ["mysql://x@localhost/db", "nonsense"])
def test_a_bad_database_url_says_so_in_one_line(tmp_path, url):
    result = run(["serve"], FORWARD_DATA_DIR=str(tmp_path), **PRODUCTION, FORWARD_DATABASE_URL=url)
    one_line_naming(result, "FORWARD_DATABASE_URL")


def test_an_unreachable_database_says_so_in_one_line(tmp_path):
    result = run(["serve"], FORWARD_DATA_DIR=str(tmp_path), **PRODUCTION,
                 FORWARD_DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    one_line_naming(result, "FORWARD_DATABASE_URL")


def test_a_worker_needs_a_reachable_broker(tmp_path):
    base = {"FORWARD_DATA_DIR": str(tmp_path), **PRODUCTION}
    one_line_naming(run(["worker"], **base), "FORWARD_BROKER_URL")
    one_line_naming(run(["worker"], **base, FORWARD_BROKER_URL="redis://127.0.0.1:1/0"), "FORWARD_BROKER_URL")


def test_a_malformed_boolean_says_so(tmp_path):
    one_line_naming(run(["serve"], FORWARD_DEBUG="maybe", FORWARD_DATA_DIR=str(tmp_path)), "FORWARD_DEBUG")


@pytest.mark.parametrize(("changes", "variable"), [
    ({"FORWARD_SCORING_TIMEOUT": "600"}, "FORWARD_SCORING_TIMEOUT"),  # not below the 600 s deadline
    ({"FORWARD_SCORING_MEMORY_MB": "10"}, "FORWARD_SCORING_MEMORY_MB"),
    ({"FORWARD_SCORING_MAX_ATTEMPTS": "0"}, "FORWARD_SCORING_MAX_ATTEMPTS"),
])
def test_scoring_limits_that_cannot_work_say_so(tmp_path, changes, variable):
    one_line_naming(run(["serve"], FORWARD_DATA_DIR=str(tmp_path), **PRODUCTION, **changes), variable)


def test_demo_creates_data_once_and_reuses_it(tmp_path):
    first = run(["demo", "--no-serve", "--data-dir", str(tmp_path)])
    assert first.returncode == 0, first.stderr
    assert "demo data created" in first.stdout
    assert "student@ntu.forward.demo" in first.stdout and "http://127.0.0.1:8000/" in first.stdout
    database = tmp_path / "forward.sqlite3"
    count = sqlite3.connect(database).execute("select count(*) from core_user").fetchone()[0]
    assert count > 300
    # The demo's certifications keep the publishing rule (a pool three times the draw), their
    # questions have areas (a result is a score per area) and their summaries read well.
    exams = sqlite3.connect(database).execute(
        "select c.summary, a.questions_per_attempt, count(q.id), sum(q.area != '') from academy_certification c "
        "join academy_assessment a on a.id = c.exam_id join academy_question q on q.assessment_id = a.id "
        "group by c.id").fetchall()
    assert exams and all(pool >= 3 * draw > 0 and areas == pool and " a associate" not in summary.lower()
                         for summary, draw, pool, areas in exams)
    second = run(["demo", "--no-serve", "--data-dir", str(tmp_path)])
    assert second.returncode == 0, second.stderr
    assert "reusing" in second.stdout and "created for" not in second.stdout
    assert sqlite3.connect(database).execute("select count(*) from core_user").fetchone()[0] == count
    # Served at another address, the demo says its credentials name the first one.
    moved = run(["demo", "--no-serve", "--data-dir", str(tmp_path), "--port", "8080"])
    assert moved.returncode == 0, moved.stderr
    assert "http://127.0.0.1:8080/" in moved.stdout
    assert "the demo data was created for http://127.0.0.1:8000/" in moved.stdout
    journal = sqlite3.connect(database).execute("pragma journal_mode").fetchone()[0]
    assert journal == "wal"
