"""Topics in Redis: live events that every process publishes to and reads, through one broker.

    boardroom:topic:<topic>     stream  the last CAPACITY events, entry `<n>-0`: e, d (JSON)
    boardroom:topic:<topic>:n   string  the topic's last number

Publishing never waits: a writer task sends what piles up in order. Readers are served by
the process's reader fan-out like the streams of questions, so an idle reader holds no
connection. A closed topic gets a last entry with no event name, which ends its readers
in every process, and its keys expire a while later.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any

import anyio
from anyio.abc import TaskGroup

from service.streams.broker import BROKER_ERRORS, PREFIX, Broker, call_script
from service.streams.fanout import Fanout
from service.streams.feed import FeedEvent, Topics
from service.streams.wakeup import Until

log = logging.getLogger(__name__)

CAPACITY = 256
CLOSED_TTL_S = 60.0
"""How long a closed topic stays readable, for readers still catching up."""

_PUBLISH = """
local n = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], n .. '-0', 'e', ARGV[2], 'd', ARGV[3])
if ARGV[4] ~= '' then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
return n
"""


def _key(topic: str) -> str:
    return f"{PREFIX}topic:{topic}"


def _entry(entry_id: bytes, fields: dict[bytes, bytes]) -> FeedEvent:
    n = int(entry_id.split(b"-", 1)[0])
    return FeedEvent(n, fields[b"e"].decode(), json.loads(fields[b"d"]))


def _closing(item: FeedEvent) -> bool:
    return not item.event


class RedisTopics(Topics):
    """Topics every process sharing the broker publishes to and reads."""

    def __init__(self, broker: Broker, fanout: Fanout, capacity: int = CAPACITY) -> None:
        self.broker = broker
        self.redis = broker.redis
        self.fanout = fanout
        self.capacity = capacity
        self._publish = self.redis.register_script(_PUBLISH)
        self._outbox: list[tuple[str, str, str]] = []
        self._wake = anyio.Event()

    async def start(self, tasks: TaskGroup) -> None:
        tasks.start_soon(self._write_behind)

    def publish(self, topic: str, event: str, data: dict[str, Any]) -> None:
        self._outbox.append((topic, event, json.dumps(data, ensure_ascii=False)))
        self._wake.set()

    def close(self, topic: str) -> None:
        self._outbox.append((topic, "", "{}"))
        self._wake.set()

    def close_all(self) -> None:
        self.fanout.close(PREFIX + "topic:")

    async def last(self, topic: str) -> int:
        async with self.broker.unavailable("last"):
            raw = await self.redis.get(_key(topic) + ":n")
        return int(raw or 0)

    async def read(
        self, topic: str, after: int, *, idle: float = math.inf, until: Until | None = None
    ) -> AsyncGenerator[FeedEvent | None, None]:
        batches = self.fanout.read(_key(topic), after, _entry, _closing, idle=idle, until=until)
        async with aclosing(batches):
            async for batch in batches:
                if not batch:
                    yield None
                for item in batch:
                    if _closing(item):
                        return
                    yield item

    async def _write_behind(self) -> None:
        while True:
            await self._wake.wait()
            self._wake = anyio.Event()
            batch, self._outbox = self._outbox, []
            calls = [
                (
                    [_key(topic), _key(topic) + ":n"],
                    [self.capacity, event, data, "" if event else round(CLOSED_TTL_S * 1000)],
                )
                for topic, event, data in batch
            ]
            try:
                await call_script(self.redis, self._publish, calls)
            except BROKER_ERRORS as exc:
                self.broker.failed("publish")
                log.warning("lost %d topic events, the broker is unavailable: %s", len(batch), exc)
