"""The host's console in a browser: disqualify a team and see the leaderboard change, rescore a round
after a corrected solution and see it finish; an ended competition shows its winners."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forward.competitions import services, submissions
from forward.competitions.models import Phase
from forward.core.models import OrganizationKind
from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.competitions.conftest import predictions_csv, solution_csv, upload
from tests.competitions.test_host_console import corrected_solution, split_probs
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def competition_with_teams():
    host = make_user("host@retail.test", "Hana Host")
    org = make_organization(creator=host, name="Retail Data Lab", kind=OrganizationKind.HOST, country="CN")
    uni = make_organization(creator=make_user("admin@ntu.test", "Nina Admin"), name="Nanyang Tech",
                            kind=OrganizationKind.UNIVERSITY, country="SG")
    now = timezone.now()
    competition = services.competition_create(actor=host, host=org, title="Repeat buyers", metric="auc",
                                              starts_at=now - timedelta(days=2), ends_at=now + timedelta(days=3))
    phase = services.solution_upload(actor=host, phase=competition.phases.get(),
                                     upload=upload(solution_csv(), "solution.csv"))
    competition = services.competition_publish(actor=host, competition=competition)
    teams = {}
    for name, email, person, probs in (
            ("Gradient Gang", "alice@uni.test", "Alice Tan", split_probs(True, True)),
            ("Rivals", "ravi@uni.test", "Ravi Kumar", split_probs(False, True)),
            ("Late Starters", "lee@uni.test", "Lee Wong", split_probs(False, False))):
        user = make_user(email, person)
        from forward.core.models import Membership

        Membership.objects.create(user=user, organization=uni)
        services.register(user=user, competition=competition)
        teams[name] = services.team_create(user=user, competition=competition, name=name)
        submissions.submission_create(user=user, phase=phase, upload=upload(predictions_csv(probs)))
    submissions.submission_create(user=user, phase=phase, upload=upload(predictions_csv(ids=[1, 2]), "short.csv"))
    submissions.baseline_submit(actor=host, phase=phase, upload=upload(predictions_csv(split_probs(True, False))))
    return competition, phase, teams


def test_host_disqualifies_a_team_and_rescores_a_round(new_page, tmp_path):
    competition, _phase, _teams = competition_with_teams()
    corrected = tmp_path / "corrected.csv"
    corrected.write_bytes(corrected_solution())
    page = new_page()
    sign_in(page, "host@retail.test")
    page.goto(f"/competitions/{competition.slug}/leaderboard/")
    board = page.get_by_test_id("leaderboard")
    expect(board).to_contain_text("Gradient Gang")

    page.goto(f"/competitions/{competition.slug}/host/")
    page.get_by_role("link", name="Teams & participants").click()
    page.get_by_label("Search teams, members, emails, universities").fill("nanyang")
    page.get_by_role("button", name="Search").click()
    row = page.locator("tr", has_text="Gradient Gang")
    expect(row).to_contain_text("alice@uni.test")
    shot(page, "host-console-teams")
    row.get_by_text("Disqualify…").click()
    row.get_by_label("Reason (the team's members see it)").fill("Shared one account between two teams")
    row.get_by_role("button", name="Disqualify").click()
    expect(page.get_by_text("Gradient Gang is disqualified")).to_be_visible()
    expect(page.locator("tr", has_text="Gradient Gang")).to_contain_text("Shared one account between two teams")

    page.goto(f"/competitions/{competition.slug}/leaderboard/")
    expect(board).not_to_contain_text("Gradient Gang")
    first = board.locator("tbody tr").nth(1)  # after the baseline row
    expect(first).to_contain_text("Rivals")
    expect(first).to_contain_text("0.00000")

    # The labels were the wrong way round: the corrected solution turns the order around.
    page.goto(f"/competitions/{competition.slug}/console/rescore/")
    page.get_by_label("Corrected solution file").set_input_files(corrected)
    page.get_by_role("button", name="Replace the solution and rescore").click()
    expect(page.get_by_text("is being rescored")).to_be_visible()
    expect(page.get_by_test_id("rescore-status")).to_have_text("Finished")
    expect(page.get_by_test_id("rescore-progress")).to_have_text("4 of 4 rescored")
    shot(page, "host-console-rescore")
    page.goto(f"/competitions/{competition.slug}/leaderboard/")
    expect(first).to_contain_text("Rivals")
    expect(first).to_contain_text("1.00000")

    for path, name in (("", "overview"), ("activity/", "activity"), ("failed/", "failed")):
        page.goto(f"/competitions/{competition.slug}/console/{path}")
        expect(page.get_by_role("navigation", name="Host console")).to_be_visible()
        shot(page, f"host-console-{name}")
    expect(page.get_by_test_id("failed-submissions")).to_contain_text("short.csv")

    phone = new_page(phone=True)
    sign_in(phone, "host@retail.test")
    for path, name in (("", "overview"), ("teams/", "teams"), ("activity/", "activity"), ("failed/", "failed"),
                       ("rescore/", "rescore"), ("winners/", "winners")):
        phone.goto(f"/competitions/{competition.slug}/console/{path}")
        shot(phone, f"host-console-{name}-phone")


def test_an_ended_competition_shows_its_winners_and_the_host_messages_them(new_page):
    competition, phase, _teams = competition_with_teams()
    now = timezone.now()
    Phase.objects.filter(pk=phase.pk).update(starts_at=now - timedelta(days=3), ends_at=now - timedelta(minutes=1))
    submissions.phase_finalize(phase_id=phase.pk)
    page = new_page()
    page.goto(f"/competitions/{competition.slug}/")
    winners = page.get_by_test_id("winners")
    expect(winners.locator("li").first).to_contain_text("Gradient Gang")
    expect(winners.locator("li")).to_have_count(3)
    shot(page, "competition-winners")
    sign_in(page, "host@retail.test")
    page.goto(f"/competitions/{competition.slug}/console/winners/")
    page.get_by_label("Subject").fill("Congratulations")
    page.get_by_label("Message (plain text)").fill("See you at the award ceremony.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("being sent to 3 people in 3 teams")).to_be_visible()
    expect(page.get_by_test_id("winners-messages")).to_contain_text("Congratulations")
    shot(page, "host-console-winners")
    phone = new_page(phone=True)
    phone.goto(f"/competitions/{competition.slug}/")
    shot(phone, "competition-winners-phone")


def test_a_rescore_whose_worker_died_is_picked_up_again_and_the_console_follows_it(new_page, monkeypatch):
    from forward.competitions import console, tasks
    from forward.competitions.models import RescoreJob, RescoreStatus, Submission

    competition, phase, _teams = competition_with_teams()
    last_id = Submission.objects.filter(phase=phase).order_by("-pk").values_list("pk", flat=True).first()
    died = timezone.now() - console.rescore_lease() - timedelta(minutes=1)
    # An earlier rescore whose workers kept dying: the reaper fails it with a message for the host.
    tired = RescoreJob.objects.create(phase=phase, status=RescoreStatus.RUNNING, total=4, done=2, last_id=last_id,
                                      heartbeat_at=died, attempts=console.RESCORE_MAX_ATTEMPTS,
                                      created_at=died - timedelta(hours=1))
    assert console.rescore_jobs_reap()["requeued"] == []
    # This one's worker died after recording its first chunk.
    job = RescoreJob.objects.create(phase=phase, status=RescoreStatus.RUNNING, total=4, done=1, last_id=last_id,
                                    cursor=Submission.objects.filter(phase=phase).order_by("pk").first().pk,
                                    heartbeat_at=died, started_at=died, attempts=1, created_at=died)
    page = new_page()
    sign_in(page, "host@retail.test")
    page.goto(f"/competitions/{competition.slug}/console/rescore/")
    row, failed = page.locator(f"#rescore-{job.pk}"), page.locator(f"#rescore-{tired.pk}")
    expect(row.get_by_test_id("rescore-status")).to_have_text("Rescoring")
    expect(failed.get_by_test_id("rescore-status")).to_have_text("Failed")
    expect(failed).to_contain_text(f"The rescore was interrupted {console.RESCORE_MAX_ATTEMPTS} times")

    # The reaper puts it back in the queue (its message is lost as well, for a moment): the row says so.
    sent = []
    monkeypatch.setattr(tasks.rescore_phase, "delay", lambda job_id: sent.append(job_id))
    assert console.rescore_jobs_reap()["requeued"] == [job.pk] and sent == [job.pk]
    expect(row.get_by_test_id("rescore-status")).to_have_text("Queued")
    expect(row.get_by_test_id("rescore-resumed")).to_have_text(
        "Its worker stopped; the rescore carries on from where it was.")
    shot(page, "host-console-rescore-resumed")
    phone = new_page(phone=True)
    sign_in(phone, "host@retail.test")
    phone.goto(f"/competitions/{competition.slug}/console/rescore/")
    expect(phone.locator(f"#rescore-{tired.pk}")).to_contain_text("The rescore was interrupted")
    shot(phone, "host-console-rescore-resumed-phone")

    # A worker takes the message and carries on from the cursor: the page follows it to the end.
    assert console.rescore_run(job_id=job.pk) == RescoreStatus.DONE
    expect(row.get_by_test_id("rescore-status")).to_have_text("Finished")
    expect(row.get_by_test_id("rescore-progress")).to_have_text("4 of 4 rescored")
    expect(row.get_by_test_id("rescore-resumed")).to_have_count(0)
    shot(page, "host-console-rescore-resumed-finished")
