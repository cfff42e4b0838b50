"""Instructors see their cohorts, university admins their students; nobody sees another university's."""

import pytest

from forward.academy import services
from forward.core.models import Membership, OrganizationKind, Role
from tests.conftest import client_for, make_organization, make_user


@pytest.fixture
def cohorts(academy):
    academy.professor = make_user("prof@cloudco.test", "Prof Essor")
    academy.uni_run.instructors.add(academy.professor)
    academy.other_admin = make_user("admin@zju.test", "Other Admin")
    make_organization(creator=academy.other_admin, name="ZJU", kind=OrganizationKind.UNIVERSITY, country="CN")
    academy.member_only = make_user("staff@ntu.test", "Plain Member")
    Membership.objects.create(user=academy.member_only, organization=academy.university, role=Role.MEMBER)
    services.enrol(user=academy.student, run=academy.uni_run)
    return academy


@pytest.mark.parametrize(("who", "sees"), [
    ("admin", True), ("professor", True), ("other_admin", False), ("member_only", False), ("student", False),
    ("outsider", False),
])
def test_who_sees_a_universitys_cohort(cohorts, who, sees):
    response = client_for(getattr(cohorts, who)).get(f"/academy/runs/{cohorts.uni_run.pk}/")
    assert response.status_code == (200 if sees else 404)
    if sees:
        assert "student@ntu.test" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(cohorts):
    response = client_for(None).get(f"/academy/runs/{cohorts.uni_run.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_teaching_page_lists_only_ones_own_runs(cohorts):
    html = client_for(cohorts.professor).get("/academy/teaching/").content.decode()
    assert "NTU S1" in html and "Open 2026" not in html
    assert "NTU S1" not in client_for(cohorts.other_admin).get("/academy/teaching/").content.decode()


def test_cohort_page_queries_do_not_grow_with_students(cohorts, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cohorts.admin)
    url = f"/academy/runs/{cohorts.uni_run.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(15):
        student = make_user(f"s{i}@ntu.test")
        Membership.objects.create(user=student, organization=cohorts.university)
        services.enrol(user=student, run=cohorts.uni_run)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert "s14@ntu.test" in html
