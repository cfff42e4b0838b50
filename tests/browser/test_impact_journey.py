"""Impact, as its people would use it (issue 15, "Done when"), at desktop (1280) and phone (390) width:
an anonymous visitor opens the public impact page, reads each target's number, definition, chart and
forecast, switches to Chinese and finds the CSV download; an operator drills into a country and a
university; a university admin sees their own contribution. Nothing may be wider than the screen."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.test_competition_journey import sign_in
from tests.impact.conftest import world  # noqa: F401 - the impact world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page, name: str, size: str) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{name} overflows at {size} width: {width[0]} px > {width[1]} px"
    shot(page, f"impact-{name}-{size}")


def open_nav(page, phone: bool) -> None:
    if phone:
        page.locator(".nav-toggle").click()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_impact_journey(new_page, world, phone):  # noqa: F811
    size = "phone" if phone else "desktop"

    # An anonymous visitor finds Impact in the site's navigation.
    visitor = new_page(phone=phone)
    visitor.goto("/")
    open_nav(visitor, phone)
    visitor.get_by_role("navigation", name="Main").get_by_role("link", name="Impact").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Impact")
    expect(visitor.get_by_test_id("headline-talents")).to_contain_text("55")
    expect(visitor.get_by_test_id("headline-talents")).to_contain_text(
        "People who completed a course or hold a credential from the platform.")
    expect(visitor.get_by_test_id("headline-funding")).to_contain_text("750,000 USD")
    expect(visitor.get_by_test_id("computed-at")).to_contain_text("Numbers computed at")

    targets = visitor.get_by_test_id("target")
    expect(targets).to_have_count(3)
    expected = [("Talents across the region", "55"), ("National University talents", "40"),
                ("Funding raised", "750,000 USD")]
    for i, (title, current) in enumerate(expected):
        target = targets.nth(i)
        expect(target.get_by_role("heading")).to_have_text(title)
        expect(target.get_by_test_id("target-current")).to_have_text(current)
        expect(target).to_contain_text("Talents cultivated" if i < 2 else "Confirmed investments")
        chart = target.locator("svg[data-testid=chart-cumulative]")
        expect(chart).to_be_visible()
        assert chart.bounding_box()["width"] >= (300 if phone else 400)
        expect(target.get_by_test_id("target-forecast")).to_contain_text("Forecast at the deadline")
        expect(target.get_by_test_id("target-status")).not_to_be_empty()
    rule = visitor.get_by_test_id("status-rule")
    rule.locator("summary").click()
    expect(rule).to_contain_text("On track: the forecast at the deadline reaches the target.")
    # The small group stays hidden from the public.
    expect(visitor.locator("svg[data-testid=chart-bars]")).to_contain_text("< 5")
    fits(visitor, "public", size)

    # The CSV and Parquet downloads are offered.
    expect(visitor.get_by_test_id("export-csv")).to_have_attribute("href", "/impact/export.csv")
    expect(visitor.get_by_test_id("export-parquet")).to_have_attribute("href", "/impact/export.parquet")
    # Switching to Chinese with the language switcher in the footer.
    visitor.locator("#language-select").select_option("zh-hans")
    visitor.locator(".language-form button[type=submit]").click()
    expect(visitor.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("影响")
    expect(visitor.get_by_test_id("target")).to_have_count(3)
    expect(visitor.get_by_test_id("target").first.locator("svg[data-testid=chart-cumulative]")).to_be_visible()
    fits(visitor, "public-zh", size)

    # …and downloads the CSV: the monthly series, small groups' cells empty.
    with visitor.expect_download() as download:
        visitor.get_by_test_id("export-csv").click()
    assert download.value.suggested_filename.startswith("impact-") and download.value.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    everyone = [r for r in rows if r["measure"] == "talents" and r["dimension"] == "none"]
    assert everyone and everyone[-1]["cumulative"] == "55"
    # Singapore and Indonesia gain one or two people a month: each such month is withheld, with no running total.
    for country in ("SG", "ID"):
        series = [r for r in rows if r["measure"] == "talents" and r["dimension"] == "country" and r["key"] == country]
        assert any(r["suppressed"] == "true" and r["value"] == "" for r in series), country
        assert {r["cumulative"] for r in series} == {""}, country

    # An operator drills into a country, then into a university, then sees who was counted.
    operator = new_page(phone=phone)
    sign_in(operator, world.operator.email)
    operator.goto("/impact/")
    countries = operator.get_by_test_id("country-bars").locator("xpath=following-sibling::details[1]")
    countries.locator("summary").click()
    countries.get_by_role("link", name="Indonesia").click()
    expect(operator.get_by_test_id("scope")).to_contain_text("Indonesia")
    expect(operator.get_by_test_id("total")).to_have_text("3")  # exact for operators
    fits(operator, "measure-country", size)
    operator.get_by_test_id("scope").get_by_role("link", name="Clear filters").click()
    operator.get_by_test_id("breakdown-university").get_by_role("link", name="National University").click()
    expect(operator.get_by_test_id("scope")).to_contain_text("National University")
    expect(operator.get_by_test_id("total")).to_have_text("40")
    fits(operator, "measure-university", size)
    operator.get_by_test_id("rows-link").click()
    expect(operator.get_by_test_id("rows-count")).to_have_text("40 counted")
    expect(operator.get_by_test_id("rows")).to_contain_text("Person 1000")
    fits(operator, "rows", size)

    # A university admin sees their own contribution, exact, and who it is.
    admin = new_page(phone=phone)
    sign_in(admin, world.uni_admin.email)
    admin.goto("/impact/")
    admin.get_by_test_id("your-university").get_by_role("link", name="Your university").click()
    expect(admin.get_by_test_id("scope")).to_contain_text("National University")
    expect(admin.get_by_test_id("total")).to_have_text("40")
    expect(admin.get_by_test_id("breakdown-month").get_by_role("row", name="December 2024")).to_contain_text("2")
    fits(admin, "your-university", size)
    admin.get_by_test_id("rows-link").click()
    expect(admin.get_by_test_id("rows-count")).to_have_text("40 counted")
    # ... and nothing more: the whole platform's rows stay closed to them.
    response = admin.goto("/impact/measures/talents/rows/")
    assert response.status == 403
