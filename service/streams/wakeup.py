"""A wake-up call for the readers of one stream: what a waiting reader costs is one future.

anyio's Event (an asyncio Event, a deque of waiters, made anew after each wake) and a
cancel scope for each reader's heartbeat timeout came to 2.8 KiB per waiting stream
(bench/memory); a future and a timer handle do the same job.

A reader can wait on something of its own meanwhile (`until`: an SSE reader's client
leaving), in its own task: the wake-up then cancels that wait as asyncio.timeout does,
so one task serves the reader where a second one would watch its client.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from contextlib import suppress

Until = Callable[[], Awaitable[object]]
"""Awaited while a reader waits, in its own task; what it raises ends the reader's wait
(its client left, say), and its return counts as a wake-up."""


def _expire(future: asyncio.Future[bool]) -> None:
    if not future.done():
        future.set_result(False)


class Wakeup:
    """Readers `wait`; `wake_all` wakes every one waiting now."""

    __slots__ = ("_waiters",)

    def __init__(self) -> None:
        self._waiters: list[asyncio.Future[bool] | asyncio.Timeout] = []

    async def wait(self, idle: float = math.inf, until: Until | None = None) -> bool:
        """Wait for `wake_all`: True, or False once `idle` seconds passed without one."""
        loop = asyncio.get_running_loop()
        if until is not None:  # one frame for both ways: a waiting reader keeps it
            deadline = asyncio.timeout_at(None if math.isinf(idle) else loop.time() + idle)
            self._waiters.append(deadline)
            try:
                async with deadline:
                    await until()
                return True
            except TimeoutError:
                if not deadline.expired():
                    raise
                return deadline not in self._waiters  # still listed: its idle time ran out
            finally:
                with suppress(ValueError):
                    self._waiters.remove(deadline)
        future: asyncio.Future[bool] = loop.create_future()
        self._waiters.append(future)
        timer = None if math.isinf(idle) else loop.call_later(idle, _expire, future)
        try:
            return await future
        finally:
            if timer is not None:
                timer.cancel()
            # Timed out or cancelled, it is still listed; a wake has already let it go.
            with suppress(ValueError):
                self._waiters.remove(future)

    def wake_all(self) -> None:
        """Wake every reader waiting now."""
        if not self._waiters:
            return  # the common case, once per event appended: nothing to allocate
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if isinstance(waiter, asyncio.Timeout):
                if not waiter.expired():  # due now: cancels that reader's `until`
                    waiter.reschedule(asyncio.get_running_loop().time())
            elif not waiter.done():
                waiter.set_result(True)
