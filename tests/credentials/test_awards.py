"""Certifications and competitions earn credentials too."""

import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from forward.academy import certifications
from forward.academy.models import CertificationHolding
from forward.competitions import submissions
from forward.competitions.models import (
    Competition,
    CompetitionStatus,
    LeaderboardEntry,
    Phase,
    Submission,
    SubmissionStatus,
    Team,
    TeamMember,
)
from forward.core.models import OrganizationKind
from forward.credentials import selectors
from forward.credentials.models import Credential, CredentialKind
from tests.academy.test_certifications import _sit, world  # noqa: F401 - the certification world
from tests.conftest import make_organization, make_user

from .conftest import committed


def test_a_passed_certification_exam_issues_a_credential_that_expires_with_the_holding(
        world, django_capture_on_commit_callbacks):  # noqa: F811
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate, organization=world.ntu,
                                             count=1)
    certifications.voucher_redeem(user=world.student, code=voucher.code)
    with django_capture_on_commit_callbacks(execute=True):
        _sit(world.student, world.associate)
    holding = CertificationHolding.objects.get(user=world.student)
    credential = Credential.objects.get(recipient=world.student, kind=CredentialKind.CERTIFICATION)
    assert credential.source == f"academy.holding:{holding.pk}" and credential.valid_until == holding.expires_at.replace(microsecond=0)
    document = json.loads(credential.document)
    assert document["credentialSubject"]["achievement"]["achievementType"] == "Certification"
    assert "validUntil" in document and selectors.verify_data(credential.jwt).ok
    claims = json.loads(base64.urlsafe_b64decode(credential.jwt.split(".")[1] + "=="))
    assert claims["exp"] == int(credential.valid_until.timestamp())
    expired = selectors.verify_data(credential.jwt, now=holding.expires_at + timedelta(days=1))
    assert not expired.ok and expired.expired and "expired" in expired.reason


def test_a_failed_exam_issues_nothing(world, django_capture_on_commit_callbacks):  # noqa: F811
    voucher, = certifications.vouchers_issue(actor=world.admin, certification=world.associate, organization=world.ntu,
                                             count=1)
    certifications.voucher_redeem(user=world.student, code=voucher.code)
    with django_capture_on_commit_callbacks(execute=True):
        _sit(world.student, world.associate, right=False)
    assert not Credential.objects.exists()


@pytest.fixture
def ended_competition(db):
    host_admin = make_user("host@lab.test", "Host Admin")
    host = make_organization(creator=host_admin, name="Retail Data Lab", kind=OrganizationKind.HOST, country="CN")
    now = timezone.now()
    competition = Competition.objects.create(slug="retail", title="Retail Demand", host=host, metric="rmse",
                                             status=CompetitionStatus.PUBLISHED)
    phase = Phase.objects.create(competition=competition, starts_at=now - timedelta(days=30),
                                 ends_at=now - timedelta(minutes=1))
    teams = []
    for i in range(40):  # 40 teams: the top 10% is 4 teams, the top 3 three of them
        team = Team.objects.create(competition=competition, name=f"Team {i:02d}", invite_code=f"code{i:02d}")
        members = [make_user(f"t{i}m{j}@uni.test", f"Member {i}.{j}") for j in range(2 if i == 0 else 1)]
        for user in members:
            TeamMember.objects.create(team=team, user=user, competition=competition)
        # rmse: lower is better; team i scores i on the private part (public is the reverse)
        submission = Submission.objects.create(phase=phase, team=team, file="x", original_name="p.csv",
                                               status=SubmissionStatus.SCORED, public_score=100 - i, private_score=i)
        LeaderboardEntry.objects.create(phase=phase, team=team, best_public=100 - i, sort_key=100 - i,
                                        best_submission=submission, best_at=now, last_submission_at=now, entries=1)
        teams.append((team, members))
    return competition, phase, teams


def test_when_a_competition_ends_the_top_teams_are_awarded_by_the_private_leaderboard(ended_competition):
    _competition, phase, _teams = ended_competition
    with committed():
        assert submissions.phase_finalize(phase_id=phase.pk)
    awarded = {c.recipient.email: c for c in Credential.objects.filter(kind=CredentialKind.COMPETITION)}
    assert set(awarded) == {"t0m0@uni.test", "t0m1@uni.test", "t1m0@uni.test", "t2m0@uni.test", "t3m0@uni.test"}
    assert "Top 3" in awarded["t2m0@uni.test"].name and "Top 10%" in awarded["t3m0@uni.test"].name
    assert awarded["t0m1@uni.test"].detail == "Rank 1 of 40 teams"
    document = json.loads(awarded["t3m0@uni.test"].document)
    assert document["credentialSubject"]["achievement"]["achievementType"] == "Award"
    assert "ranked 4 of 40" in document["evidence"][0]["description"]
    assert all(selectors.verify_data(c.jwt).ok for c in awarded.values())
    assert not submissions.phase_finalize(phase_id=phase.pk)  # once
    assert Credential.objects.filter(kind=CredentialKind.COMPETITION).count() == 5
