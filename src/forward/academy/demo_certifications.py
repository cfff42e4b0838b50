"""Demo certifications: two tracks of levels with timed exams drawn from question pools, vouchers
issued to the demo universities and the cloud provider, and candidates who redeemed them: holders
(current, in their renewal window, expired) and some who did not pass."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from forward.core.models import Membership, Organization, OrganizationKind, Role, Skill, User

from . import certifications as service
from .demo_content import multiple, numeric, questions, single
from .models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Certification,
    CertificationHolding,
    CertificationLevel,
    CertificationSitting,
    Question,
    Voucher,
)

LADDER = [
    # slug, title, track, level, prerequisite slug, skills, question pool
    ("cloud-engineer-associate", "Cloud Engineer – Associate", "Cloud infrastructure", CertificationLevel.ASSOCIATE,
     None, ["Cloud computing", "Linux", "Networking"], "cloud"),
    ("cloud-architect-professional", "Cloud Architect – Professional", "Cloud infrastructure",
     CertificationLevel.PROFESSIONAL, "cloud-engineer-associate", ["Cloud computing", "Networking"], "cloud"),
    ("solutions-architect-expert", "Solutions Architect – Expert", "Cloud infrastructure", CertificationLevel.EXPERT,
     "cloud-architect-professional", ["Cloud computing"], "cloud"),
    ("data-analyst-associate", "Data Analyst – Associate", "Data and AI", CertificationLevel.ASSOCIATE, None,
     ["Python", "SQL", "Data analysis"], "data"),
    ("machine-learning-engineer-professional", "Machine Learning Engineer – Professional", "Data and AI",
     CertificationLevel.PROFESSIONAL, "data-analyst-associate", ["Machine learning", "Python"], "ml"),
]

# Each certification's exam draws from the pool of its subject (shuffled options; areas are what a
# result is reported by).
CLOUD_POOL = (
    single("Which service model hands you virtual machines whose operating system you manage yourself?",
           ("IaaS", "SaaS", "PaaS", "A content delivery network"), 0, area="Compute"),
    single("What spreads incoming requests across several healthy servers?",
           ("A load balancer", "A NAT gateway", "A DNS zone file", "A snapshot schedule"), 0, area="Networking"),
    multiple("Which of these make a web service more available?",
             ("Instances in several availability zones", "Health checks that replace failed instances",
              "One larger server", "Turning off monitoring"), (0, 1), area="Reliability"),
    multiple("Which are storage services a cloud provider offers?",
             ("Object storage", "Block storage", "A virtual private cloud", "A security group"), (0, 1),
             area="Storage"),
    numeric("A service is up 99.9% of a 30-day month. How many minutes may it be down?", 43.2, 0.5,
            area="Reliability"),
    numeric("How many bits are in an IPv4 address?", 32, 0, area="Networking"),
    single("Which network construct isolates your cloud resources from other customers'?",
           ("A virtual private cloud (VPC)", "An object storage bucket", "An autoscaling group",
            "A billing account"), 0, area="Networking"),
    single("Which protocol encrypts traffic between browsers and a web service?",
           ("TLS", "FTP", "SMTP", "ICMP"), 0, area="Security"),
    single("Where should an application's database password live?",
           ("In a secrets manager, read at start-up", "In the source code", "In the README",
            "In an object's public URL"), 0, area="Security"),
    single("What does a target-tracking autoscaling policy change?",
           ("The number of instances", "The region", "The instance's operating system",
            "The price per hour"), 0, area="Compute"),
    single("Which storage suits images served to millions of users?",
           ("Object storage behind a content delivery network", "A local disk on one server",
            "An in-memory cache only", "The database's transaction log"), 0, area="Storage"),
    single("Which principle grants each identity only the permissions it needs?",
           ("Least privilege", "Shared accounts", "Security by obscurity", "Allowing everything by default"), 0,
           area="Security"),
    multiple("Which run your code without you managing servers?",
             ("Serverless functions", "A managed container service", "A rack in your office",
              "A virtual machine you patch yourself"), (0, 1), area="Compute"),
    single("What restores service after a whole region fails?",
           ("A tested disaster-recovery plan in another region", "A larger instance in the same region",
            "Turning logging off", "A second availability zone in the same region only"), 0,
           area="Reliability"),
    numeric("How many addresses does a /24 IPv4 network hold in total?", 256, 0, area="Networking"),
    single("Which pricing suits a restartable overnight batch job best?",
           ("Spot or preemptible capacity", "On-demand capacity around the clock",
            "A three-year commitment", "A dedicated host"), 0, area="Cost"),
    single("Which habit helps a team see who is spending what on the cloud bill?",
           ("Tagging every resource with its team and project", "Using one account for everything",
            "Deleting the billing alerts", "Paying annually"), 0, area="Cost"),
    numeric("Two independent availability zones are each available 99% of the time. If the service "
            "runs while at least one is up, what is its availability in percent?", 99.99, 0.005,
            area="Reliability"),
)
DATA_POOL = (
    single("In tidy data, what is each column?", ("A variable", "An observation", "A table", "A chart"), 0,
           area="Data preparation"),
    single("Which pandas function turns a wide table (one column per month) into long form?",
           ("melt", "pivot_table", "concat", "dropna"), 0, area="Data preparation"),
    single("Why are columnar files such as Parquet faster for analytical queries than CSV?",
           ("A query reads only the columns it needs", "They are always smaller than memory",
            "They store numbers as text", "They cannot be compressed"), 0, area="Data preparation"),
    single("Which join keeps every customer, with NULLs for customers who have no orders?",
           ("customers LEFT JOIN orders", "customers INNER JOIN orders", "orders INNER JOIN customers",
            "customers CROSS JOIN orders"), 0, area="SQL"),
    single("Which clause filters groups by an aggregate such as COUNT(*)?",
           ("HAVING", "WHERE", "ON", "LIMIT"), 0, area="SQL"),
    numeric("Key 3 appears 4 times in one table and 2 times in another. How many rows with key 3 does an "
            "inner join return?", 8, 0, area="SQL"),
    multiple("Which are aggregate functions in SQL?", ("SUM", "AVG", "COUNT", "JOIN"), (0, 1, 2), area="SQL"),
    single("Which statistic describes a typical value best when a few values are extremely large?",
           ("The median", "The mean", "The maximum", "The sum"), 0, area="Statistics"),
    numeric("What is the mean of 2, 4, 6 and 8?", 5, 0, area="Statistics"),
    single("What does the interquartile range measure?",
           ("The spread of the middle half of the data", "The largest value minus the smallest",
            "The most common value", "The number of missing values"), 0, area="Statistics"),
    single("Which chart shows the distribution of one numeric variable?",
           ("A histogram", "A pie chart", "A line chart of the index", "A map"), 0, area="Visualisation"),
    single("Why must a bar chart's value axis start at zero?",
           ("Bars encode values by their length", "It is required by law", "Otherwise colours change",
            "Zero is the mean"), 0, area="Visualisation"),
    single("In an A/B test, why are users assigned to versions at random?",
           ("So that the groups differ only by chance and by the change", "To save money",
            "So that analysts can choose the winners", "To make the test shorter"), 0, area="Experiments"),
    single("An A/B test planned a 50/50 split and ended with 54% of users in B. What should you suspect?",
           ("A sample ratio mismatch: the assignment is broken", "B is better",
            "A significant effect", "Nothing: splits vary widely"), 0, area="Experiments"),
    numeric("Version A converts 8% of visitors and B 10%. What is B's relative uplift in percent?", 25, 0.1,
            area="Experiments"),
    multiple("Which practices make an A/B test's result trustworthy?",
             ("Deciding the sample size before starting", "Random assignment",
              "Stopping at the first significant result", "Picking the metric after the test"), (0, 1),
             area="Experiments"),
)
ML_POOL = (
    single("Which data set should be used only once, to estimate the final model's performance?",
           ("The test set", "The training set", "The validation set", "The whole data set"), 0,
           area="Evaluation"),
    single("Training error is low and validation error much higher. What is happening?",
           ("Overfitting", "Underfitting", "Perfect generalisation", "Class imbalance"), 0, area="Evaluation"),
    multiple("Which are forms of data leakage?",
             ("Scaling features on all the data before splitting", "A feature recorded after the outcome",
              "The same customer in training and test sets", "Using a fixed random seed"), (0, 1, 2),
             area="Data and leakage"),
    single("How should a time series be split into training and validation data?",
           ("By time: train on earlier, validate on later", "At random", "Alphabetically",
            "By the size of the values"), 0, area="Data and leakage"),
    single("What does k-fold cross-validation do?",
           ("Rotates the validation role through k parts of the data and averages the scores",
            "Trains k models on the test set", "Splits features into k groups", "Repeats the test k times"),
           0, area="Evaluation"),
    single("What does logistic regression predict?",
           ("The probability of a class", "A cluster label", "The squared error", "The number of trees"), 0,
           area="Models"),
    single("What does a random forest average?",
           ("Many decision trees trained on different samples and features", "Many linear models",
            "The training and test scores", "The features' means"), 0, area="Models"),
    single("Gradient boosting builds its ensemble how?",
           ("Adding trees one by one, each fitted to the errors so far", "Training all trees independently",
            "Using a single deep tree", "Averaging k-nearest neighbours"), 0, area="Models"),
    single("Which regularisation can set some coefficients exactly to zero?",
           ("L1 (lasso)", "L2 (ridge)", "Early stopping", "Bagging"), 0, area="Models"),
    numeric("Precision is 0.6 and recall 0.6. What is the F1 score?", 0.6, 0.005, area="Metrics"),
    numeric("A model's errors are 3, −3, 3 and −3. What is its RMSE?", 3, 0.01, area="Metrics"),
    single("A classifier's ROC AUC is 0.9. What does that mean?",
           ("A random positive outscores a random negative 90% of the time", "It is 90% accurate",
            "90% of its flags are correct", "It needs a threshold of 0.9"), 0, area="Metrics"),
    single("Which metric misleads most on a data set with 1% positives?",
           ("Accuracy", "Recall", "Precision", "ROC AUC"), 0, area="Metrics"),
    single("What is training-serving skew?",
           ("Production feeds the model differently prepared data than training did",
            "The model trains faster than it serves", "The test set is larger than the training set",
            "Servers in different regions"), 0, area="Production"),
    multiple("Which signals suggest a model in production needs retraining?",
             ("Input distributions drift from the training data", "Real outcomes show falling accuracy",
              "The model file is large", "The model has many coefficients"), (0, 1), area="Production"),
    single("Before deploying a complex model, what should it be compared with?",
           ("A simple baseline such as the majority class", "Nothing", "Its training score only",
            "A model trained on the test set"), 0, area="Production"),
)
POOLS = {"cloud": CLOUD_POOL, "data": DATA_POOL, "ml": ML_POOL}
# Certifications for people who build software: they count towards "developers empowered" (impact).
DEVELOPER = {"cloud-engineer-associate", "machine-learning-engineer-professional"}
DRAW = 5  # questions per sitting: each pool holds at least three times as many


def load(*, rng: random.Random) -> None:
    now = timezone.now()
    owner = Organization.objects.get(slug="cloudwave-technologies")
    skills = {s.name: s for s in Skill.objects.all()}
    made: dict[str, Certification] = {}
    for slug, title, track, level, prerequisite, skill_names, pool in LADDER:
        exam = Assessment.objects.create(
            course=None, kind=AssessmentKind.EXAM, title=f"{title} exam", time_limit_minutes=60, attempts_allowed=1,
            questions_per_attempt=DRAW, pass_mark=65, shuffle_options=True)
        Question.objects.bulk_create(questions(exam, POOLS[pool]))
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
    issued: list[Voucher] = []
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
    moments: list[tuple[int, datetime, datetime]] = []  # (user id, redeemed at, submitted at) of each sitting
    for uid, slug, days, passed in plan:
        certification = made[slug]
        when = now - timedelta(days=days, minutes=rng.randint(0, 600))
        redeemed = when - timedelta(hours=rng.randint(1, 72))
        vouchers.append(Voucher(code=_code(rng), certification=certification, organization_id=university_of[uid],
                                issued_at=redeemed - timedelta(days=rng.randint(3, 40)), redeemed_by_id=uid,
                                redeemed_at=redeemed))
        moments.append((uid, redeemed, when))
        attempts.append(Attempt(assessment=certification.exam, user_id=uid, number=1,
                                started_at=when - timedelta(minutes=rng.randint(25, 55)),
                                deadline=when + timedelta(minutes=5), submitted_at=when, question_ids=[],
                                answers={}, score=rng.choice([4, 5]) if passed else rng.choice([1, 2, 3]),
                                max_score=DRAW, option_orders={}))
    Voucher.objects.bulk_create(vouchers)
    Attempt.objects.bulk_create(attempts)  # (exam, user) pairs are unique in the plan
    CertificationSitting.objects.bulk_create([
        CertificationSitting(user_id=uid, certification=v.certification, voucher=v, attempt=a, created_at=redeemed)
        for v, a, (uid, redeemed, _when) in zip(vouchers, attempts, moments, strict=True)])
    CertificationHolding.objects.bulk_create([
        CertificationHolding(user_id=a.user_id, certification=v.certification, attempt=a, earned_at=when,
                             expires_at=when + timedelta(days=v.certification.validity_days))
        for v, a, (_uid, _redeemed, when), (_u, _slug, _days, passed)
        in zip(vouchers, attempts, moments, plan, strict=True) if passed])
