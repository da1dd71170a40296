"""Topic feeds: small logs of live events (a board's file progress, say).

`Topics` is what the rest of the service uses; `FeedHub` keeps them in this process, and
`RedisTopics` (redistopics.py) in the broker, for every process. Each reader keeps its
own cursor into a bounded ring, so a slow reader costs nothing and a reconnecting one
resumes from its last id for as long as the ring still holds it.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

from anyio.abc import TaskGroup

from service.streams.wakeup import Until, Wakeup


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One event of a feed: `n` counts from 1 within the feed."""

    n: int
    event: str
    data: dict[str, Any]


class Feed:
    """A bounded log of one topic's events."""

    def __init__(self, capacity: int = 256) -> None:
        self._events: deque[FeedEvent] = deque(maxlen=capacity)
        self._last = 0
        self._changed = Wakeup()
        self.closed = False

    def append(self, event: str, data: dict[str, Any]) -> FeedEvent:
        """Add an event and wake every reader."""
        self._last += 1
        item = FeedEvent(self._last, event, data)
        self._events.append(item)
        self._changed.wake_all()
        return item

    def close(self) -> None:
        """No more events will come; readers drain and stop."""
        self.closed = True
        self._changed.wake_all()

    @property
    def last(self) -> int:
        """The number of the newest event (0 before any)."""
        return self._last

    async def read(
        self, after: int, *, idle: float = math.inf, until: Until | None = None
    ) -> AsyncGenerator[FeedEvent | None, None]:
        """Events numbered above `after` until the feed closes; None after `idle` s of silence.

        While it waits, `until` is awaited too (see wakeup.py).
        """
        cursor = after
        while True:
            pending = [e for e in self._events if e.n > cursor]
            for item in pending:
                cursor = item.n
                yield item
            if self.closed:
                return
            if not pending and not await self._changed.wait(idle, until):
                yield None


class Topics(ABC):
    """Live events by topic, each topic numbered from 1 and read from a cursor."""

    @abstractmethod
    def publish(self, topic: str, event: str, data: dict[str, Any]) -> None:
        """Append to the topic (at once; never waits)."""

    @abstractmethod
    def close(self, topic: str) -> None:
        """No more events will come on `topic`: its readers drain and stop."""

    @abstractmethod
    def close_all(self) -> None:
        """End every reader in this process (at shutdown)."""

    @abstractmethod
    async def last(self, topic: str) -> int:
        """The number of the topic's newest event (0 before any)."""

    @abstractmethod
    def read(
        self, topic: str, after: int, *, idle: float = math.inf, until: Until | None = None
    ) -> AsyncGenerator[FeedEvent | None, None]:
        """Events numbered above `after` until the topic closes; None after `idle` s of silence.

        While it waits, `until` is awaited too (see wakeup.py).
        """

    async def start(self, tasks: TaskGroup) -> None:
        """Start in `tasks` whatever the topics run in the background."""
        return None


class FeedHub(Topics):
    """Feeds by topic in this process, made on first use."""

    def __init__(self, capacity: int = 256) -> None:
        self._feeds: dict[str, Feed] = {}
        self._capacity = capacity

    def feed(self, topic: str) -> Feed:
        """The feed of `topic`."""
        feed = self._feeds.get(topic)
        if feed is None or feed.closed:
            feed = self._feeds[topic] = Feed(self._capacity)
        return feed

    def publish(self, topic: str, event: str, data: dict[str, Any]) -> None:
        self.feed(topic).append(event, data)

    async def last(self, topic: str) -> int:
        return self.feed(topic).last

    def read(
        self, topic: str, after: int, *, idle: float = math.inf, until: Until | None = None
    ) -> AsyncGenerator[FeedEvent | None, None]:
        return self.feed(topic).read(after, idle=idle, until=until)

    def close(self, topic: str) -> None:
        feed = self._feeds.pop(topic, None)
        if feed is not None:
            feed.close()

    def close_all(self) -> None:
        for topic in list(self._feeds):
            self.close(topic)
