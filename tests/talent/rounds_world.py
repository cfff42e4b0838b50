"""A matching round and the people around it, for the rounds tests (imported as a fixture)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from forward.core.models import Membership, OrganizationKind, Role
from forward.talent import rounds as svc
from forward.talent.models import Application, MatchRound, Opening, OpeningStatus, Stage
from tests.conftest import make_organization, make_user


class World:
    pass


def opening(org, title: str, seats: int = 1) -> Opening:
    return Opening.objects.create(organization=org, title=title, seats=seats, status=OpeningStatus.OPEN,
                                  published_at=timezone.now())


def interviewed(user, opening_, stage: str = Stage.INTERVIEW) -> Application:
    return Application.objects.create(opening=opening_, applicant=user, stage=stage)


def close_ranking(match_round: MatchRound) -> MatchRound:
    """Move the timeline so that ranking has closed."""
    now = timezone.now()
    MatchRound.objects.filter(pk=match_round.pk).update(
        applications_close=now - timedelta(days=3), interviews_close=now - timedelta(days=2),
        ranking_close=now - timedelta(minutes=1))
    match_round.refresh_from_db()
    return match_round


def ranking_timeline() -> dict:
    now = timezone.now()
    return {"applications_close": now - timedelta(days=3), "interviews_close": now - timedelta(days=1),
            "ranking_close": now + timedelta(days=1), "acceptance_close": now + timedelta(days=7)}


@pytest.fixture
def rw(db):
    """Every role around one career office's round in its ranking phase:

    - Straits (verified employer): admin `emp_admin`, staff `emp_staff`; openings o1 (1 seat), o2 (2 seats)
    - Cloudwave (verified employer): admin `other_admin`; opening o3 (1 seat)
    - Shady (unverified employer): admin `unverified_admin`; Kopi (verified, no opening in the round):
      admin `stranger_admin`
    - NUS (verified university): admin `uni_admin` runs the round; Other U: admin `other_uni_admin`
    - candidates alice, bob, carol (interviewed); dave applied only (not a candidate); operator
    """
    w = World()
    w.operator = make_user("op@forward.test", "Olga Operator", is_staff=True)
    w.emp_admin = make_user("hr@straits.test", "Hari HR")
    w.emp_staff = make_user("staff@straits.test", "Sam Staff")
    w.other_admin = make_user("hr@cloudwave.test", "Chen Cloud")
    w.unverified_admin = make_user("boss@shady.test", "Shay Shady")
    w.stranger_admin = make_user("hr@kopi.test", "Kofi Kopi")
    w.uni_admin = make_user("career@nus.test", "Cara Career")
    w.other_uni_admin = make_user("career@other.test", "Oscar Other")
    w.alice = make_user("alice@student.test", "Alice Tan")
    w.bob = make_user("bob@student.test", "Bob Lim")
    w.carol = make_user("carol@student.test", "Carol Ng")
    w.dave = make_user("dave@student.test", "Dave Applied")
    w.straits = make_organization(creator=w.emp_admin, name="Straits Fintech", kind=OrganizationKind.EMPLOYER,
                                  country="SG")
    Membership.objects.create(user=w.emp_staff, organization=w.straits, role=Role.STAFF)
    w.cloudwave = make_organization(creator=w.other_admin, name="Cloudwave", kind=OrganizationKind.EMPLOYER,
                                    country="CN")
    w.shady = make_organization(creator=w.unverified_admin, name="Shady", kind=OrganizationKind.EMPLOYER,
                                country="SG", verified=False)
    w.kopi = make_organization(creator=w.stranger_admin, name="Kopi Commerce", kind=OrganizationKind.EMPLOYER,
                               country="MY")  # verified, nothing in the round
    w.uni = make_organization(creator=w.uni_admin, name="NUS", kind=OrganizationKind.UNIVERSITY, country="SG")
    w.other_uni = make_organization(creator=w.other_uni_admin, name="Other U", kind=OrganizationKind.UNIVERSITY,
                                    country="MY")
    for student in (w.alice, w.bob, w.carol, w.dave):
        Membership.objects.create(user=student, organization=w.uni, role=Role.MEMBER)
    w.o1 = opening(w.straits, "Data intern", 1)
    w.o2 = opening(w.straits, "Cloud intern", 2)
    w.o3 = opening(w.cloudwave, "ML intern", 1)
    w.shady_opening = opening(w.shady, "Shady intern", 1)
    for student in (w.alice, w.bob, w.carol):
        for o in (w.o1, w.o2, w.o3):
            interviewed(student, o)
    Application.objects.create(opening=w.o1, applicant=w.dave, stage=Stage.APPLIED)
    w.round = svc.round_create(actor=w.uni_admin, name="Summer 2027", organization=w.uni, **ranking_timeline())
    for o in (w.o1, w.o2, w.o3):
        svc.round_add_opening(actor=w.uni_admin, match_round=w.round, opening=o)
    svc.round_announce(actor=w.uni_admin, match_round=w.round)
    w.round.refresh_from_db()
    return w


def rank_all(w, *, candidates: dict | None = None, employers: dict | None = None) -> None:
    """Submit rankings: candidates {user: [openings]} and employers {opening: [users]}."""
    for user, openings in (candidates or {}).items():
        svc.candidate_rank_set(user=user, match_round=w.round, openings=[str(o.uuid) for o in openings])
    for o, users in (employers or {}).items():
        actor = w.emp_admin if o.organization_id == w.straits.pk else w.other_admin
        svc.employer_rank_set(actor=actor, match_round=w.round, opening=o, candidates=[u.pk for u in users])


def standard_rankings(w) -> None:
    """alice, bob, carol all want o1 first; o1 (1 seat) ranks bob first; o3 ranks nobody but carol."""
    rank_all(w, candidates={w.alice: [w.o1, w.o2, w.o3], w.bob: [w.o1, w.o3], w.carol: [w.o1, w.o3, w.o2]},
             employers={w.o1: [w.bob, w.alice, w.carol], w.o2: [w.alice, w.carol], w.o3: [w.carol]})
