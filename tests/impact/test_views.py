"""The impact pages for every role: what each sees, what stays suppressed, hostile query strings, and a
number of queries that does not grow with the data."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from forward.impact.models import Daily
from tests.impact.conftest import ROLES

PUBLIC = reverse("impact:public")
TALENTS = reverse("impact:measure", args=["talents"])
ROWS = reverse("impact:rows", args=["talents"])


def as_role(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    """The page's main content as a person reads it (tags and SVG markup removed)."""
    html = response.content.decode()
    html = html[html.find("<main"):html.find("</main>")]
    html = re.sub(r"<title[^>]*>.*?</title>|<desc[^>]*>.*?</desc>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html).replace("&lt;", "<").replace("&amp;", "&")
    return re.sub(r"\s+", " ", html)


def cell(response, testid: str, label: str) -> str:
    """The figure beside `label` in the breakdown table `testid`."""
    html = response.content.decode()
    table = re.search(rf'data-testid="{testid}">(.*?)</table>', html, flags=re.S).group(1)
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        cells = [re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        if cells and cells[0] == label:
            return cells[1].replace("&lt;", "<")
    raise AssertionError(f"no row {label!r} in {testid}")


# --- the public page ----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_public_page_shows_headlines_targets_and_definitions_to_everyone(client, world, role):
    response = as_role(client, world, role).get(PUBLIC)
    assert response.status_code == 200
    page = text(response)
    assert "Talents cultivated" in page and "55" in page
    assert "People who completed a course or hold a credential from the platform." in page
    # Money per currency, never summed across currencies.
    assert "750,000 USD" in page and "1,000,000 SGD" in page and "1,750,000" not in page
    for title in ("Talents across the region", "National University talents", "Funding raised"):
        assert title in page
    assert "55 of 120" in page and "40 of 45" in page
    assert "Forecast at the deadline" in page
    assert "On track: the forecast at the deadline reaches the target." in page  # the status rule, stated
    assert response.content.decode().count('data-testid="chart-cumulative"') == 3
    assert 'data-testid="chart-bars"' in response.content.decode()  # country bars
    assert "Numbers computed at" in page
    assert reverse("impact:export_csv") in response.content.decode()
    assert reverse("impact:export_parquet") in response.content.decode()
    assert reverse("impact:measure", args=["funding"]) in response.content.decode()
    # No personal data.
    assert "Person 1000" not in page and "Sam Student" not in page.replace(world.users[role].display_name
                                                                            if world.users[role] else "", "")


@pytest.mark.parametrize("role", ROLES)
def test_small_country_is_suppressed_for_all_but_operators(client, world, role):
    response = as_role(client, world, role).get(PUBLIC)
    expected = "3" if role == "operator" else "< 5"
    assert cell(response, "breakdown-country", "Indonesia") == expected
    assert cell(response, "breakdown-country", "Singapore") == "40"


def test_the_navigation_has_an_impact_link_for_everyone(client, world):
    response = client.get(reverse("core:home"))
    assert f'href="{PUBLIC}"' in response.content.decode()


def test_a_university_admin_is_offered_their_own_slice(client, world):
    response = as_role(client, world, "uni_admin").get(PUBLIC)
    assert "Your university, National University" in text(response)
    assert f"?university={world.uni.pk}" in response.content.decode()
    for role in ("anonymous", "student", "unverified_admin", "operator"):
        client.logout()
        assert "Your university" not in text(as_role(client, world, role).get(PUBLIC))


def test_public_page_queries_do_not_grow_with_the_data(client, world, django_assert_max_num_queries):
    client.get(PUBLIC)  # warm caches (content types, sessions)
    with django_assert_max_num_queries(20) as small:
        assert client.get(PUBLIC).status_code == 200
    # A bigger world: a hundred more countries' worth of rows, every day of two years.
    extra = []
    codes = ["AU", "NZ", "JP", "KR", "TH", "VN", "PH", "IN", "CN", "HK"]
    for i in range(2 * 365):
        day = date(2025, 1, 1) + timedelta(days=i)
        for code in codes:
            extra.append(Daily(measure="talents", unit="", grouping=0, day=day, value=1, entities=1))
            extra.append(Daily(measure="talents", unit="", grouping=1, country=code, day=day, value=1, entities=1))
    Daily.objects.bulk_create(extra, ignore_conflicts=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(PUBLIC)
    assert cell(response, "breakdown-country", "Japan") != ""


# --- a measure's page ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_measure_page_breaks_down_by_country_programme_university_and_month(client, world, role):
    response = as_role(client, world, role).get(TALENTS)
    assert response.status_code == 200
    page = text(response)
    assert "People who completed a course or hold a credential from the platform." in page
    assert "55" in page
    for testid in ("breakdown-country", "breakdown-programme", "breakdown-university", "breakdown-month"):
        assert f'data-testid="{testid}"' in response.content.decode()
    assert cell(response, "breakdown-university", "No university") == ("3" if role == "operator" else "< 5")
    # Alone withheld, those 3 would be the total minus the rest: so the smallest other university is
    # withheld too ("–"), one the viewer does not see exactly anyway (Universiti Malaya's admin sees theirs).
    withheld = {"operator": None, "other_admin": "National University"}.get(role, "Universiti Malaya")
    for name, value in (("National University", "40"), ("Universiti Malaya", "12")):
        assert cell(response, "breakdown-university", name) == ("–" if name == withheld else value), name
    assert cell(response, "breakdown-programme", "No programme") == "55"
    # Each cell narrows the slice: the drill-down link.
    assert f"{TALENTS}?university={world.uni.pk}" in response.content.decode()
    assert f"{TALENTS}?country=SG" in response.content.decode()


def test_a_slice_of_a_small_group_is_suppressed_even_in_its_total(client, world):
    response = client.get(TALENTS + "?country=ID")
    assert response.status_code == 200
    assert re.search(r'data-testid="total">&lt; 5<', response.content.decode())
    client.force_login(world.operator)
    response = client.get(TALENTS + "?country=ID")
    assert re.search(r'data-testid="total">3<', response.content.decode())
    assert "Indonesia" in text(response)


@pytest.mark.parametrize("role,exact", [("anonymous", False), ("student", False), ("uni_admin", True),
                                        ("other_admin", False), ("unverified_admin", False), ("operator", True)])
def test_a_universitys_own_slice_is_exact_only_for_its_staff_and_operators(client, world, role, exact):
    """National University's slice by month: each month counts one or two people."""
    response = as_role(client, world, role).get(f"{TALENTS}?university={world.uni.pk}")
    assert response.status_code == 200
    assert cell(response, "breakdown-month", "December 2024") == ("2" if exact else "< 5")
    assert ('data-testid="rows-link"' in response.content.decode()) == exact


def test_the_other_universitys_admin_sees_their_own_slice_exact_but_not_national_university(client, world):
    client.force_login(world.other_admin)
    assert cell(client.get(f"{TALENTS}?university={world.other_uni.pk}"), "breakdown-month", "December 2024") == "1"
    response = client.get(TALENTS)
    assert cell(response, "breakdown-university", "Universiti Malaya") == "12"
    assert cell(response, "breakdown-university", "No university") == "< 5"
    assert cell(response, "breakdown-university", "National University") == "–"  # or 55 − 12 − 40 = 3


def test_money_measure_shows_one_currency_at_a_time(client, world):
    response = client.get(reverse("impact:measure", args=["funding"]))
    assert response.status_code == 200
    assert "SGD" in text(response)
    response = client.get(reverse("impact:measure", args=["funding"]) + "?currency=USD")
    assert "750,000 USD" in text(response)
    assert cell(response, "breakdown-country", "Singapore") == "< 5"  # two investments


@pytest.mark.parametrize("query,message", [
    ("country=XX", "is not a country code"),
    ("country=<script>alert(1)</script>", "is not a country code"),
    ("programme=abc", "must be a whole number"),
    ("university=-1", "must be a whole number"),
    ("university=99999999999999999999", "must be a whole number"),
    ("from=2026-13-01", "must be a date"),
    ("from=yesterday", "must be a date"),
    ("to=2026-1-1", "must be a date"),
    ("from=2026-05-01&to=2026-01-01", "swap them"),
    ("currency=XYZ", "No amounts in"),
])
def test_bad_parameters_get_a_clear_message_never_a_500(client, world, query, message):
    slug = "funding" if "currency" in query else "talents"
    response = client.get(reverse("impact:measure", args=[slug]) + "?" + query)
    assert response.status_code == 400
    assert message in text(response)
    assert "<script>alert" not in response.content.decode()


def test_an_unknown_measure_is_404(client, world):
    assert client.get(reverse("impact:measure", args=["nope"])).status_code == 404
    assert client.get(reverse("impact:rows", args=["nope"])).status_code == 404


def test_unknown_country_and_none_keys_are_named(client, world):
    client.force_login(world.operator)
    response = client.get(TALENTS + "?country=unknown")
    assert response.status_code == 200
    assert "Unknown" in text(response)
    response = client.get(TALENTS + "?university=0&programme=0")
    assert response.status_code == 200
    assert "No university" in text(response) and "No programme" in text(response)
    assert re.search(r'data-testid="total">3<', response.content.decode())
    response = client.get(TALENTS + "?university=987654")
    assert response.status_code == 200 and "#987654 (deleted)" in text(response)


def test_a_date_window_counts_what_first_qualified_in_it(client, world):
    client.force_login(world.operator)
    response = client.get(TALENTS + "?from=2024-12-01&to=2024-12-31")
    assert re.search(r'data-testid="total">3<', response.content.decode())  # 1000, 1001 and 2000


def test_measure_page_queries_do_not_grow_with_the_data(client, world, django_assert_max_num_queries):
    def more(start, count):  # universities and programmes, each with a name to look up
        Daily.objects.bulk_create(
            [Daily(measure="talents", unit="", grouping=4, university=start + i, day=date(2025, 3, 1), value=7,
                   entities=7) for i in range(count)]
            + [Daily(measure="talents", unit="", grouping=2, programme=start + i, day=date(2025, 3, 1), value=7,
                     entities=7) for i in range(count)])

    client.force_login(world.operator)
    more(10_000, 1)
    client.get(TALENTS)
    with django_assert_max_num_queries(20) as small:
        client.get(TALENTS)
    more(20_000, 300)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(TALENTS)
    assert "#20299 (deleted)" in text(response)


# --- who was counted ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role,status", [("anonymous", 302), ("student", 403), ("uni_admin", 403),
                                         ("other_admin", 403), ("unverified_admin", 403), ("operator", 200)])
def test_rows_of_everything_are_for_operators_only(client, world, role, status):
    response = as_role(client, world, role).get(ROWS)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role,status", [("anonymous", 302), ("student", 403), ("uni_admin", 200),
                                         ("other_admin", 403), ("unverified_admin", 403), ("operator", 200)])
