"""Teams through the team page, as the browser's forms post them (issue 18, section 1): create, join
with the invite code the page shows, merge two teams, leave. Each test checks the page the person lands
on and the database, and that a refused action (a forged code, a full team, a double click, the
deadline) says why and changes nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from forward.competitions import services, submissions
from forward.competitions.models import (
    Competition,
    LeaderboardEntry,
    Phase,
    Submission,
    Team,
    TeamMember,
)
from forward.core.models import AuditEvent
from tests.competitions.conftest import predictions_csv, upload
from tests.competitions.test_http_paths import csv_url, flashed, read_csv, submit_page
from tests.competitions.test_regressions import mixed_probs
from tests.conftest import client_for, make_user


def team_url(world, action: str = "") -> str:
    return f"/competitions/{world.competition.slug}/team/" + (f"{action}/" if action else "")


def register(client, world):
    response = client.post(f"/competitions/{world.competition.slug}/register/", {"accept": "yes"}, follow=True)
    assert flashed(response) == ["You accepted the rules. Download the data, then create or join a team."]
    return response


def invite_code(page) -> str:
    [code] = re.findall(r'<code data-testid="invite-code">(.*?)</code>', page.content.decode())
    return code


def members(page) -> list[str]:
    """The names listed under the team on the team page."""
    card = page.content.decode().split('data-testid="invite-code"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li><span>(.*?)</span>", card)


def memberships(world) -> set[tuple[str, str]]:
    return set(TeamMember.objects.filter(competition=world.competition).values_list("team__name", "user__name"))


# --- create and join ------------------------------------------------------------------------------


def test_a_teammate_joins_with_the_invite_code_the_team_page_shows(world):
    alice = client_for(world.alice)
    register(alice, world)
    page = alice.post(team_url(world, "create"), {"name": "Gradient Gang"}, follow=True)
    assert flashed(page) == ["Team Gradient Gang created. Share its invite code with your teammates."]
    code = invite_code(page)
    assert code == Team.objects.get(competition=world.competition, name="Gradient Gang").invite_code
    assert members(page) == ["Alice"]

    carol = client_for(world.carol)
    assert "Join a team" in register(carol, world).content.decode()
    page = carol.post(team_url(world, "join"), {"code": f"  {code} "}, follow=True)  # pasted with spaces
    assert flashed(page) == ["You joined Gradient Gang."]
    assert "<h2>Gradient Gang</h2>" in page.content.decode()
    assert members(page) == ["Alice", "Carol"]
    assert members(alice.get(team_url(world))) == ["Alice", "Carol"]

    again = carol.post(team_url(world, "join"), {"code": code}, follow=True)  # a double click
    assert flashed(again) == ["You are already in a team in this competition. Leave it first."]
    assert memberships(world) == {("Gradient Gang", "Alice"), ("Gradient Gang", "Carol")}
    again = alice.post(team_url(world, "create"), {"name": "Gradient Gang"}, follow=True)
    assert flashed(again) == ["You are already in a team in this competition. Leave it first."]
    assert Team.objects.filter(competition=world.competition).count() == 1


@pytest.fixture
def other_cup(world):
    """Another host's competition (a draft)."""
    now = timezone.now()
    return services.competition_create(actor=world.other_host, host=world.other_org, title="Other cup", metric="auc",
                                       starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=3))


def test_joining_is_refused_with_the_reason_and_changes_nothing(world, team, other_cup):
    dave = make_user("dave@uni.test", "Dave")
    for person in (world.carol, dave):
        register(client_for(person), world)
    before = memberships(world)
    elsewhere = Team.objects.create(competition=other_cup, name="Elsewhere", invite_code="elsewhere-code")
    submissions.baseline_submit(actor=world.host_user, phase=world.phase, upload=upload(predictions_csv()))
    baseline = Team.objects.get(competition=world.competition, is_baseline=True)
    cases = [
        ("not-a-code", "No team in this competition has that invite code. Check it with your team."),
        (elsewhere.invite_code, "No team in this competition has that invite code. Check it with your team."),
        (baseline.invite_code, "No team in this competition has that invite code. Check it with your team."),
        ("", "Enter the invite code."),
        ("x" * 25, "Enter the invite code."),
    ]
    for code, message in cases:
        assert flashed(client_for(world.carol).post(team_url(world, "join"), {"code": code}, follow=True)) == [message]
    assert memberships(world) == before

    page = client_for(world.carol).post(team_url(world, "join"), {"code": team.invite_code}, follow=True)
    assert flashed(page) == ["You joined Gradient Gang."]
    full = client_for(dave).post(team_url(world, "join"), {"code": team.invite_code}, follow=True)
    assert flashed(full) == ["Gradient Gang is full (3 members)."]
    assert memberships(world) == before | {("Gradient Gang", "Carol")}


