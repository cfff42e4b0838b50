"""Run a scoring job in a child process with a memory and a time limit.

A hostile file must cost one job, never the worker: the job runs in a forked child whose address
space is capped with ``RLIMIT_AS`` (the memory the parent already had, plus the budget) and which
is killed when it passes its wall-clock limit. The child sends back its result, or the error it
raised, as a pickle over a pipe; a child that runs out of memory, is killed, or crashes becomes a
:class:`LimitExceeded` or :class:`JobCrashed` here, with a message a person can act on.

``os.fork`` rather than ``multiprocessing``: Celery's prefork pool processes are daemonic and may
not start multiprocessing children, a fork needs no re-import (milliseconds, not the half second
a fresh interpreter takes to import NumPy and pyarrow), and it works the same under the solo
pool, the prefork pool and eager tasks. The child never touches the parent's database connection
or files other than the ones it scores, and leaves with ``os._exit`` so nothing of the parent's
is closed or flushed twice.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import gc
import os
import pickle
import resource
import select
import signal
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar, cast

import pyarrow as pa

from .errors import ScoringError


class LimitExceeded(ScoringError):
    """The job broke its memory or time limit (the file's fault: it would do so again)."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind  # "memory" or "time"

    def __reduce__(self) -> tuple[type[LimitExceeded], tuple[str, str]]:
        return (type(self), (str(self), self.kind))


class JobCrashed(ScoringError):
    """The job failed in a way no message was written for; ``detail`` is for the log, not for people."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail

    def __reduce__(self) -> tuple[type[JobCrashed], tuple[str, str]]:
        return (type(self), (str(self), self.detail))


def memory_message(memory_mb: int) -> str:
    return (f"The file needs more than {memory_mb:,} MB of memory to read, the limit for scoring; check that it "
            "has one row per id and only the id and target columns (`forward score` checks it on your "
            "machine).")


def time_message(seconds: float) -> str:
    return (f"Scoring took longer than {seconds:g} s, the limit, and was stopped; check that the file has one row "
            "per id and only the id and target columns (`forward score` checks it on your machine).")


# Starting a thread needs address space too; without it pyarrow and Python say so in these words.
_NO_MEMORY_FOR_THREADS = ("Failed to launch worker thread", "can't start new thread", "Cannot allocate memory")
# glibc exits with 127 when it cannot allocate a new thread's thread-local data.
_EXIT_NO_THREAD_MEMORY = 127

CRASH_MESSAGE = "Scoring failed because of an unexpected error; it has been logged for the site's operators."


def _address_space() -> int:
    """Bytes of virtual memory this process has mapped now (VmSize)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # pragma: no cover - not Linux


def _plain_allocation() -> None:
    """Make address space track memory use, so that RLIMIT_AS limits what the job really uses.

    glibc gives each thread an arena that reserves 64 MB of address space, and pyarrow's
    default allocator (mimalloc) reserves large regions ahead; both count against RLIMIT_AS
    although unused, which made the limit erratic: with them a 20-row file failed at 128 MB,
    without them 1,000,000 rows score within 128 MB and 20 rows within 16 MB.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(-8, 2)  # M_ARENA_MAX: at most two arenas
    pa.set_memory_pool(pa.system_memory_pool())


def _child(function: Callable[..., Any], args: tuple[Any, ...], memory_mb: int, timeout: float, out: int) -> None:
    """In the child: limit, run, report, and leave without running the parent's clean-up."""
    code = 0
    try:
        with contextlib.suppress(ValueError):  # Celery's handlers belong to the worker, not to the job
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1):
                signal.signal(sig, signal.SIG_DFL)
        _plain_allocation()
        budget = _address_space() + memory_mb * 1024**2
        resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
        cpu = int(timeout) + 5  # a backstop should the parent die: the kernel stops a spinning child
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        try:
            outcome: tuple[str, Any] = ("ok", function(*args))
        except MemoryError:
            outcome = ("error", LimitExceeded(memory_message(memory_mb), "memory"))
        except ScoringError as exc:
            outcome = ("error", exc)
        except Exception as exc:
            if any(words in str(exc) for words in _NO_MEMORY_FOR_THREADS):
                outcome = ("error", LimitExceeded(memory_message(memory_mb), "memory"))
            else:
                outcome = ("error", JobCrashed(CRASH_MESSAGE, traceback.format_exc()))
        except BaseException:
            outcome = ("error", JobCrashed(CRASH_MESSAGE, traceback.format_exc()))
        try:
            data = pickle.dumps(outcome, protocol=5)
        except MemoryError:  # a large result (a solution a worker keeps) must fit in the limit too
            data = pickle.dumps(("error", LimitExceeded(memory_message(memory_mb), "memory")))
        except BaseException:
            data = pickle.dumps(("error", JobCrashed(CRASH_MESSAGE, traceback.format_exc())))
        view = memoryview(data)
        while view:
            view = view[os.write(out, view):]
    except MemoryError:
        code = 3  # not even the report fits: the parent reads a silent exit as out of memory
    except BaseException:
        code = 4
    finally:
        os._exit(code)


