"""One operator rule (issue 18, §3): the talent tabs once offered "Our openings" to `is_staff` only,
so a superuser who was not staff lost it. Now staff and superusers alike are operators
(`core.permissions.is_operator`): both see the tab, reach the employers' openings and feature an
opening; a signed-in person who is neither gets none of it."""

import pytest

from forward.core.models import AuditEvent
from forward.talent.models import Opening
from tests.conftest import client_for, make_user
from tests.talent.test_openings import opening_world, published  # noqa: F401

OPERATORS = {
    "staff, not superuser": {"is_staff": True, "is_superuser": False},
    "superuser, not staff": {"is_staff": False, "is_superuser": True},
}


@pytest.mark.parametrize("flags", OPERATORS.values(), ids=OPERATORS.keys())
def test_staff_and_superusers_alike_get_the_employer_tab_and_feature_openings(world, flags):
    operator = make_user("root@forward.test", "Ro Ot", **flags)
    client = client_for(operator)
    page = client.get("/talent/openings/").content.decode()
    assert 'href="/talent/employers/"' in page and "Our openings" in page
    employers = client.get("/talent/employers/", follow=True).content.decode()
    assert world.acme.name in employers  # every employer, as for any operator

    opening = published(world)
    assert client.post(f"/talent/openings/{opening.uuid}/feature/").status_code == 302
    assert Opening.objects.get(pk=opening.pk).featured_at is not None
    assert AuditEvent.objects.filter(action="opening.feature", actor=operator).count() == 1


def test_a_signed_in_person_who_is_neither_gets_no_employer_tab_and_features_nothing(world):
    client = client_for(make_user("someone@else.test", "Some One"))
    page = client.get("/talent/openings/").content.decode()
    assert "Our openings" not in page
    opening = published(world)
    assert client.post(f"/talent/openings/{opening.uuid}/feature/").status_code == 404
    assert Opening.objects.get(pk=opening.pk).featured_at is None
