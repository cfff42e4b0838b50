"""Nothing stays stuck: the two halves of every reaper of background jobs.

A background job is a row with a status and a queue message that carries only its id; a worker
claims the row with a conditional update. Two things can go wrong, and each has a helper:

- the worker dies mid-job (a machine restarts, the OOM killer): its row stays `running`.
  `requeue_stale` puts rows running past their deadline back in the queue and sends them again,
  or ends those already claimed `max_attempts` times with their "interrupted" fields, so a job that
  kills whatever runs it is not handed from worker to worker forever;
- the message is lost (a broker restarted before it was delivered): the row stays `queued`.
  `resend_waiting` sends queued rows again.

Both take querysets the caller has already narrowed to the stale (or waiting) rows, so each app
keeps its own status names, clocks and deadlines. Every change is a conditional update on that same
queryset, in its own transaction, so a row a worker claimed or finished a moment ago is left alone,
and a message is only ever sent after the commit that made it right to send (`enqueue` should use
`transaction.on_commit`). A duplicated message is harmless: the worker's claim lets one through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import models, transaction

log = logging.getLogger(__name__)

BATCH = 1000  # rows handled per call; the next run of the reaper takes the rest


def requeue_stale(*, stale: models.QuerySet[Any], requeue: dict[str, Any], enqueue: Callable[[int], None],
                  attempts_field: str = "attempts", max_attempts: int | None = None,
                  interrupted: Callable[[], dict[str, Any]] | None = None, limit: int = BATCH) -> list[int]:
    """Rows of `stale` (running past their deadline) go back to the queue with the fields
    `requeue` and are sent again with `enqueue(pk)`; with `max_attempts`, a row already claimed that
    many times (its `attempts_field`) gets the fields `interrupted()` instead. Returns the requeued
    ids."""
    label = stale.model._meta.label
    if max_attempts is not None:
        out_of_attempts = {f"{attempts_field}__gte": max_attempts}
        exhausted = list(stale.filter(**out_of_attempts).values_list("pk", flat=True)[:limit])
        if exhausted:
            if interrupted is None:
                raise TypeError("requeue_stale: max_attempts needs interrupted(), the fields of a row out of attempts")
            stale.filter(pk__in=exhausted, **out_of_attempts).update(**interrupted())
            log.warning("failed %d %s interrupted %d times: %s", len(exhausted), label, max_attempts, exhausted)
        stale = stale.filter(**{f"{attempts_field}__lt": max_attempts})
    requeued = []
    for pk in list(stale.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            if stale.filter(pk=pk).update(**requeue):  # still stale now: nobody finished it meanwhile
                requeued.append(pk)
                enqueue(pk)
    if requeued:
        log.warning("requeued %d %s that ran past the deadline: %s", len(requeued), label, requeued)
    return requeued


def resend_waiting(*, waiting: models.QuerySet[Any], enqueue: Callable[[int], None],
                   touch: dict[str, Any] | None = None,
                   limit: int = BATCH) -> list[int]:
    """Send the rows of `waiting` (queued for longer than a message should take) again. With
    `touch`, each row is first updated with those fields (say, the time it was last sent), and only
    rows still waiting at that moment are sent. Returns the ids sent."""
    sent = []
    for pk in list(waiting.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            if touch is None or waiting.filter(pk=pk).update(**touch):
                sent.append(pk)
                enqueue(pk)
    if sent:
        log.info("re-sent %d waiting %s: %s", len(sent), waiting.model._meta.label, sent)
    return sent
