"""Hostile names in a real browser, under the real Content-Security-Policy: nothing runs, everything draws.

The new_page fixture fails a test on any CSP violation, so these also check that the admin and the API
docs need nothing the policy forbids.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forward.competitions import services, submissions
from forward.competitions.models import Competition
from forward.core.models import OrganizationKind
from tests.competitions.conftest import predictions_csv, solution_csv, upload
from tests.conftest import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT_NAME = "</script><script>window.__pwned=1</script>"
TAG_NAME = '<img src=x onerror="window.__pwned=2">'


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_a_hostile_team_name_runs_nothing_and_the_chart_still_draws(page):
    host = make_user("host@lab.test", "Hana Host")
    org = make_organization(creator=host, name="Retail Lab", kind=OrganizationKind.HOST, country="CN")
    now = timezone.now()
    competition = services.competition_create(actor=host, host=org, title="Repeat buyers", metric="auc",
                                              starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=10),
                                              rules="Be nice.")
    services.solution_upload(actor=host, phase=competition.phases.get(), upload=upload(solution_csv(), "s.csv"))
    services.competition_publish(actor=host, competition=competition)
    competition = Competition.objects.get(pk=competition.pk)
    phase = competition.phases.get()
    for i, name in enumerate([SCRIPT_NAME, TAG_NAME]):
        user = make_user(f"team{i}@uni.test", f"Member {i}")
        services.register(user=user, competition=competition)
        services.team_create(user=user, competition=competition, name=name)
        submissions.submission_create(user=user, phase=phase, upload=upload(predictions_csv()))

    sign_in(page, "host@lab.test")  # the host's session is what the attack was after
    page.goto(f"/competitions/{competition.slug}/leaderboard/")
    board = page.get_by_test_id("leaderboard")
    expect(board).to_contain_text(SCRIPT_NAME)
    expect(board).to_contain_text(TAG_NAME)
    # The chart drew both lines, with the names as legend text.
    expect(page.locator("#score-chart svg path")).to_have_count(2)
    expect(page.locator(".chart-legend li")).to_have_text([SCRIPT_NAME, TAG_NAME])
    assert page.evaluate("window.__pwned") is None
    # htmx read its configuration: no injected <style>, no eval, no script tags from swapped HTML.
    assert page.evaluate("[htmx.config.includeIndicatorStyles, htmx.config.allowEval, htmx.config.allowScriptTags]") \
        == [False, False, False]


def test_the_admin_and_the_api_docs_work_under_the_policy(page):
    ops = make_user("ops@forward.test", "Ops", is_staff=True, is_superuser=True)
    page.goto("/admin/login/")
    page.locator("#id_username").fill("ops@forward.test")
    page.locator("#id_password").fill("correct horse battery")
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()
    page.goto("/admin/core/organization/add/")
    expect(page.locator("#organization_form")).to_be_visible()
    page.locator(".add-row a").click()  # inlines.js builds a row
    expect(page.locator("#memberships-0")).to_be_visible()
    page.goto(f"/admin/core/user/{ops.pk}/change/")  # SelectFilter2.js builds the two-box pickers
    expect(page.locator("#id_groups_from")).to_be_visible()
    page.goto("/admin/core/invitation/add/")  # calendar and clock widgets
    expect(page.locator(".datetimeshortcuts").first).to_be_visible()
    page.locator(".datetimeshortcuts a", has_text="Today").first.click()
    page.goto("/admin/core/organization/")
    expect(page.locator("#changelist")).to_be_visible()
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible(timeout=30_000)  # the schema of every router is built on first load
