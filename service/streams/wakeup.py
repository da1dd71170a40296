"""A wake-up call for the readers of one stream: what a waiting reader costs is one future.

anyio's Event (an asyncio Event, a deque of waiters, made anew after each wake) and a
cancel scope for each reader's heartbeat timeout came to 2.8 KiB per waiting stream
(bench/memory); a future and a timer handle do the same job.
"""

from __future__ import annotations

import asyncio
import math
from contextlib import suppress


def _expire(future: asyncio.Future[bool]) -> None:
    if not future.done():
        future.set_result(False)


class Wakeup:
    """Readers `wait`; `wake_all` wakes every one waiting now."""

    __slots__ = ("_waiters",)

    def __init__(self) -> None:
        self._waiters: list[asyncio.Future[bool]] = []

    async def wait(self, idle: float = math.inf) -> bool:
        """Wait for `wake_all`: True, or False once `idle` seconds passed without one."""
        loop = asyncio.get_running_loop()
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
        for future in waiters:
            if not future.done():
                future.set_result(True)
