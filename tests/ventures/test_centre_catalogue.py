"""The centre's staff manage its services catalogue (add, edit, retire, reactivate) through the
services, the pages and the API, for every role; bad input gets a message saying what to fix; a
retired service takes no new request while its existing ones carry on; lists keep a constant number
of queries."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from forward.core.models import AuditEvent
from forward.ventures import services_catalogue as catalogue
from forward.ventures import services_centre as service
from forward.ventures.models import CentreService, RequestStatus

from .centre_world import CENTRE_ROLES, centre_world  # noqa: F401
from .conftest import ROLES
from .test_centre_api import Caller

pytestmark = pytest.mark.django_db
ALL_ROLES = ROLES + CENTRE_ROLES
STAFF = {"centre_admin", "centre_staff", "operator"}
FIELDS = {"name": "Security hardening clinic", "description": "Two days on your cloud accounts.",
          "areas": ["security", "cloud"], "assign_within_days": 1, "done_within_days": 8}


def _create(w, actor, **overrides):
    return catalogue.service_create(actor=actor, centre=w.centre, **{**FIELDS, **overrides})


def _update(w, actor, row, **overrides):
    fields = {"name": row.name, "description": row.description, "areas": row.areas,
              "assign_within_days": row.assign_within_days, "done_within_days": row.done_within_days}
    return catalogue.service_update(actor=actor, service=row, **{**fields, **overrides})


# --- services ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_manage_the_catalogue(centre_world, role):  # noqa: F811
    w = centre_world
    actor = w.actor(role)
    row = w.service
    actions = [lambda: _create(w, actor), lambda: _update(w, actor, row, name="Cloud migration review"),
               lambda: catalogue.service_set_active(actor=actor, service=row, active=False),
               lambda: catalogue.service_set_active(actor=actor, service=row, active=True)]
    for action in actions:
        if role in STAFF:
            action()
        else:
            with pytest.raises(PermissionDenied):
                action()
    row.refresh_from_db()
    assert row.active
    assert (row.name == "Cloud migration review") == (role in STAFF)
    assert CentreService.objects.filter(name=FIELDS["name"]).exists() == (role in STAFF)


def test_an_unverified_centre_has_no_catalogue_to_manage(centre_world):  # noqa: F811
    w = centre_world
    for actor in (w.unverified_centre_admin, w.operator):
        with pytest.raises(PermissionDenied):
            catalogue.service_create(actor=actor, centre=w.unverified_centre, **FIELDS)


def test_create_edit_retire_and_reactivate(centre_world):  # noqa: F811
    w = centre_world
    row = _create(w, w.centre_staff)
    assert row.active and row.slug == "security-hardening-clinic" and row.areas == ["cloud", "security"]
    assert row.order == max(s.order for s in w.services) + 1
    assert row in service.catalogue(centre=w.centre)
    edited = _update(w, w.centre_admin, row, name="  Security   clinic ", assign_within_days=3, done_within_days=3)
    assert (edited.name, edited.slug, edited.assign_within_days, edited.done_within_days) == (
        "Security clinic", "security-hardening-clinic", 3, 3)
    catalogue.service_set_active(actor=w.centre_staff, service=row, active=False)
    catalogue.service_set_active(actor=w.centre_staff, service=row, active=False)  # a double click
    assert row not in service.catalogue(centre=w.centre)
    assert AuditEvent.objects.filter(action="ventures.centre.service_retire").count() == 1
    catalogue.service_set_active(actor=w.centre_staff, service=row, active=True)
    assert row in service.catalogue(centre=w.centre)
    assert list(catalogue.catalogue_for_staff(centre=w.centre).values_list("name", flat=True))[-1] == "Security clinic"


@pytest.mark.parametrize("fields, field, message", [
    ({"name": "   "}, "name", "Give the service a name."),
    ({"name": "x" * 121}, "name", "Keep the name to 120 characters."),
    ({"name": "cloud MIGRATION assessment"}, "name", "already has a service called"),
    ({"assign_within_days": -1}, "assign_within_days", "from 0 to 250"),
    ({"done_within_days": -5}, "done_within_days", "from 0 to 250"),
    ({"done_within_days": 251}, "done_within_days", "from 0 to 250"),
    ({"assign_within_days": 9, "done_within_days": 4}, "done_within_days", "cannot come before"),
    ({"areas": ["cloud", "marketing"]}, "areas", "Unknown readiness area: marketing"),
    ({"order": -1}, "order", "Give a position from 0 to 999."),
])
def test_bad_input_says_what_to_fix(centre_world, fields, field, message):  # noqa: F811
    w = centre_world
    with pytest.raises(ValidationError) as caught:
        _create(w, w.centre_admin, **fields)
    assert message in " ".join(caught.value.message_dict[field])
    with pytest.raises(ValidationError) as caught:
        _update(w, w.centre_admin, w.services[1], **fields)
    assert message in " ".join(caught.value.message_dict[field])
    assert not CentreService.objects.filter(name=FIELDS["name"]).exists()


def test_a_name_may_repeat_in_another_centre_and_keep_its_own(centre_world):  # noqa: F811
    w = centre_world
    assert _update(w, w.centre_admin, w.service, description="New words").name == "Cloud migration assessment"
    w.unverified_centre.verified_at = w.centre.verified_at
    w.unverified_centre.save(update_fields=["verified_at"])
    other = catalogue.service_create(actor=w.unverified_centre_admin, centre=w.unverified_centre,
                                     **{**FIELDS, "name": "Cloud migration assessment"})
    assert other.slug == "cloud-migration-assessment"


def test_a_retired_service_takes_no_request_but_its_requests_carry_on(centre_world):  # noqa: F811
    w = centre_world
    row = service.request_create(user=w.founder, service=w.service, organization=w.startup_org)
    catalogue.service_set_active(actor=w.centre_admin, service=w.service, active=False)
    w.service.refresh_from_db()
    with pytest.raises(ValidationError, match="not offered"):
        service.request_create(user=w.sme_admin, service=w.service, organization=w.sme)
    service.request_assign(actor=w.centre_admin, service_request=row, expert=w.centre_staff)
    service.request_move(actor=w.centre_staff, service_request=row, to_status=RequestStatus.IN_PROGRESS)
    row.refresh_from_db()
    assert row.status == RequestStatus.IN_PROGRESS and row.service.name == "Cloud migration assessment"
    assert list(service.requests_mine(user=w.founder)) == [row]
    assert list(service.queue(centre=w.centre, status="open")) == [row]
    page = Client()
    page.force_login(w.founder)
    text = page.get(reverse("ventures:request", args=[row.pk])).content.decode()
    assert "Cloud migration assessment" in text and "Retired: no new requests" in text
    assert page.get(reverse("ventures:request_create", args=[w.service.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_staff_adding_the_same_name_at_once_make_one_service(centre_world):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite runs one writer at a time anyway")
    w = centre_world
    barrier, outcomes = threading.Barrier(2), []

    def add(actor):
        try:
            barrier.wait()
            _create(w, actor)
            outcomes.append("created")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(a,)) for a in (w.centre_admin, w.centre_staff)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[1] == "created" and "already has a service called" in sorted(outcomes)[0]
    assert CentreService.objects.filter(centre=w.centre, name=FIELDS["name"]).count() == 1


# --- pages -------------------------------------------------------------------------------------------

def _as(client, w, role):
    if role != "anonymous":
        client.force_login(w.actor(role))
    return client


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_on_the_catalogue_pages(client, centre_world, role):  # noqa: F811
    w = centre_world
    c = _as(client, w, role)
    staff = role in STAFF
    denied = 302 if role == "anonymous" else 404
    assert c.get(reverse("ventures:catalogue")).status_code == (200 if staff else denied)
    assert c.get(reverse("ventures:service_add")).status_code == (200 if staff else denied)
    assert c.get(reverse("ventures:service_edit", args=[w.service.pk])).status_code == (200 if staff else denied)
    added = c.post(reverse("ventures:service_add"), {**FIELDS, "centre": w.centre.slug})
    assert added.status_code == (302 if staff else denied)
    edited = c.post(reverse("ventures:service_edit", args=[w.service.pk]),
                    {**FIELDS, "name": "Cloud move", "areas": ["cloud"]})
    assert edited.status_code == (302 if staff else denied)
    retired = c.post(reverse("ventures:service_active", args=[w.services[1].pk]), {"active": "0"})
    assert retired.status_code == (302 if staff else denied)
    w.service.refresh_from_db()
    w.services[1].refresh_from_db()
    assert CentreService.objects.filter(name=FIELDS["name"]).exists() == staff
    assert (w.service.name == "Cloud move") == staff
    assert w.services[1].active != staff
    home = c.get(reverse("ventures:centre"))
    assert (reverse("ventures:catalogue") in home.content.decode()) == staff


def test_the_catalogue_page_shows_retired_services_and_open_requests(client, centre_world):  # noqa: F811
    w = centre_world
    service.request_create(user=w.founder, service=w.service, organization=w.startup_org)
    catalogue.service_set_active(actor=w.centre_admin, service=w.services[2], active=False)
    catalogue.service_update(actor=w.centre_admin, service=w.services[3], name="<b>Mentoring</b>",
                             description="", areas=[], assign_within_days=1, done_within_days=5)
    client.force_login(w.centre_staff)
    page = client.get(reverse("ventures:catalogue")).content.decode()
    assert "1 open" in page and "Retired" in page and "Offer again" in page
    assert "&lt;b&gt;Mentoring&lt;/b&gt;" in page and "<b>Mentoring</b>" not in page
    public = client.get(reverse("ventures:centre")).content.decode()
    assert "Data platform workshop" not in public.split('data-testid="centre-services"')[1]


def test_the_form_shows_what_to_fix(client, centre_world):  # noqa: F811
    w = centre_world
    client.force_login(w.centre_admin)
    url = reverse("ventures:service_add") + f"?centre={w.centre.slug}"
    page = client.post(url, {**FIELDS, "name": "", "assign_within_days": "-2", "done_within_days": "x"})
    text = page.content.decode()
    assert page.status_code == 200 and "Enter a whole number." in text
    page = client.post(url, {**FIELDS, "name": "", "assign_within_days": "-2"})
    text = page.content.decode()
    assert "Give the service a name." in text and "from 0 to 250" in text
    page = client.post(url, {**FIELDS, "name": "Architecture REVIEW"})
    assert "already has a service called" in page.content.decode()
    assert CentreService.objects.filter(centre=w.centre).count() == 4


# --- API ---------------------------------------------------------------------------------------------

def _code(role, ok=200):
    return 401 if role == "anonymous" else (ok if role in STAFF else 404)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_on_the_catalogue_api(centre_world, role):  # noqa: F811
    w = centre_world
    c = Caller(w.actor(role))
    url = "/api/v1/ventures/centre/services"
    listed = c.client.get(url + "/all", **c.headers)
    assert listed.status_code == _code(role)
    created = c.client.post(url, FIELDS, content_type="application/json", **c.headers)
    assert created.status_code == _code(role, 201)
    patched = c.client.patch(f"{url}/{w.service.pk}", {"done_within_days": 20}, content_type="application/json",
                             **c.headers)
    assert patched.status_code == _code(role)
    retired = c.client.post(f"{url}/{w.services[1].pk}/retire", **c.headers)
    assert retired.status_code == _code(role)
    if role in STAFF:
        assert listed.json()["count"] == 4 and listed.json()["results"][0]["active"] is True
        body = created.json()
        assert body["slug"] == "security-hardening-clinic" and body["areas"] == ["cloud", "security"]
        assert patched.json()["done_within_days"] == 20 and patched.json()["name"] == "Cloud migration assessment"
        assert retired.json()["active"] is False
        back = c.client.post(f"{url}/{w.services[1].pk}/reactivate", **c.headers)
        assert back.status_code == 200 and back.json()["active"] is True
    w.service.refresh_from_db()
    assert (w.service.done_within_days == 20) == (role in STAFF)


def test_api_bad_input_is_a_clear_400(centre_world):  # noqa: F811
    w = centre_world
    c = Caller(w.centre_admin)
    url = "/api/v1/ventures/centre/services"

    def post(path, body, patch=False):
        method = c.client.patch if patch else c.client.post
        return method(url + path, body, content_type="application/json", **c.headers)

    for body, message in (({**FIELDS, "name": " "}, "Give the service a name."),
                          ({**FIELDS, "assign_within_days": -3}, "from 0 to 250"),
                          ({**FIELDS, "name": "Mentoring office hours"}, "already has a service called")):
        response = post("", body)
        assert response.status_code == 400 and message in response.json()["detail"], body
    response = post(f"/{w.service.pk}", {"name": "Architecture review"}, patch=True)
    assert response.status_code == 400 and "already has a service called" in response.json()["detail"]
    response = post(f"/{w.service.pk}", {"assign_within_days": 30}, patch=True)
    assert response.status_code == 400 and "cannot come before" in response.json()["detail"]
    assert post("", {**FIELDS, "areas": ["marketing"]}).status_code == 422
    assert post("/999999/retire", {}).status_code == 404
    assert CentreService.objects.filter(centre=w.centre).count() == 4


@pytest.mark.parametrize("size", [2, 12])
def test_catalogue_lists_take_a_constant_number_of_queries(client, centre_world, size,  # noqa: F811
                                                           django_assert_max_num_queries):
    w = centre_world
    for i in range(size):
        row = _create(w, w.centre_admin, name=f"Service {i}")
        service.request_create(user=w.founder if i % 2 else w.sme_admin, service=row,
                               organization=w.startup_org if i % 2 else w.sme)
        if i % 3 == 0:
            catalogue.service_set_active(actor=w.centre_admin, service=row, active=False)
    client.force_login(w.centre_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("ventures:catalogue")).status_code == 200
    api = Caller(w.centre_staff)
    with django_assert_max_num_queries(10):
        response = api.client.get("/api/v1/ventures/centre/services/all", **api.headers)
    assert response.json()["count"] == 4 + size


def test_another_centres_service_is_not_found(centre_world):  # noqa: F811
    w = centre_world
    w.unverified_centre.verified_at = w.centre.verified_at
    w.unverified_centre.save(update_fields=["verified_at"])
    theirs = catalogue.service_create(actor=w.unverified_centre_admin, centre=w.unverified_centre, **FIELDS)
    staff = Client()
    staff.force_login(w.centre_staff)
    assert staff.get(reverse("ventures:service_edit", args=[theirs.pk])).status_code == 404
    assert staff.post(reverse("ventures:service_active", args=[theirs.pk]), {"active": "0"}).status_code == 404
    api = Caller(w.centre_staff)
    assert api.client.post(f"/api/v1/ventures/centre/services/{theirs.pk}/retire", **api.headers).status_code == 404
    theirs.refresh_from_db()
    assert theirs.active
