"""Daily rollups, computed incrementally and idempotently.

For each measure (``measures.py``) a run:

1. finds the entities whose records arrived, changed or were revoked since the last run (with an
   hour's overlap, so a transaction that committed late is never missed: redoing an entity is free);
2. reads those entities' old facts (``Fact``: first day per cell) and their rows now, from the sources;
3. turns both into *contributions* to ``Daily`` for all eight groupings — per entity and slice, the
   first day it qualified there — and applies the difference.

Since an entity's contribution depends only on its own rows, the difference is exact: running twice
changes nothing, a late record moves an entity's first day back, a revoked credential takes the
person out where nothing else qualifies them. ``rebuild`` does the same for every entity, and
``backfill`` for the entities with anything in a range of days. The heavy lifting (group-bys over
millions of rows) is done by pyarrow, not Python loops.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, TypedDict

import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection, models, transaction
from django.utils import timezone

from .measures import Measure, Row, all_measures, as_day
from .models import COUNTRY, GROUPINGS, PROGRAMME, UNIVERSITY, Daily, Fact, RollupState

OVERLAP = timedelta(hours=1)
CHUNK = 20_000  # entities read and diffed at a time
BATCH = 5_000  # rows a bulk write sends

ROW_SCHEMA = pa.schema([("entity", pa.int64()), ("day", pa.date32()), ("country", pa.string()),
                        ("programme", pa.int64()), ("university", pa.int64()), ("amount", pa.int64()),
                        ("unit", pa.string())])
CELL = ["entity", "country", "programme", "university", "unit"]
DAILY_KEY = ["grouping", "unit", "country", "programme", "university", "day"]
_DIMENSIONS = ((COUNTRY, "country", ""), (PROGRAMME, "programme", 0), (UNIVERSITY, "university", 0))


class RollupResult(TypedDict):
    """What a run did to one measure (the command prints it; the task sums the changes)."""

    measure: str
    entities: int
    changes: int
    seconds: float


def _table(rows: Iterable[Row]) -> pa.Table:
    """Rows as an Arrow table, built in batches so millions of rows never sit in Python lists at once."""
    batches: list[pa.RecordBatch] = []
    columns: list[list[Any]] = [[] for _ in ROW_SCHEMA]

    def flush() -> None:
        batches.append(pa.record_batch([pa.array(col, type=f.type) for col, f in zip(columns, ROW_SCHEMA, strict=True)],
                                       schema=ROW_SCHEMA))
        for col in columns:
            col.clear()

    for count, (entity, day, country, programme, university, amount, unit) in enumerate(rows, 1):
        columns[0].append(entity)
        columns[1].append(as_day(day))
        columns[2].append(country or "")
        columns[3].append(programme or 0)
        columns[4].append(university or 0)
        columns[5].append(int(amount))
        columns[6].append(unit or "")
        if count % 200_000 == 0:
            flush()
    flush()
    return pa.Table.from_batches(batches, schema=ROW_SCHEMA)


def fine(table: pa.Table) -> pa.Table:
    """One row per entity and cell: the first day it qualified there (and its amount)."""
    grouped = table.group_by(CELL, use_threads=False).aggregate([("day", "min"), ("amount", "max")])
    return grouped.rename_columns([{"day_min": "day", "amount_max": "amount"}.get(n, n) for n in grouped.column_names])


def contributions(facts: pa.Table) -> pa.Table:
    """What these facts add to ``Daily``: for each grouping, day and key, the entities first counted
    there that day (and the sum of their amounts)."""
    parts = []
    for grouping in GROUPINGS:
        keys = [name for bit, name, _ in _DIMENSIONS if grouping & bit] + ["unit"]
        per_entity = facts.group_by(["entity", *keys], use_threads=False).aggregate([("day", "min"), ("amount", "max")])
        counted = per_entity.group_by(["day_min", *keys], use_threads=False).aggregate(
            [("amount_max", "sum"), ("amount_max", "count")])
        n = counted.num_rows
        columns = {"grouping": pa.array([grouping] * n, pa.int64()), "unit": counted["unit"]}
        for bit, name, blank in _DIMENSIONS:
            columns[name] = counted[name] if grouping & bit else pa.array([blank] * n, ROW_SCHEMA.field(name).type)
        columns["day"] = counted["day_min"]
        columns["value"] = counted["amount_max_sum"]
        columns["entities"] = counted["amount_max_count"]
        parts.append(pa.table({k: columns[k] for k in [*DAILY_KEY, "value", "entities"]}))
    return pa.concat_tables(parts)


def difference(old: pa.Table, new: pa.Table) -> pa.Table:
    """new − old, per Daily key, without the rows that did not change."""
    negated = old.set_column(old.column_names.index("value"), "value", pc.negate(old["value"]))
    negated = negated.set_column(negated.column_names.index("entities"), "entities", pc.negate(negated["entities"]))
    both = pa.concat_tables([negated, new]).group_by(DAILY_KEY, use_threads=False).aggregate(
        [("value", "sum"), ("entities", "sum")])
    changed = pc.or_(pc.not_equal(both["value_sum"], 0), pc.not_equal(both["entities_sum"], 0))
    both = both.filter(changed)
    return both.rename_columns([n.removesuffix("_sum") for n in both.column_names])


def _daily_table(measure: Measure) -> pa.Table:
    """The measure's stored Daily rows, in the shape ``contributions`` returns."""
    schema = _empty().schema
    rows = Daily.objects.filter(measure=measure.slug).order_by().values_list(*DAILY_KEY, "value", "entities")
    batches, stream = [], rows.iterator(chunk_size=BATCH)
    while chunk := list(itertools.islice(stream, 200_000)):
        columns = list(zip(*chunk, strict=True))
        batches.append(pa.record_batch([pa.array(list(col), type=f.type) for col, f in zip(columns, schema, strict=True)],
                                       schema=schema))
    return pa.Table.from_batches(batches, schema=schema)


