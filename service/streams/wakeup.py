"""How a reader of a stream waits: for a wake-up, for its silence to end, for its client.

anyio's Event (an asyncio Event, a deque of waiters, made anew after each wake) and a
cancel scope for each reader's heartbeat timeout came to 2.8 KiB per waiting stream
(bench/memory). Here a waiting reader is one future, or one deadline when it waits on
something of its own meanwhile (`until`: an SSE reader's client leaving, in its own task,
the wake-up cancelling that wait as asyncio.timeout does, so that one task serves the
reader where a second one would watch its client). Its heartbeat timeout is no timer of
its own either (a handle and, under uvloop, a libuv timer: about 0.4 KiB): the readers
due in the same slice of time share one (`Silences`).
"""

from __future__ import annotations

import asyncio
import math
import weakref
from collections.abc import Awaitable, Callable
from contextlib import suppress

Until = Callable[[], Awaitable[object]]
"""Awaited while a reader waits, in its own task; what it raises ends the reader's wait
(its client left, say), and its return counts as a wake-up."""

Waiter = asyncio.Future[bool] | asyncio.Timeout

SLICE_S = 0.25


def _end_wait(waiter: Waiter) -> None:
    """Make a waiter's wait end now (whether it was woken, it finds out itself)."""
    if isinstance(waiter, asyncio.Timeout):
        if not waiter.expired():
            waiter.reschedule(asyncio.get_running_loop().time())
    elif not waiter.done():
        waiter.set_result(False)


class Silences:
    """Ends the waits whose reader has been silent long enough, one timer per slice.

    A wait with `idle` seconds ends between `idle` minus a slice (a quarter of `idle`,
    at most `SLICE_S`) and `idle` after it began: never later, as a heartbeat must come
    at least every `idle` seconds of silence.
    """

    # Kept per loop, weakly: it holds no reference to its loop.

    def __init__(self) -> None:
        self._due: dict[float, set[Waiter]] = {}

    def add(self, loop: asyncio.AbstractEventLoop, waiter: Waiter, idle: float) -> float:
        """End `waiter` after `idle` seconds; the slice it is due in."""
        step = min(SLICE_S, idle / 4)
        due = math.floor((loop.time() + idle) / step) * step
        waiting = self._due.get(due)
        if waiting is None:
            waiting = self._due[due] = set()
            loop.call_at(due, self._end, due)
        waiting.add(waiter)
        return due

    def discard(self, waiter: Waiter, due: float) -> None:
        """The wait is over otherwise: leave it alone."""
        waiting = self._due.get(due)
        if waiting is not None:
            waiting.discard(waiter)

    def _end(self, due: float) -> None:
        for waiter in self._due.pop(due, ()):
            _end_wait(waiter)


_SILENCES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Silences] = (
    weakref.WeakKeyDictionary()
)


def silences(loop: asyncio.AbstractEventLoop) -> Silences:
    """The silences of `loop`'s readers."""
    found = _SILENCES.get(loop)
    if found is None:
        found = _SILENCES[loop] = Silences()
    return found


class Wakeup:
    """Readers `wait`; `wake_all` wakes every one waiting now."""

    __slots__ = ("_waiters",)

    def __init__(self) -> None:
        self._waiters: list[Waiter] = []

    async def wait(self, idle: float = math.inf, until: Until | None = None) -> bool:
        """Wait for `wake_all`: True, or False once `idle` seconds passed without one."""
        loop = asyncio.get_running_loop()
        waiter: Waiter = asyncio.timeout(None) if until is not None else loop.create_future()
        self._waiters.append(waiter)
        silent = None if math.isinf(idle) else silences(loop)
        due = 0.0 if silent is None else silent.add(loop, waiter, idle)
        try:
            if isinstance(waiter, asyncio.Timeout):
                assert until is not None
                try:
                    async with waiter:
                        await until()
                    return True
                except TimeoutError:
                    if not waiter.expired():
                        raise
            else:
                await waiter
            return waiter not in self._waiters  # woken: taken off; silent: still listed
        finally:
            if silent is not None:
                silent.discard(waiter, due)
            # Silent or cancelled, it is still listed; a wake has already let it go.
            with suppress(ValueError):
                self._waiters.remove(waiter)

    def wake_all(self) -> None:
        """Wake every reader waiting now."""
        if not self._waiters:
            return  # the common case, once per event appended: nothing to allocate
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            _end_wait(waiter)
