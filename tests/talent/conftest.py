"""Shared talent fixtures: people in every role around a verified employer and a verified
university whose student holds credentials of every kind.

`talent` (the world) gives:
- operator: site staff;
- employer_admin, employer_staff, employer_member: admin, staff and plain member of the verified
  employer `employer`;
- other_admin: admin of another verified employer; unverified_admin: admin of an unverified one;
- uni_admin: admin of the verified university `university`; student: its student, who holds
  credentials (see `issue_holdings`); classmate: another of its students, with none;
- other_uni_admin: admin of another verified university;
- outsider: signed in, in no organization.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from forward.core.models import Membership, OrganizationKind, Role, Skill
from forward.credentials import documents
from forward.credentials import services as credentials
from forward.credentials.models import CredentialKind
from tests.conftest import make_organization, make_user

ROLES = ["anonymous", "student", "classmate", "outsider", "employer_member", "employer_admin", "employer_staff",
         "other_admin", "unverified_admin", "uni_admin", "other_uni_admin", "operator"]
PARTNERS = {"employer_admin", "employer_staff", "other_admin", "operator"}


class TalentWorld:
    def actor(self, role: str):
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser() if role == "anonymous" else getattr(self, role)


def committed():
    """Run what waits for commit (holdings_changed, emails) when the block ends, as a real
    transaction would; tests run inside one that never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def award(*, recipient, issuer, kind: str, key: str, name: str, facts: dict, detail: str = "",
          valid_until=None, valid_from=None) -> documents.Award:
    return documents.Award(
        recipient=recipient, issuer=issuer, kind=kind, achievement_key=key, name=name, detail=detail,
        achievement=documents.achievement(id=f"https://forward.test/achievements/{key}", kind="Course", name=name,
                                          description=name, criteria="Earn it."),
        facts=facts, valid_until=valid_until, valid_from=valid_from)


def issue_holdings(w: TalentWorld, user) -> dict:
    """A course certificate (92%, distinction; python, sql), a professional certification (valid;
    cloud-computing), an associate certification that expired (machine-learning), a programme
    completion (python) and a competition placing (2nd of 40, percentile 97.5; machine-learning)."""
    now = timezone.now()
    skill = lambda slug: {"slug": slug, "name": Skill.objects.get(slug=slug).name}  # noqa: E731
    awards = [
        award(recipient=user, issuer=w.university, kind=CredentialKind.COURSE_ACHIEVEMENT, key=f"course:{user.pk}",
              name="Data Engineering with Python", detail="Distinction · 92%",
              facts={"skills": [skill("python"), skill("sql")], "grade": 0.92, "designation": "distinction"}),
        award(recipient=user, issuer=w.university, kind=CredentialKind.CERTIFICATION, key=f"cert:{user.pk}",
              name="Cloud Professional", detail="Professional",
              facts={"skills": [skill("cloud-computing")], "level": 2, "level_name": "Professional",
                     "track": "Cloud"}, valid_until=now + timedelta(days=700)),
        award(recipient=user, issuer=w.university, kind=CredentialKind.CERTIFICATION, key=f"old:{user.pk}",
              name="Machine Learning Associate", detail="Associate",
              facts={"skills": [skill("machine-learning")], "level": 1, "level_name": "Associate",
                     "track": "AI"}, valid_from=now - timedelta(days=800), valid_until=now - timedelta(days=30)),
        award(recipient=user, issuer=w.university, kind=CredentialKind.PROGRAMME, key=f"prog:{user.pk}",
              name="Cloud Data MiniMasters", facts={"skills": [skill("python")]}),
        award(recipient=user, issuer=w.lab, kind=CredentialKind.COMPETITION, key=f"comp:{user.pk}",
              name="Repeat Buyers Challenge", detail="2nd of 40 teams",
              facts={"skills": [skill("machine-learning")], "rank": 2, "teams": 40, "percentile": 97.5}),
    ]
    with committed():
        issued = credentials.issue(awards)
    return {c.achievement_key.split(":")[0]: c for c in issued}


@pytest.fixture
def talent(db, settings, tmp_path) -> TalentWorld:
    settings.MEDIA_ROOT = tmp_path / "files"
    w = TalentWorld()
    for slug, name in (("python", "Python"), ("sql", "SQL"), ("cloud-computing", "Cloud computing"),
                       ("machine-learning", "Machine learning")):
        Skill.objects.get_or_create(slug=slug, defaults={"name": name})
    w.operator = make_user("ops@forward.test", "Olivia Operator", is_staff=True)
    w.employer_admin = make_user("hr@straits.test", "Hana HR", country="SG")
    w.employer_staff = make_user("recruiter@straits.test", "Rex Recruiter", country="SG")
    w.employer_member = make_user("intern@straits.test", "Ian Intern", country="SG")
    w.other_admin = make_user("hr@cloudwave.test", "Chen Other", country="CN")
    w.unverified_admin = make_user("boss@shady.test", "Una Verified", country="ID")
    w.uni_admin = make_user("careers@ntu.test", "Carla Careers", country="SG")
    w.other_uni_admin = make_user("careers@zju.test", "Zed Zhejiang", country="CN")
    w.student = make_user("student@ntu.test", "Siti Student", country="SG")
    w.classmate = make_user("classmate@ntu.test", "Cal Classmate", country="SG")
    w.outsider = make_user("outsider@example.test", "Olu Outsider", country="ID")
    w.employer = make_organization(creator=w.employer_admin, name="Straits Fintech", kind=OrganizationKind.EMPLOYER,
                                   country="SG")
    Membership.objects.create(user=w.employer_staff, organization=w.employer, role=Role.STAFF)
    Membership.objects.create(user=w.employer_member, organization=w.employer, role=Role.MEMBER)
    w.other_employer = make_organization(creator=w.other_admin, name="Cloudwave", kind=OrganizationKind.EMPLOYER,
                                         country="CN")
    w.unverified_employer = make_organization(creator=w.unverified_admin, name="Shady Jobs",
                                              kind=OrganizationKind.EMPLOYER, country="ID", verified=False)
    w.university = make_organization(creator=w.uni_admin, name="Nanyang Tech", kind=OrganizationKind.UNIVERSITY,
                                     country="SG")
    Membership.objects.create(user=w.student, organization=w.university, role=Role.MEMBER)
    Membership.objects.create(user=w.classmate, organization=w.university, role=Role.MEMBER)
    w.other_university = make_organization(creator=w.other_uni_admin, name="Zhejiang Uni",
                                           kind=OrganizationKind.UNIVERSITY, country="CN")
    w.lab_admin = make_user("host@lab.test", "Lab Host", country="CN")
    w.lab = make_organization(creator=w.lab_admin, name="Data Lab", kind=OrganizationKind.HOST, country="CN")
    w.credentials = issue_holdings(w, w.student)
    return w