def _facts_table(queryset: models.QuerySet[Fact]) -> pa.Table:
    return _table(queryset.values_list("entity", "day", "country", "programme", "university", "amount", "unit")
                  .iterator(chunk_size=BATCH))


def _column(model: type[models.Model], name: str) -> str:
    """The database column of one of the model's concrete fields."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is no concrete field")
    return field.column


def _insert(model: type[models.Model], fields: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert many rows: PostgreSQL's COPY (millions of facts in seconds), else bulk_create."""
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(_column(model, f)) for f in fields)
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    # Elsewhere (SQLite) plain INSERTs in batches: model instances through bulk_create cost more than
    # the database's work (the demo's rebuild spent most of its time there).
    columns = ", ".join(connection.ops.quote_name(_column(model, f)) for f in fields)
    sql = (f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "  # noqa: S608 (names from the model)
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, BATCH)):
            cursor.executemany(sql, batch)


FACT_FIELDS = ["measure", "entity", "day", "country", "programme", "university", "unit", "amount"]


def _write_facts(measure: Measure, facts: pa.Table) -> None:
    """A measure's facts, from Arrow in record batches: on PostgreSQL as CSV that Arrow writes and COPY
    reads (no Python object per value: millions of facts in seconds, memory bounded by a batch)."""
    facts = facts.select(FACT_FIELDS[1:])
    if connection.vendor != "postgresql":
        for batch in facts.to_batches(max_chunksize=BATCH):
            columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            _insert(Fact, FACT_FIELDS, ((measure.slug, *values) for values in zip(*columns, strict=True)))
        return
    import pyarrow.csv as pacsv

    quote = connection.ops.quote_name
    names = ", ".join(quote(_column(Fact, f)) for f in FACT_FIELDS)
    # Every value quoted: COPY's CSV reads an unquoted empty field as NULL, a quoted one as "".
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {quote(Fact._meta.db_table)} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
        for batch in facts.to_batches(max_chunksize=100_000):
            batch = pa.RecordBatch.from_arrays([pa.array([measure.slug] * batch.num_rows, pa.string()), *batch.columns],
                                               names=FACT_FIELDS)
            sink = pa.BufferOutputStream()
            pacsv.write_csv(batch, sink, options)
            copy.write(sink.getvalue().to_pybytes())


def _apply(measure: Measure, delta: pa.Table) -> int:
    """Add a difference to the stored Daily rows; rows that fall to nothing are deleted."""
    if delta.num_rows == 0:
        return 0
    rows = delta.to_pylist()
    days = sorted({r["day"] for r in rows})
    existing: dict[tuple[Any, ...], Daily] = {}
    for start in range(0, len(days), 500):
        for daily in Daily.objects.filter(measure=measure.slug, day__in=days[start:start + 500]):
            existing[(daily.grouping, daily.unit, daily.country, daily.programme, daily.university, daily.day)] = daily
    create: list[tuple[Any, ...]] = []
    delete: list[Daily] = []
    for r in rows:
        key = tuple(r[k] for k in DAILY_KEY)
        row = existing.get(key)
        if row is None:
            create.append((measure.slug, *key, r["value"], r["entities"]))
            continue
        row.value += r["value"]
        row.entities += r["entities"]
        # A changed row is deleted and inserted again with its new sums: Django's bulk_update (one
        # CASE WHEN per row) took most of an incremental run's time (see the README's benchmark).
        delete.append(row)
        if row.entities != 0 or row.value != 0:
            create.append((measure.slug, *key, row.value, row.entities))
    for start in range(0, len(delete), BATCH):
        Daily.objects.filter(pk__in=[row.pk for row in delete[start:start + BATCH]]).delete()
    _insert(Daily, ["measure", *DAILY_KEY, "value", "entities"], create)
    return len(rows)


