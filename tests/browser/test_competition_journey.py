"""A host runs a competition; two students form a team, submit, and see the leaderboards."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forward.competitions import tasks as competition_tasks
from forward.competitions.models import Phase
from forward.core.models import OrganizationKind
from tests.browser.conftest import shot
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOLUTION = "id,target,Usage\n" + "".join(
    f"{i},{i % 2},{'Public' if i % 4 < 2 else 'Private'}\n" for i in range(1, 41))
GOOD = "id,target\n" + "".join(f"{i},{0.8 if i % 2 else 0.3 + (i % 7) / 100}\n" for i in range(1, 41))
BROKEN = "id,probability\n1,0.5\n"


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def local(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_host_students_submissions_and_leaderboards(new_page, tmp_path):
    host = make_user("host@retail.test", "Hana Host")
    make_organization(creator=host, name="Retail Data Lab", kind=OrganizationKind.HOST, country="CN")
    make_user("alice@uni.test", "Alice Tan")
    make_user("bob@uni.test", "Bob Lim")
    solution, bad_solution = tmp_path / "solution.csv", tmp_path / "bad.csv"
    solution.write_text(SOLUTION)
    bad_solution.write_text("id,target\n1,1\n")
    (tmp_path / "train.csv").write_text("id,feature\n1,0.5\n")
    (tmp_path / "good.csv").write_text(GOOD)
    (tmp_path / "broken.csv").write_text(BROKEN)

    # The host creates a draft, uploads data and the hidden solution, and publishes.
    page = new_page()
    sign_in(page, "host@retail.test")
    page.goto("/competitions/new/")
    page.get_by_label("Title").fill("Repeat buyers")
    page.get_by_label("Metric").select_option("auc")
    now = timezone.now()
    page.locator("#id_starts_at").fill(local(now - timedelta(hours=1)))
    page.locator("#id_ends_at").fill(local(now + timedelta(days=3)))
    page.get_by_label("Rules (Markdown)").fill("Be **fair**. <script>alert(1)</script>")
    page.get_by_role("button", name="Create draft").click()
    expect(page.get_by_text("Draft created")).to_be_visible()
    page.locator("#sol-file").set_input_files(bad_solution)
    page.get_by_role("button", name="Upload solution").click()
    expect(page.get_by_text("needs a Usage column")).to_be_visible()
    page.locator("#sol-file").set_input_files(solution)
    page.get_by_role("button", name="Upload solution").click()
    expect(page.get_by_text("Solution accepted: 40 rows, 20 public")).to_be_visible()
    page.locator("#df-file").set_input_files(tmp_path / "train.csv")
    page.get_by_role("button", name="Upload file").click()
    page.get_by_role("button", name="Publish").first.click()
    expect(page.get_by_text("Published")).to_be_visible()
    shot(page, "competition-host")

    # Alice accepts the rules and creates a team; Bob joins it with the invite code.
    student = new_page()
    sign_in(student, "alice@uni.test")
    student.goto("/competitions/repeat-buyers/rules/")
    expect(student.locator(".prose strong")).to_have_text("fair")
    assert student.locator(".prose script").count() == 0
    student.get_by_label("I have read and accept the rules").check()
    student.get_by_role("button", name="Accept and join").click()
    student.get_by_label("Team name").fill("Gradient Gang")
    student.get_by_role("button", name="Create team").click()
    code = student.get_by_test_id("invite-code").inner_text()
    friend = new_page(phone=True)
    sign_in(friend, "bob@uni.test")
    friend.goto("/competitions/repeat-buyers/rules/")
    friend.get_by_label("I have read and accept the rules").check()
    friend.get_by_role("button", name="Accept and join").click()
    friend.get_by_label("Invite code").first.fill(code)
    friend.get_by_role("button", name="Join team").click()
    expect(friend.get_by_text("You joined Gradient Gang")).to_be_visible()

    # Alice downloads the data, submits a good file and a broken one.
    student.goto("/competitions/repeat-buyers/data/")
    with student.expect_download() as download:
        student.get_by_role("link", name="train.csv").click()
    assert download.value.suggested_filename == "train.csv"
    student.goto("/competitions/repeat-buyers/submissions/")
    expect(student.get_by_test_id("left-today")).to_have_text("5 submissions left today")
    student.get_by_label("Predictions").set_input_files(tmp_path / "good.csv")
    student.get_by_role("button", name="Submit").click()
    expect(student.locator("tr[data-status=scored]")).to_have_count(1)
    student.get_by_label("Predictions").set_input_files(tmp_path / "broken.csv")
    student.get_by_role("button", name="Submit").click()
    expect(student.locator("tr[data-status=failed]")).to_contain_text("missing column target")
    expect(student.get_by_test_id("left-today")).to_have_text("4 submissions left today")
    shot(student, "competition-submissions")

    # Anyone sees the public leaderboard; the private one appears when the round ends.
    visitor = new_page()
    visitor.goto("/competitions/repeat-buyers/leaderboard/")
    row = visitor.get_by_test_id("leaderboard").locator("tbody tr").first
    expect(row).to_contain_text("Gradient Gang")
    expect(visitor.get_by_text("higher is better")).to_be_visible()
    expect(visitor.get_by_role("link", name="Private (final)")).to_have_count(0)
    Phase.objects.filter(competition__slug="repeat-buyers").update(
        starts_at=now - timedelta(days=2), ends_at=now - timedelta(minutes=1))
    visitor.reload()
    expect(visitor.get_by_test_id("finalizing")).to_be_visible()  # a page view does not finalize the round
    assert competition_tasks.reap()["finalized"]  # the periodic job does
    visitor.reload()
    visitor.get_by_role("link", name="Private (final)").click()
    expect(visitor.get_by_test_id("leaderboard").locator("tbody tr").first).to_contain_text("Gradient Gang")
    expect(visitor.get_by_text("Final standings on the private part")).to_be_visible()
    expect(visitor.get_by_text("Best private score over time")).to_be_visible()  # the chart is the private one
    shot(visitor, "competition-private-leaderboard")
