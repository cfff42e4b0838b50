"""The talent pool end to end, as its people would use it, at desktop and phone width: a student
makes their profile visible, sees openings ranked with reasons and applies; the employer moves them
to interview and proposes a slot, which the student books; both rank in the round; the operator
runs the match; both see the result, with its explanation, from the same moment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forward.core.models import Skill
from forward.talent import rounds as round_services
from forward.talent.models import Application, MatchRound, Opening, OpeningStatus, Profile
from tests.browser.conftest import shot
from tests.browser.test_academy_journey import sign_in
from tests.talent.conftest import talent  # noqa: F401 - the talent world
from tests.talent.rounds_world import close_ranking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_profile_to_match_result(new_page, talent, phone):  # noqa: F811
    size = "phone" if phone else "desktop"
    w = talent
    type(w.student).objects.filter(pk=w.student.pk).update(preferred_language="")
    now = timezone.now()
    opening = Opening.objects.create(
        organization=w.employer, title="Data engineering intern", status=OpeningStatus.OPEN, published_at=now,
        description="Build **pipelines** with us.", city="Singapore", country="SG", seats=1,
        deadline=now + timedelta(days=20))
    opening.required_skills.set([Skill.objects.get(slug="python")])
    opening.preferred_skills.set([Skill.objects.get(slug="sql")])
    match_round = round_services.round_create(
        actor=w.operator, name="Summer internships 2027", applications_close=now + timedelta(days=10),
        interviews_close=now + timedelta(days=15), ranking_close=now + timedelta(days=18))
    round_services.round_add_opening(actor=w.operator, match_round=match_round, opening=opening)
    round_services.round_announce(actor=w.operator, match_round=match_round)

    # 1. The student makes their profile visible to partner employers.
    student = new_page(phone=phone)
    sign_in(student, w.student.email)
    student.goto("/talent/profile/")
    student.get_by_label("Visible to partner employers").check()
    student.get_by_role("button", name="Save my choice").click()
    expect(student.get_by_test_id("consent")).to_contain_text("Visible to partner employers")
    assert Profile.objects.get(user=w.student).consent_at is not None

    # 2. Openings ranked for them, with the reasons; they apply.
    student.goto("/talent/recommended/")
    card = student.get_by_test_id("recommendation").filter(has_text="Data engineering intern")
    expect(card.get_by_test_id("matched-skill").first).to_contain_text("Python")
    assert _fits(student)
    shot(student, f"journey-recommended-{size}")
    student.goto(f"/talent/openings/{opening.uuid}/")
    student.get_by_test_id("apply-block").get_by_role("link", name="Apply").click()
    student.get_by_label("A short note to the employer").fill("I build data pipelines in Python.")
    student.get_by_role("button", name="Send application").click()
    expect(student.get_by_test_id("stage")).to_have_text("Applied")
    application = Application.objects.get(opening=opening, applicant=w.student)

    # 3. The employer moves them to interview and proposes a slot.
    employer = new_page(phone=phone)
    sign_in(employer, w.employer_admin.email)
    employer.goto(f"/talent/openings/{opening.uuid}/applications/")
    employer.get_by_label(f"Select {w.student.name}").check()
    employer.get_by_label("Move the ticked applications to").select_option("interview")
    employer.get_by_role("button", name="Move", exact=True).click()
    expect(employer.locator(".message.success")).to_contain_text("Moved 1 to Interview")
    employer.get_by_role("link", name="Interview slots").click()
    day = (timezone.now() + timedelta(days=3)).astimezone(timezone.get_fixed_timezone(480)).date().isoformat()
    employer.get_by_label("Starts").fill(f"{day}T10:00")
    employer.get_by_label("Ends").fill(f"{day}T10:45")
    employer.get_by_label("Place or video link").fill("https://meet.example/straits")
    employer.get_by_role("button", name="Add slot").click()
    expect(employer.locator(".message.success")).to_contain_text("Slot added")

    # 4. The student books it.
    student.goto(f"/talent/applications/{application.pk}/")
    expect(student.get_by_test_id("stage")).to_have_text("Interview")
    student.get_by_role("radio").first.check()
    student.get_by_role("button", name="Book this time").click()
    expect(student.locator(".message.success")).to_contain_text("Interview booked")

    # 5. Interviews close; ranking opens. Both rank.
    MatchRound.objects.filter(pk=match_round.pk).update(applications_close=now - timedelta(days=2),
                                                        interviews_close=now - timedelta(days=1))
    student.goto(f"/talent/rounds/{match_round.pk}/")
    student.get_by_role("link", name="Rank your openings").click()
    student.locator(f'select[name="position_{opening.uuid}"]').select_option("1")
    student.get_by_role("button", name="Save my ranking").click()
    expect(student.locator(".messages")).to_contain_text("Your ranking is saved")
    employer.goto(f"/talent/rounds/{match_round.pk}/")
    employer.get_by_role("link", name="Data engineering intern").click()
    employer.locator(f'select[name="position_{w.student.pk}"]').select_option("1")
    employer.get_by_role("button", name="Save ranking and seats").click()
    expect(employer.locator(".messages")).to_contain_text("Your ranking is saved")

    # 6. Ranking closes: nobody sees a result before the match is published.
    close_ranking(match_round)
    student.goto(f"/talent/rounds/{match_round.pk}/result/")
    expect(student.get_by_test_id("result-headline")).to_have_count(0)
    employer.goto(f"/talent/rounds/{match_round.pk}/openings/{opening.uuid}/rank/")
    expect(employer.get_by_test_id("opening-results")).to_have_count(0)

    operator = new_page(phone=phone)
    sign_in(operator, w.operator.email)
    operator.goto(f"/talent/rounds/{match_round.pk}/")
    operator.get_by_test_id("run-match").click()
    expect(operator.get_by_test_id("match-status")).to_have_text("Done")
    shot(operator, f"journey-operator-{size}")

    # 7. Both see it, with why.
    student.goto(f"/talent/rounds/{match_round.pk}/result/")
    expect(student.get_by_test_id("result-headline")).to_have_text(
        "Matched to Data engineering intern, your 1st choice.")
    assert _fits(student)
    shot(student, f"journey-result-{size}")
    employer.goto(f"/talent/rounds/{match_round.pk}/openings/{opening.uuid}/rank/")
    expect(employer.get_by_test_id("opening-results")).to_contain_text(w.student.name)
    assert _fits(employer)
    shot(employer, f"journey-employer-result-{size}")