def _empty() -> pa.Table:
    return contributions(fine(ROW_SCHEMA.empty_table()))


def _redo(measure: Measure, entities: list[int]) -> pa.Table:
    """Re-read these entities; replace their facts; return the difference their change makes."""
    old = fine(_facts_table(Fact.objects.filter(measure=measure.slug, entity__in=entities)))
    new = fine(_table(measure.rows(entities)))
    Fact.objects.filter(measure=measure.slug, entity__in=entities).delete()
    _write_facts(measure, new)
    return difference(contributions(old), contributions(new))


def _locked_state(measure: Measure) -> RollupState:
    RollupState.objects.get_or_create(measure=measure.slug)
    return RollupState.objects.select_for_update().get(measure=measure.slug)


def _finish(state: RollupState, *, began: float, entities: int, watermark: datetime | None, changes: int) -> RollupResult:
    state.computed_at = timezone.now()
    if watermark is not None:
        state.watermark = watermark
    state.entities = entities
    state.seconds = round(time.perf_counter() - began, 3)
    state.save()
    return {"measure": state.measure, "entities": entities, "changes": changes, "seconds": state.seconds}


def rebuild_measure(measure: Measure, *, now: datetime | None = None) -> RollupResult:
    """Every entity from scratch: the first run, and the cure for deletions no timestamp records. The
    stored Daily rows are compared with the new facts' contributions (not the old facts': reading
    millions of them back was a fifth of the time), so a rebuild also mends Daily itself."""
    now = now or timezone.now()
    began = time.perf_counter()
    with transaction.atomic():
        state = _locked_state(measure)
        old = _daily_table(measure)
        new_facts = fine(_table(measure.rows(None)))
        Fact.objects.filter(measure=measure.slug).delete()
        _write_facts(measure, new_facts)
        changes = _apply(measure, difference(old, contributions(new_facts)))
        return _finish(state, began=began, entities=new_facts.num_rows, watermark=now, changes=changes)


def _redo_entities(measure: Measure, entities: Iterable[int]) -> tuple[int, int]:
    entities = sorted(set(entities))
    deltas = [_empty()]
    for start in range(0, len(entities), CHUNK):
        deltas.append(_redo(measure, entities[start:start + CHUNK]))
    delta = pa.concat_tables(deltas).group_by(DAILY_KEY, use_threads=False).aggregate(
        [("value", "sum"), ("entities", "sum")])
    delta = delta.rename_columns([n.removesuffix("_sum") for n in delta.column_names])
    return len(entities), _apply(measure, delta)


def refresh_measure(measure: Measure, *, now: datetime | None = None) -> RollupResult:
    """Bring one measure up to `now`: only the entities whose records arrived since the last run."""
    now = now or timezone.now()
    began = time.perf_counter()
    with transaction.atomic():
        state = _locked_state(measure)
        if state.watermark is not None:
            entities, changes = _redo_entities(measure, measure.changed(state.watermark - OVERLAP, now))
            return _finish(state, began=began, entities=entities, watermark=now, changes=changes)
    return rebuild_measure(measure, now=now)


def backfill_measure(measure: Measure, *, start: date, end: date) -> RollupResult:
    """Recompute the entities with anything on the days start..end (inclusive), as counted now and before."""
    began = time.perf_counter()
    with transaction.atomic():
        state = _locked_state(measure)
        before = Fact.objects.filter(measure=measure.slug, day__gte=start, day__lte=end)
        entities = set(before.values_list("entity", flat=True).distinct())
        entities.update(row[0] for row in measure.rows(None) if start <= as_day(row[1]) <= end)
        count, changes = _redo_entities(measure, entities)
        return _finish(state, began=began, entities=count, watermark=None, changes=changes)


def _measures(slug: str | None) -> list[Measure]:
    measures = all_measures()
    if slug is None:
        return measures
    chosen = [m for m in measures if m.slug == slug]
    if not chosen:
        raise ValueError(f"no measure {slug!r}; measures are: {', '.join(m.slug for m in measures)}")
    return chosen


def _with_outcomes(results: list[RollupResult]) -> list[RollupResult]:
    from .outcomes import refresh_outcomes

    refresh_outcomes()  # cohort outcomes by university, from the facts just written
    return results


def refresh(slug: str | None = None, *, now: datetime | None = None) -> list[RollupResult]:
    return _with_outcomes([refresh_measure(m, now=now) for m in _measures(slug)])


def rebuild(slug: str | None = None, *, now: datetime | None = None) -> list[RollupResult]:
    return _with_outcomes([rebuild_measure(m, now=now) for m in _measures(slug)])


def backfill(slug: str | None = None, *, start: date, end: date) -> list[RollupResult]:
    if end < start:
        raise ValueError("the range ends before it starts: give --from before --to")
    return _with_outcomes([backfill_measure(m, start=start, end=end) for m in _measures(slug)])
