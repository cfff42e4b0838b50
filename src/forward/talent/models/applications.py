"""Applications to openings, the stages employers move them through, their private notes, and
interview slots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization

from .openings import Opening


class Stage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SCREENING = "screening", _("Screening")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")  # by the applicant
    DECLINED = "declined", _("Declined")  # the applicant turned the offer down


class Application(models.Model):
    """One per person per opening (a double click creates one). `snapshot` is the profile as sent:
    the self-declared part and the verified achievements the applicant chose to include."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    note = models.TextField(_("note to the employer"), max_length=2000, blank=True)
    snapshot = models.JSONField(default=dict)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.APPLIED)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    offer_accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["opening", "applicant"], name="one_application_per_opening"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="application_stage_valid"),
        ]
        indexes = [models.Index(fields=["opening", "stage"]), models.Index(fields=["applicant", "-created_at"])]

    def __str__(self) -> str:
        return f"application {self.pk}"


class StageChange(models.Model):
    """The audit trail of an application: who moved it, when, from what to what."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    from_stage = models.CharField(max_length=16, blank=True)  # blank: created
    to_stage = models.CharField(max_length=16)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage or '-'} → {self.to_stage}"

    @property
    def from_label(self) -> str:
        """The stage it left, in the active language ("" when the application was created)."""
        return _stage_label(self.from_stage) if self.from_stage else ""

    @property
    def to_label(self) -> str:
        return _stage_label(self.to_stage)


def _stage_label(value: str) -> str:
    return str(Stage(value).label) if value in Stage.values else value


class ApplicationNote(models.Model):
    """A note private to the employer's organization: never shown to the applicant or their university."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"note {self.pk} on application {self.application_id}"


class InterviewSlot(models.Model):
    """A time the employer offers for an opening's interviews; one candidate books it."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="interview_slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    where = models.CharField(_("where or video link"), max_length=300, blank=True)
    booked_by = models.ForeignKey(Application, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="slots")
    booked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
            # A candidate holds at most one slot per application.
            models.UniqueConstraint(fields=["booked_by"], condition=Q(booked_by__isnull=False),
                                    name="one_slot_per_application"),
        ]

    def __str__(self) -> str:
        return f"{self.opening_id} @ {self.starts_at:%Y-%m-%d %H:%M}"
