"""The innovation centre in the browser, at desktop and phone width: an SME takes the readiness
assessment and sees the radar; it requests a service; the centre's staff assign and complete it; a
cohort startup applies for cloud credits and staff approve them. The centre's staff add a service
to the catalogue, see it there and on the front page, and retire it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from forward.ventures import grants, readiness
from forward.ventures.models import (
    Assessment,
    CentreService,
    CreditGrant,
    GrantStatus,
    RequestStatus,
    ServiceRequest,
)
from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.ventures.centre_world import centre_world  # noqa: F401
from tests.ventures.conftest import ventures  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_assessment_request_queue_and_credits(new_page, centre_world, phone):  # noqa: F811
    w = centre_world
    size = "phone" if phone else "desktop"

    sme = new_page(phone=phone)
    sign_in(sme, w.sme_admin.email)
    sme.goto("/ventures/centre/")
    expect(sme.get_by_role("heading", level=1)).to_have_text("Innovation Centre KL")
    sme.get_by_role("link", name="Take the assessment").click()
    sme.get_by_test_id("q-strategy.plan").get_by_label("A written plan", exact=True).check()
    for question in readiness.QUESTIONS[1:]:
        sme.locator(f'input[name="{question.id}"][value="{1 if question.area == "cloud" else 2}"]').check()
    sme.get_by_label("Share the result with").select_option(label="Innovation Centre KL")
    shot(sme, f"centre-assessment-{size}")
    sme.get_by_role("button", name="See the result").click()
    expect(sme.get_by_test_id("radar")).to_be_visible()
    expect(sme.get_by_test_id("readiness-table")).to_contain_text("Cloud")
    expect(sme.get_by_test_id("readiness-table")).to_contain_text("Developing")
    expect(sme.get_by_test_id("recommended-services")).to_contain_text("Cloud migration assessment")
    shot(sme, f"centre-result-{size}")
    assert Assessment.objects.get().levels["cloud"] == 2

    sme.get_by_test_id("recommended-services").get_by_role("link", name="Cloud migration assessment").click()
    sme.get_by_label("What do you need?").fill("Our point-of-sale server is ten years old.")
    sme.get_by_role("button", name="Send the request").click()
    expect(sme.get_by_test_id("request-status")).to_have_text("Requested")
    row = ServiceRequest.objects.get()

    staff = new_page(phone=phone)
    sign_in(staff, w.centre_staff.email)
    staff.goto("/ventures/centre/")
    staff.get_by_test_id("centre-staff").get_by_role("link", name="1 open request in the queue").click()
    expect(staff.get_by_test_id("queue")).to_contain_text("Kedai Digital")
    shot(staff, f"centre-queue-{size}")
    staff.get_by_test_id("queue").get_by_role("link", name="Cloud migration assessment").click()
    staff.get_by_label("Expert").select_option(label=w.centre_admin.display_name)
    staff.get_by_role("button", name="Assign").click()
    expect(staff.get_by_test_id("request-status")).to_have_text("Assigned")
    expect(staff.get_by_test_id("request-expert")).to_have_text(w.centre_admin.display_name)
    staff.get_by_test_id("move-in-progress").click()
    expect(staff.get_by_test_id("request-status")).to_have_text("In progress")
    staff.get_by_test_id("move-done").click()
    expect(staff.get_by_test_id("request-status")).to_have_text("Done")
    expect(staff.get_by_test_id("request-history")).to_contain_text("In progress → Done")
    shot(staff, f"centre-request-{size}")
    row.refresh_from_db()
    assert row.status == RequestStatus.DONE and row.expert == w.centre_admin
    assert any(m.to == [w.sme_admin.email] and "Done" in m.subject for m in mail.outbox)

    sme.reload()
    expect(sme.get_by_test_id("request-status")).to_have_text("Done")

    founder = new_page(phone=phone)
    sign_in(founder, w.founder.email)
    founder.goto("/ventures/centre/credits/")
    form = founder.get_by_test_id(f"apply-{w.budget.pk}")
    form.get_by_label("Amount").fill("2500")
    form.get_by_label("What the credits are for").fill("GPU hours for crop-health models")
    form.get_by_role("button", name="Apply for credits").click()
    expect(founder.get_by_test_id("my-grants")).to_contain_text("Pending")
    grant = CreditGrant.objects.get()

    staff.goto(f"/ventures/centre/credits/budgets/{w.budget.pk}/")
    expect(staff.get_by_test_id("grants")).to_contain_text("Padi Sense")
    staff.get_by_label("Amount approved").fill("2000")
    staff.get_by_test_id(f"approve-{grant.pk}").click()
    expect(staff.get_by_test_id("budget-balance")).to_have_text("8000.00 USD")
    expect(staff.get_by_test_id("ledger")).to_contain_text("Padi Sense")
    shot(staff, f"centre-budget-{size}")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.APPROVED and grant.amount_approved == Decimal("2000")
    assert grants.balance(w.budget) == Decimal("8000")

    founder.reload()
    expect(founder.get_by_test_id("my-grants")).to_contain_text("2000.00 USD")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_staff_add_a_service_to_the_catalogue(new_page, centre_world, phone):  # noqa: F811
    w = centre_world
    size = "phone" if phone else "desktop"
    staff = new_page(phone=phone)
    sign_in(staff, w.centre_staff.email)
    staff.goto("/ventures/centre/")
    staff.get_by_test_id("centre-staff").get_by_role("link", name="Services catalogue").click()
    expect(staff.get_by_test_id("catalogue")).to_contain_text("Architecture review")
    staff.get_by_test_id("service-add").click()
    staff.get_by_label("Name").fill("Security hardening clinic")
    staff.get_by_label("Description").fill("Two days with an expert on your cloud accounts.")
    staff.get_by_label("Security").check()
    staff.get_by_label("Assigned within (working days)").fill("-1")
    staff.get_by_role("button", name="Add to the catalogue").click()
    expect(staff.get_by_test_id("service-form")).to_contain_text("Give a whole number of working days from 0 to 250.")
    shot(staff, f"centre-service-form-{size}")
    staff.get_by_label("Assigned within (working days)").fill("1")
    staff.get_by_label("Done within (working days)").fill("8")
    staff.get_by_role("button", name="Add to the catalogue").click()
    added = CentreService.objects.get(name="Security hardening clinic")
    row = staff.get_by_test_id(f"service-{added.pk}")
    expect(row).to_contain_text("Assigned within 1 working days, done within 8.")
    expect(row).to_contain_text("Offered")
    shot(staff, f"centre-catalogue-{size}")
    staff.goto("/ventures/centre/")
    expect(staff.get_by_test_id("centre-services")).to_contain_text("Security hardening clinic")

    staff.goto(f"/ventures/centre/catalogue/?centre={w.centre.slug}")
    staff.get_by_test_id(f"retire-{added.pk}").click()
    expect(staff.get_by_test_id(f"service-{added.pk}")).to_contain_text("Retired")
    added.refresh_from_db()
    assert not added.active and added.areas == ["security"]
    staff.goto("/ventures/centre/")
    expect(staff.get_by_test_id("centre-services")).not_to_contain_text("Security hardening clinic")
