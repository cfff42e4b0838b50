"""The innovation centre: digital-readiness assessments, the services catalogue and its request
queue, office hours, and cloud-credit budgets kept as ledgers.

Privacy of readiness results: a result belongs to the organization that took it. Its members see
it; a centre's programme staff see it only when the organization shared it with that centre (a
choice made when taking it, changeable later). Nobody else does, operators included only through
the centre they run.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization

from .choices import MONEY_DIGITS, MONEY_PLACES, Currency


class Assessment(models.Model):
    """One digital-readiness self-assessment of an organization (an SME or a startup), as answered
    and as scored by the questionnaire version it was taken with."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="readiness_assessments")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    version = models.PositiveSmallIntegerField(_("questionnaire version"))
    answers = models.JSONField(default=dict)  # question id -> option index
    levels = models.JSONField(default=dict)  # area -> maturity level 1..5
    scores = models.JSONField(default=dict)  # area -> percentage 0..100
    overall = models.PositiveSmallIntegerField(_("overall level"))
    shared_with = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="shared_readiness_assessments",
                                    verbose_name=_("shared with centre"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-created_at"])]
        constraints = [models.CheckConstraint(condition=Q(overall__gte=1) & Q(overall__lte=5),
                                              name="assessment_overall_level")]

    def __str__(self) -> str:
        return f"{self.organization} {self.created_at:%Y-%m-%d}"


class CentreService(models.Model):
    """A service in a centre's catalogue, with its service-level target in working days."""

    centre = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="centre_services")
    slug = models.SlugField(max_length=80)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # Readiness areas this service helps with (readiness.AREAS codes), for recommendations.
    areas = models.JSONField(default=list, blank=True)
    assign_within_days = models.PositiveSmallIntegerField(_("assigned within (working days)"), default=2)
    done_within_days = models.PositiveSmallIntegerField(_("done within (working days)"), default=15)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "slug"], name="centre_service_slug"),
            models.CheckConstraint(condition=Q(assign_within_days__lte=models.F("done_within_days")),
                                   name="centre_service_sla_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def target_text(self) -> str:
        """"Assigned within 2 working days. Done within 15 working days." in the viewer's language."""
        from django.utils.translation import ngettext

        a, d = self.assign_within_days, self.done_within_days
        return " ".join([
            ngettext("Assigned within %(n)d working day.", "Assigned within %(n)d working days.", a) % {"n": a},
            ngettext("Done within %(n)d working day.", "Done within %(n)d working days.", d) % {"n": d},
        ])


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in-progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ServiceRequest(models.Model):
    service = models.ForeignKey(CentreService, on_delete=models.PROTECT, related_name="requests")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="centre_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(_("what you need"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices,
                              default=RequestStatus.REQUESTED)
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("expert"))
    created_at = models.DateTimeField(default=timezone.now)
    # Service-level due dates, fixed when requested from the service's targets.
    assign_due = models.DateTimeField()
    done_due = models.DateTimeField()
    assigned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.service} for {self.organization}"


class RequestEvent(models.Model):
    """The history of a request: each status change, who made it, and the expert at the time."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    @property
    def from_label(self) -> str:
        """The status it left, worded ("" when it was created); a code no longer a status is shown as it is."""
        return str(RequestStatus(self.from_status).label) if self.from_status in RequestStatus.values else self.from_status

    @property
    def to_label(self) -> str:
        return str(RequestStatus(self.to_status).label) if self.to_status in RequestStatus.values else self.to_status


class OfficeHourSlot(models.Model):
    """An office-hours slot a centre's expert offers; one organization books it."""

    centre = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="office_hour_slots")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("topic"), max_length=160, blank=True)
    where = models.CharField(_("place or video link"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    booked_by_org = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    booked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["centre", "starts_at"])]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="office_hour_slot_order")]

    def __str__(self) -> str:
        return f"{self.expert} {self.starts_at:%Y-%m-%d %H:%M}"


class CreditBudget(models.Model):
    """A programme's cloud-credit budget. Its balance is never stored: it is the sum of its ledger."""

    organizer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="credit_budgets")
    name = models.CharField(_("name"), max_length=120)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not granted")


class CreditGrant(models.Model):
    """A startup's application for credits from a budget, and the decision on it."""

    budget = models.ForeignKey(CreditBudget, on_delete=models.PROTECT, related_name="grants")
    startup = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="credit_grants")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    amount_requested = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    purpose = models.TextField(_("purpose"))
    status = models.CharField(_("status"), max_length=16, choices=GrantStatus.choices, default=GrantStatus.PENDING)
    amount_approved = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["budget", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="credit_grant_positive"),
            models.CheckConstraint(condition=Q(amount_approved__isnull=True)
                                   | (Q(amount_approved__gt=0) & Q(amount_approved__lte=models.F("amount_requested"))),
                                   name="credit_grant_approved_range"),
        ]

    def __str__(self) -> str:
        return f"{self.startup} {self.amount_requested}"


class EntryKind(models.TextChoices):
    DEPOSIT = "deposit", _("Added to the budget")
    GRANT = "grant", _("Credits granted")


class LedgerEntry(models.Model):
    """One movement of a budget, never edited: money added, or a grant approved."""

    budget = models.ForeignKey(CreditBudget, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=8, choices=EntryKind.choices)
    amount = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    grant = models.OneToOneField(CreditGrant, on_delete=models.PROTECT, null=True, blank=True, related_name="entry")
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_entry_positive"),
            models.CheckConstraint(condition=Q(kind="deposit", grant__isnull=True) | Q(kind="grant", grant__isnull=False),
                                   name="ledger_entry_grant_iff_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
