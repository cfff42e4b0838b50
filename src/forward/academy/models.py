"""Programmes, courses, modules and lessons; course runs at universities; enrolments and progress."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization, Skill


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class CourseQuerySet(models.QuerySet["Course"]):
    def published(self) -> CourseQuerySet:
        return self.filter(status=CourseStatus.PUBLISHED)


class Course(models.Model):
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    thumbnail = models.CharField(_("thumbnail"), max_length=120, blank=True)  # core.images stored name stem
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.INTRODUCTORY)
    language = models.CharField(_("language"), max_length=10, default="en")
    skills = models.ManyToManyField(Skill, blank=True, related_name="courses")
    estimated_hours = models.PositiveSmallIntegerField(_("estimated hours"), default=10)
    credit_units = models.DecimalField(_("credit units"), max_digits=4, decimal_places=1, default=0)
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="unlocks")
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="courses")
    # The course team: who may edit it besides the owner's admins (an instructor who created it, a
    # visiting professor the owner invited).
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="authored_courses")
    status = models.CharField(max_length=16, choices=CourseStatus.choices, default=CourseStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Open edX-style policy: assessment types with weight, minimum count and lowest scores dropped,
    # and grade cutoffs. See grading.DEFAULT_POLICY.
    grading_policy = models.JSONField(default=dict, blank=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "level", "language"])]

    def __str__(self) -> str:
        return self.title


class ProgrammeKind(models.TextChoices):
    UPSKILLING = "upskilling", _("Digital upskilling")
    DEVELOPERS = "developers", _("AI for developers")
    ENTREPRENEURS = "entrepreneurs", _("Business for founders")
    MAJOR = "major", _("University major")
    MINIMASTERS = "minimasters", _("MiniMasters")


class CompletionRule(models.TextChoices):
    COURSES = "courses", _("All required courses plus a number of electives")
    CREDITS = "credits", _("Credit units at a minimum grade average")


class Programme(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ProgrammeKind.choices)
    summary = models.TextField(_("summary"), blank=True)
    completion_rule = models.CharField(max_length=16, choices=CompletionRule.choices, default=CompletionRule.COURSES)
    electives_required = models.PositiveSmallIntegerField(default=0)
    credits_required = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    minimum_grade_average = models.DecimalField(max_digits=3, decimal_places=2, default=0)  # on a 4-point scale
    partners = models.ManyToManyField(Organization, blank=True, related_name="programmes")
    countries = models.JSONField(default=list, blank=True)  # ISO 3166-1 codes
    courses: models.ManyToManyField[Course, ProgrammeCourse] = models.ManyToManyField(
        Course, through="ProgrammeCourse", related_name="programmes")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ProgrammeCourse(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE)
    course = models.ForeignKey(Course, on_delete=models.CASCADE)
    required = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["programme", "course"], name="programme_course_once")]

    def __str__(self) -> str:
        return f"{self.programme} · {self.course}"


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["course", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class LessonKind(models.TextChoices):
    VIDEO = "video", _("Video")
    READING = "reading", _("Reading")
    QUIZ = "quiz", _("Quiz")
    LAB = "lab", _("Lab")


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")  # denormalised
    order = models.PositiveSmallIntegerField(default=0)
    slug = models.SlugField(max_length=80)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=LessonKind.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=10)
    video_url = models.CharField(_("video URL (MP4 or HLS)"), max_length=500, blank=True)
    video_file = models.CharField(max_length=300, blank=True)  # stored upload
    captions_vtt = models.TextField(_("captions (WebVTT)"), blank=True)
    transcript = models.TextField(_("transcript"), blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    lab_url = models.URLField(_("lab link"), blank=True)

    class Meta:
        ordering = ["module__order", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="lesson_slug_per_course")]

    def __str__(self) -> str:
        return self.title


class CourseRun(models.Model):
    """A course offered at a partner university (or open to all), with a cohort and instructors."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="runs")
    university = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="course_runs")
    cohort = models.CharField(_("cohort"), max_length=120)
    enrolment_ends = models.DateTimeField(_("enrolment closes"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    instructors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teaching_runs")
    grades_released_at = models.DateTimeField(null=True, blank=True)  # after staff reviewed the grade book
    grades_released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="run_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.course} · {self.cohort}"


class Enrolment(models.Model):
    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    created_at = models.DateTimeField(default=timezone.now)
    last_lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_activity_at = models.DateTimeField(null=True, blank=True)
    completed_lessons = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "user"], name="enrol_once_per_run")]
        indexes = [models.Index(fields=["user", "-last_activity_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.run}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    position_seconds = models.FloatField(default=0)  # where the video player was; resumes here
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="progress_once")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.lesson_id} at {self.position_seconds:.0f}s"


class AssessmentKind(models.TextChoices):
    QUIZ = "quiz", _("Quiz")
    EXAM = "exam", _("Exam")


class Assessment(models.Model):
    """A quiz (feedback at once) or a timed exam (deadline kept by the server; results at closing)."""

    # A course's quiz or exam; a certification exam belongs to no course.
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments")
    lesson = models.OneToOneField(Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessment")
    kind = models.CharField(max_length=8, choices=AssessmentKind.choices, default=AssessmentKind.QUIZ)
    title = models.CharField(_("title"), max_length=200)
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), null=True, blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=3)
    questions_per_attempt = models.PositiveSmallIntegerField(_("questions drawn per attempt (0 = all)"), default=0)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)  # exams show results after this
    pass_mark = models.FloatField(_("pass mark (%)"), default=50)
    category = models.CharField(_("assessment type (for the grading policy)"), max_length=40, blank=True)

    class Meta:
        ordering = ["course", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def grading_type(self) -> str:
        return self.category or self.kind


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    NUMERIC = "numeric", _("Number")
    TEXT = "text", _("Short text")


class Question(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=QuestionKind.choices)
    prompt = models.TextField(_("question (Markdown)"))
    options = models.JSONField(default=list, blank=True)  # choice texts
    correct = models.JSONField(default=list, blank=True)  # option indexes, [number], or [accepted texts]
    tolerance = models.FloatField(default=0)  # numeric: accepted absolute difference
    pattern = models.CharField(max_length=300, blank=True)  # text: a regular expression instead of exact texts
    points = models.FloatField(default=1)
    explanation = models.TextField(_("explanation shown after answering"), blank=True)
    # What the question examines ("Networking", "Storage"): a certification result is a score per area.
    area = models.CharField(_("area"), max_length=80, blank=True)

    class Meta:
        ordering = ["assessment", "order", "pk"]

    def __str__(self) -> str:
        return self.prompt[:60]


class Attempt(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)  # exams: answers after this do not count
    submitted_at = models.DateTimeField(null=True, blank=True)
    question_ids = models.JSONField(default=list)  # the draw for this attempt, in order
    option_orders = models.JSONField(default=dict)  # question id → shown order of option indexes
    answers = models.JSONField(default=dict)  # question id → answer as given
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(default=0)

    class Meta:
        ordering = ["assessment", "user", "number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "user", "number"], name="attempt_number_once")]
        # The periodic job finds the attempts whose time ran out (assessments.attempts_close_lapsed)
        # among the few still open, not by reading every attempt ever made.
        indexes = [models.Index(fields=["deadline"], condition=models.Q(submitted_at__isnull=True),
                                name="attempt_open_deadline")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.assessment} #{self.number}"

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.max_score:
            return None
        return 100.0 * self.score / self.max_score


class CertificationLevel(models.TextChoices):
    ASSOCIATE = "associate", _("Associate")
    PROFESSIONAL = "professional", _("Professional")
    EXPERT = "expert", _("Expert")


LEVEL_ORDER: dict[str, int] = {CertificationLevel.ASSOCIATE: 0, CertificationLevel.PROFESSIONAL: 1, CertificationLevel.EXPERT: 2}


class Certification(models.Model):
    """A certification by track and level (Cloud Engineer – Associate, …), earned by passing its
    timed exam, independent of courses; held for `validity_days`, then renewed by passing again."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    track = models.CharField(_("track"), max_length=120)
    level = models.CharField(_("level"), max_length=16, choices=CertificationLevel.choices)
    summary = models.TextField(_("summary"), blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="certifications")
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="leads_to")
    exam = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="certification")
    validity_days = models.PositiveIntegerField(_("valid for (days)"), default=730)
    # After a failed sitting, the next one (on a new voucher) starts this many days later at the earliest.
    retake_wait_days = models.PositiveSmallIntegerField(_("days to wait before a retake"), default=14)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="certifications")
    status = models.CharField(max_length=16, choices=CourseStatus.choices, default=CourseStatus.PUBLISHED)
    # Counts towards "developers empowered" (impact): a certification for people who build software.
    developer = models.BooleanField(_("developer certification"), default=False)

    class Meta:
        ordering = ["track", "title"]

    def __str__(self) -> str:
        return self.title

    def _level_suffix(self) -> str:
        """The level as the title ends with it ("Associate" in "Cloud Engineer – Associate"), or ""."""
        label = str(self.get_level_display())
        folded = self.title.casefold()
        for word in (self.level, label):
            start = len(self.title) - len(word)
            if word and folded.endswith(word.casefold()) and (start == 0 or not self.title[start - 1].isalnum()):
                return self.title[start:]
        return ""

    @property
    def title_names_level(self) -> bool:
        return bool(self._level_suffix())

    @property
    def display_title(self) -> str:
        """The title with the level it ends with in the reader's language ("Cloud Engineer – 助理级");
        a title without its level is shown as it is, next to a level badge."""
        suffix = self._level_suffix()
        if not suffix:
            return self.title
        return self.title[:len(self.title) - len(suffix)] + str(self.get_level_display())

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.status == CourseStatus.PUBLISHED and self.exam_id:
            from .certifications import pool_problem

            problem = pool_problem(self.exam)
            if problem:
                raise ValidationError(problem)


class VoucherQuerySet(models.QuerySet["Voucher"]):
    def usable(self, now: datetime) -> VoucherQuerySet:
        """The vouchers someone may still redeem at `now`: not redeemed, and not expired (a voucher
        without an end date never expires). The one rule for the lists of codes and for redeeming."""
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), redeemed_by__isnull=True)


class Voucher(models.Model):
    """An exam voucher an organization bought or was given for its people: one exam sitting,
    redeemed once."""

    code = models.CharField(max_length=24, unique=True)
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="vouchers")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="vouchers")
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    expires_at = models.DateTimeField(null=True, blank=True)
    redeemed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="vouchers_redeemed")
    redeemed_at = models.DateTimeField(null=True, blank=True)

    objects = VoucherQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "pk"]
        indexes = [models.Index(fields=["organization", "certification", "redeemed_at"])]
        constraints = [models.CheckConstraint(
            condition=Q(redeemed_by__isnull=True, redeemed_at__isnull=True)
            | Q(redeemed_by__isnull=False, redeemed_at__isnull=False), name="voucher_redeemed_with_time")]

    def __str__(self) -> str:
        return f"{self.certification} · {self.code[-4:]}"


class CertificationSitting(models.Model):
    """The right to one attempt at a certification exam, bought with a voucher."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sittings")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="sittings")
    voucher = models.OneToOneField(Voucher, on_delete=models.PROTECT, related_name="sitting")
    created_at = models.DateTimeField(default=timezone.now)
    attempt = models.OneToOneField(Attempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="sitting")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.certification}"


