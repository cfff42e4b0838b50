"""Two years of generated programme activity, written straight into the apps' own tables in bulk.

Growth ramps up over the two years ending today, with semester peaks (February and August; March
and September in China); a few universities hold most of the students. Nothing here signs a
credential (the other demos issue a few real ones): completions are released runs with passing
attempts, certifications are holdings from a passed exam attempt. Generated people cannot sign in
(unusable passwords). Deterministic for a given rng and day.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from forward.core.models import Membership, Organization, OrganizationKind, Role, User

DAYS = 730  # two years
LEARNERS = 2500
STARTUPS = 240

UNIVERSITIES = [  # name, country, city; joined the programme this many months into the two years
    ("Tsinghua University", "CN", "Beijing", 0), ("Peking University", "CN", "Beijing", 2),
    ("Harbin Institute of Technology", "CN", "Harbin", 5), ("Sun Yat-sen University", "CN", "Guangzhou", 7),
    ("Sichuan University", "CN", "Chengdu", 9), ("Tongji University", "CN", "Shanghai", 11),
    ("Huazhong University of Science and Technology", "CN", "Wuhan", 13), ("Xiamen University", "CN", "Xiamen", 15),
    ("Shandong University", "CN", "Jinan", 17), ("Chongqing University", "CN", "Chongqing", 19),
    ("National University of Singapore", "SG", "Singapore", 1), ("Singapore Management University", "SG",
                                                                    "Singapore", 10),
    ("Universiti Sains Malaysia", "MY", "Penang", 6), ("Universiti Putra Malaysia", "MY", "Serdang", 14),
    ("Universitas Gadjah Mada", "ID", "Yogyakarta", 4), ("Institut Teknologi Sepuluh Nopember", "ID",
                                                         "Surabaya", 16),
    ("Chulalongkorn University", "TH", "Bangkok", 3), ("Mahidol University", "TH", "Nakhon Pathom", 12),
    ("King Mongkut's University of Technology Thonburi", "TH", "Bangkok", 18),
    ("Vietnam National University, Hanoi", "VN", "Hanoi", 8), ("Ho Chi Minh City University of Technology", "VN",
                                                               "Ho Chi Minh City", 13),
    ("Ateneo de Manila University", "PH", "Quezon City", 10),
]
FIRST = {"CN": ["Wei", "Jing", "Hao", "Min", "Yan", "Lei", "Xin", "Yu"], "SG": ["Ethan", "Chloe", "Ryan", "Hui Min"],
         "MY": ["Aiman", "Nurul", "Jia Hui", "Arjun"], "ID": ["Putri", "Budi", "Dewi", "Rizky"],
         "TH": ["Somchai", "Nattaya", "Krit", "Ploy"], "VN": ["Minh", "Linh", "Tuan", "Thao"],
         "PH": ["Miguel", "Andrea", "Paolo", "Bea"]}
LAST = {"CN": ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang"], "SG": ["Tan", "Lim", "Ng", "Goh"],
        "MY": ["Abdullah", "Wong", "Ismail", "Kumar"], "ID": ["Santoso", "Wijaya", "Pratama", "Lestari"],
        "TH": ["Srisuk", "Wongsa", "Chaiyaporn", "Boonmee"], "VN": ["Nguyen", "Tran", "Le", "Pham"],
        "PH": ["Santos", "Reyes", "Cruz", "Garcia"]}
CURRENCY = {"SG": "SGD", "MY": "MYR", "ID": "IDR", "TH": "THB", "VN": "VND", "PH": "PHP", "CN": "CNY"}
WORDS = ["Cloud", "Data", "Pay", "Health", "Learn", "Agri", "Grid", "Secure", "Go", "Market", "Chain", "Vision"]


def growth(day: int) -> float:
    """Relative activity `day` days into the two years: a ramp (slow start, faster later)."""
    return (0.15 + day / DAYS) ** 1.7


def semester_starts(start: datetime, now: datetime, country: str) -> list[datetime]:
    months = (3, 9) if country == "CN" else (2, 8)
    found = []
    for year in range(start.year, now.year + 1):
        for month in months:
            at = start.replace(year=year, month=month, day=1, hour=1, minute=0, second=0, microsecond=0)
            if start <= at <= now:
                found.append(at)
    return found


def _ids(model, field: str, values: list) -> dict:
    """value → pk after a bulk_create (SQLite's bulk_create does not return ids here)."""
    found = {}
    for i in range(0, len(values), 900):
        found.update(model.objects.filter(**{f"{field}__in": values[i:i + 900]}).values_list(field, "pk"))
    return found


def universities(*, rng: random.Random, start: datetime, operator: User) -> list[tuple[Organization, int]]:
    """The demo's universities and the month each joined (the core demo's ones from the start)."""
    rows = [Organization(name=name, slug=slugify(name)[:80], kind=OrganizationKind.UNIVERSITY, country=country,
                         city=city, created_at=start + timedelta(days=30 * month - 20),
                         verified_at=start + timedelta(days=30 * month - 10), verified_by=operator)
            for name, country, city, month in UNIVERSITIES]
    Organization.objects.bulk_create(rows)
    joined = {slugify(name)[:80]: month for name, _c, _t, month in UNIVERSITIES}
    found = []
    for org in Organization.objects.filter(kind=OrganizationKind.UNIVERSITY, verified_at__isnull=False).order_by("pk"):
        found.append((org, joined.get(org.slug, rng.choice([0, 0, 1, 3, 6]))))
    return found


def learners(*, rng: random.Random, start: datetime, unis: list[tuple[Organization, int]], count: int) -> list[tuple]:
    """People with countries, each a student of a university that had joined when they arrived.
    A few universities hold most students (weights fall as 1/rank). Returns (user id, university,
    day they arrived)."""
    weights = [growth(d) * (1.5 if (start + timedelta(days=d)).month in (1, 2, 3, 7, 8, 9) else 0.7)
               for d in range(DAYS)]
    days = sorted(rng.choices(range(DAYS), weights=weights, k=count))
    rank = {org.pk: 1 / (i + 1) ** 0.9 for i, (org, _m) in enumerate(unis)}
    people, placed = [], []
    tag = f"{rng.getrandbits(24):06x}"
    for n, day in enumerate(days):
        open_unis = [(org, m) for org, m in unis if m * 30 <= day] or unis[:1]
        org = rng.choices([o for o, _m in open_unis], weights=[rank[o.pk] for o, _m in open_unis])[0]
        country = org.country.code if rng.random() < 0.9 else rng.choice(list(FIRST))
        first, last = rng.choice(FIRST[country]), rng.choice(LAST[country])
        email = f"{slugify(first)}.{slugify(last)}.{tag}{n}@learners.forward.demo"
        people.append(User(email=email, name=f"{last} {first}" if country == "CN" else f"{first} {last}",
                           country=country, password=make_password(None), date_joined=start + timedelta(days=day)))
        placed.append((email, org, day))
    User.objects.bulk_create(people, batch_size=1000)
    ids = _ids(User, "email", [p.email for p in people])
    Membership.objects.bulk_create([Membership(user_id=ids[email], organization=org, role=Role.MEMBER,
                                               created_at=start + timedelta(days=day))
                                    for email, org, day in placed], batch_size=1000)
    return [(ids[email], org, day) for email, org, day in placed]


def academy(*, rng: random.Random, start: datetime, now: datetime, unis, people) -> dict:
    """Course runs each semester at each university from when it joined (open runs each month),
    enrolments, released grades with passing attempts for most of those who finished, and a
    certification holding for some completers. Returns {user id: first completion time}."""
    from forward.academy.models import (
        Assessment,
        Attempt,
        Certification,
        CertificationHolding,
        Course,
        CourseRun,
        Enrolment,
    )
    from forward.credentials.models import Credential

    courses = list(Course.objects.order_by("pk"))
    assessments: dict[int | None, list[Assessment]] = {}
    for a in Assessment.objects.filter(course__in=courses).order_by("pk"):
        assessments.setdefault(a.course_id, []).append(a)
    runs = []
    for org, month in unis:
        for at in semester_starts(start + timedelta(days=30 * month), now, org.country.code):
            for course in rng.sample(courses, k=min(len(courses), 3)):
                runs.append(CourseRun(course=course, university=org, cohort=f"{org.name} — {at:%Y} {at:%b} cohort",
                                      enrolment_ends=at + timedelta(days=21), starts_at=at,
                                      ends_at=at + timedelta(days=120)))
    quarter = start.replace(day=1, hour=2, minute=0, second=0, microsecond=0)
    while quarter <= now:
        for course in courses[:3]:
            runs.append(CourseRun(course=course, cohort=f"{course.title} — open cohort {quarter:%b %Y}",
                                  enrolment_ends=quarter + timedelta(days=30), starts_at=quarter,
                                  ends_at=quarter + timedelta(days=90)))
        quarter = (quarter + timedelta(days=32)).replace(day=1)
    for run in runs:
        if run.ends_at + timedelta(days=7) < now:
            run.grades_released_at = run.ends_at + timedelta(days=7)
    CourseRun.objects.bulk_create(runs, batch_size=500)
    runs = list(CourseRun.objects.filter(cohort__in=[r.cohort for r in runs]).select_related("course"))
    by_uni: dict[int | None, list] = {}
    for run in sorted(runs, key=lambda r: r.starts_at):
        by_uni.setdefault(run.university_id, []).append(run)

    enrolments, attempts = [], []
    completed: dict[int, datetime] = {}
    for user_id, org, day in people:
        arrived = start + timedelta(days=day)
        pool = by_uni.get(None, []) if rng.random() < 0.2 else by_uni.get(org.pk, [])
        upcoming = [r for r in pool if r.starts_at >= arrived - timedelta(days=40)] or pool[-3:]
        if not upcoming:
            continue
        first_start = upcoming[0].starts_at
        semester = [r for r in upcoming if r.starts_at == first_start]
        later = [r for r in upcoming if r.starts_at > first_start][:3]
        picked, seen = [], set()
        for run in rng.sample(semester, k=min(len(semester), rng.choice([1, 1, 2]))) + (
                [rng.choice(later)] if later and rng.random() < 0.35 else []):
            if run.course_id not in seen:
                seen.add(run.course_id)
                picked.append(run)
        for run in picked:
            enrolled = max(start, run.starts_at - timedelta(days=rng.randint(1, 45)))
            enrolments.append(Enrolment(run=run, user_id=user_id, created_at=enrolled,
                                        completed_lessons=rng.randint(0, 9), last_activity_at=min(now, run.ends_at)))
            if run.grades_released_at is None:
                continue
            passes = rng.random() < 0.62
            for a in assessments.get(run.course_id, []):
                if not passes and rng.random() < 0.5:
                    continue
                score = rng.choice([2.5, 2.5, 3.0, 4.0]) if passes else rng.choice([0.0, 1.0])
                submitted = run.starts_at + timedelta(days=rng.randint(20, 110))
                attempts.append(Attempt(assessment=a, user_id=user_id, number=1, started_at=submitted
                                        - timedelta(minutes=40), submitted_at=submitted, score=score, max_score=4.0))
            if passes:
                completed[user_id] = min(completed.get(user_id, run.grades_released_at), run.grades_released_at)
    Enrolment.objects.bulk_create(enrolments, batch_size=1000)
    Attempt.objects.bulk_create(attempts, batch_size=1000)
    # Academy's verdict on a released run is its certificates (what the impact sources count as a
    # completion): issued the way production issues them, signed.
    from forward.academy import awards
    from forward.credentials import services as credential_services

    for run in runs:
        if run.grades_released_at is not None:
            issued = credential_services.issue(awards.run_awards(run=run))
            Credential.objects.filter(pk__in=[c.pk for c in issued]).update(
                issued_at=run.grades_released_at, valid_from=run.grades_released_at)

    # Certifications: some completers sit an exam a month or three later and pass.
    certifications = list(Certification.objects.select_related("exam").order_by("pk"))
    sittings = []
    for user_id, when in sorted(completed.items()):
        earned = when + timedelta(days=rng.randint(20, 100))
        if certifications and earned < now and rng.random() < 0.3:
            sittings.append((user_id, rng.choice(certifications), earned))
    exam_attempts = [Attempt(assessment=c.exam, user_id=u, number=1, started_at=at - timedelta(hours=2),
                             submitted_at=at - timedelta(minutes=30), score=4.0, max_score=4.0)
                     for u, c, at in sittings]
    Attempt.objects.bulk_create(exam_attempts, batch_size=1000)
    attempt_ids = dict(((a, u), pk) for a, u, pk in Attempt.objects.filter(
        assessment__in=[c.exam for c in certifications], user_id__in=[u for u, _c, _at in sittings]).values_list(
        "assessment_id", "user_id", "pk"))
    CertificationHolding.objects.bulk_create([
        CertificationHolding(user_id=u, certification=c, attempt_id=attempt_ids[(c.exam_id, u)], earned_at=at,
                             expires_at=at + timedelta(days=c.validity_days)) for u, c, at in sittings],
        batch_size=1000)
    return completed


def competitions(*, rng: random.Random, now: datetime, people) -> int:
    """Teams entering the data competitions over the last year, more each month."""
    from forward.competitions.models import Competition, Team, TeamMember

    comps = list(Competition.objects.order_by("pk"))
    if not comps:
        return 0
    days = sorted(rng.choices(range(365), weights=[growth(DAYS - 365 + d) for d in range(365)], k=len(people) // 5))
    teams, members = [], []
    users = [u for u, _o, _d in people]
    taken: set[tuple[int, int]] = set()
    for n, day in enumerate(days):
        comp = comps[n % len(comps)]
        code = f"demo{rng.getrandbits(48):012x}"
        teams.append(Team(competition=comp, name=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}", invite_code=code,
                          created_at=now - timedelta(days=365 - day, minutes=rng.randint(1, 600))))
    Team.objects.bulk_create(teams, batch_size=1000)
    ids = _ids(Team, "invite_code", [t.invite_code for t in teams])
    for team in teams:
        for user_id in rng.sample(users, k=rng.randint(1, 3)):
            if (team.competition_id, user_id) not in taken:
                taken.add((team.competition_id, user_id))
                members.append(TeamMember(team_id=ids[team.invite_code], user_id=user_id,
                                          competition_id=team.competition_id, joined_at=team.created_at))
    TeamMember.objects.bulk_create(members, batch_size=1000)
    return len(teams)


def talent(*, rng: random.Random, now: datetime, completed: dict) -> int:
    """Completers applying to partner openings; some hired (offer accepted) a month or two later."""
    from forward.talent.models import Application, Opening, Stage, StageChange

    openings = list(Opening.objects.order_by("pk"))
    if not openings:
        return 0
    apps, changes = [], []
    for user_id, when in sorted(completed.items()):
        if rng.random() >= 0.3:
            continue
        for opening in rng.sample(openings, k=min(len(openings), rng.randint(1, 2))):
            applied = when + timedelta(days=rng.randint(3, 60))
            if applied >= now:
                continue
            hired_at = applied + timedelta(days=rng.randint(20, 70))
            hired = hired_at < now and rng.random() < 0.35
            apps.append(Application(opening=opening, applicant_id=user_id, created_at=applied,
                                    stage=Stage.HIRED if hired else rng.choice([Stage.APPLIED, Stage.REJECTED]),
                                    updated_at=hired_at if hired else applied,
                                    offer_accepted_at=hired_at if hired else None))
    Application.objects.bulk_create(apps, batch_size=1000)
    mine = {(a.opening_id, a.applicant_id): a for a in apps}
    for pk, opening_id, user_id in Application.objects.filter(
            applicant_id__in=list({a.applicant_id for a in apps})).values_list("pk", "opening_id", "applicant_id"):
        a = mine.get((opening_id, user_id))
        if a is None:
            continue
        changes.append(StageChange(application_id=pk, from_stage="", to_stage=Stage.APPLIED, at=a.created_at))
        if a.stage == Stage.HIRED and a.offer_accepted_at is not None:  # set for every hire above
            changes.append(StageChange(application_id=pk, from_stage=Stage.APPLIED, to_stage=Stage.OFFER,
                                       at=a.offer_accepted_at - timedelta(days=5)))
            changes.append(StageChange(application_id=pk, from_stage=Stage.OFFER, to_stage=Stage.HIRED,
                                       at=a.offer_accepted_at))
        elif a.stage == Stage.REJECTED:
            changes.append(StageChange(application_id=pk, from_stage=Stage.APPLIED, to_stage=Stage.REJECTED,
                                       at=a.created_at + timedelta(days=10)))
    StageChange.objects.bulk_create(changes, batch_size=1000)
    return sum(1 for a in apps if a.stage == Stage.HIRED)


def ventures(*, rng: random.Random, start: datetime, now: datetime, operator: User) -> int:
    """Startups joining over the two years: cohorts (a decided call each half-year), cloud credits,
    introductions to investors accepted, confirmed investments."""
    from forward.ventures.models import (
        ApplicationStatus,
        Call,
        CallStatus,
        CohortApplication,
        CreditBudget,
        CreditGrant,
        Deal,
        DealStage,
        EntryKind,
        GrantStatus,
        Instrument,
        Introduction,
        IntroStatus,
        Investment,
        InvestmentStatus,
        LedgerEntry,
        Sector,
        Stage,
        Startup,
    )

    centre = Organization.objects.filter(kind=OrganizationKind.INNOVATION_CENTRE).order_by("pk").first()
    investors = list(Organization.objects.filter(kind=OrganizationKind.INVESTOR).order_by("pk"))
    if centre is None:
        return 0
    days = sorted(rng.choices(range(DAYS), weights=[growth(d) for d in range(DAYS)], k=STARTUPS))
    tag = f"{rng.getrandbits(24):06x}"
    orgs = []
    for n, day in enumerate(days):
        country = rng.choices(list(CURRENCY), weights=[2, 3, 3, 2, 2, 2, 2])[0]
        name = f"{rng.choice(WORDS)}{rng.choice(WORDS).lower()} {n}"
        orgs.append(Organization(name=name, slug=f"{slugify(name)}-{tag}", kind=OrganizationKind.STARTUP,
                                 country=country, created_at=start + timedelta(days=day), created_by=operator,
                                 verified_at=start + timedelta(days=day + 2), verified_by=operator))
    Organization.objects.bulk_create(orgs, batch_size=500)
    ids = _ids(Organization, "slug", [o.slug for o in orgs])
    rows = []
    for org in orgs:
        org.pk = ids[org.slug]
        startup = Startup(organization_id=org.pk, one_liner=f"{rng.choice(WORDS)} for {rng.choice(WORDS).lower()} teams",
                          sectors=rng.sample(list(Sector.values), 2), stage=rng.choice(list(Stage.values)[:3]),
                          created_at=org.created_at, updated_at=org.created_at)
        startup.refresh_search_fields()
        rows.append(startup)
    Startup.objects.bulk_create(rows, batch_size=500)
    startup_ids = dict(Startup.objects.filter(organization_id__in=[o.pk for o in orgs]).values_list(
        "organization_id", "pk"))

    calls, budget_at = [], start + timedelta(days=20)
    for at in semester_starts(start, now, "SG"):
        deadline = at + timedelta(days=45)
        if deadline + timedelta(days=20) < now:
            calls.append(Call(organizer=centre, title=f"Accelerator batch {at:%Y-%m}", status=CallStatus.DECIDED,
                              description="A six-month accelerator batch.", deadline=deadline, created_at=at,
                              created_by=operator, published_at=at, closed_at=deadline,
                              decided_at=deadline + timedelta(days=20)))
    Call.objects.bulk_create(calls)
    calls = list(Call.objects.filter(title__in=[c.title for c in calls], organizer=centre).order_by("deadline"))
    budget = CreditBudget.objects.create(organizer=centre, name="Cloud credits for accelerator startups",
                                         currency="USD", created_by=operator, created_at=budget_at)
    LedgerEntry.objects.create(budget=budget, kind=EntryKind.DEPOSIT, amount=Decimal(5_000_000), note="Annual budget",
                               created_by=operator, created_at=budget_at)
    applications, grants, intros, deals = [], [], [], []
    for org in orgs:
        call = next((c for c in calls if c.deadline > org.created_at + timedelta(days=10)), None)
        if call is not None and call.decided_at is not None and rng.random() < 0.6:  # every call is decided
            accepted = rng.random() < 0.5
            applications.append(CohortApplication(
                call=call, startup_id=startup_ids[org.pk], created_at=call.deadline - timedelta(days=9),
                submitted_at=call.deadline - timedelta(days=3), decided_at=call.decided_at,
                status=ApplicationStatus.ACCEPTED if accepted else ApplicationStatus.REJECTED))
            if accepted and rng.random() < 0.6:
                amount = Decimal(rng.choice([5_000, 10_000, 25_000, 50_000]))
                grants.append(CreditGrant(budget=budget, startup_id=org.pk, amount_requested=amount,
                                           purpose="Compute for our first customers.", status=GrantStatus.APPROVED,
                                           amount_approved=amount, decided_by=operator,
                                           decided_at=call.decided_at + timedelta(days=14),
                                           created_at=call.decided_at + timedelta(days=5)))
        if investors and rng.random() < 0.3:
            investor = rng.choice(investors)
            asked = org.created_at + timedelta(days=rng.randint(15, 120))
            if asked + timedelta(days=7) < now:
                intros.append(Introduction(asker_id=org.pk, target=investor, note="We would love to meet you.",
                                           status=IntroStatus.ACCEPTED, pair_low=min(org.pk, investor.pk),
                                           pair_high=max(org.pk, investor.pk), created_at=asked,
                                           answered_at=asked + timedelta(days=rng.randint(1, 7))))
                if rng.random() < 0.35:
                    deals.append((investor, org, asked + timedelta(days=rng.randint(40, 150))))
    CohortApplication.objects.bulk_create(applications, batch_size=500)
    CreditGrant.objects.bulk_create(grants, batch_size=500)
    for grant in CreditGrant.objects.filter(budget=budget).order_by("pk"):
        if grant.amount_approved is None or grant.decided_at is None:  # every grant above is approved
            continue
        LedgerEntry.objects.create(budget=budget, kind=EntryKind.GRANT, amount=grant.amount_approved, grant=grant,
                                   created_by=operator, created_at=grant.decided_at)
    Introduction.objects.bulk_create(intros, batch_size=500)
    deals = [(i, o, on) for i, o, on in deals if on < now]
    Deal.objects.bulk_create([Deal(investor=i, startup_id=o.pk, stage=DealStage.INVESTED, created_by=operator,
                                   created_at=on - timedelta(days=30), updated_at=on) for i, o, on in deals])
    deal_ids = {(i, s): pk for pk, i, s in Deal.objects.filter(startup_id__in=[o.pk for _i, o, _on in deals])
                .values_list("pk", "investor_id", "startup_id")}
    Investment.objects.bulk_create([
        Investment(deal_id=deal_ids[(i.pk, o.pk)], investor=i, startup_id=o.pk,
                   amount=Decimal(rng.choice([100_000, 250_000, 500_000, 1_000_000, 2_000_000])),
                   currency=rng.choice(["USD", "USD", CURRENCY[o.country]]), instrument=rng.choice(Instrument.values),
                   invested_on=on.date(), status=InvestmentStatus.CONFIRMED, recorded_by=operator, recorded_at=on,
                   answered_at=on + timedelta(days=2)) for i, o, on in deals])
    return len(orgs)
