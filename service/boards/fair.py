"""Slots shared fairly between clients, then between each client's boards.

A job waits under a key path such as (client, board): one client's many jobs cannot
starve another client's, and within a client one board's cannot starve another's.
"""

from __future__ import annotations

import itertools
from collections import Counter, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio

Key = tuple[str, ...]


class _Waiter:
    def __init__(self, key: Key, seq: int) -> None:
        self.key = key
        self.seq = seq
        self.granted = False
        self.event = anyio.Event()


def _prefixes(key: Key) -> list[Key]:
    return [key[: n + 1] for n in range(len(key))]


def _discount(counts: Counter[Key], key: Key) -> None:
    """One job fewer under every prefix of `key`; a prefix at zero is forgotten."""
    for prefix in _prefixes(key):
        counts[prefix] -= 1
        if counts[prefix] <= 0:
            del counts[prefix]


class FairSlots:
    """`size` slots; a freed one goes, level by level, to the waiter running fewest jobs."""

    # At each level of the key path (client, then board), among the waiters that run as
    # many jobs, the one served least recently goes first (so they take turns); the one
    # whose oldest job has waited longest breaks the last tie. Each key's jobs keep their
    # order.

    def __init__(self, size: int) -> None:
        self._free = size
        self._running: Counter[Key] = Counter()  # by every prefix of the running keys
        self._queued: Counter[Key] = Counter()  # by every prefix of the waiting keys
        self._waiting: dict[Key, deque[_Waiter]] = {}
        # When each prefix was last given a slot; forgotten once it has nothing running
        # or waiting, so that the table does not grow with every board ever seen.
        self._served: dict[Key, int] = {}
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
    async def take(self, *key: str) -> AsyncIterator[None]:
        """Hold a slot for the key path while in the block; the place in line is taken at once."""
        # Joining the line before the first await keeps the order of callers deterministic:
        # a job queued by a task that has just been started is in line before its starter
        # runs again.
        waiter = _Waiter(key, next(self._seq))
        self._waiting.setdefault(key, deque()).append(waiter)
        self._queued.update(_prefixes(key))
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
        _discount(self._queued, waiter.key)
        self._forget_if_idle(waiter.key)

    def _release(self, key: Key) -> None:
        _discount(self._running, key)
        self._free += 1
        self._forget_if_idle(key)
        self._dispatch()

    def _forget_if_idle(self, key: Key) -> None:
        for prefix in _prefixes(key):
            if prefix not in self._running and prefix not in self._queued:
                self._served.pop(prefix, None)

    def _dispatch(self) -> None:
        while self._free > 0 and self._waiting:
            key = min(self._waiting, key=self._rank)
            queue = self._waiting[key]
            waiter = queue.popleft()
            if not queue:
                del self._waiting[key]
            _discount(self._queued, key)
            waiter.granted = True
            self._free -= 1
            self._running.update(_prefixes(key))
            seq = next(self._seq)
            for prefix in _prefixes(key):
                self._served[prefix] = seq
            waiter.event.set()

    def _rank(self, key: Key) -> tuple[tuple[int, int], ...]:
        levels = tuple(
            (self._running[prefix], self._served.get(prefix, -1)) for prefix in _prefixes(key)
        )
        return (*levels, (self._waiting[key][0].seq, 0))
