from __future__ import annotations

import pytest
from django.urls import reverse

from forward.ventures import services_centre as service

from .centre_world import answers, centre_world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_pages_render_for_founder_and_staff(client, centre_world):  # noqa: F811
    w = centre_world
    client.force_login(w.founder)
    assert client.get(reverse("ventures:centre")).status_code == 200
    assert client.get(reverse("ventures:assessment_take")).status_code == 200
    a = service.assessment_submit(user=w.founder, organization=w.startup_org, answers=answers(2), share_with=w.centre)
    assert client.get(reverse("ventures:assessment", args=[a.pk])).status_code == 200
    r = service.request_create(user=w.founder, service=w.service, organization=w.startup_org, note="help")
    assert client.get(reverse("ventures:request", args=[r.pk])).status_code == 200
    assert client.get(reverse("ventures:requests_mine")).status_code == 200
    assert client.get(reverse("ventures:office_hours")).status_code == 200
    assert client.get(reverse("ventures:credits")).status_code == 200
    client.force_login(w.centre_staff)
    for name in ("centre", "queue", "office_hours", "credits", "assessments_shared"):
        assert client.get(reverse(f"ventures:{name}")).status_code == 200, name
    assert client.get(reverse("ventures:request", args=[r.pk])).status_code == 200
    assert client.get(reverse("ventures:budget", args=[w.budget.pk])).status_code == 200
    assert client.get(reverse("ventures:assessment", args=[a.pk])).status_code == 200
