"""Programme calls for cohorts and the startups' applications to them. The cohorts area extends
these (questions, answers, panels, rubrics, scores); other areas read who is in a cohort:
a startup with an accepted application to a call."""

from __future__ import annotations

from django.db import models
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

    class Meta:
        ordering = ["-deadline", "pk"]
        verbose_name = _("cohort call")
        verbose_name_plural = _("cohort calls")

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Not selected")


class CohortApplication(models.Model):
    """A startup's application to a call; accepted applications form the cohort."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    startup = models.ForeignKey("ventures.Startup", on_delete=models.CASCADE, related_name="cohort_applications")
    status = models.CharField(_("status"), max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["call", "startup"], name="cohort_application_once")]
        indexes = [models.Index(fields=["startup", "status"])]

    def __str__(self) -> str:
        return f"{self.startup} → {self.call}"
