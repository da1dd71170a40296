"""A pool of worker processes that run generator jobs under time, CPU and memory limits.

A job that runs past its deadline is killed with its process; a job that uses up its CPU
time or exhausts its memory limit ends its process itself. Either way the server keeps
answering, and the pool replaces the process before the next job. Jobs wait for a worker
in a fair line (`FairSlots`), keyed by whatever path the caller names (client, board).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import signal
import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from multiprocessing.process import BaseProcess
from typing import Any

import anyio
import anyio.to_thread

from service.boards.fair import FairSlots
from service.boards.worker_loop import worker_main

# The forkserver is started once, with the PDF code and the workers' loop already
# imported, so a new worker is a cheap fork of a warm process, not a fresh interpreter.
_PRELOAD = ["service.boards.pdf", "service.boards.worker_loop"]


class JobTimeout(Exception):
    """The job ran past its deadline and its worker was killed."""


class JobCpuLimit(Exception):
    """The job used up its CPU time and its worker ended."""


class WorkerCrashed(Exception):
    """The worker died during the job (out of memory, or a crash in native code)."""


class JobFailed(Exception):
    """The job raised; the message names the exception."""


class _Worker:
    def __init__(self, ctx: Any, memory_bytes: int) -> None:
        parent, child = ctx.Pipe()
        self.conn: multiprocessing.connection.Connection = parent
        self.process: BaseProcess = ctx.Process(
            target=worker_main, args=(child, memory_bytes), daemon=True
        )
        self.process.start()
        child.close()

    def recv(self, deadline: float) -> tuple[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not self.conn.poll(remaining):
            raise JobTimeout()
        try:
            message: tuple[str, Any] = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerCrashed("the worker process died") from exc
        return message

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(2)
        self.kill()


_fork_server_started = False


def _start_fork_server() -> None:
    # The fork server ignores SIGINT only once it has imported the PDF code; a Ctrl-C in
    # the terminal before then (it goes to the whole process group) killed it with a
    # traceback. Started with SIGINT ignored, it keeps ignoring it, and so do the workers
    # it forks: the parent stops them. Only the main thread may touch signal handlers; an
    # app embedded elsewhere gets multiprocessing's own start. Only once per process: a
    # Ctrl-C that comes while SIGINT is ignored here is lost and the service never stops,
    # and a second pool starting would open that window again.
    global _fork_server_started
    if _fork_server_started or threading.current_thread() is not threading.main_thread():
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        multiprocessing.forkserver.ensure_running()
        _fork_server_started = True
    finally:
        signal.signal(signal.SIGINT, previous)


class WorkerPool:
    """`size` worker processes; `run(target, *args, timeout=…)` streams a job's items."""

    def __init__(self, size: int, memory_mb: int) -> None:
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(_PRELOAD)
        self._memory = memory_mb * 1024 * 1024
        self._idle: list[_Worker] = []
        self._slots = FairSlots(size)
        self._size = size
        self._closed = False

    async def start(self) -> None:
        """Start the workers now, so the first upload does not pay for it."""
        _start_fork_server()
        workers = [await anyio.to_thread.run_sync(self._spawn) for _ in range(self._size)]
        self._idle.extend(workers)

    def _spawn(self) -> _Worker:
        return _Worker(self._ctx, self._memory)

    @property
    def idle(self) -> bool:
        """A worker is free now, and no job waits for one."""
        return self._slots.idle

    async def _take(self) -> _Worker:
        # An idle worker can die between jobs (the kernel's OOM killer, a stray signal):
        # replace it rather than fail the job.
        while self._idle:
            worker = self._idle.pop()
            if worker.process.is_alive():
                return worker
            await anyio.to_thread.run_sync(worker.kill)
        return await anyio.to_thread.run_sync(self._spawn)

    async def aclose(self) -> None:
        """Stop every idle worker; busy ones are killed by their jobs' cancellation."""
        self._closed = True
        idle, self._idle = self._idle, []
        for worker in idle:
            await anyio.to_thread.run_sync(worker.stop)

    @asynccontextmanager
    async def run(
        self,
        target: str,
        *args: Any,
        timeout: float,  # noqa: ASYNC109 - a deadline for the worker, not for us
        cpu: float | None = None,
        key: tuple[str, ...] = (),
        first_timeout: float | None = None,
    ) -> AsyncIterator[JobItems]:
        """Run the generator function `target` ("module.name") in a worker, yielding its items."""
        # The job waits in its key path's line for a worker (see `FairSlots`); its limits, wall
        # clock, first item and CPU seconds (rounded up), count from when a worker takes
        # it, so that waiting in line never uses them up.
        async with self._slots.take(*key):
            worker = await self._take()
            healthy = False
            try:
                worker.conn.send((target, args, cpu))
                start = time.monotonic()
                first = timeout if first_timeout is None else min(first_timeout, timeout)
                items = JobItems(worker, start + first, start + timeout)
                yield items
                healthy = items.finished
            finally:
                if healthy and not self._closed:
                    self._idle.append(worker)
                else:
                    # A job abandoned half-way (timeout, crash, cancellation, the caller
                    # stopped reading) leaves the worker busy: kill it.
                    with anyio.CancelScope(shield=True):
                        await anyio.to_thread.run_sync(worker.kill)


class JobItems:
    """The items of one job, as the worker sends them (in batches)."""

    def __init__(self, worker: _Worker, first_deadline: float, deadline: float) -> None:
        self._worker = worker
        self._deadline = first_deadline
        self._last_deadline = deadline
        self._ready: deque[Any] = deque()
        self.finished = False

    @property
    def buffered(self) -> int:
        """Items already received and not yet taken."""
        return len(self._ready)

    def __aiter__(self) -> JobItems:
        return self

    async def __anext__(self) -> Any:
        while not self._ready:
            if self.finished:
                raise StopAsyncIteration
            kind, value = await anyio.to_thread.run_sync(
                self._worker.recv, self._deadline, abandon_on_cancel=True
            )
            if kind == "items":
                self._ready.extend(value)
                self._deadline = self._last_deadline
            elif kind == "end":
                self.finished = True
            elif kind == "error":
                self.finished = True
                raise JobFailed(value)
            elif kind == "cpu":
                raise JobCpuLimit()
            else:
                raise WorkerCrashed(value)
        return self._ready.popleft()
