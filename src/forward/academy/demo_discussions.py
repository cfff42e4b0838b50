"""Demo discussions on the academy's boards: the three technical courses' boards and the cohort board
of the named NTU student's current run (a technical course's when they take one), written by the visiting professor and learners enrolled in
those courses (the first few by account, so the same people each time). Questions with replies, one
marked as the answer, code blocks, upvotes, a pinned welcome from the teacher and a question still
waiting for an answer. Loading again adds nothing (see forward.discussions.demo)."""

from __future__ import annotations

from forward.core.models import User
from forward.discussions import demo as discussions_demo
from forward.discussions.demo import DemoReply as R
from forward.discussions.demo import DemoThread as T

from .discussions import course_board, run_board
from .models import Course, CourseRun, Enrolment

PROFESSOR = "professor@cloudwave.forward.demo"
STUDENT = "student@ntu.forward.demo"
FENCE = "```"


def _learners(runs, first: tuple[str, ...] = (), count: int = 5) -> list[str]:
    """Emails of learners enrolled in `runs`: `first` (those of them enrolled), then the earliest accounts."""
    enrolled = User.objects.filter(pk__in=Enrolment.objects.filter(run__in=runs).values("user_id")).exclude(
        email=PROFESSOR)
    return discussions_demo.cast(enrolled.filter(email__in=first).values_list("email", flat=True),
                                 enrolled.order_by("pk").values_list("email", flat=True)[:count], count)


def _cloud(ref: str, a: str, b: str, c: str, d: str, e: str) -> list[T]:
    return [
        T(ref=ref, author=PROFESSOR, is_question=False, pinned=True, days_ago=40, votes=(a, b, c),
          title="Welcome: how to ask a question that gets answered",
          body="Welcome to Cloud Computing Fundamentals. This board is for questions about the lessons and "
               "the labs; the other learners and I read it every day.\n\n"
               "A good question says **what you ran, what you expected and what happened instead**. Paste "
               "commands and error messages as code (three backticks before and after), not as screenshots, "
               "and say which region you are in:\n\n"
               f"{FENCE}text\n$ ssh -i lab.pem ubuntu@203.0.113.24\n"
               f"ssh: connect to host 203.0.113.24 port 22: Connection timed out\n{FENCE}\n\n"
               "When a reply solves your problem, mark it as the answer: the next person with the same "
               "error finds it at the top. Never post access keys or passwords here; if you did, delete "
               "the key in the console first and then tell us."),
        T(ref=ref, author=a, days_ago=21, votes=(b, d),
          title="Files on my VM disappeared after I stopped and started it",
          body="In the *Running your first service* lab I wrote the access logs to `/mnt/data` on my "
               "instance. I stopped it overnight to save money and this morning the folder is empty, "
               "although the instance itself is fine. What happened?",
          replies=(
              R(author=b, hours=2, votes=(a, c, PROFESSOR),
                body="`/mnt` is probably the **instance store** (local, temporary disk) that comes with "
                     "some instance types. It lives on the physical host: when you stop the instance it "
                     "moves to another host and that disk is wiped. Only the block-storage volumes "
                     "(system disk and attached data disks) survive a stop. Check with:\n\n"
                     f"{FENCE}bash\nlsblk -o NAME,SIZE,TYPE,MOUNTPOINT\n{FENCE}\n\n"
                     "Put data you want to keep on an attached volume, or better in object storage."),
              R(author=PROFESSOR, hours=5, votes=(a,),
                body="Right. For the lab, write logs to the system disk or ship them to object storage; "
                     "and take a **snapshot** of the data volume before any change you might regret. "
                     "Module 2's notes have a table of which storage survives stop, reboot and terminate."),
              R(author=a, hours=6, body="Thank you both, `lsblk` shows `/mnt` on `nvme1n1`, the local "
                                        "disk. Moved everything to the data volume."),
          ), answer=0),
        T(ref=ref, author=c, days_ago=12, votes=(e,),
          title="Is port 22 open to 0.0.0.0/0 acceptable for the lab?",
          body="My security group has this inbound rule and everything works. The lab checker gives me a "
               "warning but not an error. Is it really a problem for a lab machine that only lives for a "
               "few hours?\n\n"
               f"{FENCE}text\nType  Protocol  Port  Source\nSSH   TCP       22    0.0.0.0/0\n{FENCE}",
          replies=(
              R(author=PROFESSOR, hours=3, votes=(c, e, b),
                body="Yes, it is a problem: scanners find a new open SSH port within minutes, and a lab "
                     "machine with a weak key or an old image is exactly what they look for. Allow only "
                     "your own address:\n\n"
                     f"{FENCE}text\nSSH   TCP   22   198.51.100.7/32   (your IP, from whatismyip)\n{FENCE}\n\n"
                     "or use the console's browser-based session manager and close port 22 entirely. "
                     "*Least privilege* applies to networks as well as to people."),
          ), answer=0),
        T(ref=ref, author=d, days_ago=2,
          title="Which region for users in Jakarta and Manila?",
          body="Our student project serves users mostly in Jakarta and Manila. Our provider has regions "
               "in Jakarta and Singapore but none in Manila. Is it better to run everything in Jakarta, "
               "or in Singapore, which is closer to Manila? Latency matters more to us than price."),
    ]