_T = TypeVar("_T")


def run_limited(function: Callable[..., _T], *args: Any, memory_mb: int, timeout: float) -> _T:
    """``function(*args)`` in a forked child with ``memory_mb`` more memory and ``timeout`` seconds.

    Returns what the function returned (it must pickle). Re-raises the ScoringError it raised;
    raises LimitExceeded when it ran out of memory or time and JobCrashed when it died otherwise
    (an unexpected exception, whose traceback is in ``detail``, or a signal).
    """
    read_end, write_end = os.pipe()
    with contextlib.suppress(OSError, AttributeError):  # a wider pipe: a kept solution comes back faster
        fcntl.fcntl(read_end, fcntl.F_SETPIPE_SZ, 1 << 20)
    # Frozen objects are never traversed by the child's garbage collector, so the child does not
    # touch (and copy) the parent's whole heap: forking from a big process stays cheap.
    gc.freeze()
    try:
        pid = os.fork()
    except OSError:
        gc.unfreeze()
        os.close(read_end)
        os.close(write_end)
        raise
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # pragma: no cover - the child reports through the pipe, and coverage sees no exit
        os.close(read_end)
        _child(function, args, memory_mb, timeout, write_end)
    os.close(write_end)
    report = bytearray()
    deadline = time.monotonic() + timeout
    finished = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LimitExceeded(time_message(timeout), "time")
            ready, _, _ = select.select([read_end], [], [], remaining)
            if ready:
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    finished = True
                    break
                report += chunk
    finally:
        os.close(read_end)
        if not finished:  # out of time, or the worker itself is stopping: the job goes with it
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if report:
        try:
            kind, value = pickle.loads(report)  # noqa: S301 - written by our own child
        except Exception as exc:  # a truncated report: the child died while writing it
            raise JobCrashed(CRASH_MESSAGE, f"unreadable report from the scoring process: {exc!r}") from None
        if kind == "ok":
            return cast(_T, value)  # what `function` returned, unpickled
        raise value
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in (signal.SIGKILL, signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS):
            # The kernel's OOM killer sends SIGKILL; a failed allocation in C++ aborts or faults.
            raise LimitExceeded(memory_message(memory_mb), "memory")
        if sig == signal.SIGXCPU:
            raise LimitExceeded(time_message(timeout), "time")
        raise JobCrashed(CRASH_MESSAGE, f"the scoring process was killed by signal {sig}")
    if os.WEXITSTATUS(status) in (3, _EXIT_NO_THREAD_MEMORY):
        raise LimitExceeded(memory_message(memory_mb), "memory")
    raise JobCrashed(CRASH_MESSAGE, f"the scoring process exited with code {os.WEXITSTATUS(status)} and no report")
