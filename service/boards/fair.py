"""Slots shared fairly between keys (boards): one key's many jobs cannot starve another's."""

from __future__ import annotations

import itertools
from collections import Counter, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio


class _Waiter:
    def __init__(self, key: str, seq: int) -> None:
        self.key = key
        self.seq = seq
        self.granted = False
        self.event = anyio.Event()


class FairSlots:
    """`size` slots; a freed one goes to the waiting key with the fewest running jobs."""

    # Between keys that run as many, the one served least recently goes first (so they
    # take turns), then the one whose oldest job has waited longest; each key's jobs keep
    # their order.

    def __init__(self, size: int) -> None:
        self._free = size
        self._running: Counter[str] = Counter()
        self._waiting: dict[str, deque[_Waiter]] = {}
        # When each key was last given a slot; forgotten once it has nothing running or
        # waiting, so that the table does not grow with every board ever seen.
        self._served: dict[str, int] = {}
        self._seq = itertools.count()

    @property
    def idle(self) -> bool:
        """A slot is free now; then no job waits, since a freed slot goes at once."""
        return self._free > 0

    @property
    def waiting(self) -> int:
        """Jobs waiting for a slot."""
        return sum(len(queue) for queue in self._waiting.values())

    @asynccontextmanager
    async def take(self, key: str) -> AsyncIterator[None]:
        """Hold a slot for `key` while in the block; the place in line is taken at once."""
        # Joining the line before the first await keeps the order of callers deterministic:
        # a job queued by a task that has just been started is in line before its starter
        # runs again.
        waiter = _Waiter(key, next(self._seq))
        self._waiting.setdefault(key, deque()).append(waiter)
        self._dispatch()
        try:
            await waiter.event.wait()
        except BaseException:
            if waiter.granted:
                self._release(key)
            else:
                self._leave(waiter)
            raise
        try:
            yield
        finally:
            self._release(key)

    def _leave(self, waiter: _Waiter) -> None:
        queue = self._waiting[waiter.key]
        queue.remove(waiter)
        if not queue:
            del self._waiting[waiter.key]
            self._forget_if_idle(waiter.key)

    def _release(self, key: str) -> None:
        self._running[key] -= 1
        if self._running[key] <= 0:
            del self._running[key]
        self._free += 1
        self._forget_if_idle(key)
        self._dispatch()

    def _forget_if_idle(self, key: str) -> None:
        if key not in self._running and key not in self._waiting:
            self._served.pop(key, None)

    def _dispatch(self) -> None:
        while self._free > 0 and self._waiting:
            key = min(self._waiting, key=self._rank)
            queue = self._waiting[key]
            waiter = queue.popleft()
            if not queue:
                del self._waiting[key]
            waiter.granted = True
            self._free -= 1
            self._running[key] += 1
            self._served[key] = next(self._seq)
            waiter.event.set()

    def _rank(self, key: str) -> tuple[int, int, int]:
        return (self._running[key], self._served.get(key, -1), self._waiting[key][0].seq)