def test_joining_needs_the_rules_accepted_first(world, team):
    page = client_for(world.carol).post(team_url(world, "join"), {"code": team.invite_code}, follow=True)
    assert flashed(page) == ["Accept the rules first."]
    assert "Read the rules" in page.content.decode()
    assert memberships(world) == {("Gradient Gang", "Alice"), ("Gradient Gang", "Bob")}


def test_team_actions_need_a_signed_in_post_to_a_known_action(world, team):
    before = memberships(world)
    for action, data in (("create", {"name": "Lurkers"}), ("join", {"code": team.invite_code}),
                         ("merge", {"code": team.invite_code}), ("leave", {})):
        response = client_for(None).post(team_url(world, action), data)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), action
    assert client_for(world.alice).get(team_url(world, "leave")).status_code == 405
    assert client_for(world.alice).post(team_url(world, "disband")).status_code == 404
    assert client_for(world.alice).post("/competitions/no-such-cup/team/leave/").status_code == 404
    assert memberships(world) == before
    assert Team.objects.filter(competition=world.competition).count() == 1


# --- merge ----------------------------------------------------------------------------------------


@pytest.fixture
def carols_team(world, team):
    """Carol's own team, with one scored submission (public 1.0); Gradient Gang has one too (0.5)."""
    carol = client_for(world.carol)
    register(carol, world)
    carol.post(team_url(world, "create"), {"name": "Carol's"}, follow=True)
    submit_page(carol, world, mixed_probs("right", "right"))
    submit_page(client_for(world.alice), world, mixed_probs("flat", "flat"))
    return Team.objects.get(competition=world.competition, name="Carol's")


def test_merging_through_the_page_moves_members_submissions_and_the_leaderboard_row(world, team, carols_team):
    alice = client_for(world.alice)
    page = alice.get(team_url(world))
    assert "Merge with another team" in page.content.decode()
    code = carols_team.invite_code
    page = alice.post(team_url(world, "merge"), {"code": code}, follow=True)
    assert flashed(page) == ["The teams were merged into Gradient Gang."]
    assert members(page) == ["Alice", "Bob", "Carol"]
    assert members(client_for(world.carol).get(team_url(world))) == ["Alice", "Bob", "Carol"]
    assert not Team.objects.filter(pk=carols_team.pk).exists()
    assert set(Submission.objects.values_list("team__name", flat=True)) == {"Gradient Gang"}
    rows = read_csv(client_for(None).get(csv_url(world)))
    assert [r[:4] for r in rows[1:]] == [["1", "Gradient Gang", "1.0", "2"]]  # the best of both, two entries
    assert AuditEvent.objects.filter(action="team.merge", actor=world.alice).count() == 1

    again = alice.post(team_url(world, "merge"), {"code": code}, follow=True)  # a double click
    assert flashed(again) == ["No other team in this competition has that invite code."]
    assert len(memberships(world)) == 3


def refused_merge(world, code, message, by=None):
    before = (memberships(world), set(Submission.objects.values_list("pk", "team_id")),
              set(LeaderboardEntry.objects.values_list("team_id", "entries")))
    page = client_for(by or world.alice).post(team_url(world, "merge"), {"code": code}, follow=True)
    if isinstance(message, str):
        assert flashed(page) == [message]
    else:
        assert message(flashed(page)), flashed(page)
    assert (memberships(world), set(Submission.objects.values_list("pk", "team_id")),
            set(LeaderboardEntry.objects.values_list("team_id", "entries"))) == before


