"""A person's talent profile: what they declare themselves, and an index of what their credentials
prove (kept by talent.profiles.refresh from credentials.selectors; never typed by anyone)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forward.core.models import Skill


class Visibility(models.TextChoices):
    HIDDEN = "hidden", _("Hidden")
    PARTNERS = "partners", _("Visible to partner employers")
    PUBLIC = "public", _("Public, at a shareable link")


class Availability(models.TextChoices):
    INTERNSHIP = "internship", _("Internship")
    GRADUATE = "graduate", _("Graduate job")
    JOB = "job", _("Job")


def _public_token() -> str:
    return secrets.token_urlsafe(12)


class Profile(models.Model):
    """One per person, created on first need (talent.profiles.profile_for). Hidden until they choose
    otherwise; `consent_at` records when they last chose who may see it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talent_profile")
    visibility = models.CharField(_("who can see it"), max_length=16, choices=Visibility.choices,
                                  default=Visibility.HIDDEN)
    consent_at = models.DateTimeField(_("visibility chosen"), null=True, blank=True)
    # The shareable link of a public profile: unguessable, replaced when the person asks.
    public_token = models.CharField(max_length=24, unique=True, default=_public_token)

    # Self-declared: shown apart from the verified section and labelled so.
    headline = models.CharField(_("headline"), max_length=140, blank=True)
    about = models.TextField(_("about"), max_length=4000, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)  # [{"label": str, "url": https URL}], at most 5
    languages = models.JSONField(_("languages"), default=list, blank=True)  # language codes, at most 10
    available_for = models.JSONField(_("available for"), default=list, blank=True)  # Availability values
    available_from = models.DateField(_("available from"), null=True, blank=True)
    # Countries they can work in, as ",SG,MY," (ISO codes between commas: one indexable text column
    # that filters the same way on SQLite and PostgreSQL).
    countries = models.CharField(_("countries you can work in"), max_length=800, blank=True)
    cv = models.FileField(_("CV (PDF)"), upload_to="talent/cv/", blank=True)

    # The verified index (talent.profiles.refresh): counts and bests over unrevoked, unexpired credentials.
    verified_count = models.PositiveIntegerField(default=0)
    best_percentile = models.FloatField(null=True, blank=True)  # best competition placing, 100 = top
    best_grade = models.FloatField(null=True, blank=True)  # best course grade, 0..1
    best_level = models.PositiveSmallIntegerField(default=0)  # best certification level: 0 none, 1..3
    refreshed_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(visibility__in=Visibility.values), name="profile_visibility_valid"),
            models.CheckConstraint(condition=Q(visibility="hidden") | Q(consent_at__isnull=False),
                                   name="profile_visible_by_consent"),
        ]
        indexes = [models.Index(fields=["visibility", "-best_percentile"])]

    def __str__(self) -> str:
        return f"profile of {self.user_id}"

    @property
    def country_list(self) -> list[str]:
        return [c for c in self.countries.split(",") if c]


class ProfileSkill(models.Model):
    """A skill the person's credentials back: how many, and the best certification level among
    them. Rebuilt with the verified index; searched by skill."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    credentials = models.PositiveSmallIntegerField(default=1)
    level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "skill"], name="profile_skill_once")]
        indexes = [models.Index(fields=["skill", "profile"])]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.skill_id}"
