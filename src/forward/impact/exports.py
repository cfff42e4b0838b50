"""CSV and Parquet exports of the monthly series per measure and dimension, and what the API shares
with them: who sees which numbers unsuppressed, and the names of dimension keys.

One row per measure, unit, dimension (``none``, ``country``, ``programme``, ``university``), key and
month, from the measure's first month with data to the current month: the new entities (or amount) that month
and the running total. For the public a month of a key counting fewer than ``selectors.SMALL_GROUP``
entities is withheld (value empty, ``suppressed`` true), and so is one more cell beside it wherever a
single withheld cell could be worked out from a total shown elsewhere (the key's total on the
measure's page, the whole platform's month): ``selectors.suppression_grid``. A key with any month
withheld has no running total. The whole platform (dimension ``none``) is never suppressed.
Operators see every cell; a verified university's staff see their own university's.

The rows come from one query per dimension, whatever the number of measures, keys and months.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TypeAlias

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from forward.core.models import Organization
from forward.core.spreadsheet import SafeWriter
from forward.core.types import AnyUser

from . import measures, permissions, selectors
from .models import Daily
from .selectors import DIMENSIONS, SMALL_GROUP, month_starts

Key: TypeAlias = str | int | None  # a dimension's key: a country code, a programme or university id; None for all

COLUMNS = ("measure", "unit", "dimension", "key", "key_name", "month", "value", "cumulative", "suppressed")
BY_CHOICES = ("none", *DIMENSIONS)


# --- who sees what ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """What one person may see unsuppressed: everything (operators) or their universities' part."""

    everything: bool
    universities: frozenset[int]
    organizations: tuple[Organization, ...] = ()  # the universities themselves, for the pages' "your university" links

    @classmethod
    def of(cls, user: AnyUser) -> Viewer:
        if permissions.sees_everything(user):
            return cls(everything=True, universities=frozenset())
        own = tuple(permissions.universities_for(user))
        return cls(everything=False, universities=frozenset(u.pk for u in own), organizations=own)

    def unsuppressed(self, *, university: int | None) -> bool:
        """May see small groups of a cell whose university is `university` (None: any or several)."""
        return self.everything or (university is not None and university in self.universities)

    def hides(self, *, entities: int, university: int | None, everything_slice: bool = False) -> bool:
        """Whether a cell counting `entities` is suppressed for this viewer."""
        if everything_slice or not 0 < entities < SMALL_GROUP:
            return False
        return not self.unsuppressed(university=university)


ANONYMOUS = Viewer(everything=False, universities=frozenset())


def visible_measures(user: AnyUser) -> list[measures.Measure]:
    """The measures this person may read: public ones, and every one for operators."""
    everything = permissions.sees_everything(user)
    return [m for m in measures.all_measures() if m.public or everything]


# --- the names of keys ------------------------------------------------------------------------------


