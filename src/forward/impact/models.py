"""Targets, and the rollups the impact pages read.

Two tables hold the rollups of each measure (see ``rollup.py``):

- ``Fact``: one row per entity (a person, a team, a university, a startup, an investment) and *cell*
  (country, programme, university, unit) with the first day the entity qualified there. It is the
  rollup's memory: when an entity's records change, its old facts say what it contributed before.
- ``Daily``: for each *grouping* (which of country / programme / university the row is split by),
  day and key, how many entities first qualified that day (or, for money, the amount they brought).
  A page's numbers are sums of a few of these rows.

Dimension keys are plain values, never foreign keys, so a rollup never cascades or blocks a delete:
country ``""`` means unknown; programme and university ``0`` mean none.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

COUNTRY, PROGRAMME, UNIVERSITY = 1, 2, 4  # grouping bits
GROUPINGS = tuple(range(8))


class Target(models.Model):
    """A programme target: a measure, a value to reach by a deadline, counted from `starts_on`, in a scope."""

    measure = models.CharField(_("measure"), max_length=40)
    unit = models.CharField(_("currency"), max_length=3, blank=True)  # money measures only
    title = models.CharField(_("title"), max_length=200, blank=True)
    value = models.PositiveBigIntegerField(_("target value"))
    starts_on = models.DateField(_("counted from"))
    deadline = models.DateField(_("deadline"))
    country = CountryField(_("country"), blank=True)
    programme = models.ForeignKey("academy.Programme", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("programme"))
    university = models.ForeignKey("core.Organization", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("university"))
    order = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gt=models.F("starts_on")), name="target_deadline_after_start"),
            models.CheckConstraint(condition=Q(value__gt=0), name="target_value_positive"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.measure} {self.value}"


class Fact(models.Model):
    measure = models.CharField(max_length=40)
    entity = models.BigIntegerField()
    country = models.CharField(max_length=2, blank=True)
    programme = models.IntegerField(default=0)
    university = models.IntegerField(default=0)
    unit = models.CharField(max_length=3, blank=True)
    day = models.DateField()
    amount = models.BigIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "entity", "country", "programme", "university", "unit"],
                                               name="impact_fact_once_per_cell")]
        indexes = [models.Index(fields=["measure", "day"], name="impact_fact_day")]

    def __str__(self) -> str:
        return f"{self.measure} {self.entity} {self.day}"


class Daily(models.Model):
    measure = models.CharField(max_length=40)
    unit = models.CharField(max_length=3, blank=True)
    grouping = models.PositiveSmallIntegerField()
    country = models.CharField(max_length=2, blank=True)
    programme = models.IntegerField(default=0)
    university = models.IntegerField(default=0)
    day = models.DateField()
    value = models.BigIntegerField()  # entities first counted that day, or the amount they brought
    entities = models.BigIntegerField()  # how many entities: small groups are suppressed by this

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["measure", "unit", "grouping", "country", "programme", "university", "day"],
            name="impact_daily_once")]

    def __str__(self) -> str:
        return f"{self.measure} {self.grouping} {self.day}: {self.value}"


class RollupState(models.Model):
    """Where a measure's rollup stands: records that changed at or after `watermark` are not yet in it."""

    measure = models.CharField(max_length=40, unique=True)
    watermark = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    entities = models.PositiveBigIntegerField(default=0)  # changed entities in the last run
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return self.measure


class UniversityOutcome(models.Model):
    """Cohort outcomes of a university (computed from the facts by ``outcomes.refresh_outcomes``):
    of the people whose first enrolment in one of its runs fell in `year`, how many hold a
    certification, and how many accepted an offer within six months (183 days) of their first
    course completion. `university` is an id, not a foreign key, like the rollups' keys."""

    university = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    students = models.PositiveIntegerField(default=0)
    certified = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["university", "year"]
        constraints = [models.UniqueConstraint(fields=["university", "year"], name="impact_outcome_once")]

    def __str__(self) -> str:
        return f"{self.university} {self.year}: {self.students}"