def test_rows_of_national_university_for_its_admin_and_operators(client, world, role, status):
    response = as_role(client, world, role).get(f"{ROWS}?university={world.uni.pk}")
    assert response.status_code == status
    if status == 200:
        page = text(response)
        assert "40 counted" in page and "Person 1000" in page and "Person 2000" not in page


def test_the_unverified_namesake_cannot_drill_into_its_own_university_either(client, world):
    client.force_login(world.unverified_admin)
    assert client.get(f"{ROWS}?university={world.fake_uni.pk}").status_code == 403
    response = client.get(f"{TALENTS}?university={world.fake_uni.pk}")
    assert 'data-testid="rows-link"' not in response.content.decode()
    assert "Your university" not in text(response)


def test_rows_are_paginated_fifty_a_page_in_constant_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.operator)
    client.get(ROWS)
    with django_assert_max_num_queries(12):
        first = client.get(ROWS)
    assert "55 counted" in text(first) and "Page 1 of 2" in text(first)
    assert len(re.findall(r'data-label="Who"', first.content.decode())) == 50
    second = client.get(ROWS + "?page=2")
    assert len(re.findall(r'data-label="Who"', second.content.decode())) == 5
    assert client.get(ROWS + "?page=banana").status_code == 200


def test_rows_reject_bad_parameters_for_those_allowed(client, world):
    client.force_login(world.operator)
    response = client.get(ROWS + "?country=ZZZ")
    assert response.status_code == 400 and "is not a country code" in text(response)


def test_rows_of_a_country_for_operators(client, world):
    client.force_login(world.operator)
    response = client.get(ROWS + "?country=ID")
    page = text(response)
    assert "3 counted" in page and "Person 3000" in page and "Person 1000" not in page