def test_a_merge_is_refused_with_the_reason_and_changes_nothing(world, team, carols_team):
    refused_merge(world, team.invite_code, "No other team in this competition has that invite code.")  # its own
    refused_merge(world, "forged-code", "No other team in this competition has that invite code.")
    refused_merge(world, "", "Enter the invite code.")
    outsider = make_user("dave@uni.test", "Dave")
    register(client_for(outsider), world)
    refused_merge(world, carols_team.invite_code, "Create or join a team first.", by=outsider)


def test_a_merge_over_the_team_size_limit_is_refused(world, team, carols_team):
    dave = make_user("dave@uni.test", "Dave")
    register(client_for(dave), world)
    client_for(dave).post(team_url(world, "join"), {"code": carols_team.invite_code}, follow=True)
    refused_merge(world, carols_team.invite_code, "Together the teams have 4 members; the limit is 3.")


def test_a_merge_over_the_daily_limit_is_refused(world, team, carols_team):
    Phase.objects.filter(pk=world.phase.pk).update(daily_limit=2)
    submit_page(client_for(world.bob), world, mixed_probs("wrong", "wrong"))  # Gradient Gang's second today

    def says_the_day_and_the_limit(shown):
        [message] = shown
        return (message.startswith("Together the teams made 3 submissions on ")
                and message.endswith("; the daily limit is 2, so they cannot merge."))

    refused_merge(world, carols_team.invite_code, says_the_day_and_the_limit)


def test_after_the_merger_deadline_the_form_is_gone_and_a_post_is_refused(world, team, carols_team):
    Competition.objects.filter(pk=world.competition.pk).update(merger_deadline=timezone.now() - timedelta(minutes=1))
    assert "Merge with another team" not in client_for(world.alice).get(team_url(world)).content.decode()
    refused_merge(world, carols_team.invite_code, "The team merger deadline has passed.")


# --- leave ----------------------------------------------------------------------------------------


def test_the_last_member_leaving_keeps_the_teams_submissions_and_place(world, team, carols_team):
    carol = client_for(world.carol)
    page = carol.post(team_url(world, "leave"), follow=True)
    assert flashed(page) == ["You left the team."]
    assert "Create a team" in page.content.decode() and "Join a team" in page.content.decode()
    kept = Team.objects.get(pk=carols_team.pk)
    assert not kept.members.exists()
    assert list(Submission.objects.filter(team=kept).values_list("public_score", flat=True)) == [1.0]
    rows = read_csv(client_for(None).get(csv_url(world)))
    assert [r[:4] for r in rows[1:]] == [["1", "Carol's", "1.0", "1"], ["2", "Gradient Gang", "0.5", "1"]]
    assert "Carol&#x27;s" in client_for(None).get(f"/competitions/{world.competition.slug}/leaderboard/").content.decode()

    again = carol.post(team_url(world, "leave"), follow=True)  # a double click
    assert flashed(again) == ["You are not in a team in this competition."]
    page = carol.post(team_url(world, "join"), {"code": team.invite_code}, follow=True)  # free to join another
    assert flashed(page) == ["You joined Gradient Gang."]
    assert Team.objects.filter(pk=carols_team.pk).exists()


def test_a_member_leaving_leaves_the_team_to_the_others(world, team):
    page = client_for(world.bob).post(team_url(world, "leave"), follow=True)
    assert flashed(page) == ["You left the team."]
    assert members(client_for(world.alice).get(team_url(world))) == ["Alice"]
    assert memberships(world) == {("Gradient Gang", "Alice")}


def test_an_empty_team_without_submissions_goes_and_its_name_is_free_again(world):
    carol = client_for(world.carol)
    register(carol, world)
    carol.post(team_url(world, "create"), {"name": "Brief"}, follow=True)
    assert flashed(carol.post(team_url(world, "leave"), follow=True)) == ["You left the team."]
    assert not Team.objects.filter(competition=world.competition).exists()
    page = carol.post(team_url(world, "create"), {"name": "brief"}, follow=True)
    assert flashed(page) == ["Team brief created. Share its invite code with your teammates."]
