"""Verifiable credentials: signing keys per issuing organization, status lists, issued credentials
and the batches that certify a whole cohort in the background."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from forward.core.models import Organization

# Bitstring Status List: one bit per credential; at least 131,072 entries per list (herd privacy).
STATUS_LIST_SIZE = 131_072


class SigningKey(models.Model):
    """An organization's key pair generation: an RSA key (VC-JWT, RS256) and an Ed25519 key (Data
    Integrity, eddsa-rdfc-2022). The private halves are encrypted with settings.CREDENTIAL_KEYS.
    Rotating retires the active row and adds a new one; retired keys stay published, so every
    credential signed before still verifies."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="signing_keys")
    token = models.CharField(max_length=24, unique=True)  # the last part of the key URLs
    rsa_public_pem = models.TextField()
    ed25519_public = models.BinaryField(max_length=32)
    private_encrypted = models.BinaryField()  # Fernet token of the two private keys
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["organization"], condition=Q(retired_at__isnull=True),
                                               name="one_active_signing_key")]

    def __str__(self) -> str:
        return f"{self.organization} · {self.token}"


class StatusList(models.Model):
    """A Bitstring Status List for one issuer. Indexes are handed out in order and never reused;
    the published credential is re-signed when a bit changes."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="status_lists")
    number = models.PositiveIntegerField()
    size = models.PositiveIntegerField(default=STATUS_LIST_SIZE)
    next_index = models.PositiveIntegerField(default=0)
    published = models.TextField(blank=True)  # the signed BitstringStatusListCredential (JSON)
    published_at = models.DateTimeField(null=True, blank=True)
    revocations = models.PositiveIntegerField(default=0)  # bumped by every revocation: readers cache by it

    class Meta:
        ordering = ["organization", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="status_list_number_unique"),
            models.CheckConstraint(condition=Q(next_index__lte=models.F("size")), name="status_list_not_overfull"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · status list {self.number}"


class CredentialKind(models.TextChoices):
    COURSE_COMPLETION = "course_completion", _("Certificate of completion")
    COURSE_ACHIEVEMENT = "course_achievement", _("Certificate of achievement")
    PROGRAMME = "programme", _("Programme certificate")
    CERTIFICATION = "certification", _("Certification")
    COMPETITION = "competition", _("Competition award")


class CredentialQuerySet(models.QuerySet["Credential"]):
    def active(self) -> CredentialQuerySet:
        return self.filter(revoked_at__isnull=True)

    def current(self, now: datetime) -> CredentialQuerySet:
        """Held now: unrevoked and not expired at `now`."""
        return self.active().filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))


class Credential(models.Model):
    """One achievement, one credential (the unique `achievement_key` per recipient makes issuing
    idempotent). `document` is the signed JSON (Data Integrity proof) and `jwt` the VC-JWT, both
    exactly as served. Revoking sets a bit in the issuer's status list; nothing is deleted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials")
    issuer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="issued_credentials")
    kind = models.CharField(max_length=24, choices=CredentialKind.choices)
    achievement_key = models.CharField(max_length=120)
    name = models.CharField(max_length=300)  # the achievement's name when issued
    detail = models.CharField(max_length=300, blank=True)  # grade, designation, rank: shown on the certificate
    # What it was earned for, as the awarding app names it ("academy.run:42", "academy.programme:3",
    # "academy.holding:7", "competitions.competition:5"): how other apps find it, never read here.
    source = models.CharField(max_length=80, blank=True, db_index=True)
    # Organizations whose admins see it read-only (a course run's university, whoever issued it).
    shared_with = models.ManyToManyField(Organization, blank=True, related_name="+")
    facts = models.JSONField(default=dict, blank=True)  # see documents.Award.facts
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="+")
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="credentials")
    status_index = models.PositiveIntegerField()
    document = models.TextField()
    jwt = models.TextField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revocation_reason = models.CharField(max_length=500, blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "achievement_key"], name="one_credential_per_achievement"),
            models.UniqueConstraint(fields=["status_list", "status_index"], name="status_index_never_reused"),
            models.CheckConstraint(condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                                   name="revocation_has_reason"),
        ]
        indexes = [models.Index(fields=["recipient", "-issued_at"]), models.Index(fields=["issuer", "-issued_at"])]

    def __str__(self) -> str:
        return f"{self.name} · {self.recipient_id}"


