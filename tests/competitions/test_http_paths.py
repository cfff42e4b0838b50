"""The competition pages a browser drives, end to end through the real URLs (issue 18, section 1):
the leaderboard CSV export, and the host's edit / round / baseline / advance forms. Each test checks
what the person would check afterwards (the database and the next page), who is refused, and that bad
input (a forged id, a wrong round, a double click) gives a clear message and writes nothing.

Team join / merge / leave through the team page are in test_http_paths_teams.py."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forward.competitions import console, services
from forward.competitions.models import (
    Advancement,
    Competition,
    CompetitionStatus,
    LeaderboardEntry,
    Phase,
    Submission,
    SubmissionStatus,
    Team,
)
from forward.core.models import AuditEvent, OrganizationKind
from tests.competitions.conftest import predictions_csv
from tests.competitions.test_host_console import end_round
from tests.competitions.test_leaderboard import make_team
from tests.competitions.test_regressions import mixed_probs
from tests.conftest import client_for, make_organization, make_user

FORM_TIME = "%Y-%m-%dT%H:%M"  # what a datetime-local input sends


# --- helpers: what the browser does and what the person reads -------------------------------------


def flashed(response) -> list[str]:
    """The messages shown at the top of the page the browser landed on."""
    found = re.findall(r'<li class="message[^"]*">(.*?)</li>', response.content.decode(), re.S)
    return [html.unescape(m) for m in found]


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def submit_page(client, world, probs, phase: int = 1):
    """Upload predictions on the submissions page, as the form does; the worker scores them (eagerly)."""
    return client.post(f"/competitions/{world.competition.slug}/submissions/",
                       {"file": SimpleUploadedFile("predictions.csv", predictions_csv(probs)), "phase": str(phase)},
                       follow=True)


def host_url(world, action: str) -> str:
    return f"/competitions/{world.competition.slug}/host/{action}/"


def csv_url(world, query: str = "") -> str:
    return f"/competitions/{world.competition.slug}/leaderboard.csv{query}"


@pytest.fixture
def operator(world):
    """A programme operator (site staff and superuser, whichever the operator rule reads)."""
    return make_user("ops@forward.test", "Olivia Operator", is_staff=True, is_superuser=True)


@pytest.fixture
def unverified_admin(world):
    """The admin of a host organization no operator has verified yet."""
    admin = make_user("admin@unverified.test", "Una Unverified")
    make_organization(creator=admin, name="Unverified Lab", kind=OrganizationKind.HOST, country="ID", verified=False)
    return admin


@pytest.fixture
def board(world):
    """Three ranked teams, the host's baseline and a disqualified team, scored through the pages.

    Public scores: Alpha 1.0, Beta 0.5, Gamma 0.0, baseline 0.5, Cheats 1.0 (disqualified).
    Private scores: Alpha 0.0, Beta 1.0, Gamma 0.5, baseline 0.5, Cheats 1.0."""
    teams = {}
    for name, public, private in (("Alpha", "right", "wrong"), ("Beta", "flat", "right"),
                                  ("Gamma", "wrong", "flat"), ("Cheats", "right", "right")):
        user = make_team(world, name)
        response = submit_page(client_for(user), world, mixed_probs(public, private))
        assert response.status_code == 200, flashed(response)
        teams[name] = Team.objects.get(competition=world.competition, name=name)
    client_for(world.host_user).post(host_url(world, "baseline"), {
        "phase": "1", "file": SimpleUploadedFile("baseline.csv", predictions_csv(mixed_probs("flat", "flat")))})
    console.team_disqualify(actor=world.host_user, team=teams["Cheats"], reason="Shared accounts")
    assert Submission.objects.filter(phase=world.phase, status=SubmissionStatus.SCORED).count() == 5
    return teams


# --- 1. the leaderboard CSV -----------------------------------------------------------------------


def test_the_public_csv_has_the_ranked_teams_best_first_with_the_columns_a_host_checks(world, board):
    response = client_for(None).get(csv_url(world))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{world.competition.slug}-1-public.csv"'
    rows = read_csv(response)
    assert rows[0] == ["rank", "team", "score", "entries", "last_submission", "improvement_pct"]
    # Ranked best first; the baseline is the reference (not a row); the disqualified team is left out.
    assert [r[:4] + r[5:] for r in rows[1:]] == [
        ["1", "Alpha", "1.0", "1", "100.0"],
        ["2", "Beta", "0.5", "1", "0.0"],
        ["3", "Gamma", "0.0", "1", "-100.0"],
    ]
    last = {s.team.name: s.created_at.isoformat() for s in Submission.objects.select_related("team")}
    assert [r[4] for r in rows[1:]] == [last["Alpha"], last["Beta"], last["Gamma"]]
    # The same teams in the same order as the leaderboard page shows.
    page = client_for(None).get(f"/competitions/{world.competition.slug}/leaderboard/").content.decode()
    shown = re.findall(r'<td class="team" data-label="Team">(.*?)</td>', page)
    assert shown == ["Host baseline", "Alpha", "Beta", "Gamma"]
    assert 'leaderboard.csv?phase=1"' in page


def test_the_private_csv_is_given_only_once_the_round_is_over_and_shows_the_moves(world, board):
    early = client_for(None).get(csv_url(world, "?phase=1&view=private"))
    # Before the end the private scores are nobody's business: the public board, named as such.
    assert early["Content-Disposition"].endswith('-1-public.csv"')
    rows = read_csv(early)
    assert "move" not in rows[0]
    assert [r[1] for r in rows[1:]] == ["Alpha", "Beta", "Gamma"]
    assert [r[2] for r in rows[1:]] == ["1.0", "0.5", "0.0"]  # public scores, not the private ones

    end_round(world)
    response = client_for(None).get(csv_url(world, "?phase=1&view=private"))
    assert response["Content-Disposition"] == f'attachment; filename="{world.competition.slug}-1-private.csv"'
    rows = read_csv(response)
    assert rows[0] == ["rank", "team", "score", "entries", "last_submission", "improvement_pct", "move"]
    assert [[r[0], r[1], r[2], r[5], r[6]] for r in rows[1:]] == [
        ["1", "Beta", "1.0", "100.0", "1"],
        ["2", "Gamma", "0.5", "0.0", "1"],
        ["3", "Alpha", "0.0", "-100.0", "-2"],
    ]
    # Without view=private the public board is still what is downloaded.
    assert [r[1] for r in read_csv(client_for(None).get(csv_url(world)))[1:]] == ["Alpha", "Beta", "Gamma"]


def test_a_hidden_leaderboards_csv_is_for_the_host_and_operators_only(world, board, operator, unverified_admin):
    services.competition_update(actor=world.host_user, competition=world.competition, leaderboard_hidden=True)
    end_round(world)
    participant = board["Alpha"].members.get().user
    for person in (None, participant, world.alice, world.other_host, unverified_admin):
        for query in ("", "?view=private"):
            assert client_for(person).get(csv_url(world, query)).status_code == 404
    for person in (world.host_user, world.host_member, operator):
        rows = read_csv(client_for(person).get(csv_url(world, "?view=private")))
        assert [r[1] for r in rows[1:]] == ["Beta", "Gamma", "Alpha"]


def test_a_drafts_csv_is_not_found_but_by_its_host(world, operator, unverified_admin):
    now = timezone.now()
    draft = services.competition_create(actor=world.host_user, host=world.host_org, title="Secret cup", metric="auc",
                                        starts_at=now, ends_at=now + timedelta(days=3))
    url = f"/competitions/{draft.slug}/leaderboard.csv"
    for person in (None, world.alice, world.other_host, unverified_admin):
        assert client_for(person).get(url).status_code == 404
    for person in (world.host_member, operator):
        response = client_for(person).get(url)
        assert response.status_code == 200 and read_csv(response) == [
            ["rank", "team", "score", "entries", "last_submission", "improvement_pct"]]


def test_a_round_that_does_not_exist_is_not_found(world, board):
    for query in ("?phase=2", "?phase=0", "?phase=x", "?phase=2&view=private"):
        assert client_for(None).get(csv_url(world, query)).status_code == 404
    assert client_for(None).get("/competitions/no-such-cup/leaderboard.csv").status_code == 404


@pytest.mark.parametrize("name", ["=SUM(A1:A9)", "+31 20 555", "-1", "@cmd|' /C calc'!A0"])
def test_a_team_name_that_looks_like_a_formula_is_text_in_the_csv(world, name):
    user = make_user("mallory@uni.test", "Mallory")
    client = client_for(user)
    client.post(f"/competitions/{world.competition.slug}/register/", {"accept": "yes"})
    response = client.post(f"/competitions/{world.competition.slug}/team/create/", {"name": name}, follow=True)
    assert Team.objects.filter(competition=world.competition, name=name.strip()).exists(), flashed(response)
    submit_page(client, world, mixed_probs("right", "right"))
    LeaderboardEntry.objects.filter(team__name=name.strip()).update(best_public=-0.25)  # a metric that goes negative

    rows = read_csv(client_for(None).get(csv_url(world)))
    assert rows[1][:3] == ["1", "'" + name.strip(), "-0.25"]  # the name quoted, the number still a number


# --- 2. the host's actions ------------------------------------------------------------------------


def edit_form(competition: Competition, **changes) -> dict:
    """The details form as the host page fills it in, with ``changes`` typed over it."""
    data = {"title": competition.title, "subtitle": competition.subtitle, "overview": competition.overview,
            "rules": competition.rules, "prize": competition.prize, "eligibility": competition.eligibility,
            "team_size_limit": competition.team_size_limit, "max_submission_mb": competition.max_submission_mb,
            "merger_deadline": competition.merger_deadline.strftime(FORM_TIME) if competition.merger_deadline else ""}
    if competition.leaderboard_hidden:
        data["leaderboard_hidden"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def round_form(starts, days: int = 3, **changes) -> dict:
    return {"name": "Final", "starts_at": starts.strftime(FORM_TIME),
            "ends_at": (starts + timedelta(days=days)).strftime(FORM_TIME), "daily_limit": "3", "final_limit": "1",
            **changes}


def after_round_one(world):
    return timezone.localtime(world.phase.ends_at + timedelta(days=1))


def state(world) -> tuple:
    """Everything a host action could change, to compare before and after a refused one."""
    c = Competition.objects.get(pk=world.competition.pk)
    return (
        [(f, getattr(c, f)) for f in services.EDITABLE_FIELDS], c.status,
        list(Phase.objects.filter(competition=c).values_list("number", "name", "starts_at", "ends_at",
                                                             "solution_file")),
        list(Submission.objects.filter(phase__competition=c).values_list("pk", "team_id")),
        list(Team.objects.filter(competition=c).values_list("pk", "name")),
        list(Advancement.objects.filter(phase__competition=c).values_list("phase_id", "team_id")),
        AuditEvent.objects.count(),
    )


def test_the_host_edits_the_details_and_the_page_and_audit_log_show_it(world, board):
    client = client_for(world.host_member)  # the host's staff, not only its admin
    deadline = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = client.post(host_url(world, "edit"), edit_form(
        world.competition, title="Repeat buyers 2026", prize="A trip to Hangzhou", team_size_limit="4",
        merger_deadline=deadline.strftime(FORM_TIME), leaderboard_hidden="on"), follow=True)

    assert response.redirect_chain == [(f"/competitions/{world.competition.slug}/host/", 302)]
    assert flashed(response) == ["Saved."]
    assert "<h1>Repeat buyers 2026" in response.content.decode()
    competition = Competition.objects.get(pk=world.competition.pk)
    assert (competition.title, competition.prize, competition.team_size_limit, competition.merger_deadline,
            competition.leaderboard_hidden) == ("Repeat buyers 2026", "A trip to Hangzhou", 4, deadline, True)
    assert competition.rules == "Be nice." and competition.metric == "auc"  # what the form did not change
    event = AuditEvent.objects.get(action="competition.edit")
    assert event.actor == world.host_member
    assert set(event.data["changed"]) == {"title", "prize", "team_size_limit", "merger_deadline", "leaderboard_hidden"}
    # The hidden board is gone for the public, and for its CSV.
    assert client_for(None).get(f"/competitions/{world.competition.slug}/leaderboard/").status_code == 404
    assert client_for(None).get(csv_url(world)).status_code == 404

    # A double click saves nothing more and logs nothing more.
    again = client.post(host_url(world, "edit"), edit_form(competition), follow=True)
    assert flashed(again) == ["Saved."]
    assert AuditEvent.objects.filter(action="competition.edit").count() == 1


@pytest.mark.parametrize("changes, message", [
    ({"team_size_limit": "0"}, "Team size limit: Ensure this value is greater than or equal to 1."),
    ({"merger_deadline": "next Tuesday"}, "Team merger deadline: Enter a valid date/time."),
    ({"eligibility": "everyone"}, "Who may take part: Select a valid choice."),
    ({"title": ""}, "Title: This field is required."),
])
def test_a_bad_edit_says_what_is_wrong_and_saves_none_of_the_form(world, changes, message):
    before = state(world)
    response = client_for(world.host_user).post(host_url(world, "edit"), edit_form(
        world.competition, prize="Half saved?", **changes), follow=True)
    assert response.status_code == 200
    [shown] = flashed(response)
    assert shown.startswith(message)
    assert state(world) == before  # the valid prize in the same form was not saved either


def test_the_host_adds_a_round_and_a_double_click_adds_no_second_one(world):
    client = client_for(world.host_user)
    starts = after_round_one(world)
    response = client.post(host_url(world, "phase"), round_form(starts), follow=True)
    assert flashed(response) == ["Final added."]
    final = Phase.objects.get(competition=world.competition, number=2)
    assert (final.name, final.daily_limit, final.final_limit, final.advanced_only) == ("Final", 3, 1, True)
    assert final.starts_at == starts.replace(second=0, microsecond=0)
    page = response.content.decode()
    assert "2. Final" in page and "advanced teams only" in page
    assert f'action="/competitions/{world.competition.slug}/host/advance/"' in page  # the advance form appears with round 2

    again = client.post(host_url(world, "phase"), round_form(starts), follow=True)
    assert flashed(again) == ["A new round must start after Final ends."]
    assert list(Phase.objects.filter(competition=world.competition).values_list("number", flat=True)) == [1, 2]


@pytest.mark.parametrize("form, message", [
    (lambda w: round_form(timezone.localtime(w.phase.ends_at - timedelta(days=1))),
     "A new round must start after Main round ends."),
    (lambda w: round_form(after_round_one(w), days=0), "The end time must be after the start time."),
    (lambda w: round_form(after_round_one(w), name=""), "Round name: This field is required."),
    (lambda w: round_form(after_round_one(w), daily_limit="0"),
     "Submissions per team per day: Ensure this value is greater than or equal to 1."),
])
def test_a_bad_round_is_refused_with_the_reason(world, form, message):
    before = state(world)
    response = client_for(world.host_user).post(host_url(world, "phase"), form(world), follow=True)
    assert flashed(response) == [message]
    assert state(world) == before


def test_the_hosts_baseline_is_scored_and_shown_as_the_reference_row(world, board):
    # The board fixture uploaded the baseline through the host page; it is scored like any submission.
    baseline = Submission.objects.get(team__is_baseline=True)
    assert (baseline.status, baseline.public_score, baseline.submitted_by) == (SubmissionStatus.SCORED, 0.5,
                                                                              world.host_user)
    host_page = client_for(world.host_user).get(f"/competitions/{world.competition.slug}/host/").content.decode()
    assert "Main round · Scored · 0.50000" in host_page
    response = client_for(world.host_user).post(host_url(world, "baseline"), {
        "phase": "1", "file": SimpleUploadedFile("better.csv", predictions_csv(mixed_probs("right", "right")))},
        follow=True)
    assert flashed(response) == ["Baseline uploaded; it is being scored."]
    # The baseline stands on its best score, and every team's improvement is measured against it.
    rows = read_csv(client_for(None).get(csv_url(world)))
    assert [(r[1], r[5]) for r in rows[1:]] == [("Alpha", "0.0"), ("Beta", "-50.0"), ("Gamma", "-100.0")]
    assert Team.objects.filter(competition=world.competition, is_baseline=True).count() == 1


@pytest.mark.parametrize("phase, upload, status, message", [
    ("1", ("baseline.txt", b"id,target\n1,0.5\n"), 200, "baseline.txt is not a .csv, .csv.gz or .zip file."),
    ("1", ("baseline.csv", b""), 200, "Choose a file to upload."),  # an empty file is no file to the form
    ("1", None, 200, "Choose a file to upload."),
    ("7", ("baseline.csv", predictions_csv()), 404, None),  # a round that does not exist
])
def test_a_bad_baseline_is_refused_and_leaves_nothing_behind(world, phase, upload, status, message):
    data = {"phase": phase}
    if upload:
        data["file"] = SimpleUploadedFile(*upload)
    response = client_for(world.host_user).post(host_url(world, "baseline"), data, follow=True)
    assert response.status_code == status
    if message:
        assert flashed(response) == [message]
    assert not Submission.objects.filter(phase__competition=world.competition).exists()
    assert not Team.objects.filter(competition=world.competition).exists()  # no half-made baseline team


def test_the_host_advances_the_top_teams_and_only_they_submit_to_the_next_round(world, board):
    client = client_for(world.host_user)
    client.post(host_url(world, "phase"), round_form(after_round_one(world)), follow=True)
    final = Phase.objects.get(competition=world.competition, number=2)
    response = client.post(host_url(world, "advance"), {"phase": "2", "top_n": "2", "team_ids": ""}, follow=True)
    assert flashed(response) == ["2 teams may now submit to Final."]
    advanced = set(Advancement.objects.filter(phase=final).values_list("team__name", flat=True))
    assert advanced == {"Alpha", "Beta"}  # the public top two; the disqualified team and the baseline are not ranked

    again = client.post(host_url(world, "advance"), {"phase": "2", "top_n": "2"}, follow=True)
    assert flashed(again) == ["2 teams may now submit to Final."]
    assert Advancement.objects.filter(phase=final).count() == 2  # a double click advances nobody twice
    gamma = board["Gamma"]
    response = client.post(host_url(world, "advance"), {"phase": "2", "team_ids": f"{gamma.pk}"}, follow=True)
    assert flashed(response) == ["1 teams may now submit to Final."]
    assert Advancement.objects.filter(phase=final).count() == 3

    # The first round ends, the final opens: an advanced team submits, the rest are told why not.
    now = timezone.now()
    Phase.objects.filter(pk=world.phase.pk).update(starts_at=now - timedelta(days=3), ends_at=now - timedelta(hours=2))
    Phase.objects.filter(pk=final.pk).update(solution_file=world.phase.solution_file,
                                             starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=2))
    console.team_reinstate(actor=world.host_user, team=board["Cheats"])  # a team in good standing, not advanced
    alpha = Team.objects.get(name="Alpha").members.get().user
    cheats = board["Cheats"].members.get().user
    response = submit_page(client_for(alpha), world, mixed_probs("right", "right"), phase=2)
    assert flashed(response) == [f"Submission #{Submission.objects.latest('pk').pk} received; it is being scored."]
    assert Submission.objects.filter(phase=final, team__name="Alpha").count() == 1
    refused = submit_page(client_for(cheats), world, mixed_probs("right", "right"), phase=2)
    assert refused.status_code == 400
    assert "Only teams advanced from the previous round may submit to Final." in refused.content.decode()
    assert not Submission.objects.filter(phase=final, team__name="Cheats").exists()


@pytest.mark.parametrize("data, status, message", [
    ({"phase": "2", "team_ids": "{other}"}, 200, "Unknown team ids: {other}"),  # another competition's team
    ({"phase": "2", "team_ids": "999999"}, 200, "Unknown team ids: 999999"),
    ({"phase": "2", "team_ids": "{baseline}"}, 200, "Unknown team ids: {baseline}"),  # the host's baseline
    ({"phase": "2", "team_ids": "1;2"}, 200, "Write team ids as numbers separated by commas."),
    ({"phase": "2", "top_n": "0"}, 200, "Ensure this value is greater than or equal to 1."),
    ({"phase": "2"}, 200, "Say how many top teams advance, or choose teams."),
    ({"phase": "1", "top_n": "3"}, 200,
     "The first round is open to every team; there is nothing to advance from."),
    ({"phase": "5", "top_n": "3"}, 404, None),
])
def test_a_bad_advance_says_what_is_wrong_and_advances_nobody(world, board, data, status, message):
    client_for(world.host_user).post(host_url(world, "phase"), round_form(after_round_one(world)))
    elsewhere = services.competition_create(actor=world.other_host, host=world.other_org, title="Elsewhere",
                                            metric="auc", starts_at=timezone.now(),
                                            ends_at=timezone.now() + timedelta(days=1))
    other = Team.objects.create(competition=elsewhere, name="Outsiders", invite_code="outsiders-1")
    ids = {"other": other.pk, "baseline": Team.objects.get(competition=world.competition, is_baseline=True).pk}
    data = {k: v.format(**ids) for k, v in data.items()}
    before = state(world)
    response = client_for(world.host_user).post(host_url(world, "advance"), data, follow=True)
    assert response.status_code == status
    if message:
        assert flashed(response) == [message.format(**ids)]
    assert state(world) == before
    assert not Advancement.objects.exists()


def host_posts(world) -> dict:
    """One valid form for each host action, fresh for every post."""
    return {
        "edit": lambda: edit_form(world.competition, title="Hijacked"),
        "phase": lambda: round_form(after_round_one(world)),
        "baseline": lambda: {"phase": "1", "file": SimpleUploadedFile("b.csv", predictions_csv())},
        "advance": lambda: {"phase": "1", "top_n": "1"},
        "publish": lambda: {},
    }


@pytest.mark.parametrize("who", ["participant", "other_admin", "unverified_admin", "outsider"])
def test_the_host_actions_refuse_everyone_but_the_host_and_change_nothing(world, team, who, unverified_admin):
    person = {"participant": world.alice, "other_admin": world.other_host, "unverified_admin": unverified_admin,
              "outsider": world.outsider}[who]
    before = state(world)
    for action, form in host_posts(world).items():
        assert client_for(person).post(host_url(world, action), form()).status_code == 403, action
    assert client_for(person).get(f"/competitions/{world.competition.slug}/host/").status_code == 403
    assert state(world) == before


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_changes(world):
    before = state(world)
    for action, form in host_posts(world).items():
        response = client_for(None).post(host_url(world, action), form())
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), action
    assert state(world) == before


def test_a_drafts_host_actions_are_not_found_by_others(world, unverified_admin):
    Competition.objects.filter(pk=world.competition.pk).update(status=CompetitionStatus.DRAFT)
    before = state(world)
    for person in (world.alice, world.other_host, unverified_admin):
        for action, form in host_posts(world).items():
            assert client_for(person).post(host_url(world, action), form()).status_code == 404, action
    assert state(world) == before


def test_an_operator_may_act_as_the_host(world, operator):
    client = client_for(operator)
    response = client.post(host_url(world, "edit"), edit_form(world.competition, subtitle="Checked by operations"),
                           follow=True)
    assert flashed(response) == ["Saved."]
    assert Competition.objects.get(pk=world.competition.pk).subtitle == "Checked by operations"
    assert AuditEvent.objects.get(action="competition.edit").actor == operator
    response = client.post(host_url(world, "phase"), round_form(after_round_one(world)), follow=True)
    assert flashed(response) == ["Final added."]


def test_an_unknown_action_or_a_get_changes_nothing(world):
    client = client_for(world.host_user)
    before = state(world)
    assert client.post(host_url(world, "delete"), {}).status_code == 404
    assert client.get(host_url(world, "edit")).status_code == 405
    assert state(world) == before


def test_an_unverified_host_prepares_its_draft_but_cannot_publish_it(world, unverified_admin):
    from forward.core.models import Organization
    from tests.competitions.conftest import solution_csv

    org = Organization.objects.get(name="Unverified Lab")
    now = timezone.now()
    draft = services.competition_create(actor=unverified_admin, host=org, title="Unverified cup", metric="auc",
                                        starts_at=now, ends_at=now + timedelta(days=3))
    client = client_for(unverified_admin)
    base = f"/competitions/{draft.slug}/host/"
    response = client.post(base + "solution/", {"phase": "1", "file": SimpleUploadedFile("s.csv", solution_csv())},
                           follow=True)
    assert flashed(response) == ["Solution accepted: 20 rows, 10 public."]
    response = client.post(base + "publish/", {}, follow=True)
    assert flashed(response) == ["Unverified Lab is not verified yet: a programme operator verifies an organization "
                                 "before it publishes competitions."]
    assert Competition.objects.get(pk=draft.pk).status == CompetitionStatus.DRAFT
    assert client_for(None).get(f"/competitions/{draft.slug}/").status_code == 404
