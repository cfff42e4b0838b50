"""Networking events with scheduled meetings: demo days and venture-capital networking sessions run
by programme staff. Investors and startups register (one side each, acting for a verified
organization), say which slots they are free and how many meetings they take, and mark registrants
of the other side; when marking closes a worker builds the schedule (`forward.matching.schedule`).
The event row is the schedule job's state (queued → running → done / failed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REGISTRATION = "registration", _("Registration open")
    MARKING = "marking", _("Marking open")
    CLOSED = "closed", _("Marking closed")
    SCHEDULED = "scheduled", _("Scheduled")


class ScheduleJob(models.TextChoices):
    IDLE = "idle", _("Not started")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Side(models.TextChoices):
    INVESTOR = "investor", _("Investor")
    STARTUP = "startup", _("Startup")


class MarkLevel(models.TextChoices):
    MUST = "must", _("Must meet")
    WANT = "want", _("Would like to meet")
    NO = "no", _("No")


class Event(models.Model):
    organizer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="venture_events")
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Kuala_Lumpur")
    tables = models.PositiveSmallIntegerField(_("tables"), default=10)
    registration_deadline = models.DateTimeField(_("registration closes"))
    marking_deadline = models.DateTimeField(_("marking closes"))
    status = models.CharField(_("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT)
    late_registration = models.BooleanField(_("late registration allowed"), default=False)
    # The schedule job (the row is its state).
    job = models.CharField(max_length=16, choices=ScheduleJob.choices, default=ScheduleJob.IDLE)
    job_queued_at = models.DateTimeField(null=True, blank=True)
    job_started_at = models.DateTimeField(null=True, blank=True)
    job_finished_at = models.DateTimeField(null=True, blank=True)
    job_error = models.TextField(blank=True)
    value = models.IntegerField(null=True, blank=True)  # total interest of the stored schedule
    bound = models.IntegerField(null=True, blank=True)  # the solver's proven upper bound
    stats = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-marking_deadline", "-pk"]
        verbose_name = _("networking event")
        verbose_name_plural = _("networking events")
        indexes = [models.Index(fields=["status", "marking_deadline"]), models.Index(fields=["job"])]
        constraints = [
            models.CheckConstraint(condition=Q(tables__gte=1), name="event_tables_positive"),
            models.CheckConstraint(condition=Q(registration_deadline__lte=F("marking_deadline")),
                                   name="event_deadlines_in_order"),
        ]

    def __str__(self) -> str:
        return self.title


class EventSlot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="event_slot_ends_after_start"),
            models.UniqueConstraint(fields=["event", "starts_at"], name="event_slot_start_once"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M} UTC"


class Registrant(models.Model):
    """A person at an event for one side, in the name of the organization they act for."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="venture_registrations")
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    max_meetings = models.PositiveSmallIntegerField(_("most meetings"), default=6)
    available = models.ManyToManyField(EventSlot, blank=True, related_name="+")
    late = models.BooleanField(default=False)  # registered after the schedule was built
    fitted = models.BooleanField(default=False)  # a schedule run has used their latest marks and availability
    # Bumped by every change to their marks, availability or maximum: a schedule run marks fitted only
    # those whose version is still the one it read (marks that arrive while it runs wait for the next).
    version = models.PositiveIntegerField(default=0)
    meetings_announced = models.PositiveSmallIntegerField(default=0)  # meetings already told by mail
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="event_registrant_once")]
        indexes = [models.Index(fields=["event", "side"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.organization})"


class Mark(models.Model):
    """What one registrant said about meeting one registrant of the other side. Private to its author."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="marks")
    source = models.ForeignKey(Registrant, on_delete=models.CASCADE, related_name="marks_given")
    target = models.ForeignKey(Registrant, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("mark"), max_length=8, choices=MarkLevel.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="event_mark_once"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="event_mark_not_self"),
        ]
        indexes = [models.Index(fields=["event", "source"])]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}: {self.level}"


class Meeting(models.Model):
    """One scheduled meeting: a slot, a table in it, an investor and a startup registrant."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    slot = models.ForeignKey(EventSlot, on_delete=models.CASCADE, related_name="meetings")
    table = models.PositiveSmallIntegerField(_("table"))
    investor = models.ForeignKey(Registrant, on_delete=models.CASCADE, related_name="investor_meetings")
    startup = models.ForeignKey(Registrant, on_delete=models.CASCADE, related_name="startup_meetings")
    late = models.BooleanField(default=False)  # added when fitting late registrants
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slot__starts_at", "table"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], name="event_meeting_table_once"),
            models.UniqueConstraint(fields=["slot", "investor"], name="event_meeting_investor_once_a_slot"),
            models.UniqueConstraint(fields=["slot", "startup"], name="event_meeting_startup_once_a_slot"),
            models.UniqueConstraint(fields=["event", "investor", "startup"], name="event_meeting_pair_once"),
            models.CheckConstraint(condition=Q(table__gte=1), name="event_meeting_table_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.slot_id} table {self.table}: {self.investor_id} × {self.startup_id}"
