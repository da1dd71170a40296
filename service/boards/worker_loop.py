"""What a worker process runs: one job at a time, under its CPU limit, sending items in batches."""

# The fork server imports this module before it forks any worker: it imports no more than
# the standard library, so that it adds nothing to the server's start.

from __future__ import annotations

import importlib
import math
import multiprocessing.connection
import resource
import signal
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

_BATCH_ITEMS = 16
_BATCH_SECONDS = 0.02


class _CpuSpent(BaseException):
    """The job's CPU time is spent; a BaseException, so that the PDF code cannot swallow it."""


_in_job = False
"""True while the worker runs job code; only then may the CPU limit interrupt it."""


def _on_cpu_limit(signum: int, frame: FrameType | None) -> None:
    # Raised between sends only: an exception in the middle of one would leave half a
    # message in the pipe. The kernel signals again after each further CPU second.
    if _in_job:
        raise _CpuSpent()


def _limit_cpu(seconds: float | None) -> None:
    # RLIMIT_CPU counts the whole life of the process, in whole seconds: the job's limit
    # is what the process has used so far plus its own share. The hard limit is left
    # alone, since a process may lower it but never raise it again.
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = hard
    if seconds is not None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def worker_main(conn: multiprocessing.connection.Connection, memory_bytes: int) -> None:
    """Run the jobs `conn` sends, each `(target, args, cpu seconds)`, until it sends None."""
    # Ctrl-C in a terminal signals the whole process group; the parent stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGXCPU, _on_cpu_limit)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    while True:
        request = conn.recv()
        if request is None:
            return
        target, args, cpu_seconds = request
        module, _, name = target.rpartition(".")
        job: Callable[..., Iterator[Any]] = getattr(importlib.import_module(module), name)
        _limit_cpu(cpu_seconds)
        try:
            _send_batched(conn, job(*args))
        except _CpuSpent:
            # Ended like a memory failure: whatever the job was doing is left half-done.
            conn.send(("cpu", None))
            return
        except MemoryError:
            # The heap may be fragmented past use; end this process, the pool makes another.
            conn.send(("crash", "the worker ran out of memory"))
            return
        except Exception as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"[:300]))
            continue
        finally:
            _limit_cpu(None)
        conn.send(("end", None))


_END = object()


def _next(items: Iterator[Any]) -> Any:
    global _in_job
    _in_job = True
    try:
        return next(items, _END)
    finally:
        _in_job = False


def _send_batched(conn: multiprocessing.connection.Connection, items: Iterator[Any]) -> None:
    # One message per item costs a pickle and a thread hop in the parent; batching keeps
    # that overhead small while the first item (and a slow stream's items) go out at once.
    batch: list[Any] = []
    last_send = 0.0
    while (item := _next(items)) is not _END:
        batch.append(item)
        now = time.monotonic()
        if len(batch) >= _BATCH_ITEMS or now - last_send >= _BATCH_SECONDS:
            conn.send(("items", batch))
            batch, last_send = [], now
    if batch:
        conn.send(("items", batch))