class BadgeArt(models.Model):
    """An issuer's own art for one of its achievements, replacing the generated badge in the
    credentials issued from then on. Keyed by the achievement's id without its fragment (a course's
    completion and achievement certificates share their course's art). The file is content-addressed
    (`badge_files`): removing or replacing the art unlinks it here, and credentials signed with it keep
    pointing at the same image."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="badge_art")
    achievement_id = models.CharField(max_length=500)
    digest = models.CharField(max_length=64)  # sha256 of the 600 px PNG: badge_files names the files by it
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organization", "achievement_id"]
        constraints = [models.UniqueConstraint(fields=["organization", "achievement_id"],
                                               name="one_badge_art_per_achievement")]

    def __str__(self) -> str:
        return f"{self.organization} · {self.achievement_id}"


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Issuing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class IssuanceBatch(models.Model):
    """Certify a whole cohort (a course run's released grades) or a competition's placings in the
    background: whatever the source's registered app says its people earned (see sources). The row
    is the job's state; the queue message carries only its id."""

    # What is certified, as the awarding app names it (see sources), and what the pages show of it:
    # "Cloud Computing Fundamentals · NTU S1", a competition's title; the site path back to it.
    source = models.CharField(max_length=80, db_index=True)
    title = models.CharField(max_length=300)
    back_url = models.CharField(max_length=300, blank=True)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    status = models.CharField(max_length=16, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)  # certificates looked at (awards: one learner may earn two)
    done = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)  # new credentials
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        # Two clicks create one batch: at most one queued or running per source.
        constraints = [models.UniqueConstraint(fields=["source"], condition=Q(status__in=["queued", "running"]),
                                               name="one_open_batch_per_source")]

    def __str__(self) -> str:
        return f"batch {self.pk} ({self.status})"

    @property
    def summary(self) -> str:
        """What happened, in words: "Finished: 3 new certificates issued. 4 were already held."
        (`total` counts certificates checked: a learner may earn two from one run.)"""
        held = max(self.total - self.issued, 0)
        if self.status == BatchStatus.QUEUED:
            return gettext("Waiting to start.")
        if self.status == BatchStatus.RUNNING:
            if not self.total:
                return gettext("Finding who has earned a certificate…")
            return ngettext("Checked %(done)d of %(total)d certificate; %(issued)d new so far.",
                            "Checked %(done)d of %(total)d certificates; %(issued)d new so far.",
                            self.total) % {"done": self.done, "total": self.total, "issued": self.issued}
        if self.status == BatchStatus.FAILED:
            return ngettext("Stopped after checking %(done)d of %(total)d certificate; %(issued)d new ones are kept.",
                            "Stopped after checking %(done)d of %(total)d certificates; %(issued)d new ones are "
                            "kept.", self.total) % {"done": self.done, "total": self.total, "issued": self.issued}
        if not self.total:
            return gettext("Finished: nobody has earned a certificate here yet, so none was issued.")
        if not self.issued:
            return ngettext("Finished: %(total)d certificate checked; its holder already had it.",
                            "Finished: %(total)d certificates checked; every learner already held theirs.",
                            self.total) % {"total": self.total}
        issued = ngettext("Finished: %(issued)d new certificate issued.",
                          "Finished: %(issued)d new certificates issued.", self.issued) % {"issued": self.issued}
        if not held:
            return issued
        return issued + " " + ngettext("%(held)d was already held.", "%(held)d were already held.",
                                       held) % {"held": held}

    @property
    def percent(self) -> int:
        return 100 if self.status == BatchStatus.DONE else int(100 * self.done / self.total) if self.total else 0
