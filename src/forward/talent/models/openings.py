"""Employers' openings: internships, graduate jobs, jobs and short data projects."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import BaseExpression, Combinable, OrderBy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.backends.ddl_references import Statement

from forward.core.models import Organization, Skill


class OpeningKind(models.TextChoices):
    INTERNSHIP = "internship", _("Internship")
    GRADUATE = "graduate", _("Graduate job")
    JOB = "job", _("Job")
    PROJECT = "project", _("Short data project")


class OpeningStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Remote(models.TextChoices):
    ONSITE = "onsite", _("On site")
    HYBRID = "hybrid", _("Hybrid")
    REMOTE = "remote", _("Remote")


class PayPeriod(models.TextChoices):
    HOUR = "hour", _("per hour")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")
    TOTAL = "total", _("in total")


class WhoMayApply(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    UNIVERSITIES = "universities", _("Students of chosen universities")


class SearchOrderIndex(models.Index):
    """An index in the search's order, "DESC NULLS LAST". SQLite refuses NULLS LAST in an index but
    sorts NULLs last in DESC anyway (and uses the index for ORDER BY … DESC NULLS LAST), so there the
    modifier is left out; PostgreSQL puts NULLs first in DESC and needs it."""

    def create_sql(self, model: type[models.Model], schema_editor: BaseDatabaseSchemaEditor, using: str = "",
                   **kwargs: Any) -> Statement:
        if schema_editor.connection.vendor == "postgresql" or not self.expressions:
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = models.Index(*[_without_nulls_last(e) for e in self.expressions], condition=self.condition,
                             name=self.name)
        return plain.create_sql(model, schema_editor, using=using, **kwargs)


def _without_nulls_last(expression: BaseExpression | Combinable) -> BaseExpression | Combinable:
    """F("field").desc(nulls_last=True) as plain F("field").desc(); any other expression as it is."""
    if isinstance(expression, OrderBy) and expression.descending and isinstance(expression.expression, F):
        return F(expression.expression.name).desc()
    return expression


class Opening(models.Model):
    """Only the employer's acting members edit it; it is public once open (and its organization
    verified). `required_credentials` lists what an applicant must hold, as
    [{"kind": <credentials CredentialKind value>, "level": 0..3}] (level: a certification's, 0 any)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="openings")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=20_000, blank=True)  # Markdown, sanitized on render
    kind = models.CharField(_("type"), max_length=16, choices=OpeningKind.choices, default=OpeningKind.INTERNSHIP)
    status = models.CharField(_("status"), max_length=16, choices=OpeningStatus.choices, default=OpeningStatus.DRAFT)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    remote = models.CharField(_("where"), max_length=16, choices=Remote.choices, default=Remote.ONSITE)
    # Countries whose residents/citizens may apply, as ",SG,MY," (empty: anywhere).
    countries_eligible = models.CharField(_("countries eligible"), max_length=800, blank=True)
    required_skills = models.ManyToManyField(Skill, blank=True, related_name="+")
    preferred_skills = models.ManyToManyField(Skill, blank=True, related_name="+")
    required_credentials = models.JSONField(_("required credentials"), default=list, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    duration_weeks = models.PositiveSmallIntegerField(_("duration (weeks)"), null=True, blank=True)
    pay_min = models.DecimalField(_("pay from"), max_digits=12, decimal_places=2, null=True, blank=True)
    pay_max = models.DecimalField(_("pay up to"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)  # ISO 4217
    pay_period = models.CharField(_("pay period"), max_length=8, choices=PayPeriod.choices, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    deadline = models.DateTimeField(_("application deadline"), null=True, blank=True)
    who_may_apply = models.CharField(_("who may apply"), max_length=16, choices=WhoMayApply.choices,
                                     default=WhoMayApply.EVERYONE)
    universities = models.ManyToManyField(Organization, blank=True, related_name="+")
    featured_at = models.DateTimeField(null=True, blank=True)  # set by operators only
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Not columns: set by views_openings._decorate for the templates.
    pay_label: str
    location_label: str

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OpeningStatus.values), name="opening_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=OpeningKind.values), name="opening_kind_valid"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="opening_seats_positive"),
            models.CheckConstraint(condition=Q(pay_min__isnull=True) | Q(pay_max__isnull=True)
                                   | Q(pay_min__lte=F("pay_max")), name="opening_pay_range_ordered"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["status", "kind", "country"]),
            models.Index(fields=["organization", "status"]),
            # The search's order (featured first, then the newest) among open openings: a page is read
            # from the index in order and stops after its rows (talent.openings.search). Not a partial
            # index: SQLite cannot use one when the status comes as a query parameter.
            SearchOrderIndex(F("status"), F("featured_at").desc(nulls_last=True),
                             F("published_at").desc(nulls_last=True), F("id").desc(), name="opening_search_order"),
            # The search's count reads only this index (the status, the employer to check, the deadline).
            models.Index(fields=["status", "organization", "deadline"], name="opening_search_count"),
        ]

    def __str__(self) -> str:
        return self.title
