"""Shared ventures fixtures: people in every role around startups, investors and an innovation
centre.

`ventures` (the world) gives:
- operator: site staff;
- founder, teammate, startup_member: admin, staff and plain member of the verified startup
  `startup` (Startup row `w.startup`, Malaysia, seed, AI and data + fintech, raising USD 1.2M SAFE);
- other_founder: admin of another verified startup `other_startup` (Indonesia, pre-seed, edtech);
- unverified_founder: admin of the unverified startup `unverified_startup`;
- investor, investor_staff: admin and staff of the verified investor `fund` (Investor `w.investor`:
  AI and data + fintech, pre-seed/seed, MY/SG/ID, USD 100k–1.5M, leads);
- other_investor: admin of another verified investor `other_fund` (climate, series A, CN);
- unverified_investor: admin of the unverified investor `unverified_fund`;
- centre_admin, centre_staff: admin and staff of the verified innovation centre `centre`;
- unverified_centre_admin: admin of an unverified innovation centre `unverified_centre`;
- employer_admin: admin of a verified employer (an organization of another kind);
- outsider: signed in, in no organization.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from forward.core.models import Membership, OrganizationKind, Role
from forward.ventures.models import (
    Currency,
    Instrument,
    Investor,
    LeadStyle,
    Sector,
    Stage,
    Startup,
    TeamMember,
)
from tests.conftest import make_organization, make_user

ROLES = ["anonymous", "outsider", "founder", "teammate", "startup_member", "other_founder", "unverified_founder",
         "investor", "investor_staff", "other_investor", "unverified_investor", "centre_admin", "centre_staff",
         "unverified_centre_admin", "employer_admin", "operator"]


class VenturesWorld:
    def actor(self, role: str):
        return AnonymousUser() if role == "anonymous" else getattr(self, role)


def committed():
    """Run what waits for commit (emails, tasks) when the block ends, as a real transaction would;
    tests run inside one that never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def make_startup(*, admin, name: str, country: str, verified: bool = True, **fields) -> Startup:
    org = make_organization(creator=admin, name=name, kind=OrganizationKind.STARTUP, country=country,
                            verified=verified)
    startup = Startup.objects.create(organization=org, **fields)
    TeamMember.objects.create(startup=startup, user=admin, title="CEO & co-founder")
    return startup


def make_investor(*, admin, name: str, country: str, verified: bool = True, **fields) -> Investor:
    org = make_organization(creator=admin, name=name, kind=OrganizationKind.INVESTOR, country=country,
                            verified=verified)
    return Investor.objects.create(organization=org, **fields)


@pytest.fixture
def ventures(db) -> VenturesWorld:
    w = VenturesWorld()
    w.operator = make_user("operator@ventures.test", "Olivia Operator", is_staff=True, preferred_language="en")
    mk = lambda email, name: make_user(email, name, preferred_language="en")  # noqa: E731

    w.founder = mk("founder@ventures.test", "Farah Founder")
    w.teammate = mk("teammate@ventures.test", "Tan Teammate")
    w.startup_member = mk("member@ventures.test", "Mei Member")
    w.startup = make_startup(
        admin=w.founder, name="Padi Sense", country="MY", one_liner="Drone imagery for rice farmers.",
        sectors=[Sector.AI_DATA, Sector.FINTECH], stage=Stage.SEED, raising_amount=Decimal("1200000"),
        raising_currency=Currency.USD, raising_instrument=Instrument.SAFE)
    w.startup_org = w.startup.organization
    Membership.objects.create(user=w.teammate, organization=w.startup_org, role=Role.STAFF)
    Membership.objects.create(user=w.startup_member, organization=w.startup_org, role=Role.MEMBER)
    TeamMember.objects.create(startup=w.startup, user=w.teammate, title="CTO", order=1)

    w.other_founder = mk("other-founder@ventures.test", "Oscar Other")
    w.other_startup = make_startup(admin=w.other_founder, name="Garuda Learn", country="ID",
                                   one_liner="Exam practice over chat.", sectors=[Sector.EDTECH],
                                   stage=Stage.PRE_SEED)
    w.unverified_founder = mk("unverified-founder@ventures.test", "Uma Unverified")
    w.unverified_startup = make_startup(admin=w.unverified_founder, name="Shadow Startup", country="MY",
                                        verified=False, sectors=[Sector.AI_DATA], stage=Stage.SEED)

    w.investor = mk("investor@ventures.test", "Ivan Investor")
    w.investor_staff = mk("analyst@ventures.test", "Ana Analyst")
    w.fund_investor = make_investor(
        admin=w.investor, name="Lion City Ventures", country="SG", sectors=[Sector.AI_DATA, Sector.FINTECH],
        stages=[Stage.PRE_SEED, Stage.SEED], countries=["MY", "SG", "ID"], ticket_min=Decimal("100000"),
        ticket_max=Decimal("1500000"), ticket_currency=Currency.USD, lead_style=LeadStyle.LEADS,
        thesis="Data infrastructure for South-East Asia.")
    w.fund = w.fund_investor.organization
    Membership.objects.create(user=w.investor_staff, organization=w.fund, role=Role.STAFF)
    w.other_investor = mk("other-investor@ventures.test", "Otto Other")
    w.other_fund = make_investor(admin=w.other_investor, name="Jade Harbour", country="CN",
                                 sectors=[Sector.CLIMATE], stages=[Stage.SERIES_A], countries=["CN"]).organization
    w.unverified_investor = mk("unverified-investor@ventures.test", "Victor Unverified")
    w.unverified_fund = make_investor(admin=w.unverified_investor, name="Too Good Capital", country="SG",
                                      verified=False, sectors=[Sector.AI_DATA], stages=[Stage.SEED]).organization

    w.centre_admin = mk("centre-admin@ventures.test", "Citra Centre")
    w.centre_staff = mk("centre-staff@ventures.test", "Sam Staff")
    w.centre = make_organization(creator=w.centre_admin, name="Innovation Centre KL",
                                 kind=OrganizationKind.INNOVATION_CENTRE, country="MY")
    Membership.objects.create(user=w.centre_staff, organization=w.centre, role=Role.STAFF)
    w.unverified_centre_admin = mk("fake-centre@ventures.test", "Fay Fake")
    w.unverified_centre = make_organization(creator=w.unverified_centre_admin, name="Totally Real Centre",
                                            kind=OrganizationKind.INNOVATION_CENTRE, country="MY", verified=False)
    w.employer_admin = mk("employer@ventures.test", "Eve Employer")
    w.employer = make_organization(creator=w.employer_admin, name="Kopi Commerce", kind=OrganizationKind.EMPLOYER,
                                   country="MY")
    w.outsider = mk("outsider@ventures.test", "Otis Outsider")
    return w
