"""Lean owned tasks, for the work a stream holds for its whole life.

An anyio task group spends about 2.5 KiB per task (a handle, a wrapper coroutine, a
done-callback closure, weak task state: measured in bench/memory). A stream's generation
and an SSE reader's disconnect watch live as long as the stream, so at 10,000 open
streams that is 50 MB. These keep what a task group promises, every task has an owner
that cancels it and waits for it, on plain asyncio tasks; cancel scopes still work
inside them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from types import TracebackType
from typing import Any

import anyio

log = logging.getLogger(__name__)


class OwnedTasks:
    """Tasks started by one owner; `aclose` cancels those still running and waits for them."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def start(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        """Run `coro` in a task of its own; an exception that escapes it is logged."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("task %s failed", task.get_name(), exc_info=exc)

    async def aclose(self) -> None:
        """Cancel every task still running and wait until each has ended."""
        with anyio.CancelScope(shield=True):
            while self._tasks:
                tasks = list(self._tasks)
                for task in tasks:
                    task.cancel()
                await asyncio.wait(tasks)


class CancelledWhen:
    """`async with CancelledWhen(wait):` the block ends, quietly, once `wait()` returns.

    `wait` runs in a task of its own for as long as the block; leaving the block cancels
    it and waits for it, so it never outlives the block (what a task group of two whose
    first finisher cancels the other gives, for a fraction of its memory). The block is
    cancelled as `asyncio.timeout` cancels, once, with the count that tells its own
    cancellation from anyone else's; an anyio cancel scope would do the same for a few
    hundred bytes more per open stream (bench/memory).
    """

    __slots__ = ("_deadline", "_task", "_wait")

    def __init__(self, wait: Callable[[], Awaitable[None]]) -> None:
        self._wait = wait
        self._deadline = asyncio.timeout(None)
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> None:
        await self._deadline.__aenter__()
        self._task = asyncio.get_running_loop().create_task(self._watch())

    async def _watch(self) -> None:
        await self._wait()
        self._deadline.reschedule(asyncio.get_running_loop().time())

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        assert self._task is not None
        self._task.cancel()
        # The deadline is left before anything here waits: once the block is over, a
        # watch that has just seen its end can no longer cancel what follows it.
        try:
            await self._deadline.__aexit__(exc_type, exc, tb)
            ended = False
        except TimeoutError:
            if not self._deadline.expired():
                raise
            ended = True  # the watch ended the block
        with anyio.CancelScope(shield=True):
            await asyncio.wait({self._task})
        if not self._task.cancelled() and (failed := self._task.exception()) is not None:
            # The watch itself failed (the server's receive raised): end the block as
            # an exception of the watch would have ended a task group.
            raise failed
        return ended
