"""Introductions (double opt-in): one organization asks another of the other kind (a startup asks an
investor, or an investor a startup) with a short note; the other side accepts or declines. The asker
sees "waiting", "accepted" or "not now" (a decline is never shown as such). An accepted introduction
opens a private thread between the two organizations' acting members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization

NOTE_MAX = 1000
MESSAGE_MAX = 4000


class IntroStatus(models.TextChoices):
    OPEN = "open", _("Waiting")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Introduction(models.Model):
    asker = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="intros_asked")
    target = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="intros_received")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(_("note"), max_length=NOTE_MAX)
    status = models.CharField(max_length=12, choices=IntroStatus.choices, default=IntroStatus.OPEN)
    # The two organizations' ids, smaller first: one open request per pair, whoever asked.
    pair_low = models.PositiveBigIntegerField()
    pair_high = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        indexes = [
            models.Index(fields=["asker", "status", "created_at"]),
            models.Index(fields=["target", "status", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["pair_low", "pair_high"], condition=Q(status="open"),
                                    name="intro_one_open_per_pair"),
            models.CheckConstraint(condition=Q(pair_low__lt=models.F("pair_high")), name="intro_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.asker} → {self.target} ({self.status})"


class IntroMessage(models.Model):
    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="messages")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(max_length=MESSAGE_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["introduction", "created_at"])]

    def __str__(self) -> str:
        return f"message {self.pk} in introduction {self.introduction_id}"
