"""Demo certifications: two tracks of levels with timed exams drawn from question pools, vouchers
issued to the demo universities and the cloud provider, and candidates who redeemed them: holders
(current, in their renewal window, expired) and some who did not pass."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from forward.core.models import Membership, Organization, OrganizationKind, Role, Skill, User

from . import certifications as service
from .models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Certification,
    CertificationHolding,
    CertificationLevel,
    CertificationSitting,
    Question,
    QuestionKind,
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
    # area, kind, prompt, options, correct
    ("Compute", QuestionKind.SINGLE, "Which service model hands you virtual machines to manage yourself?",
     ["IaaS", "SaaS", "A spreadsheet"], [0]),
    ("Networking", QuestionKind.SINGLE, "What spreads traffic across several servers?",
     ["A load balancer", "A cron job", "DNSSEC"], [0]),
    ("Reliability", QuestionKind.MULTIPLE, "Which of these make a system more available?",
     ["Several availability zones", "Health checks with restarts", "One larger server"], [0, 1]),
    ("Storage", QuestionKind.MULTIPLE, "Which are storage services?", ["Object storage", "Block storage", "A VPC"],
     [0, 1]),
    ("Reliability", QuestionKind.NUMERIC,
     "A service is up 99.9% of a 30-day month. How many minutes may it be down?", [], [43.2]),
    ("Networking", QuestionKind.NUMERIC, "How many bits are in an IPv4 address?", [], [32]),
    ("Networking", QuestionKind.TEXT, "Name the network you isolate your cloud resources in (three letters).", [],
     ["VPC"]),
    ("Security", QuestionKind.TEXT, "Which protocol secures traffic to a web service? (acronym)", [], ["TLS", "HTTPS"]),
    ("Security", QuestionKind.SINGLE, "Where should secrets such as database passwords live?",
     ["In a secrets manager", "In the source code", "In the README"], [0]),
    ("Compute", QuestionKind.SINGLE, "What does autoscaling change?",
     ["The number of instances", "The region", "The price list"], [0]),
    ("Storage", QuestionKind.SINGLE, "Which storage suits images served to millions of users?",
     ["Object storage", "A local disk", "An in-memory cache only"], [0]),
    ("Security", QuestionKind.SINGLE, "Which principle grants each role only the permissions it needs?",
     ["Least privilege", "Shared accounts", "Security by obscurity"], [0]),
    ("Compute", QuestionKind.MULTIPLE, "Which run code without you managing servers?",
     ["Serverless functions", "Managed containers", "A rack in your office"], [0, 1]),
    ("Reliability", QuestionKind.SINGLE, "What restores service after a region fails?",
     ["A tested disaster-recovery plan", "A larger instance", "Turning logging off"], [0]),
    ("Networking", QuestionKind.NUMERIC, "How many addresses does a /24 IPv4 network hold?", [], [256]),
]
# Certifications for people who build software: they count towards "developers empowered" (impact).
DEVELOPER = {"cloud-engineer-associate", "machine-learning-engineer-professional"}
DRAW = 5  # questions per sitting: the pool holds three times as many


def load(*, rng: random.Random) -> None:
    now = timezone.now()
    owner = Organization.objects.get(slug="cloudwave-technologies")
    skills = {s.name: s for s in Skill.objects.all()}
    made: dict[str, Certification] = {}
    for slug, title, track, level, prerequisite, skill_names in LADDER:
        exam = Assessment.objects.create(
            course=None, kind=AssessmentKind.EXAM, title=f"{title} exam", time_limit_minutes=60, attempts_allowed=1,
            questions_per_attempt=DRAW, pass_mark=65, shuffle_options=True)
        Question.objects.bulk_create([
            Question(assessment=exam, order=i, area=area, kind=kind, prompt=prompt, options=options,
                     correct=correct, tolerance=0.5 if kind == QuestionKind.NUMERIC else 0)
            for i, (area, kind, prompt, options, correct) in enumerate(POOL)])
        if problem := service.pool_problem(exam):  # published, so its pool must be large enough for the draw
            raise RuntimeError(problem)
        certification = Certification.objects.create(
            slug=slug, title=title, track=track, level=level, exam=exam, owner=owner, developer=slug in DEVELOPER,
            summary=f"{title}, in the {track} track of the Forward programme: earned by passing a timed exam, "
                    "valid for two years.")
        certification.skills.set([skills[n] for n in skill_names if n in skills])
        if prerequisite:
            certification.prerequisites.add(made[prerequisite])
        made[slug] = certification

    # Vouchers the universities and the provider received for their people, not yet handed out.
    issued = []
    for org_slug, count in (("nanyang-technological-university", 40), ("zhejiang-university", 40),
                            ("universitas-indonesia", 20), ("cloudwave-technologies", 15)):
        org = Organization.objects.get(slug=org_slug)
        for certification in (made["cloud-engineer-associate"], made["data-analyst-associate"],
                              made["cloud-architect-professional"]):
            issued.extend(Voucher(code=_code(rng), certification=certification, organization=org,
                                  issued_at=now - timedelta(days=rng.randint(5, 60)),
                                  expires_at=now + timedelta(days=300)) for _ in range(count // 3))
    Voucher.objects.bulk_create(issued)
    _holders(rng=rng, made=made, now=now)


def _code(rng: random.Random) -> str:
    """A voucher code like the real ones (service._code), but from the seeded generator."""
    raw = "".join(rng.choice(service.ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def _holders(*, rng: random.Random, made: dict[str, Certification], now) -> None:
    """Students who sat exams on vouchers of their university: each with the voucher they redeemed,
    the sitting it bought, the attempt, and for a pass the holding (as the services record them).
    Professionals passed after their associate and while it was valid. The named NTU student's
    associate is in its renewal window; the named ZJU student's data analyst certification expired."""
    university_of = dict(Membership.objects.filter(organization__kind=OrganizationKind.UNIVERSITY,
                                                   role=Role.MEMBER)
                         .order_by("user_id", "organization_id").values_list("user_id", "organization_id"))
    named = dict(User.objects.filter(email__in=["student@ntu.forward.demo", "student@zju.forward.demo"])
                 .values_list("email", "pk"))
    students = sorted(set(university_of) - set(named.values()))
    # (user id, certification slug, days ago, passed)
    plan = [(uid, "cloud-engineer-associate", rng.randint(20, 760), True) for uid in rng.sample(students, 120)]
    plan += [(uid, "cloud-architect-professional", rng.randint(max(5, days - 700), days - 30), True)
             for uid, _slug, days, _passed in plan[:40] if days >= 40]
    plan += [(uid, "data-analyst-associate", rng.randint(20, 500), True) for uid in rng.sample(students, 80)]
    passed_cloud = {uid for uid, slug, _days, _passed in plan if slug == "cloud-engineer-associate"}
    plan += [(uid, "cloud-engineer-associate", rng.randint(3, 200), False)
             for uid in rng.sample(sorted(set(students) - passed_cloud), 15)]
    plan += [(named["student@ntu.forward.demo"], "cloud-engineer-associate", 680, True),  # renewal window
             (named["student@zju.forward.demo"], "data-analyst-associate", 800, True)]  # expired

    vouchers, attempts = [], []
    for uid, slug, days, passed in plan:
        certification = made[slug]
        when = now - timedelta(days=days, minutes=rng.randint(0, 600))
        redeemed = when - timedelta(hours=rng.randint(1, 72))
        vouchers.append(Voucher(code=_code(rng), certification=certification, organization_id=university_of[uid],
                                issued_at=redeemed - timedelta(days=rng.randint(3, 40)), redeemed_by_id=uid,
                                redeemed_at=redeemed))
        attempts.append(Attempt(assessment=certification.exam, user_id=uid, number=1,
                                started_at=when - timedelta(minutes=rng.randint(25, 55)),
                                deadline=when + timedelta(minutes=5), submitted_at=when, question_ids=[],
                                answers={}, score=rng.choice([4, 5]) if passed else rng.choice([1, 2, 3]),
                                max_score=DRAW, option_orders={}))
    Voucher.objects.bulk_create(vouchers)
    Attempt.objects.bulk_create(attempts)  # (exam, user) pairs are unique in the plan
    CertificationSitting.objects.bulk_create([
        CertificationSitting(user_id=v.redeemed_by_id, certification=v.certification, voucher=v, attempt=a,
                             created_at=v.redeemed_at) for v, a in zip(vouchers, attempts, strict=True)])
    CertificationHolding.objects.bulk_create([
        CertificationHolding(user_id=a.user_id, certification=v.certification, attempt=a, earned_at=a.submitted_at,
                             expires_at=a.submitted_at + timedelta(days=v.certification.validity_days))
        for v, a, (_uid, _slug, _days, passed) in zip(vouchers, attempts, plan, strict=True) if passed])
