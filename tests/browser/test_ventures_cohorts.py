"""A cohort call in the browser, at desktop and phone width: the founder applies (answers, a PDF,
submits), a judge scores on the rubric and sees the other judge's score only after submitting, and
the centre's staff rank the applications, accept the startup (mailed after commit) and publish
the cohort."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from forward.ventures import judging
from forward.ventures.models import CohortApplication
from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.ventures import cohorts_world
from tests.ventures.cohorts_world import PDF
from tests.ventures.conftest import ventures  # noqa: F401 - the world the cohort fixture builds on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
cw = cohorts_world.cw


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_founder_applies_judge_scores_staff_accept(new_page, cw, phone, tmp_path):
    tag = "phone" if phone else "desktop"
    CohortApplication.objects.filter(pk=cw.application.pk).delete()  # Padi Sense applies in the browser
    deck = tmp_path / "padi-sense-deck.pdf"
    deck.write_bytes(PDF)

    founder = new_page(phone=phone)
    sign_in(founder, "founder@ventures.test")
    founder.goto("/ventures/calls/")
    founder.get_by_role("link", name="KL Accelerator 2027").click()
    founder.get_by_role("button", name="Start an application").click()
    expect(founder.get_by_test_id("application-status")).to_have_text("Draft")
    founder.get_by_label("What do you build?").fill("Drone imagery that tells rice farmers when to irrigate.")
    founder.get_by_role("button", name="Save draft").click()
    expect(founder.locator(".messages")).to_contain_text("Answers saved")
    expect(founder.get_by_test_id("missing")).to_contain_text("1 required question")
    founder.get_by_role("radio", name="AI", exact=True).check()
    founder.get_by_label("Monthly active users (thousands)").fill("12")
    founder.get_by_label("Pitch deck").set_input_files(str(deck))
    founder.get_by_test_id("submit-application").click()
    expect(founder.locator(".messages")).to_contain_text("Application submitted")
    expect(founder.get_by_test_id("application-status")).to_have_text("Submitted")
    expect(founder.get_by_test_id("answers")).to_contain_text("padi-sense-deck.pdf")
    shot(founder, f"cohorts-founder-submitted-{tag}")
    application = CohortApplication.objects.get(call=cw.call, startup=cw.startup)

    # Another judge of panel A scores first.
    judging.score_submit(actor=cw.conflicted_judge, application=application,
                         marks={str(cw.team.pk): 2, str(cw.market.pk): 3}, comment="Needs a paying pilot.")
    judge = new_page(phone=phone)
    sign_in(judge, "judge@ventures.test")
    judge.goto("/ventures/judging/")
    judge.get_by_test_id("queue").get_by_role("link", name="Padi Sense").click()
    expect(judge.get_by_test_id("others-hidden")).to_be_visible()
    expect(judge.locator("body")).not_to_contain_text("Needs a paying pilot.")
    team = judge.get_by_role("group", name="Team (weight 3)")
    team.get_by_role("radio", name="5").check()
    judge.get_by_role("group", name="Market (weight 1)").get_by_role("radio", name="4").check()
    judge.get_by_label("Comment").fill("Founders who ship.")
    judge.get_by_test_id("submit-score").click()
    expect(judge.locator(".messages")).to_contain_text("Score submitted")
    expect(judge.get_by_test_id("other-scores")).to_contain_text("Needs a paying pilot.")
    expect(judge.get_by_test_id("score-state")).to_have_text("Submitted")
    shot(judge, f"cohorts-judge-scored-{tag}")

    staff = new_page(phone=phone)
    sign_in(staff, "centre-admin@ventures.test")
    staff.goto(f"/ventures/calls/{cw.call.pk}/")
    staff.get_by_test_id("close").click()
    expect(staff.get_by_test_id("call-status")).to_have_text("Closed for review")
    staff.get_by_role("link", name="Ranking").click()
    ranking = staff.get_by_test_id("ranking")
    expect(ranking).to_contain_text("Padi Sense")
    staff.get_by_role("checkbox", name="Padi Sense").check()
    staff.get_by_label("Decision").select_option("accepted")
    staff.get_by_test_id("decide-chosen").click()
    expect(staff.locator(".messages")).to_contain_text("1 decisions changed")
    expect(ranking.get_by_role("row", name="Padi Sense")).to_contain_text("Accepted")
    shot(staff, f"cohorts-staff-ranking-{tag}")
    assert [m.to for m in mail.outbox if "accepted" in m.subject] == [["founder@ventures.test"]]

    staff.get_by_role("checkbox", name="Garuda Learn").check()
    staff.get_by_label("Decision").select_option("rejected")
    staff.get_by_test_id("decide-chosen").click()
    staff.goto(f"/ventures/calls/{cw.call.pk}/")
    staff.get_by_test_id("mark-decided").click()
    expect(staff.get_by_test_id("call-status")).to_have_text("Decided")
    founder.goto(f"/ventures/calls/{cw.call.pk}/cohort/")
    expect(founder.get_by_test_id("cohort")).to_contain_text("Padi Sense")
    expect(founder.get_by_test_id("cohort")).not_to_contain_text("Garuda Learn")
    shot(founder, f"cohorts-cohort-{tag}")