def _data(ref: str, a: str, b: str, c: str, d: str, e: str) -> list[T]:
    return [
        T(ref=ref, author=b, days_ago=18, votes=(c, d, e),
          title="merge() gives me more rows than the left table",
          body="I join the trips to the zone table and the result has 10,482 rows instead of 10,000:\n\n"
               f"{FENCE}python\ntrips = pd.read_parquet(\"trips.parquet\")   # 10,000 rows\n"
               "zones = pd.read_csv(\"zones.csv\")\n"
               "joined = trips.merge(zones, left_on=\"pickup_zone\", right_on=\"zone_id\", how=\"left\")\n"
               f"len(joined)   # 10482 ?!\n{FENCE}\n\nI thought a left join keeps the left table's rows.",
          replies=(
              R(author=c, hours=1, votes=(b, d, e, PROFESSOR),
                body="It keeps every left row, but a left row appears **once per match**: some `zone_id`s "
                     "are in `zones.csv` twice. Find them, and let pandas check the shape of the join:\n\n"
                     f"{FENCE}python\nzones[zones.zone_id.duplicated(keep=False)]\n\n"
                     "joined = trips.merge(zones, left_on=\"pickup_zone\", right_on=\"zone_id\",\n"
                     f"                     how=\"left\", validate=\"many_to_one\")\n{FENCE}\n\n"
                     "`validate` raises `MergeError` instead of silently multiplying rows."),
              R(author=b, hours=2, body="Four zones were listed twice with different spellings. "
                                        "Deduplicated them and I am back to 10,000 rows. Thanks!"),
          ), answer=0),
        T(ref=ref, author=e, is_question=False, days_ago=9, votes=(a, b),
          title="Parquet against CSV on the taxi data: my timings",
          body="Out of curiosity I timed reading the lab's trips (2.1 million rows) both ways on my laptop:\n\n"
               "| file | size | read all | read 2 columns |\n| --- | ---: | ---: | ---: |\n"
               "| CSV | 312 MB | 9.8 s | 9.6 s |\n| Parquet (snappy) | 61 MB | 1.1 s | 0.2 s |\n\n"
               "Reading two columns from Parquet only touches those columns, which the notes on columnar "
               "formats promised, but I did not expect a 50x difference.",
          replies=(
              R(author=PROFESSOR, hours=20, votes=(e,),
                body="Nice measurement. Part of the CSV time is parsing text into numbers and dates, which "
                     "Parquet stores already typed. Try `pd.read_csv(..., engine=\"pyarrow\")` for a fairer "
                     "comparison: it parses on all cores."),
          )),
    ]


