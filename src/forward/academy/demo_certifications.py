"""Demo certifications: two tracks of levels with timed exams drawn from question pools, vouchers
issued to the demo universities and the cloud provider, and holders — current, in their renewal
window, and expired."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from forward.core.models import Membership, Organization, OrganizationKind, User

from . import certifications as service
from .models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Certification,
    CertificationHolding,
    CertificationLevel,
    Question,
    QuestionKind,
    Skill,
    Voucher,
)

LADDER = [
    # slug, title, track, level, prerequisite slug, skills
    ("cloud-engineer-associate", "Cloud Engineer – Associate", "Cloud infrastructure", CertificationLevel.ASSOCIATE,
     None, ["Cloud computing", "Linux", "Networking"]),
    ("cloud-architect-professional", "Cloud Architect – Professional", "Cloud infrastructure",
     CertificationLevel.PROFESSIONAL, "cloud-engineer-associate", ["Cloud computing", "Networking"]),
    ("solutions-architect-expert", "Solutions Architect – Expert", "Cloud infrastructure", CertificationLevel.EXPERT,
     "cloud-architect-professional", ["Cloud computing"]),
    ("data-analyst-associate", "Data Analyst – Associate", "Data and AI", CertificationLevel.ASSOCIATE, None,
     ["Python", "SQL", "Data analysis"]),
    ("machine-learning-engineer-professional", "Machine Learning Engineer – Professional", "Data and AI",
     CertificationLevel.PROFESSIONAL, "data-analyst-associate", ["Machine learning", "Python"]),
]

POOL = [
    (QuestionKind.SINGLE, "Which service model hands you virtual machines to manage yourself?",
     ["IaaS", "SaaS", "A spreadsheet"], [0]),
    (QuestionKind.SINGLE, "What spreads traffic across several servers?", ["A load balancer", "A cron job", "DNSSEC"],
     [0]),
    (QuestionKind.MULTIPLE, "Which of these make a system more available?",
     ["Several availability zones", "Health checks with restarts", "One larger server"], [0, 1]),
    (QuestionKind.MULTIPLE, "Which are storage services?", ["Object storage", "Block storage", "A VPC"], [0, 1]),
    (QuestionKind.NUMERIC, "A service is up 99.9% of a 30-day month. How many minutes may it be down?", [], [43.2]),
    (QuestionKind.NUMERIC, "How many bits are in an IPv4 address?", [], [32]),
    (QuestionKind.TEXT, "Name the network you isolate your cloud resources in (three letters).", [], ["VPC"]),
    (QuestionKind.TEXT, "Which protocol secures traffic to a web service? (acronym)", [], ["TLS", "HTTPS"]),
    (QuestionKind.SINGLE, "Where should secrets such as database passwords live?",
     ["In a secrets manager", "In the source code", "In the README"], [0]),
    (QuestionKind.SINGLE, "What does autoscaling change?", ["The number of instances", "The region", "The price list"],
     [0]),
]


def load(*, rng: random.Random) -> None:
    now = timezone.now()
    owner = Organization.objects.get(slug="cloudwave-technologies")
    skills = {s.name: s for s in Skill.objects.all()}
    made: dict[str, Certification] = {}
    for slug, title, track, level, prerequisite, skill_names in LADDER:
        exam = Assessment.objects.create(
            course=None, kind=AssessmentKind.EXAM, title=f"{title} exam", time_limit_minutes=60, attempts_allowed=1,
            questions_per_attempt=6, pass_mark=65, shuffle_options=True)
        Question.objects.bulk_create([
            Question(assessment=exam, order=i, kind=kind, prompt=prompt, options=options, correct=correct,
                     tolerance=0.5 if kind == QuestionKind.NUMERIC else 0)
            for i, (kind, prompt, options, correct) in enumerate(POOL)])
        certification = Certification.objects.create(
            slug=slug, title=title, track=track, level=level, exam=exam, owner=owner,
            summary=f"{title}: a {level} certification of the Forward programme, earned by passing a timed exam "
                    "and valid for two years.")
        certification.skills.set([skills[n] for n in skill_names if n in skills])
        if prerequisite:
            certification.prerequisites.add(made[prerequisite])
        made[slug] = certification

    # Vouchers the universities and the provider received for their people.
    issued = []
    for org_slug, count in (("nanyang-technological-university", 40), ("zhejiang-university", 40),
                            ("universitas-indonesia", 20), ("cloudwave-technologies", 15)):
        org = Organization.objects.get(slug=org_slug)
        for certification in (made["cloud-engineer-associate"], made["data-analyst-associate"],
                              made["cloud-architect-professional"]):
            issued.extend(Voucher(code=service._code(), certification=certification, organization=org,
                                  issued_at=now - timedelta(days=rng.randint(5, 60)),
                                  expires_at=now + timedelta(days=300)) for _ in range(count // 3))
    Voucher.objects.bulk_create(issued)

    # Holders: students who passed, some long ago (renewal window, expired).
    students = list(Membership.objects.filter(organization__kind=OrganizationKind.UNIVERSITY, role="member")
                    .values_list("user_id", flat=True).order_by("user_id"))
    named = {u.email: u.pk for u in User.objects.filter(email__in=["student@ntu.forward.demo",
                                                                    "student@zju.forward.demo"])}
    plan = [(user_id, "cloud-engineer-associate", rng.randint(20, 760)) for user_id in rng.sample(students, 120)]
    plan += [(user_id, "data-analyst-associate", rng.randint(20, 500)) for user_id in rng.sample(students, 80)]
    plan += [(user_id, "cloud-architect-professional", rng.randint(5, 300))
             for user_id, slug, _days in plan[:30] if slug == "cloud-engineer-associate"]
    plan = [p for p in plan if p[0] not in named.values()]
    plan += [(named["student@ntu.forward.demo"], "cloud-engineer-associate", 680),  # renewal window
             (named["student@zju.forward.demo"], "data-analyst-associate", 800)]  # expired
    attempts, holdings = [], []
    for user_id, slug, days in plan:
        certification = made[slug]
        when = now - timedelta(days=days, minutes=rng.randint(0, 600))
        attempts.append(Attempt(assessment=certification.exam, user_id=user_id, number=1,
                                started_at=when - timedelta(minutes=45), deadline=when + timedelta(minutes=15),
                                submitted_at=when, question_ids=[], answers={}, score=rng.choice([5, 6]),
                                max_score=6, option_orders={}))
        holdings.append((user_id, certification, when))
    Attempt.objects.bulk_create(attempts, batch_size=1000, ignore_conflicts=True)
    by_key = {(a.user_id, a.assessment_id): a for a in Attempt.objects.filter(
        assessment__certification__in=made.values())}
    CertificationHolding.objects.bulk_create([
        CertificationHolding(user_id=user_id, certification=certification,
                             attempt=by_key[(user_id, certification.exam_id)], earned_at=when,
                             expires_at=when + timedelta(days=certification.validity_days))
        for user_id, certification, when in holdings if (user_id, certification.exam_id) in by_key
    ], ignore_conflicts=True)