def key_names(dimension: str, keys: Iterable[Key]) -> dict[Key, str]:
    """{key: name} for keys of a dimension: country names in the active language, programme titles,
    university names (one query for programmes or universities, none for countries)."""
    keys = set(keys)
    if dimension == "country":
        return {key: (countries.name(key) or str(key)) if key else _("Unknown country") for key in keys}
    if dimension == "programme":
        from forward.academy.models import Programme

        found: dict[Key, str] = dict(Programme.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "title"))
        return {key: found.get(key, _("Programme %(id)s") % {"id": key}) if key else _("No programme")
                for key in keys}
    if dimension == "university":
        from forward.core.models import Organization

        found = dict(Organization.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {key: found.get(key, _("University %(id)s") % {"id": key}) if key else _("No university")
                for key in keys}
    return {key: _("All") for key in keys}


# --- the series -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesRow:
    measure: str
    unit: str
    dimension: str
    key: Key
    key_name: str
    month: date
    value: int | None
    cumulative: int | None
    suppressed: bool

    def as_list(self) -> list[object]:
        return [self.measure, self.unit, self.dimension, "" if self.key is None else self.key, self.key_name,
                f"{self.month:%Y-%m}", "" if self.value is None else self.value,
                "" if self.cumulative is None else self.cumulative, "true" if self.suppressed else "false"]


def series(*, slugs: list[str], dimensions: list[str], viewer: Viewer) -> list[SeriesRow]:
    """The monthly series of each measure's unit and each key of each dimension (module docstring)."""
    out: list[SeriesRow] = []
    if not slugs:
        return out
    order = {slug: i for i, slug in enumerate(slugs)}
    this_month = timezone.now().date().replace(day=1)
    for dimension in dimensions:
        bit = DIMENSIONS.get(dimension, 0)
        field = dimension if bit else None
        values = ["measure", "unit", "month"] + ([field] if field else [])
        rows = (Daily.objects.filter(measure__in=slugs, grouping=bit).annotate(month=TruncMonth("day"))
                .values(*values).annotate(value=Sum("value"), entities=Sum("entities")).order_by())
        groups: dict[tuple[str, str, Key], dict[date, tuple[int, int]]] = defaultdict(dict)
        spans: dict[str, list[date]] = {}
        for r in rows:
            month = r["month"].date() if hasattr(r["month"], "hour") else r["month"]
            key = r[field] if field else None
            groups[(r["measure"], r["unit"], key)][month] = (r["value"], r["entities"])
            span = spans.setdefault(r["measure"], [month, this_month])
            span[0], span[1] = min(span[0], month), max(span[1], month)
        names = key_names(dimension, {key for (_m, _u, key) in groups}) if field else {None: _("All")}
        flags: dict[tuple[str, str, Key, date], str] = {}
        if field is not None and not viewer.everything:  # the whole platform's series is never withheld
            for slug_unit in {(slug, unit) for (slug, unit, _key) in groups}:
                cells = {(key, month): entities for (slug, unit, key), months in groups.items()
                         if (slug, unit) == slug_unit for month, (_value, entities) in months.items()}
                exact = {cell for cell in cells if viewer.unsuppressed(
                    university=cell[0] if dimension == "university" and isinstance(cell[0], int) else None)}
                for (key, month), flag in selectors.suppression_grid(cells, exact=exact, by_column=True).items():
                    flags[(*slug_unit, key, month)] = flag
        for (slug, unit, key) in sorted(groups, key=lambda g: (order[g[0]], g[1], _sort_key(g[2]))):
            months = groups[(slug, unit, key)]
            # A running total past a withheld month would give it away: none for a row with one.
            partial = any(flags.get((slug, unit, key, month)) for month in months)
            running = 0
            for month in month_starts(*spans[slug]):
                value = months.get(month, (0, 0))[0]
                running += value
                hidden = bool(flags.get((slug, unit, key, month)))
                out.append(SeriesRow(measure=slug, unit=unit, dimension=dimension, key=key,
                                     key_name=str(names.get(key, key)), month=month,
                                     value=None if hidden else value, cumulative=None if partial else running,
                                     suppressed=hidden))
    return out


def _sort_key(key: Key) -> tuple[int, str]:
    return (0, "") if key is None else (1, str(key).zfill(12)) if isinstance(key, int) else (1, str(key))


# --- the views --------------------------------------------------------------------------------------


def _selection(request: HttpRequest) -> tuple[list[str], list[str]] | HttpResponse:
    """The measures and dimensions asked for, or a 400 saying what to fix."""
    available = [m.slug for m in visible_measures(request.user)]
    slug = request.GET.get("measure", "")
    if slug and slug not in available:
        return HttpResponse(_("measure: '%(slug)s' is not a measure; use one of %(slugs)s.")
                            % {"slug": slug[:40], "slugs": ", ".join(available)},
                            status=400, content_type="text/plain; charset=utf-8")
    by = request.GET.get("by", "")
    if by and by not in BY_CHOICES:
        return HttpResponse(_("by: use one of %(choices)s.") % {"choices": ", ".join(BY_CHOICES)},
                            status=400, content_type="text/plain; charset=utf-8")
    return ([slug] if slug else available), ([by] if by else list(BY_CHOICES))


def _filename(slugs: list[str], dimensions: list[str], extension: str) -> str:
    parts = ["impact"] + (slugs if len(slugs) == 1 else []) + (dimensions if len(dimensions) == 1 else [])
    return f"{'-'.join(parts)}-{timezone.now():%Y-%m-%d}.{extension}"


def csv_export(request: HttpRequest) -> HttpResponseBase:
    selection = _selection(request)
    if isinstance(selection, HttpResponse):
        return selection
    slugs, dimensions = selection
    rows = series(slugs=slugs, dimensions=dimensions, viewer=Viewer.of(request.user))

    def lines() -> Iterator[str]:
        writer = SafeWriter()
        yield writer.writerow(COLUMNS)
        for row in rows:
            yield writer.writerow(row.as_list())

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(slugs, dimensions, "csv")}"'
    response["Cache-Control"] = "private, no-store"  # an operator's unsuppressed numbers stay theirs
    return response


def parquet_bytes(rows: list[SeriesRow]) -> bytes:
    """The rows as a Parquet file (a few thousand rows: built in memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("measure", pa.string()), ("unit", pa.string()), ("dimension", pa.string()),
                        ("key", pa.string()), ("key_name", pa.string()), ("month", pa.string()),
                        ("value", pa.int64()), ("cumulative", pa.int64()), ("suppressed", pa.bool_())])
    table = pa.table({
        "measure": [r.measure for r in rows], "unit": [r.unit for r in rows],
        "dimension": [r.dimension for r in rows], "key": ["" if r.key is None else str(r.key) for r in rows],
        "key_name": [r.key_name for r in rows], "month": [f"{r.month:%Y-%m}" for r in rows],
        "value": [r.value for r in rows], "cumulative": [r.cumulative for r in rows],
        "suppressed": [r.suppressed for r in rows]}, schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def parquet_export(request: HttpRequest) -> HttpResponse:
    selection = _selection(request)
    if isinstance(selection, HttpResponse):
        return selection
    slugs, dimensions = selection
    rows = series(slugs=slugs, dimensions=dimensions, viewer=Viewer.of(request.user))
    response = HttpResponse(parquet_bytes(rows), content_type="application/vnd.apache.parquet")
    response["Content-Disposition"] = f'attachment; filename="{_filename(slugs, dimensions, "parquet")}"'
    response["Cache-Control"] = "private, no-store"
    return response
