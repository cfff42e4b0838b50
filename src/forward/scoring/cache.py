"""Solutions a worker keeps between submissions, keyed by the solution file's content.

Reading and indexing a solution costs as much as reading a submission, and every submission of a
round is scored against the same one. A worker keeps the solutions it has loaded, parsed and
indexed, so that the next submission of the round costs only reading and aligning it. The key is
the SHA-256 of the file's bytes (with the metric), so a replaced solution is never answered from a
stale entry, and the entries' memory stays within a budget: the least recently used go first, and
a solution larger than the whole budget is not kept at all.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from .scorer import Solution

CacheKey = tuple[str, str]  # (SHA-256 of the solution file, metric name)


def file_sha256(path: str | Path) -> str:
    """The hex SHA-256 of a file's bytes, read in a stream (about 1 GB/s)."""
    with Path(path).open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class SolutionCache:
    """A least-recently-used map from (content hash, metric) to a loaded Solution, within a byte budget."""

    def __init__(self, budget_bytes: int):
        self.budget_bytes = max(0, int(budget_bytes))
        self._entries: OrderedDict[CacheKey, tuple[Solution, int]] = OrderedDict()
        self.size = 0  # bytes held by the entries
        self.loads = 0  # solutions loaded (cache misses), for tests and logs
        self._lock = threading.Lock()  # eager tasks may score from several threads of a web process

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: CacheKey) -> bool:
        return key in self._entries

    def get(self, key: CacheKey) -> Solution | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: CacheKey, solution: Solution) -> bool:
        """Keep ``solution``, evicting the least recently used; False if it alone exceeds the budget."""
        size = solution.nbytes
        with self._lock:
            self._discard(key)
            if size > self.budget_bytes:
                return False
            while self._entries and self.size + size > self.budget_bytes:
                _key, (_solution, evicted) = self._entries.popitem(last=False)
                self.size -= evicted
            self._entries[key] = (solution, size)
            self.size += size
            return True

    def discard(self, key: CacheKey) -> None:
        with self._lock:
            self._discard(key)

    def _discard(self, key: CacheKey) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.size -= entry[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0

    def solution(self, key: CacheKey, load: Callable[[], Solution]) -> Solution:
        """The kept solution for ``key``, or ``load()``'s, kept for next time if it fits."""
        solution = self.get(key)
        if solution is None:
            solution = load()  # outside the lock: other keys stay available meanwhile
            with self._lock:
                self.loads += 1
            self.put(key, solution)
        return solution
