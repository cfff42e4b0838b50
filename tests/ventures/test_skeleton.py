"""The ventures skeleton: who counts as what, by the roles others granted."""

from __future__ import annotations

import pytest

from forward.ventures import permissions
from tests.conftest import client_for

from .conftest import ROLES


@pytest.mark.parametrize("role", ROLES)
def test_powers_come_from_granted_roles(ventures, role):
    w = ventures
    user = w.actor(role)
    assert permissions.is_investor(user) == (role in {"investor", "investor_staff", "other_investor", "operator"})
    assert permissions.is_programme_staff(user) == (role in {"centre_admin", "centre_staff", "operator"})
    assert permissions.can_act_for_startup(user, w.startup_org) == (role in {"founder", "teammate", "operator"})
    assert permissions.can_prepare_startup(user, w.unverified_startup.organization) == (
        role in {"unverified_founder", "operator"})
    assert permissions.can_act_for_startup(user, w.unverified_startup.organization) == (role == "operator")
    assert permissions.can_run_programme(user, w.centre) == (role in {"centre_admin", "centre_staff", "operator"})
    assert permissions.can_run_programme(user, w.unverified_centre) == (role == "operator")


def test_an_investor_kind_set_by_oneself_grants_nothing(ventures):
    """The unverified investor's admin named their organization and chose its kind: no investor powers."""
    w = ventures
    assert not permissions.can_act_for_investor(w.unverified_investor, w.unverified_fund)
    assert not permissions.is_investor(w.unverified_investor)


def test_home_page_shows_each_role_its_way_in(ventures):
    w = ventures
    page = client_for(None).get("/ventures/")
    assert page.status_code == 200
    assert b'data-testid="ventures-staff"' not in page.content
    page = client_for(w.centre_staff).get("/ventures/")
    assert b'data-testid="ventures-staff"' in page.content
