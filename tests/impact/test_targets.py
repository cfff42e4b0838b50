"""Operators set targets: the pages for every role, the services' rules, bad and forged input, and a
form submitted twice."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forward.academy.models import Programme, ProgrammeKind
from forward.core.models import AuditEvent, OrganizationKind
from forward.impact import services
from forward.impact.models import Target
from tests.conftest import client_for, make_organization

from .conftest import ROLES

NOT_OPERATORS = [r for r in ROLES if r not in ("anonymous", "operator")]


def form_data(**changes) -> dict:
    data = {"measure": "talents", "unit": "", "title": "Talents in Malaysia", "value": "500",
            "starts_on": "2025-01-01", "deadline": "2027-12-31", "country": "MY", "programme": "", "university": "",
            "order": "4"}
    data.update(changes)
    return data


def pages(world):
    return [("get", reverse("impact:targets")), ("get", reverse("impact:target_create")),
            ("post", reverse("impact:target_create")),
            ("get", reverse("impact:target_edit", args=[world.target_all.pk])),
            ("post", reverse("impact:target_edit", args=[world.target_all.pk])),
            ("get", reverse("impact:target_delete", args=[world.target_all.pk])),
            ("post", reverse("impact:target_delete", args=[world.target_all.pk]))]


def test_anonymous_visitors_are_sent_to_sign_in(world):
    client = client_for(None)
    for method, url in pages(world):
        response = getattr(client, method)(url, form_data() if method == "post" else None)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    assert Target.objects.count() == 3


@pytest.mark.parametrize("role", NOT_OPERATORS)
def test_people_who_are_not_operators_are_refused(world, role):
    client = client_for(world.users[role])
    for method, url in pages(world):
        response = getattr(client, method)(url, form_data() if method == "post" else None)
        assert response.status_code == 403, url
    assert Target.objects.count() == 3
    assert Target.objects.get(pk=world.target_all.pk).value == 120


def test_an_operator_lists_the_targets(world, django_assert_max_num_queries):
    client = client_for(world.operator)
    client.get(reverse("impact:targets"))  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(reverse("impact:targets"))
    html = response.content.decode()
    assert "Talents across the region" in html and "National University talents" in html
    assert "2000000 USD" in html


def test_an_operator_sets_a_target(world):
    response = client_for(world.operator).post(reverse("impact:target_create"), form_data())
    assert response.status_code == 302 and response["Location"] == reverse("impact:targets")
    target = Target.objects.get(title="Talents in Malaysia")
    assert (target.measure, target.value, target.country.code, target.unit, target.order) == ("talents", 500, "MY",
                                                                                               "", 4)
    assert (target.starts_on, target.deadline, target.created_by) == (date(2025, 1, 1), date(2027, 12, 31),
                                                                      world.operator)
    assert AuditEvent.objects.filter(action="impact.target.create", actor=world.operator).count() == 1


def test_submitting_the_create_form_twice_sets_one_target(world):
    client = client_for(world.operator)
    first = client.post(reverse("impact:target_create"), form_data())
    second = client.post(reverse("impact:target_create"), form_data())
    assert first.status_code == second.status_code == 302
    assert Target.objects.filter(title="Talents in Malaysia").count() == 1
    # A different target (another value) is a new one.
    client.post(reverse("impact:target_create"), form_data(value="600"))
    assert Target.objects.filter(title="Talents in Malaysia").count() == 2


def test_an_operator_edits_a_target(world):
    client = client_for(world.operator)
    page = client.get(reverse("impact:target_edit", args=[world.target_all.pk])).content.decode()
    assert 'value="Talents across the region"' in page and 'value="2027-11-30"' in page
    response = client.post(reverse("impact:target_edit", args=[world.target_all.pk]),
                           form_data(title="Talents everywhere", country="", value="150"))
    assert response.status_code == 302
    world.target_all.refresh_from_db()
    assert (world.target_all.title, world.target_all.value, world.target_all.country.code) == ("Talents everywhere",
                                                                                              150, "")


def test_an_operator_deletes_a_target_after_confirming(world):
    client = client_for(world.operator)
    url = reverse("impact:target_delete", args=[world.target_uni.pk])
    confirm = client.get(url).content.decode()
    assert "Delete National University talents?" in confirm and 'method="post"' in confirm
    assert Target.objects.filter(pk=world.target_uni.pk).exists()  # asking is not deleting
    assert client.post(url).status_code == 302
    assert not Target.objects.filter(pk=world.target_uni.pk).exists()
    assert client.post(url).status_code == 404  # confirmed twice: it is gone


@pytest.mark.parametrize("changes, field, message", [
    ({"measure": "unicorns"}, "measure", "Select a valid choice"),
    ({"value": "0"}, "value", "greater than or equal to 1"),
    ({"value": "-5"}, "value", "greater than or equal to 1"),
    ({"value": "lots"}, "value", "Enter a whole number"),
    ({"deadline": "2024-12-31"}, "deadline", "The deadline must come after the start."),
    ({"deadline": "2025-01-01"}, "deadline", "The deadline must come after the start."),
    ({"starts_on": "2025-02-30"}, "starts_on", "Enter a valid date"),
    ({"unit": "USD"}, "unit", "is a count: leave the currency empty."),
    ({"measure": "funding", "unit": ""}, "unit", "give its currency as a 3-letter code"),
    ({"measure": "funding", "unit": "US"}, "unit", "give its currency as a 3-letter code"),
    ({"measure": "funding", "unit": "U$D"}, "unit", "give its currency as a 3-letter code"),
    ({"country": "XX"}, "country", "Select a valid choice"),
    ({"title": "x" * 201}, "title", "at most 200 characters"),
])
def test_bad_input_is_refused_with_a_message_on_its_field(world, changes, field, message):
    response = client_for(world.operator).post(reverse("impact:target_create"), form_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert Target.objects.count() == 3


def test_a_money_target_takes_its_currency(world):
    client_for(world.operator).post(reverse("impact:target_create"),
                                    form_data(measure="funding", unit="sgd", value="5000000", country=""))
    assert Target.objects.get(measure="funding", unit="SGD").value == 5_000_000


def test_the_scope_is_a_verified_university_or_an_existing_programme(world):
    client = client_for(world.operator)
    programme = Programme.objects.create(slug="ai-dev", title="AI for developers", kind=ProgrammeKind.DEVELOPERS)
    response = client.post(reverse("impact:target_create"), form_data(university=world.uni.pk,
                                                                      programme=programme.pk, country=""))
    assert response.status_code == 302
    target = Target.objects.get(title="Talents in Malaysia")
    assert (target.university, target.programme) == (world.uni, programme)
    # Forged ids: an unverified university (same name as a verified one), a verified employer, no object at all.
    employer = make_organization(creator=world.other_admin, name="Acme", kind=OrganizationKind.EMPLOYER, country="SG")
    forged = [world.fake_uni.pk, employer.pk, employer.pk + 10_000, "abc"]
    for value in forged:
        response = client.post(reverse("impact:target_create"), form_data(university=value, title="Forged"))
        assert "university" in response.context["form"].errors, value
    response = client.post(reverse("impact:target_create"), form_data(programme=programme.pk + 999, title="Forged"))
    assert "programme" in response.context["form"].errors
    assert not Target.objects.filter(title="Forged").exists()


def test_editing_or_deleting_a_target_that_does_not_exist_is_404(world):
    client = client_for(world.operator)
    missing = Target.objects.order_by("-pk").first().pk + 100
    assert client.get(reverse("impact:target_edit", args=[missing])).status_code == 404
    assert client.post(reverse("impact:target_edit", args=[missing]), form_data()).status_code == 404
    assert client.post(reverse("impact:target_delete", args=[missing])).status_code == 404
    assert Target.objects.count() == 3


# --- the services, directly ------------------------------------------------------------------------


def fields(**changes) -> dict:
    data = {"measure": "talents", "value": 10, "starts_on": date(2025, 1, 1), "deadline": date(2026, 1, 1)}
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["student", "uni_admin", "other_admin", "unverified_admin"])
def test_the_services_refuse_anyone_but_operators(world, role):
    user = world.users[role]
    with pytest.raises(PermissionDenied):
        services.target_create(actor=user, **fields())
    with pytest.raises(PermissionDenied):
        services.target_update(actor=user, target=world.target_all, **fields())
    with pytest.raises(PermissionDenied):
        services.target_delete(actor=user, target=world.target_all)
    assert Target.objects.count() == 3


def test_the_services_take_keyword_arguments_only(world):
    with pytest.raises(TypeError):
        services.target_create(world.operator, "talents", 10, date(2025, 1, 1), date(2026, 1, 1))  # type: ignore[misc]


def test_the_services_validate_what_the_form_cannot(world):
    with pytest.raises(ValidationError) as caught:
        services.target_create(actor=world.operator, **fields(measure="unicorns", value=0, deadline=date(2024, 1, 1),
                                                              country="XX", university=world.fake_uni))
    assert set(caught.value.message_dict) == {"measure", "value", "deadline", "country", "university"}
    with pytest.raises(ValidationError) as caught:
        services.target_update(actor=world.operator, target=world.target_funding,
                               **fields(measure="funding", unit="dollars"))
    assert "unit" in caught.value.message_dict
    assert Target.objects.get(pk=world.target_funding.pk).unit == "USD"


def test_an_identical_target_is_returned_not_created_again(world):
    first = services.target_create(actor=world.operator, **fields(title="Ten"))
    again = services.target_create(actor=world.operator, **fields(title="Ten"))
    assert first.pk == again.pk and Target.objects.filter(title="Ten").count() == 1
