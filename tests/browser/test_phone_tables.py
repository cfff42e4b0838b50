"""Issue 12 §6 on a 390 px phone: tables keep their labels, the chart keeps a readable size, the
competition tabs show that more lie sideways, and the home page's numbers never break inside."""

import pytest
from playwright.sync_api import expect

from forward.competitions import submissions
from tests.academy.conftest import academy  # noqa: F401
from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.competitions.conftest import predictions_csv, team, upload, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEFORE = "el => getComputedStyle(el, '::before').content"


def _board(world, team):  # noqa: F811
    submissions.baseline_submit(actor=world.host_user, phase=world.phase,
                                upload=upload(predictions_csv([0.6 if i % 3 else 0.4 for i in range(20)])))
    submissions.submission_create(user=world.alice, phase=world.phase, upload=upload(predictions_csv()))
    submissions.submission_create(user=world.alice, phase=world.phase,
                                  upload=upload(predictions_csv([float("nan")] + [0.5] * 19)))


def test_phone_tables_chart_tabs_and_home_numbers(new_page, world, team):  # noqa: F811
    _board(world, team)
    phone = new_page(phone=True)
    phone.goto("/")
    targets = phone.locator(".targets strong")
    expect(targets.first).to_have_text("1,000,000")
    for i in range(targets.count()):
        box = targets.nth(i).bounding_box()
        line = float(targets.nth(i).evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
        assert box["height"] <= line * 1.2, "a target number wrapped onto two lines"
        assert targets.nth(i).evaluate("el => el.scrollWidth <= el.parentElement.clientWidth")
    shot(phone, "phone-home")

    sign_in(phone, "alice@uni.test")
    phone.goto(f"/competitions/{world.competition.slug}/leaderboard/")
    cells = phone.get_by_test_id("leaderboard").locator("tbody td")
    assert cells.count() > 0
    for i in range(cells.count()):
        assert cells.nth(i).evaluate(BEFORE) not in ("none", "normal", '""'), "a cell lost its label"
    assert phone.get_by_test_id("leaderboard").locator("tbody tr").first.locator("td").nth(1).evaluate(BEFORE) == '"Team"'
    # Compact: a team's rank, name and score share one line, its details one or two more.
    row = phone.get_by_test_id("leaderboard").locator("tbody tr").nth(1)
    rank, name, score = (row.locator(f"td.{c}").bounding_box() for c in ("rank", "team", "score"))
    assert abs(rank["y"] - name["y"]) < 4 and abs(name["y"] - score["y"]) < 4, "rank, team and score are on one line"
    assert name["x"] > rank["x"] and score["x"] > name["x"]
    line = float(row.locator("td.team").evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
    assert row.bounding_box()["height"] < 4 * line, "a team takes more than three lines on a phone"
    # The chart is drawn at a readable size: at least 320 px wide, text no smaller than on a desktop.
    svg = phone.locator("#score-chart svg")
    expect(svg).to_be_visible()
    assert svg.bounding_box()["width"] >= 320
    assert float(svg.locator("text").first.evaluate("el => el.getBoundingClientRect().height")) >= 10
    expect(phone.locator(".chart-legend")).to_contain_text("Host baseline")
    # The tabs row is wider than the phone; its edge shadow says so, and the last tab scrolls into reach.
    tabs = phone.locator("nav.tabs")
    assert tabs.evaluate("el => el.scrollWidth > el.clientWidth")
    assert "radial-gradient" in tabs.evaluate("el => getComputedStyle(el).backgroundImage")
    last = tabs.locator("a").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    shot(phone, "phone-leaderboard")

    phone.goto(f"/competitions/{world.competition.slug}/submissions/")
    rows = phone.get_by_test_id("submissions").locator("tbody td")
    for i in range(rows.count()):
        assert rows.nth(i).evaluate(BEFORE) not in ("none", "normal", '""')
    expect(phone.get_by_text("NaN and infinity are not allowed")).to_be_visible()
    shot(phone, "phone-submissions")

    desktop = new_page()
    sign_in(desktop, "alice@uni.test")
    desktop.goto(f"/competitions/{world.competition.slug}/leaderboard/")
    expect(desktop.get_by_test_id("leaderboard").locator("thead")).to_be_visible()
    assert desktop.get_by_test_id("leaderboard").locator("tbody td").first.evaluate(BEFORE) in ("none", "normal")
    assert desktop.locator("#score-chart svg").bounding_box()["width"] >= 600
    shot(desktop, "desktop-leaderboard")
    desktop.goto("/")
    shot(desktop, "desktop-home")


def test_grade_book_cells_keep_their_labels_on_a_phone(new_page, academy):  # noqa: F811
    """The grade book of a cohort on a phone: each cell says which column it is (the header row is
    hidden there), and the pager and search stay usable."""
    from forward.academy import services
    from forward.academy.models import Assessment, AssessmentKind, Attempt

    services.enrol(user=academy.student, run=academy.uni_run)
    quiz = Assessment.objects.create(course=academy.course, kind=AssessmentKind.QUIZ, title="Quiz one")
    Assessment.objects.create(course=academy.course, kind=AssessmentKind.QUIZ, title="Midterm")
    now = academy.uni_run.starts_at
    Attempt.objects.create(assessment=quiz, user=academy.student, started_at=now, submitted_at=now, score=3,
                           max_score=4)
    phone = new_page(phone=True)
    sign_in(phone, "admin@ntu.test")
    phone.goto(f"/academy/runs/{academy.uni_run.pk}/")
    book = phone.get_by_test_id("cohort")
    expect(book).to_be_visible()
    assert not book.locator("thead").is_visible()
    cells = book.locator("tbody td")
    labels = [cells.nth(i).evaluate(BEFORE) for i in range(cells.count())]
    assert labels and all(label not in ("none", "normal", '""') for label in labels), labels
    assert '"Quiz one"' in labels and '"Midterm"' in labels
    score = book.locator("tbody td").filter(has_text="75%")
    assert score.evaluate(BEFORE) == '"Quiz one"'
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page scrolls sideways"
    shot(phone, "phone-grade-book")
