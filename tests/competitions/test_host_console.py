"""The host's console: teams and participants, activity, failed submissions, disqualifying, rescoring,
messaging the winners; and an ended competition's winners and private leaderboard."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forward.competitions import console, selectors, services, submissions
from forward.competitions.awards import competition_awards
from forward.competitions.models import (
    Competition,
    CompetitionStatus,
    LeaderboardEntry,
    RescoreJob,
    RescoreStatus,
    Submission,
    SubmissionStatus,
    Team,
    WinnersMessage,
)
from forward.core.models import AuditEvent, Membership, OrganizationKind
from tests.competitions.conftest import IDS, LABELS, USAGE, predictions_csv, solution_csv, upload
from tests.competitions.test_leaderboard import make_team, score_with
from tests.conftest import client_for, make_organization, make_user

PUBLIC = [u == "Public" for u in USAGE]


def split_probs(public_right: bool, private_right: bool) -> list[float]:
    """Predictions right (or exactly wrong) on the public rows and on the private rows."""
    out = []
    for y, public in zip(LABELS, PUBLIC, strict=True):
        right = public_right if public else private_right
        out.append(0.9 if bool(y) == right else 0.1)
    return out


def submit(world, user, probs):
    return submissions.submission_create(user=user, phase=world.phase, upload=upload(predictions_csv(probs)))


def end_round(world) -> None:
    now = timezone.now()
    type(world.phase).objects.filter(pk=world.phase.pk).update(starts_at=now - timedelta(days=3),
                                                               ends_at=now - timedelta(seconds=1))
    world.phase.refresh_from_db()
    assert submissions.phase_finalize(phase_id=world.phase.pk)


def url(world, path: str = "") -> str:
    return f"/competitions/{world.competition.slug}/console/{path}"


@pytest.fixture
def operator(world):
    return make_user("ops@forward.test", "Olivia Operator", is_staff=True)


@pytest.fixture
def unverified(world):
    """The admin of an unverified host, with a competition of theirs (published by an operator's
    hand, as if the organization had been verified and then asked for verification again)."""
    admin = make_user("admin@unverified.test", "Una Unverified")
    org = make_organization(creator=admin, name="Unverified Lab", kind=OrganizationKind.HOST, country="ID",
                            verified=False)
    now = timezone.now()
    competition = services.competition_create(actor=admin, host=org, title="Unverified cup", metric="auc",
                                              starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=3))
    Competition.objects.filter(pk=competition.pk).update(status=CompetitionStatus.PUBLISHED)
    return admin, competition


# --- who may use the console ----------------------------------------------------------------------

PAGES = ["", "teams/", "teams.csv", "activity/", "failed/", "rescore/", "winners/"]


@pytest.mark.parametrize("path", PAGES)
def test_only_the_verified_hosts_admins_and_operators_open_the_console(world, team, operator, unverified, path):
    assert client_for(world.host_user).get(url(world, path)).status_code == 200
    assert client_for(operator).get(url(world, path)).status_code == 200
    anonymous = client_for(None).get(url(world, path))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for person in (world.alice, world.other_host, world.host_member, world.outsider):  # participant, other org, staff
        assert client_for(person).get(url(world, path)).status_code == 403
    admin, competition = unverified
    assert client_for(admin).get(f"/competitions/{competition.slug}/console/{path}").status_code == 403


def test_a_drafts_console_is_not_found_but_by_operators(world, unverified, operator):
    admin, competition = unverified
    Competition.objects.filter(pk=competition.pk).update(status=CompetitionStatus.DRAFT)
    assert client_for(world.host_user).get(f"/competitions/{competition.slug}/console/").status_code == 404
    assert client_for(admin).get(f"/competitions/{competition.slug}/console/").status_code == 404
    assert client_for(operator).get(f"/competitions/{competition.slug}/console/").status_code == 200


def test_the_console_actions_refuse_everyone_but_the_admins_and_operators(world, team, operator, unverified):
    for person in (world.alice, world.other_host, world.host_member, world.outsider):
        with pytest.raises(PermissionDenied):
            console.team_disqualify(actor=person, team=team, reason="cheating")
        with pytest.raises(PermissionDenied):
            console.team_reinstate(actor=person, team=team)
        with pytest.raises(PermissionDenied):
            console.rescore_start(actor=person, phase=world.phase, upload=upload(solution_csv(), "s.csv"))
        with pytest.raises(PermissionDenied):
            console.winners_message_send(actor=person, competition=world.competition, subject="Hi", body="x", top_n=3)
        response = client_for(person).post(url(world, f"teams/{team.pk}/disqualify/"), {"reason": "cheating"})
        assert response.status_code == 403
    assert not Team.objects.get(pk=team.pk).is_disqualified
    admin, competition = unverified
    with pytest.raises(PermissionDenied):
        console.rescore_start(actor=admin, phase=competition.phases.get(), upload=upload(solution_csv(), "s.csv"))
    console.team_disqualify(actor=operator, team=team, reason="Shared an account")
    assert Team.objects.get(pk=team.pk).is_disqualified


def test_a_team_of_another_competition_is_not_found(world, team, unverified):
    _admin, competition = unverified
    other = Team.objects.create(competition=competition, name="Elsewhere", invite_code="elsewhere-1")
    client = client_for(world.host_user)
    assert client.post(url(world, f"teams/{other.pk}/disqualify/"), {"reason": "x"}).status_code == 404
    assert client.post(url(world, f"teams/{other.pk}/reinstate/")).status_code == 404
    assert client.get(url(world, "rescore/999999/")).status_code == 404
    assert not Team.objects.get(pk=other.pk).is_disqualified


# --- teams and participants -----------------------------------------------------------------------

def test_teams_are_found_by_team_member_email_and_university(world, team):
    Membership.objects.filter(user=world.bob).delete()
    uni = make_organization(creator=world.carol, name="Nanyang Tech", kind=OrganizationKind.UNIVERSITY, country="SG")
    Membership.objects.create(user=world.bob, organization=uni)
    make_team(world, "Lonely Wolves")
    client = client_for(world.host_user)
    for query in ("gradient", "Bob", "alice@uni", "nanyang"):
        html = client.get(url(world, "teams/"), {"q": query}).content.decode()
        assert "Gradient Gang" in html and "Lonely Wolves" not in html, query
    html = client.get(url(world, "teams/")).content.decode()
    assert "Gradient Gang" in html and "Lonely Wolves" in html and "Nanyang Tech" in html
    assert "No team matches" in client.get(url(world, "teams/"), {"q": "nobody-like-this"}).content.decode()


def test_the_teams_page_keeps_its_query_count_and_pages(world, team):
    client = client_for(world.host_user)
    with CaptureQueriesContext(connection) as small:
        client.get(url(world, "teams/"))
    for i in range(30):
        make_team(world, f"Team {i:02d}")
    with CaptureQueriesContext(connection) as big:
        html = client.get(url(world, "teams/")).content.decode()
    assert len(big.captured_queries) == len(small.captured_queries)
    assert "Page 1 of 2" in html
    assert "Team 29" in client.get(url(world, "teams/"), {"page": 2}).content.decode()


def test_the_teams_csv_lists_every_member_and_neutralises_formulas(world, team):
    evil = make_user("mallory@uni.test", "=HYPERLINK(\"http://evil\",\"x\")")
    services.register(user=evil, competition=world.competition)
    services.team_create(user=evil, competition=world.competition, name="+SUM(A1:A9)")
    response = client_for(world.host_user).get(url(world, "teams.csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["email"] for r in rows} == {"alice@uni.test", "bob@uni.test", "mallory@uni.test"}
    mallory = next(r for r in rows if r["email"] == "mallory@uni.test")
    assert mallory["team"] == "'+SUM(A1:A9)" and mallory["member"].startswith("'=HYPERLINK")
    assert {r["team"] for r in rows if r["email"] != "mallory@uni.test"} == {"Gradient Gang"}


# --- activity and failures ------------------------------------------------------------------------

def test_activity_counts_scored_and_failed_submissions_per_day(world, team):
    submit(world, world.alice, split_probs(True, True))
    bad = submissions.submission_create(user=world.alice, phase=world.phase,
                                        upload=upload(predictions_csv(ids=IDS[:5]), "short.csv"))
    yesterday = submit(world, world.bob, split_probs(True, False))
    Submission.objects.filter(pk=yesterday.pk).update(created_at=timezone.now() - timedelta(days=1))
    assert Submission.objects.get(pk=bad.pk).status == SubmissionStatus.FAILED
    with CaptureQueriesContext(connection) as queries:
        days = selectors.submission_activity(competition=world.competition, days=7)
    assert len(queries.captured_queries) == 1
    assert len(days) == 7 and days[-1]["day"] == timezone.now().date()
    assert (days[-1]["scored"], days[-1]["failed"]) == (1, 1)
    assert (days[-2]["scored"], days[-2]["failed"]) == (1, 0)
    html = client_for(world.host_user).get(url(world, "activity/")).content.decode()
    assert 'data-testid="activity-chart"' in html and "1 scored, 1 failed, 0 waiting" in html


def test_failed_submissions_show_why_and_keep_their_query_count(world, team):
    client = client_for(world.host_user)
    submissions.submission_create(user=world.alice, phase=world.phase,
                                  upload=upload(predictions_csv(ids=IDS[:5]), "short.csv"))
    with CaptureQueriesContext(connection) as small:
        html = client.get(url(world, "failed/")).content.decode()
    error = Submission.objects.get(status=SubmissionStatus.FAILED).error
    assert error and "short.csv" in html and "Gradient Gang" in html
    for _i in range(3):
        submissions.submission_create(user=world.bob, phase=world.phase,
                                      upload=upload(predictions_csv(ids=IDS[:3]), "shorter.csv"))
    with CaptureQueriesContext(connection) as big:
        client.get(url(world, "failed/"))
    assert len(big.captured_queries) == len(small.captured_queries)



def test_failed_submissions_are_this_competitions_failures_newest_first(world, team, unverified):
    scored = submit(world, world.alice, split_probs(True, True))
    first, second, third = (submissions.submission_create(user=world.bob, phase=world.phase,
                                                          upload=upload(predictions_csv(ids=IDS[:5]), f"short-{n}.csv"))
                            for n in (1, 2, 3))
    now = timezone.now()
    Submission.objects.filter(pk=first.pk).update(created_at=now + timedelta(minutes=1))  # a clock that went back
    Submission.objects.filter(pk__in=[second.pk, third.pk]).update(created_at=now - timedelta(minutes=1))
    _admin, elsewhere = unverified
    other = Team.objects.create(competition=elsewhere, name="Elsewhere", invite_code="elsewhere-1")
    Submission.objects.create(phase=elsewhere.phases.get(), team=other, file="x.csv", original_name="elsewhere.csv",
                              status=SubmissionStatus.FAILED, error="Broken")
    failed = list(selectors.failed_submissions(competition=world.competition))
    assert [s.original_name for s in failed] == ["short-1.csv", "short-3.csv", "short-2.csv"]
    html = client_for(world.host_user).get(url(world, "failed/")).content.decode()
    assert html.index("short-1.csv") < html.index("short-3.csv") < html.index("short-2.csv")
    assert "elsewhere.csv" not in html and scored.original_name not in html

def test_the_overview_counts_teams_people_and_submissions(world, team):
    submit(world, world.alice, split_probs(True, True))
    counts = selectors.console_overview(competition=world.competition)
    assert counts["teams"] == {"total": 1, "disqualified": 0}
    assert counts["people"] == {"registered": 2, "in_teams": 2}
    assert counts["submissions"]["scored"] == 1 and counts["submissions"]["last_day"] == 1
    assert 'data-testid="console-counts"' in client_for(world.host_user).get(url(world)).content.decode()



def test_the_overview_counts_scored_failed_and_waiting_submissions_apart(world, team):
    submit(world, world.alice, split_probs(True, True))
    submissions.submission_create(user=world.alice, phase=world.phase,
                                  upload=upload(predictions_csv(ids=IDS[:5]), "short.csv"))
    waiting = submit(world, world.bob, split_probs(True, False))
    Submission.objects.filter(pk=waiting.pk).update(status=SubmissionStatus.QUEUED)
    submissions.baseline_submit(actor=world.host_user, phase=world.phase, upload=upload(predictions_csv()))
    counts = selectors.console_overview(competition=world.competition)
    assert counts["submissions"] == {"total": 3, "scored": 1, "failed": 1, "waiting": 1, "last_day": 3}

# --- disqualifying --------------------------------------------------------------------------------

def test_disqualifying_a_team_takes_it_off_the_leaderboards_with_its_reason(world, team):
    rival = make_team(world, "Rivals")
    submit(world, world.alice, split_probs(True, True))
    score_with(world, rival, 0.6)
    assert [r.team for r in selectors.leaderboard(phase=world.phase).rows] == ["Gradient Gang", "Rivals"]
    client = client_for(world.host_user)
    assert client.post(url(world, f"teams/{team.pk}/disqualify/"), {"reason": "  "}).status_code == 302
    assert not Team.objects.get(pk=team.pk).is_disqualified  # no reason, no disqualification
    for _click in range(2):  # a double click
        client.post(url(world, f"teams/{team.pk}/disqualify/"), {"reason": "Used the <b>private</b> labels"})
    team.refresh_from_db()
    assert team.is_disqualified and team.disqualified_by == world.host_user
    assert AuditEvent.objects.filter(action="team.disqualify", target="Gradient Gang").count() == 1
    assert AuditEvent.objects.get(action="team.disqualify").data["reason"] == "Used the <b>private</b> labels"
    board = selectors.leaderboard(phase=world.phase)
    assert [(r.rank, r.team) for r in board.rows] == [(1, "Rivals")]
    assert [s["team"] for s in selectors.leaderboard_chart(phase=world.phase)["series"]] == ["Rivals"]
    page = client_for(None).get(f"/competitions/{world.competition.slug}/leaderboard/").content.decode()
    assert "Gradient Gang" not in page and "Rivals" in page
    # Its members see that and why, escaped; and cannot submit.
    mine = client_for(world.bob).get(f"/competitions/{world.competition.slug}/team/").content.decode()
    assert 'data-testid="disqualified"' in mine and "Used the &lt;b&gt;private&lt;/b&gt; labels" in mine
    with pytest.raises(ValidationError, match="disqualified"):
        submit(world, world.alice, split_probs(True, True))
    # Reinstating puts it back, audited.
    client.post(url(world, f"teams/{team.pk}/reinstate/"))
    client.post(url(world, f"teams/{team.pk}/reinstate/"))
    assert not Team.objects.get(pk=team.pk).is_disqualified
    assert AuditEvent.objects.filter(action="team.reinstate").count() == 1
    assert [r.team for r in selectors.leaderboard(phase=world.phase).rows] == ["Gradient Gang", "Rivals"]


def test_a_disqualified_team_is_off_the_private_leaderboard_the_winners_and_the_awards(world, team):
    rival = make_team(world, "Rivals")
    submit(world, world.alice, split_probs(True, True))
    score_with(world, rival, 0.6)
    end_round(world)
    assert [r.team for r in selectors.competition_winners(competition=world.competition)] == ["Gradient Gang",
                                                                                              "Rivals"]
    console.team_disqualify(actor=world.host_user, team=team, reason="Shared code between teams")
    private = selectors.leaderboard(phase=world.phase, private=True)
    assert [(r.rank, r.team, r.move) for r in private.rows] == [(1, "Rivals", 0)]
    assert [r.team for r in selectors.competition_winners(competition=world.competition)] == ["Rivals"]
    assert {a.recipient.email for a in competition_awards(competition=world.competition)} == {"rivals@uni.test"}
    with pytest.raises(ValidationError):
        baseline = submissions.baseline_submit(actor=world.host_user, phase=world.phase,
                                               upload=upload(predictions_csv()))
        console.team_disqualify(actor=world.host_user, team=baseline.team, reason="no")


# --- rescoring ------------------------------------------------------------------------------------

def corrected_solution() -> bytes:
    """The labels were the wrong way round: a corrected solution flips them all."""
    rows = ["id,target,Usage"] + [f"{i},{1 - y},{u}" for i, y, u in zip(IDS, LABELS, USAGE, strict=True)]
    return ("\n".join(rows) + "\n").encode()


def test_rescoring_a_round_after_a_corrected_solution(world, team):
    rival = make_team(world, "Rivals")
    submit(world, world.alice, split_probs(True, True))  # right under the old solution
    submit(world, world.alice, split_probs(False, False))
    score_with(world, rival, 0.6)
    assert selectors.leaderboard(phase=world.phase).rows[0].team == "Gradient Gang"
    response = client_for(world.host_user).post(url(world, "rescore/"), {
        "phase": "1", "file": upload(corrected_solution(), "corrected.csv")})
    assert response.status_code == 302
    job = RescoreJob.objects.get()
    assert (job.status, job.total, job.done, job.failed) == (RescoreStatus.DONE, 3, 3, 0)
    assert job.started_at and job.finished_at
    scores = sorted(Submission.objects.filter(team=team).values_list("public_score", flat=True))
    assert scores == [0.0, 1.0]
    board = selectors.leaderboard(phase=world.phase)
    assert board.rows[0].team == "Gradient Gang" and board.rows[0].score == 1.0
    assert LeaderboardEntry.objects.get(team=team).best_submission.public_score == 1.0
    assert AuditEvent.objects.filter(action="phase.rescore").count() == 1
    html = client_for(world.host_user).get(url(world, "rescore/")).content.decode()
    assert "3 of 3 rescored" in html and 'data-status="done"' in html
    progress = client_for(world.host_user).get(url(world, f"rescore/{job.pk}/")).content.decode()
    assert "hx-get" not in progress  # finished: no more polling


def test_a_bad_corrected_solution_is_refused_and_nothing_changes(world, team):
    submit(world, world.alice, split_probs(True, True))
    before = world.phase.solution_file
    response = client_for(world.host_user).post(url(world, "rescore/"), {
        "phase": "1", "file": upload(b"id,target\n1,1\n", "broken.csv")})
    assert response.status_code == 400 and "Usage" in response.content.decode()
    world.phase.refresh_from_db()
    assert world.phase.solution_file == before and not RescoreJob.objects.exists()


def test_one_rescore_per_round_at_a_time(world, team):
    RescoreJob.objects.create(phase=world.phase, status=RescoreStatus.RUNNING)
    with pytest.raises(ValidationError, match="already running"):
        console.rescore_start(actor=world.host_user, phase=world.phase, upload=upload(corrected_solution(), "c.csv"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RescoreJob.objects.create(phase=world.phase, status=RescoreStatus.QUEUED)


def test_a_retried_rescore_carries_on_and_counts_nothing_twice(world, team):
    first = submit(world, world.alice, split_probs(True, True))
    submit(world, world.bob, split_probs(True, False))
    # A worker rescored the first submission (to 0.5, say), recorded it, and died.
    Submission.objects.filter(pk=first.pk).update(public_score=0.5)
    job = RescoreJob.objects.create(phase=world.phase, status=RescoreStatus.RUNNING, total=2, done=1,
                                    cursor=first.pk, last_id=first.pk + 1, started_at=timezone.now())
    assert console.rescore_run(job_id=job.pk) == RescoreStatus.DONE
    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == (RescoreStatus.DONE, 2, 0)
    assert Submission.objects.get(pk=first.pk).public_score == 0.5  # not rescored again
    assert console.rescore_run(job_id=job.pk) == RescoreStatus.DONE  # a redelivered message: nothing to do
    job.refresh_from_db()
    assert job.done == 2


def test_a_rescore_after_the_end_recomputes_the_private_leaderboard(world, team):
    rival = make_team(world, "Rivals")
    submit(world, world.alice, split_probs(True, True))
    score_with(world, rival, 0.6)
    end_round(world)
    assert selectors.leaderboard(phase=world.phase, private=True).rows[0].team == "Gradient Gang"
    console.rescore_start(actor=world.host_user, phase=world.phase, upload=upload(corrected_solution(), "c.csv"))
    private = selectors.leaderboard(phase=world.phase, private=True)
    assert private.rows[0].team == "Rivals"
    assert private.rows[1].score == 0.0


# --- messaging the winners ------------------------------------------------------------------------

def test_messaging_the_winners_emails_the_top_teams_once(world, team):
    rival, third = make_team(world, "Rivals"), make_team(world, "Third")
    submit(world, world.alice, split_probs(True, True))
    score_with(world, rival, 0.6)
    score_with(world, third, 0.4)
    with pytest.raises(ValidationError, match="final round has ended"):
        console.winners_message_send(actor=world.host_user, competition=world.competition, subject="Hi",
                                     body="Well done", top_n=2)
    end_round(world)
    client = client_for(world.host_user)
    form = {"top_n": "2", "subject": "Congratulations\r\nBcc: everyone@example.test",
            "body": "Dear winners, <script>alert(1)</script> see you at the ceremony."}
    for _click in range(2):
        assert client.post(url(world, "winners/"), form).status_code == 302
    message = WinnersMessage.objects.get()
    assert message.sent_by == world.host_user and message.sent_at is not None
    assert message.teams == ["Gradient Gang", "Rivals"] and len(message.recipients) == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@uni.test", "bob@uni.test", "rivals@uni.test"]
    assert mail.outbox[0].subject == "Congratulations Bcc: everyone@example.test"
    assert "<script>alert(1)</script>" in mail.outbox[0].body and mail.outbox[0].content_subtype == "plain"
    assert AuditEvent.objects.get(action="competition.message_winners").data["recipients"] == 3
    html = client.get(url(world, "winners/")).content.decode()
    assert "Congratulations" in html and "Gradient Gang, Rivals" in html
    assert console.winners_message_deliver(message_id=message.pk) == 0  # a retried task sends nothing again


def test_a_winners_message_needs_a_subject_and_a_sensible_number_of_teams(world, team):
    submit(world, world.alice, split_probs(True, True))
    end_round(world)
    client = client_for(world.host_user)
    assert client.post(url(world, "winners/"), {"top_n": "0", "subject": "Hi", "body": "x"}).status_code == 400
    assert client.post(url(world, "winners/"), {"top_n": "3", "subject": "", "body": "x"}).status_code == 400
    assert not WinnersMessage.objects.exists() and not mail.outbox


# --- item 7: an ended competition's winners and private leaderboard ---------------------------------

def test_an_ended_competitions_overview_shows_its_winners_by_private_score(world, team):
    teams = [make_team(world, name) for name in ("Rivals", "Third", "Fourth")]
    submit(world, world.alice, split_probs(False, True))  # public 0, private 1: wins the private board
    for user, quality in zip(teams, (0.9, 0.7, 0.6), strict=True):
        score_with(world, user, quality)
    page = client_for(None).get(f"/competitions/{world.competition.slug}/").content.decode()
    assert 'data-testid="winners"' not in page  # not while it runs
    end_round(world)
    page = client_for(None).get(f"/competitions/{world.competition.slug}/").content.decode()
    winners = selectors.competition_winners(competition=world.competition)
    assert [w.team for w in winners][:1] == ["Gradient Gang"] and len(winners) == 3
    assert 'data-testid="winners"' in page and "Gradient Gang" in page and "Fourth" not in page.split(
        'data-testid="winners"')[1].split("</ol>")[0]


def test_the_private_leaderboards_chart_and_baseline_use_private_scores(world, team):
    submissions.baseline_submit(actor=world.host_user, phase=world.phase,
                                upload=upload(predictions_csv(split_probs(True, False))))  # public 1, private 0
    submit(world, world.alice, split_probs(False, True))  # public 0, private 1
    end_round(world)
    chart = selectors.leaderboard_chart(phase=world.phase, private=True)
    points = {s["team"]: [p[1] for p in s["points"]] for s in chart["series"]}
    assert chart["private"] and points["Gradient Gang"] == [1.0]
    assert selectors.leaderboard_chart(phase=world.phase)["series"][0]["points"][0][1] == 0.0
    private = selectors.leaderboard(phase=world.phase, private=True)
    assert private.baseline == 0.0 and private.rows[0].score == 1.0
    public = selectors.leaderboard(phase=world.phase)
    assert public.baseline == 1.0 and public.rows[0].improvement == pytest.approx(-100.0)
    html = client_for(None).get(f"/competitions/{world.competition.slug}/leaderboard/?view=private").content.decode()
    assert "Best private score over time" in html


# --- the API --------------------------------------------------------------------------------------

def test_disqualify_and_rescore_through_the_api(client, world, team, unverified):
    from tests.competitions.test_api import bearer

    base = f"/api/v1/competitions/{world.competition.slug}"
    submit(world, world.alice, split_probs(True, True))
    for person in (world.alice, world.other_host, world.host_member):
        response = client.post(f"{base}/teams/{team.pk}/disqualify", {"reason": "x"},
                               content_type="application/json", **bearer(person))
        assert response.status_code == 403
    assert client.post(f"{base}/teams/{team.pk}/disqualify", {"reason": "x"},
                       content_type="application/json").status_code == 401
    host = bearer(world.host_user)
    _admin, elsewhere = unverified
    foreign = Team.objects.create(competition=elsewhere, name="Elsewhere", invite_code="elsewhere-2")
    assert client.post(f"{base}/teams/{foreign.pk}/disqualify", {"reason": "x"}, content_type="application/json",
                       **host).status_code == 404
    assert client.post(f"{base}/teams/{team.pk}/disqualify", {"reason": " "}, content_type="application/json",
                       **host).status_code == 400
    response = client.post(f"{base}/teams/{team.pk}/disqualify", {"reason": "Shared accounts"},
                           content_type="application/json", **host)
    assert response.status_code == 200 and response.json()["disqualified"] is True
    assert client.get(f"{base}/leaderboard").json()["rows"] == []
    assert client.post(f"{base}/teams/{team.pk}/reinstate", **host).json()["disqualified"] is False

    response = client.post(f"{base}/rescores", {"phase": "1", "file": upload(corrected_solution(), "c.csv")}, **host)
    assert response.status_code == 202, response.content
    job = response.json()
    assert (job["status"], job["total"], job["done"]) == ("done", 1, 1)
    assert client.get(f"{base}/rescores/{job['id']}", **host).json()["status"] == "done"
    assert client.get(f"{base}/rescores/{job['id']}", **bearer(world.alice)).status_code == 403
    bad = client.post(f"{base}/rescores", {"phase": "1", "file": upload(b"id,target\n1,1\n", "b.csv")}, **host)
    assert bad.status_code == 400 and "Usage" in bad.json()["detail"]
    assert client.post(f"{base}/rescores", {"phase": "7", "file": upload(corrected_solution(), "c.csv")},
                       **host).status_code == 404


def test_a_submission_scored_while_a_rescore_starts_is_rescored_and_counted(world, team):
    first = submit(world, world.alice, split_probs(True, True))
    second = submit(world, world.bob, split_probs(True, False))
    # The job started when only the first was scored; the second (queued then) was scored since.
    job = RescoreJob.objects.create(phase=world.phase, total=1, last_id=second.pk)
    assert console.rescore_run(job_id=job.pk) == RescoreStatus.DONE
    job.refresh_from_db()
    assert (job.total, job.done, job.failed) == (2, 2, 0)
    assert first.pk < second.pk