def _ml(ref: str, a: str, b: str, c: str, d: str, e: str) -> list[T]:
    return [
        T(ref=ref, author=d, days_ago=15, votes=(a, b, c),
          title="Validation AUC of 0.99 on the churn lab: too good to be true?",
          body="My random forest gets 0.99 AUC on validation in the churn lab, while everyone in my study "
               "group is around 0.80. Features include `tenure_months`, `monthly_fee`, "
               "`support_calls` and `days_since_cancellation_request`. Did I find something clever?",
          replies=(
              R(author=a, hours=4, votes=(d, c, PROFESSOR, e),
                body="`days_since_cancellation_request` is only known **after** the customer decided to "
                     "leave, so it gives the label away: that is target leakage. Ask of every feature "
                     "\"would I know this at the moment I make the prediction?\" Drop it and retrain:\n\n"
                     f"{FENCE}python\nX = df.drop(columns=[\"churned\", \"days_since_cancellation_request\"])\n"
                     "model.fit(X_train, y_train)\n"
                     f"roc_auc_score(y_valid, model.predict_proba(X_valid)[:, 1])\n{FENCE}"),
              R(author=d, hours=6, body="0.81 after dropping it. Less exciting, but honest. Thanks."),
              R(author=PROFESSOR, hours=9, votes=(d,),
                body="Good catch. When rows have dates, also split by time (train on earlier months, "
                     "validate on later ones) rather than at random, or the model sees the future through "
                     "seasonal patterns."),
          ), answer=0),
        T(ref=ref, author=c, days_ago=6, votes=(b,),
          title="When is F1 better than accuracy?",
          body="The quiz asked which metric to report for a fraud model where 1 % of transactions are "
               "fraud. I answered accuracy and got it wrong. Why is F1 better there?",
          replies=(
              R(author=e, hours=3, votes=(c, b),
                body="A model that says \"not fraud\" for everything is 99 % accurate and useless. F1 is "
                     "the harmonic mean of precision (of the flagged ones, how many are fraud) and recall "
                     "(of the frauds, how many were flagged), so it is 0 for that model:\n\n"
                     f"{FENCE}python\nfrom sklearn.metrics import f1_score\n"
                     f"f1_score(y_true, [0] * len(y_true))   # 0.0\n{FENCE}"),
          )),
    ]


def _cohort(ref: str, course: str, student: str, a: str, b: str, c: str) -> list[T]:
    return [
        T(ref=ref, author=PROFESSOR, is_question=False, pinned=True, days_ago=44, votes=(student, a),
          title="Welcome to the cohort: office hours and the final exam",
          body=f"Welcome to {course} this semester. A few things for our cohort:\n\n"
               "* **Office hours**: Thursdays 18:00–19:00 Singapore time, online; I post the link here "
               "every Thursday morning.\n"
               "* **Labs** are graded by the platform as soon as you submit them.\n"
               "* **Final exam**: 30 minutes, one attempt; its page says until when it is open. The "
               "university releases your grade after the run ends.\n\n"
               "Questions about the content are best asked on the course's public board, where other "
               "cohorts help too; this board is for our class only."),
        T(ref=ref, author=student, days_ago=10, votes=(a, b),
          title="Is the final exam open-book?",
          body="Can we use our notes and the lesson readings during the final exam, or is it closed-book? "
               "And does the timer keep running if my connection drops?",
          replies=(
              R(author=PROFESSOR, hours=5, votes=(student, a, b, c),
                body="Open-book: notes and the course's readings are fine, other people are not. The timer "
                     "runs from when you start, whatever happens to your connection, so start when you "
                     "have the full time; your answers are saved as you go and kept if the time runs out."),
          ), answer=0),
        T(ref=ref, author=a, is_question=False, days_ago=4, votes=(student,),
          title="Study group before the lab deadline, Saturday in the library?",
          body="A few of us are meeting on Saturday at 14:00 in the Lee Wee Nam Library, level 2, to go "
               "through the last lab together. Everyone in the cohort is welcome.",
          replies=(R(author=b, hours=7, body="Count me in, I will bring the practice questions."),)),
    ]


def threads() -> list[T]:
    """The academy's demo threads (the demo courses and runs must be loaded)."""
    courses = {c.slug: c for c in Course.objects.filter(slug__in=[
        "cloud-computing-fundamentals", "big-data-analytics-with-python", "machine-learning-foundations"])}
    made: list[T] = []
    for slug, write in (("cloud-computing-fundamentals", _cloud), ("big-data-analytics-with-python", _data),
                        ("machine-learning-foundations", _ml)):
        course = courses.get(slug)
        if course is None:
            continue
        people = _learners(CourseRun.objects.filter(course=course, university__isnull=True))
        if len(people) == 5:
            made += write(course_board(course), *people)
    student = User.objects.filter(email=STUDENT).first()
    runs = list(CourseRun.objects.filter(university__slug="nanyang-technological-university", grades_released_at=None,
                                         enrolments__user=student, instructors__email=PROFESSOR)
                .select_related("course").order_by("pk")) if student else []
    preferred = ["machine-learning-foundations", "big-data-analytics-with-python", "cloud-computing-fundamentals"]
    runs.sort(key=lambda run: preferred.index(run.course.slug) if run.course.slug in preferred else len(preferred))
    current = runs[0] if runs else None
    if current is not None:
        people = _learners([current], first=(STUDENT,), count=4)
        if len(people) == 4:
            made += _cohort(run_board(current), current.course.title, *people)
    return made


def load() -> int:
    """Create the academy's demo threads not there yet; returns how many were created."""
    return discussions_demo.load(threads=threads())