class CertificationHolding(models.Model):
    """Who holds which certification, since when, until when, from which attempt. A renewal is a
    new row; the newest is current. Credentials are issued from these rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certifications")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="holdings")
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="holding")
    earned_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-earned_at"]
        indexes = [models.Index(fields=["user", "certification", "-expires_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.certification} until {self.expires_at:%Y-%m-%d}"


class LabTask(models.Model):
    """A lab lesson graded by the platform: public data to download, a hidden answer key (never
    served by any URL), and the metric and threshold a learner's predictions must reach."""

    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="lab_task")
    train_file = models.CharField(max_length=300, blank=True)  # storage names; downloads go through a view
    test_file = models.CharField(max_length=300, blank=True)
    key_file = models.CharField(max_length=300)  # hidden: read only by the scoring service
    id_column = models.CharField(_("id column"), max_length=80)
    target_column = models.CharField(_("target column"), max_length=80)
    metric = models.CharField(_("metric"), max_length=20)
    pass_threshold = models.FloatField(_("score needed to pass"))
    max_daily_submissions = models.PositiveSmallIntegerField(_("submissions per day"), default=10)
    max_submission_mb = models.PositiveSmallIntegerField(_("largest submission (MB)"), default=20)
    # An "answers" lab (metric "answers"): the questions shown to learners, [{"id": ..., "text": ...}]
    # in order; their answers stay in the hidden key. Empty for a predictions lab.
    questions = models.JSONField(_("questions"), default=list, blank=True)

    def __str__(self) -> str:
        return f"lab of {self.lesson}"

    @property
    def is_answers(self) -> bool:
        """Learners answer questions (typed into the lab page or as a CSV), not predict a test set."""
        return self.metric == "answers"

    @property
    def higher_is_better(self) -> bool:
        from forward import scoring

        return scoring.get_metric(self.metric).higher_is_better

    def passes(self, score: float) -> bool:
        return score >= self.pass_threshold if self.higher_is_better else score <= self.pass_threshold

    def percent(self, score: float | None) -> float:
        """A score as a percentage for the grading policy: 100 when it passes, else its share of the way."""
        if score is None:
            return 0.0
        if self.passes(score):
            return 100.0
        if self.higher_is_better:
            return max(0.0, 100.0 * score / self.pass_threshold) if self.pass_threshold > 0 else 0.0
        return max(0.0, 100.0 * self.pass_threshold / score) if score > 0 else 0.0


class LabSubmissionStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Scoring")
    SCORED = "scored", _("Scored")
    FAILED = "failed", _("Failed")


class LabSubmission(models.Model):
    lab = models.ForeignKey(LabTask, on_delete=models.CASCADE, related_name="submissions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_submissions")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lab_submissions")
    file = models.CharField(max_length=300)
    original_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=LabSubmissionStatus.choices, default=LabSubmissionStatus.QUEUED)
    score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["lab", "user", "-created_at"]), models.Index(fields=["status", "started_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=LabSubmissionStatus.values), name="lab_submission_status"),
            models.CheckConstraint(condition=Q(status="scored") | Q(score__isnull=True), name="lab_score_when_scored"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lab} #{self.pk}"
