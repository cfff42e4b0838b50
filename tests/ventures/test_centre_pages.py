"""The innovation centre's pages for every role (hidden things are a 404, like a missing id), their
query counts on two sizes of data, and escaping of what users wrote."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forward.ventures import grants
from forward.ventures import services_centre as service

from .centre_world import CENTRE_ROLES, answers, centre_world  # noqa: F401
from .conftest import ROLES

pytestmark = pytest.mark.django_db
ALL_ROLES = ROLES + CENTRE_ROLES
STAFF = {"centre_admin", "centre_staff", "operator"}
STARTUP_ACTING = {"founder", "teammate"}


def _as(client, w, role):
    if role != "anonymous":
        client.force_login(w.actor(role))
    return client


def _expected(role, allowed):
    if role == "anonymous":
        return 302
    return 200 if role in allowed else 404


def _things(w):
    a = service.assessment_submit(user=w.founder, organization=w.startup_org, answers=answers(2), share_with=w.centre)
    private = service.assessment_submit(user=w.sme_admin, organization=w.sme, answers=answers(3))
    r = service.request_create(user=w.founder, service=w.service, organization=w.startup_org, note="help")
    start = timezone.now() + timedelta(days=1)
    slot = service.slot_create(actor=w.centre_admin, centre=w.centre, expert=w.centre_staff, starts_at=start,
                               ends_at=start + timedelta(minutes=30))
    service.slot_book(user=w.founder, slot=slot, organization=w.startup_org)
    return a, private, r, slot


@pytest.mark.parametrize("role", ALL_ROLES)
def test_what_each_role_may_open(client, centre_world, role):  # noqa: F811
    w = centre_world
    a, private, r, slot = _things(w)
    c = _as(client, w, role)
    checks = {
        reverse("ventures:queue"): STAFF,
        reverse("ventures:assessments_shared"): STAFF,
        reverse("ventures:budget", args=[w.budget.pk]): STAFF,
        reverse("ventures:assessment", args=[a.pk]): STAFF | STARTUP_ACTING | {"startup_member"},
        reverse("ventures:assessment", args=[private.pk]): {"sme_admin", "sme_staff"},
        reverse("ventures:request", args=[r.pk]): STAFF | STARTUP_ACTING,
        reverse("ventures:slot_ics", args=[slot.pk]): STAFF | STARTUP_ACTING,
    }
    for url, allowed in checks.items():
        assert c.get(url).status_code == _expected(role, allowed), url
    # Missing ids answer the same as hidden ones.
    if role != "anonymous":
        assert c.get(reverse("ventures:request", args=[r.pk + 999])).status_code == 404
    # Public pages.
    assert c.get(reverse("ventures:centre")).status_code == 200
    assert c.get(reverse("ventures:office_hours")).status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_assign_from_the_page(client, centre_world, role):  # noqa: F811
    w = centre_world
    r = service.request_create(user=w.founder, service=w.service, organization=w.startup_org)
    response = _as(client, w, role).post(reverse("ventures:request_assign", args=[r.pk]),
                                         {"expert": w.centre_staff.pk})
    r.refresh_from_db()
    if role in STAFF:
        assert response.status_code == 302 and r.expert == w.centre_staff
    else:
        assert response.status_code in (302, 404) and r.expert is None
        if role != "anonymous":
            assert response.status_code == 404


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_approve_from_the_page(client, centre_world, role):  # noqa: F811
    w = centre_world
    grant = grants.grant_apply(user=w.founder, budget=w.budget, startup=w.startup_org, amount="300", purpose="x")
    response = _as(client, w, role).post(reverse("ventures:grant_approve", args=[grant.pk]), {"amount": "300"})
    grant.refresh_from_db()
    assert (grant.status == "approved") == (role in STAFF)
    if role not in STAFF and role != "anonymous":
        assert response.status_code == 404


def test_user_text_is_escaped(client, centre_world):  # noqa: F811
    w = centre_world
    r = service.request_create(user=w.founder, service=w.service, organization=w.startup_org,
                               note="<script>alert(1)</script>")
    client.force_login(w.centre_staff)
    body = client.get(reverse("ventures:request", args=[r.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def _fill(w, n):
    """n requests from two organizations, assigned or cancelled (so the same service can be asked again)."""
    for i in range(n):
        org, by = (w.sme, w.sme_admin) if i % 2 else (w.startup_org, w.founder)
        row = service.request_create(user=by, service=w.services[i % 4], organization=org)
        if i % 3 == 2:
            service.request_cancel(user=by, service_request=row)
        else:
            service.request_assign(actor=w.centre_admin, service_request=row, expert=w.centre_staff)


def _queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_lists_take_a_constant_number_of_queries(client, centre_world, django_assert_max_num_queries, size):  # noqa: F811
    w = centre_world
    _fill(w, size)
    for i in range(size):
        start = timezone.now() + timedelta(days=1 + i)
        slot = service.slot_create(actor=w.centre_admin, centre=w.centre, expert=w.centre_staff, starts_at=start,
                                   ends_at=start + timedelta(minutes=30))
        if i % 2:
            service.slot_book(user=w.founder, slot=slot, organization=w.startup_org)
        g = grants.grant_apply(user=w.founder, budget=w.budget, startup=w.startup_org, amount="10", purpose="x") \
            if i < 3 else None
        if g is not None and i % 2:
            grants.grant_approve(actor=w.centre_admin, grant=g, amount="5")
        service.assessment_submit(user=w.sme_admin, organization=w.sme, answers=answers(2), share_with=w.centre)
    client.force_login(w.centre_staff)
    _queries(client, reverse("ventures:queue") + "?status=", django_assert_max_num_queries, 14)
    _queries(client, reverse("ventures:office_hours"), django_assert_max_num_queries, 14)
    _queries(client, reverse("ventures:budget", args=[w.budget.pk]), django_assert_max_num_queries, 14)
    _queries(client, reverse("ventures:assessments_shared"), django_assert_max_num_queries, 12)
    _queries(client, reverse("ventures:centre"), django_assert_max_num_queries, 20)
    client.force_login(w.founder)
    _queries(client, reverse("ventures:requests_mine"), django_assert_max_num_queries, 10)
    _queries(client, reverse("ventures:credits"), django_assert_max_num_queries, 16)
    _queries(client, reverse("ventures:centre"), django_assert_max_num_queries, 20)
