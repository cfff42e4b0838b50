"""An impact world: people in every role, universities, two measures fed from rows held in memory (so
the pages, exports and API are tested apart from the sources), their rollups, and targets."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils.translation import gettext_lazy as _

from forward.core.models import Membership, OrganizationKind, Role
from forward.impact import rollup
from forward.impact.measures import REGISTRY, Measure
from forward.impact.models import Target
from tests.conftest import make_organization, make_user

TODAY = date(2026, 11, 15)
START = date(2024, 12, 1)
ROLES = ["anonymous", "student", "uni_admin", "other_admin", "unverified_admin", "operator"]


class World:
    pass


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


@pytest.fixture
def world(db):
    w = World()
    w.operator = make_user("ops@forward.test", "Opal Operator", is_staff=True, country="SG")
    w.uni_admin = make_user("admin@nus.test", "Ada Admin", country="SG")
    w.student = make_user("student@nus.test", "Sam Student", country="SG")
    w.other_admin = make_user("admin@um.test", "Otto Other", country="MY")
    w.unverified_admin = make_user("admin@fake.test", "Una Unverified", country="ID")
    w.uni = make_organization(creator=w.uni_admin, name="National University", kind=OrganizationKind.UNIVERSITY,
                              country="SG")
    Membership.objects.create(user=w.student, organization=w.uni, role=Role.MEMBER)
    w.other_uni = make_organization(creator=w.other_admin, name="Universiti Malaya", kind=OrganizationKind.UNIVERSITY,
                                    country="MY")
    w.fake_uni = make_organization(creator=w.unverified_admin, name="National University", verified=False,
                                   kind=OrganizationKind.UNIVERSITY, country="ID")
    w.users = {"anonymous": None, "student": w.student, "uni_admin": w.uni_admin, "other_admin": w.other_admin,
               "unverified_admin": w.unverified_admin, "operator": w.operator}

    # Talents: 40 people at National University (SG), 12 at Universiti Malaya (MY), 3 in Indonesia with no
    # university (a small group: shown as "< 5" to the public), over two years; programme 0 throughout.
    people = []
    for i in range(40):
        people.append((1000 + i, START + timedelta(days=17 * i), "SG", 0, w.uni.pk))
    for i in range(12):
        people.append((2000 + i, START + timedelta(days=50 * i), "MY", 0, w.other_uni.pk))
    for i in range(3):
        people.append((3000 + i, START + timedelta(days=200 + 30 * i), "ID", 0, 0))
    w.talent_rows = [(entity, day, country, programme, university, 1, "") for entity, day, country, programme, university
                     in people if day <= TODAY]
    w.funding_rows = [(1, date(2025, 6, 1), "SG", 0, 0, 500_000, "USD"), (2, date(2025, 9, 1), "SG", 0, 0, 250_000, "USD"),
                      (3, date(2026, 2, 1), "MY", 0, 0, 1_000_000, "SGD")]
    names = {row[0]: (f"Person {row[0]}", "") for row in people}

    def source(rows):
        def read(entities):
            wanted = None if entities is None else set(entities)
            return [r for r in rows if wanted is None or r[0] in wanted]
        return read

    saved = dict(REGISTRY)
    REGISTRY.clear()
    REGISTRY["talents"] = Measure(
        slug="talents", name=_("Talents cultivated"),
        definition=_("People who completed a course or hold a credential from the platform."), noun=_("people"),
        rows=source(w.talent_rows), changed=lambda since, until: [],
        describe=lambda ids: {i: names[i] for i in ids if i in names})
    REGISTRY["funding"] = Measure(
        slug="funding", name=_("Funding raised"), definition=_("Confirmed investments in programme startups."),
        noun=_("investments"), rows=source(w.funding_rows), changed=lambda since, until: [], money=True,
        describe=lambda ids: {i: (f"Investment {i}", "") for i in ids})
    rollup.rebuild(now=at(TODAY))

    w.target_all = Target.objects.create(measure="talents", title="Talents across the region", value=120,
                                         starts_on=START, deadline=date(2027, 11, 30), order=1)
    w.target_uni = Target.objects.create(measure="talents", title="National University talents", value=45,
                                         starts_on=START, deadline=date(2027, 3, 31), university=w.uni, order=2)
    w.target_funding = Target.objects.create(measure="funding", unit="USD", title="Funding raised", value=2_000_000,
                                             starts_on=START, deadline=date(2027, 11, 30), order=3)
    yield w
    REGISTRY.clear()
    REGISTRY.update(saved)
