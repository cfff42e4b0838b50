"""Programme calls for cohorts and the startups' applications to them, with the questions a call
asks, the answers, and the judging: rubric criteria, panels of judges, conflicts and scores.
Other areas read who is in a cohort: a startup with an ACCEPTED application to a call."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed for review")
    DECIDED = "decided", _("Decided")


class Call(models.Model):
    """A call for a cohort (a DigiEntrepreneurs Forward batch, the innovation centre's accelerator),
    run by a programme organizer (an innovation centre or the programme office)."""

    organizer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="venture_calls")
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT)
    deadline = models.DateTimeField(_("deadline"))
    created_at = models.DateTimeField(default=timezone.now)
    # Eligibility: empty means every country / every stage.
    countries = models.JSONField(_("eligible countries"), default=list, blank=True)  # ISO 3166 alpha-2
    stages = models.JSONField(_("eligible stages"), default=list, blank=True)  # choices.Stage codes
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-deadline", "pk"]
        verbose_name = _("cohort call")
        verbose_name_plural = _("cohort calls")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice (one of several)")
    NUMBER = "number", _("Number")
    FILE = "file", _("File (PDF)")


class Question(models.Model):
    """One question of a call, in order. Text has a maximum length, choice its options, number its
    bounds; a file answer is a PDF of bounded size."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    prompt = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    min_value = models.DecimalField(_("minimum"), max_digits=16, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(min_value__isnull=True) | Q(max_value__isnull=True)
                                   | Q(min_value__lte=models.F("max_value")), name="cohort_question_bounds"),
        ]

    def __str__(self) -> str:
        return self.prompt


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Not selected")


DECISIONS = (ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED)


class CohortApplication(models.Model):
    """A startup's application to a call; accepted applications form the cohort."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    startup = models.ForeignKey("ventures.Startup", on_delete=models.CASCADE, related_name="cohort_applications")
    status = models.CharField(_("status"), max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    # The decision the startup was last told of by mail: the mail task sends only when it differs.
    notified_status = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["call", "startup"], name="cohort_application_once")]
        indexes = [models.Index(fields=["startup", "status"]), models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.startup} → {self.call}"


class Answer(models.Model):
    application = models.ForeignKey(CohortApplication, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)  # text answers and the chosen option
    number = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    file = models.FileField(upload_to="ventures/applications/", max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)  # the name it was uploaded with
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [models.UniqueConstraint(fields=["application", "question"], name="cohort_answer_once")]

    def __str__(self) -> str:
        return f"{self.question} ({self.application})"

    @property
    def is_empty(self) -> bool:
        return not self.text and self.number is None and not self.file


class Criterion(models.Model):
    """A rubric criterion of a call: judges mark each 1–5; its weight says how much it counts."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    description = models.CharField(_("description"), max_length=400, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1) & Q(weight__lte=100),
                                              name="cohort_criterion_weight")]

    def __str__(self) -> str:
        return self.name


class Panel(models.Model):
    """A named judging panel of a call. It scores the applications staff assigned to it, or every
    submitted application of the call when none are assigned."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(_("name"), max_length=120)
    applications = models.ManyToManyField(CohortApplication, blank=True, related_name="panels")

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "name"], name="cohort_panel_name_once")]

    def __str__(self) -> str:
        return self.name


class PanelJudge(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_seats")
    seated_at = models.DateTimeField(default=timezone.now)
    seated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="cohort_judge_once")]

    def __str__(self) -> str:
        return f"{self.user} on {self.panel}"


class Conflict(models.Model):
    """A judge's declared conflict of interest with one application: they never see it again."""

    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_conflicts")
    application = models.ForeignKey(CohortApplication, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["judge", "application"], name="cohort_conflict_once")]

    def __str__(self) -> str:
        return f"{self.judge} conflicted on {self.application}"


class Score(models.Model):
    """A judge's score of an application: marks 1–5 per criterion ({criterion id: mark}) and a
    comment; a draft until submitted, locked after."""

    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_scores")
    application = models.ForeignKey(CohortApplication, on_delete=models.CASCADE, related_name="scores")
    marks = models.JSONField(default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["judge", "application"], name="cohort_score_once")]
        indexes = [models.Index(fields=["application", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.judge} scores {self.application}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
