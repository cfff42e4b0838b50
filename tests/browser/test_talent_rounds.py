"""A matching round in the browser, at desktop and phone width: a candidate and an employer rank
(a position select per row, no JavaScript needed), the career office runs the match (eager Celery),
and both sides see the result with its explanation; the candidate accepts, the employer sees answers."""

import pytest
from playwright.sync_api import expect

from forward.talent import rounds as svc
from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.talent import rounds_world
from tests.talent.rounds_world import close_ranking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
rw = rounds_world.rw  # the fixture


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_both_sides_rank_the_office_runs_the_match_and_both_see_why(new_page, rw, phone):
    tag = "phone" if phone else "desktop"
    r = rw.round.pk

    alice = new_page(phone=phone)
    sign_in(alice, "alice@student.test")
    alice.goto(f"/talent/rounds/{r}/")
    alice.get_by_role("link", name="Rank your openings").click()
    alice.locator(f'select[name="position_{rw.o1.uuid}"]').select_option("1")
    alice.locator(f'select[name="position_{rw.o2.uuid}"]').select_option("2")
    alice.locator(f'select[name="position_{rw.o3.uuid}"]').select_option("3")
    alice.get_by_role("button", name="Save my ranking").click()
    expect(alice.locator(".messages")).to_contain_text("Your ranking is saved")
    expect(alice.locator(f'select[name="position_{rw.o2.uuid}"]')).to_have_value("2")
    shot(alice, f"rounds-candidate-rank-{tag}")

    employer = new_page(phone=phone)
    sign_in(employer, "hr@straits.test")
    employer.goto(f"/talent/rounds/{r}/")
    employer.get_by_role("link", name="Data intern").click()
    employer.locator(f'select[name="position_{rw.bob.pk}"]').select_option("1")
    employer.locator(f'select[name="position_{rw.alice.pk}"]').select_option("2")
    employer.get_by_role("button", name="Save ranking and seats").click()
    expect(employer.locator(".messages")).to_contain_text("Your ranking is saved")
    shot(employer, f"rounds-employer-rank-{tag}")

    # The others rank through the API's service; then ranking closes.
    svc.candidate_rank_set(user=rw.bob, match_round=rw.round, openings=[str(rw.o1.uuid)])
    svc.candidate_rank_set(user=rw.carol, match_round=rw.round, openings=[str(rw.o3.uuid)])
    svc.employer_rank_set(actor=rw.emp_admin, match_round=rw.round, opening=rw.o2, candidates=[rw.alice.pk])
    svc.employer_rank_set(actor=rw.other_admin, match_round=rw.round, opening=rw.o3, candidates=[rw.carol.pk])
    close_ranking(rw.round)

    office = new_page(phone=phone)
    sign_in(office, "career@nus.test")
    office.goto(f"/talent/rounds/{r}/")
    expect(office.get_by_test_id("ranking-counts")).to_contain_text("3 candidates, 3 openings")
    office.get_by_test_id("run-match").click()
    expect(office.get_by_test_id("match-status")).to_have_text("Done")
    expect(office.get_by_test_id("round-stats")).to_contain_text("3")
    shot(office, f"rounds-office-{tag}")

    alice.goto(f"/talent/rounds/{r}/result/")
    expect(alice.get_by_test_id("result-headline")).to_have_text("Matched to Cloud intern, your 2nd choice.")
    expect(alice.get_by_test_id("result-reasons")).to_contain_text(
        "Your 1st choice, Data intern, filled its 1 seat with a candidate it ranked higher.")
    shot(alice, f"rounds-candidate-result-{tag}")
    alice.get_by_test_id("accept").click()  # a form POST with its CSRF token, no JavaScript
    expect(alice.locator(".messages")).to_contain_text("You accepted your match.")
    expect(alice.get_by_test_id("answer")).to_contain_text("You accepted this match")
    shot(alice, f"rounds-candidate-accepted-{tag}")
    svc.result_decline(user=rw.bob, match_round=rw.round)

    employer.goto(f"/talent/rounds/{r}/openings/{rw.o1.uuid}/rank/")
    expect(employer.get_by_test_id("opening-results")).to_contain_text("Bob Lim declined: the seat is free again")
    shot(employer, f"rounds-employer-result-{tag}")
    employer.goto(f"/talent/rounds/{r}/openings/{rw.o2.uuid}/rank/")
    expect(employer.get_by_test_id("opening-results")).to_contain_text("Alice Tan accepted")
    if phone:  # nothing wider than the phone
        for p in (alice, employer, office):
            assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
