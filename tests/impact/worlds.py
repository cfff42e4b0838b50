"""Small real platforms for the impact tests: records made through the apps' models and the
credentials service, as the apps would hold them."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from forward.academy.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Certification,
    CertificationHolding,
    CertificationLevel,
    Course,
    CourseRun,
    Enrolment,
    Programme,
    ProgrammeCourse,
    ProgrammeKind,
)
from forward.competitions.models import Competition, Team
from forward.core.models import Membership, Organization, OrganizationKind, Role
from forward.credentials import services as credential_services
from forward.credentials.documents import Award, achievement
from forward.credentials.models import CredentialKind
from forward.talent.models import Application, Opening, Stage
from forward.ventures.models import (
    ApplicationStatus,
    Call,
    CohortApplication,
    CreditBudget,
    CreditGrant,
    Deal,
    EntryKind,
    GrantStatus,
    Introduction,
    IntroStatus,
    Investment,
    InvestmentStatus,
    LedgerEntry,
    Startup,
)
from tests.conftest import make_organization, make_user

_serial = itertools.count(1)


def at(year, month, day, hour=12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


class World:
    """A provider, an operator, universities, courses in programmes, runs, and helpers to add records."""

    def __init__(self):
        n = next(_serial)
        self.n = n
        self.operator = make_user(f"ops{n}@forward.test", "Op Erator", is_staff=True, is_superuser=True)
        self.provider = make_organization(creator=self.operator, name=f"Cloudwave {n}", kind=OrganizationKind.HOST,
                                          country="SG")
        self.employer = make_organization(creator=self.operator, name=f"Employer {n}",
                                          kind=OrganizationKind.EMPLOYER, country="MY")
        self.investor = make_organization(creator=self.operator, name=f"Fund {n}", kind=OrganizationKind.INVESTOR,
                                          country="SG")
        self.centre = make_organization(creator=self.operator, name=f"Centre {n}",
                                        kind=OrganizationKind.INNOVATION_CENTRE, country="SG")
        self.universities = [
            make_organization(creator=self.operator, name=f"Uni {n} {c}", kind=OrganizationKind.UNIVERSITY, country=c)
            for c in ("SG", "CN", "ID")]
        self.unverified = make_organization(creator=self.operator, name=f"Unverified {n}",
                                            kind=OrganizationKind.UNIVERSITY, country="MY", verified=False)
        Organization.objects.filter(pk=self.unverified.pk).update(verified_at=None)  # an operator created it
        self.unverified.refresh_from_db()
        self.devs = Programme.objects.create(slug=f"ai-devs-{n}", title="AI for developers",
                                             kind=ProgrammeKind.DEVELOPERS)
        self.upskill = Programme.objects.create(slug=f"upskill-{n}", title="Digital upskilling",
                                                kind=ProgrammeKind.UPSKILLING)
        self.courses = [Course.objects.create(slug=f"c{n}-{i}", title=f"Course {i}", owner=self.provider)
                        for i in range(3)]
        # course 0: developers only; course 1: both programmes; course 2: none
        ProgrammeCourse.objects.create(programme=self.devs, course=self.courses[0])
        ProgrammeCourse.objects.create(programme=self.devs, course=self.courses[1])
        ProgrammeCourse.objects.create(programme=self.upskill, course=self.courses[1])
        self.certifications = [self.certification(developer=True), self.certification(developer=False)]
        self.competition = Competition.objects.create(slug=f"comp-{n}", title="Churn", host=self.provider,
                                                      metric="accuracy")
        self.opening = Opening.objects.create(organization=self.employer, title="Intern", country="MY")
        self.call = Call.objects.create(organizer=self.centre, title="Batch 1", deadline=at(2025, 1, 1))
        self.budget = CreditBudget.objects.create(organizer=self.centre, name="Credits", currency="USD")
        self.budget_cny = CreditBudget.objects.create(organizer=self.centre, name="Credits CN", currency="CNY")
        self._runs = itertools.count(1)

    # --- academy ---------------------------------------------------------------------------------
    def person(self, country="SG", university=None):
        k = next(_serial)
        user = make_user(f"p{k}@people.test", f"Person {k}", country=country)
        if university is not None:
            Membership.objects.create(user=user, organization=university, role=Role.MEMBER)
        return user

    def run(self, course, university, *, starts=None, released=None):
        k = next(self._runs)
        starts = starts or at(2025, 2, 1)
        return CourseRun.objects.create(course=course, university=university, cohort=f"S{k}",
                                        enrolment_ends=starts, starts_at=starts, ends_at=starts + timedelta(days=90),
                                        grades_released_at=released)

    def enrol(self, user, run, when):
        return Enrolment.objects.create(run=run, user=user, created_at=when)

    def certification(self, *, developer: bool):
        k = next(_serial)
        exam = Assessment.objects.create(kind=AssessmentKind.EXAM, title=f"Exam {k}")
        return Certification.objects.create(slug=f"cert-{k}", title=f"Cert {k} – Associate", track="Cloud",
                                            level=CertificationLevel.ASSOCIATE, exam=exam, owner=self.provider,
                                            developer=developer)

    def hold(self, user, certification, earned, *, credential=True):
        number = Attempt.objects.filter(assessment=certification.exam, user=user).count() + 1
        attempt = Attempt.objects.create(assessment=certification.exam, user=user, number=number, started_at=earned,
                                         submitted_at=earned, score=5, max_score=5)
        holding = CertificationHolding.objects.create(user=user, certification=certification, attempt=attempt,
                                                      earned_at=earned, expires_at=earned + timedelta(days=730))
        if credential:
            self.credential(user, kind=CredentialKind.CERTIFICATION, key=f"holding:{holding.pk}",
                            source=f"academy.holding:{holding.pk}", valid_from=earned)
        return holding

    def credential(self, user, *, kind, key, source, valid_from, issuer=None):
        award = Award(recipient=user, issuer=issuer or self.provider, kind=kind, achievement_key=key,
                      achievement=achievement(id=f"https://forward.test/a/{key}", kind="Course", name=key,
                                              description="", criteria="Pass."),
                      name=key, valid_from=valid_from, source=source)
        issued = credential_services.issue([award])
        return issued[0] if issued else None  # already held: one achievement, one credential

    def complete(self, user, run, *, kind=CredentialKind.COURSE_COMPLETION):
        tier = "completion" if kind == CredentialKind.COURSE_COMPLETION else "achievement"
        return self.credential(user, kind=kind, key=f"course:{run.course_id}:{tier}", source=f"academy.run:{run.pk}",
                               valid_from=run.grades_released_at)

    def programme_certificate(self, user, programme, when):
        return self.credential(user, kind=CredentialKind.PROGRAMME, key=f"programme:{programme.pk}",
                               source=f"academy.programme:{programme.pk}", valid_from=when)

    def revoke(self, credential):
        return credential_services.revoke(actor=self.operator, credential=credential, reason="Issued in error")

    # --- competitions, talent --------------------------------------------------------------------
    def team(self, name, when):
        return Team.objects.create(competition=self.competition, name=name, invite_code=f"code-{next(_serial)}",
                                   created_at=when)

    def apply(self, user, when, *, accepted=None, opening=None):
        opening = opening or Opening.objects.create(organization=self.employer, title="Job", country="MY")
        return Application.objects.create(opening=opening, applicant=user, created_at=when,
                                          stage=Stage.HIRED if accepted else Stage.APPLIED,
                                          offer_accepted_at=accepted)

    # --- ventures --------------------------------------------------------------------------------
    def startup(self, name, country="SG"):
        org = make_organization(creator=self.operator, name=f"{name} {self.n}", kind=OrganizationKind.STARTUP,
                                country=country)
        Startup.objects.create(organization=org)
        return org

    def accept(self, startup, when, status=ApplicationStatus.ACCEPTED):
        return CohortApplication.objects.create(call=self.call, startup=startup.startup, status=status,
                                                submitted_at=when, decided_at=when)

    def grant(self, startup, amount, when, budget=None):
        budget = budget or self.budget
        grant = CreditGrant.objects.create(budget=budget, startup=startup, amount_requested=amount, purpose="GPUs",
                                           status=GrantStatus.APPROVED, amount_approved=amount, decided_at=when)
        return LedgerEntry.objects.create(budget=budget, kind=EntryKind.GRANT, amount=amount, grant=grant,
                                          created_at=when)

    def introduce(self, startup, when, status=IntroStatus.ACCEPTED):
        low, high = sorted((startup.pk, self.investor.pk))
        return Introduction.objects.create(asker=startup, target=self.investor, note="Hello", status=status,
                                           pair_low=low, pair_high=high, answered_at=when)

    def invest(self, startup, amount, currency, on, status=InvestmentStatus.CONFIRMED):
        deal = Deal.objects.create(investor=self.investor, startup=startup)
        return Investment.objects.create(deal=deal, investor=self.investor, startup=startup,
                                         amount=Decimal(amount), currency=currency, instrument="safe",
                                         invested_on=on, status=status)
