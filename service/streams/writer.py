"""Writing stream events to Redis: write-behind batches for the streams this process runs.

The process that creates a stream is its only writer while its lease holds: it numbers
events itself, and one writer task sends what has piled up as one script call per stream
(checked: nothing is written to a stream that has ended, say as `worker_lost` after this
process's lease lapsed). Readers here get a batch once Redis has it, without reading it
back. A batch Redis did not take breaks its streams: nothing more of them is sent (no
gap), their readers get an error, and their end is written once Redis is back. Anyone
else (a sweeper ending a dead worker's stream) appends with a script that numbers the
event in Redis from the stream's last entry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import anyio

from service.streams.broker import BROKER_ERRORS, PREFIX, Broker, ScriptCall, call_script
from service.streams.coalesce import while_growing
from service.streams.events import Failed, Payload, StreamEvent, encode_body, to_json, with_id
from service.streams.fanout import Fanout, broken
from service.streams.lease import lease_key, running_key
from service.streams.log import StreamClosed

log = logging.getLogger(__name__)

BROKER_LOST = Failed(
    "unavailable", "the stream broker was unavailable; the answer was lost", retryable=True
)

_WRITE = """
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
if state ~= 'running' then return 0 end
local last = 0
for i = 5, #ARGV, 2 do
  redis.call('XADD', KEYS[2], ARGV[i] .. '-0', 'w', ARGV[i + 1])
  last = ARGV[i]
end
redis.call('HSET', KEYS[1], 'events', last)
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], 'state', ARGV[3], 'finished_at', ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
return 1
"""

# KEYS: meta, events, the owner's running set, the owner's lease (checked if ARGV[6] == '1')
# ARGV: stream id, body, terminal state or '', now, retention ms, if lapsed
_APPEND = """
if ARGV[6] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then return -2 end
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then
  redis.call('SREM', KEYS[3], ARGV[1])
  return -1
end
local n = tonumber(redis.call('HGET', KEYS[1], 'events'))
local top = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
if top then n = math.max(n, tonumber(string.match(top[1], '^%d+'))) end
n = n + 1
redis.call('XADD', KEYS[2], n .. '-0', 'w', ARGV[2])
redis.call('HSET', KEYS[1], 'events', n)
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], 'state', ARGV[3], 'finished_at', ARGV[4])
  redis.call('SREM', KEYS[3], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
return n
"""


def meta_key(stream_id: str) -> str:
    """A stream's record (a hash)."""
    return f"{PREFIX}stream:{stream_id}"


def events_key(stream_id: str) -> str:
    """A stream's events (a Redis stream)."""
    return f"{PREFIX}events:{stream_id}"


@dataclass(frozen=True, slots=True)
class Record:
    """An event as Redis keeps it: its SSE body but the `id` line, its name and JSON within."""

    payload: Payload
    body: bytes

    @classmethod
    def of(cls, payload: Payload) -> Record:
        """The record of a payload, encoded once."""
        return cls(payload, encode_body(payload.event, to_json(payload.data())))


@dataclass
class _Writing:
    """A stream this process created, and so the only process that writes it."""

    n: int = 0
    ended: bool = False
    lost: bool = False
    """Its end is not ours to write any more: it ended elsewhere, or Redis lost it."""


class _Flush:
    """One batch of the writer task: done when Redis has answered (or failed)."""

    def __init__(self) -> None:
        self.done = anyio.Event()


Lost = Callable[[str], None]


class Writer:
    """Sends the events of this process's streams, and appends to anyone's."""

    def __init__(self, broker: Broker, fanout: Fanout, retention_ms: int, lost: Lost) -> None:
        self.broker = broker
        self.redis = broker.redis
        # The batches have a connection of their own: a generation never waits for one
        # behind a burst of readers' commands on the pool.
        self.sending = broker.dedicated()
        self.worker = broker.worker
        self.fanout = fanout
        self.retention_ms = retention_ms
        self._lost = lost
        self._write = self.redis.register_script(_WRITE)
        self._append = self.redis.register_script(_APPEND)
        self._writing: dict[str, _Writing] = {}
        self._outbox: list[tuple[StreamEvent, Record]] = []
        self._flush = _Flush()
        self._wake = anyio.Event()
        self._unfinished: set[str] = set()
        """Broken streams whose error terminal waits for Redis to come back."""

    def owns(self, stream_id: str) -> bool:
        """Whether this process writes the stream."""
        return stream_id in self._writing

    def running(self) -> list[str]:
        """The streams this process writes that have not ended."""
        return [sid for sid, w in self._writing.items() if not w.ended and not w.lost]

    def start_writing(self, stream_id: str) -> None:
        """This process created the stream: from now on it numbers and sends its events."""
        self._writing[stream_id] = _Writing()
        self.fanout.set_local(events_key(stream_id), True)

    async def append_behind(self, stream_id: str, record: Record) -> StreamEvent | None:
        """Queue an event of a stream this process writes; None if it is not one of them.

        A terminal event waits for its batch, so the stream's end is in Redis before the
        runner moves on.
        """
        writing = self._writing.get(stream_id)
        if writing is None:
            return None
        payload = record.payload
        if writing.ended or writing.lost:
            if payload.state is not None:  # the runner's last word: forget the stream
                self._stop_writing(stream_id)
            raise StreamClosed(stream_id, payload)
        writing.n += 1
        wire = with_id(f"{stream_id}:{writing.n}", record.body)
        item = StreamEvent(stream_id, writing.n, wire, payload.state is not None)
        flush = self._flush
        self._outbox.append((item, record))
        self._wake.set()
        if payload.state is not None:
            writing.ended = True
            await flush.done.wait()
            self._stop_writing(stream_id)
            if writing.lost:
                raise StreamClosed(stream_id, payload)
        return item

    def _stop_writing(self, stream_id: str) -> None:
        self._writing.pop(stream_id, None)
        self.fanout.set_local(events_key(stream_id), False)

    async def run(self) -> None:
        """Send what piles up, batch after batch, for the lifespan's whole life."""
        try:
            while True:
                await self._wake.wait()
                # Each batch costs a round trip: while streams keep appending, wait a
                # few turns, so that under load one batch carries many events.
                await while_growing(lambda: len(self._outbox))
                self._wake = anyio.Event()
                batch, self._outbox = self._outbox, []
                flush, self._flush = self._flush, _Flush()
                try:
                    await self._send(batch)
                finally:
                    flush.done.set()
        finally:
            with anyio.CancelScope(shield=True), suppress(*BROKER_ERRORS):
                await self.sending.aclose()

    async def _send(self, batch: list[tuple[StreamEvent, Record]]) -> None:
        by_stream: dict[str, list[tuple[StreamEvent, Record]]] = {}
        for item, record in batch:
            writing = self._writing.get(item.stream_id)
            if writing is not None and not writing.lost:  # a broken stream sends nothing more
                by_stream.setdefault(item.stream_id, []).append((item, record))
        if not by_stream:
            return
        now = round(time.time(), 3)
        calls: list[ScriptCall] = []
        for stream_id, items in by_stream.items():
            args: list[Any] = [now, self.retention_ms, items[-1][1].payload.state or "", stream_id]
            for item, record in items:
                args += [item.n, record.body]
            keys = [meta_key(stream_id), events_key(stream_id), running_key(self.worker)]
            calls.append((keys, args))
        try:
            results = await call_script(self.sending, self._write, calls)
        except BROKER_ERRORS as exc:
            self.broker.failed("write")
            log.warning("the stream broker failed; %d streams broken: %s", len(by_stream), exc)
            for stream_id in by_stream:
                self._break(stream_id, unfinished=True)
            return
        for (stream_id, items), result in zip(by_stream.items(), results, strict=True):
            key = events_key(stream_id)
            if result == 1:
                self.fanout.deliver(key, [item for item, _ in items])
            elif result == 0:
                log.warning(
                    "stream %s was ended elsewhere (this process's lease lapsed)", stream_id
                )
                self._mark_lost(stream_id)
                self.fanout.set_local(key, False)  # its readers read its end from Redis
            else:
                log.warning("stream %s is gone from the broker", stream_id)
                self._break(stream_id, unfinished=False)

    def _mark_lost(self, stream_id: str) -> None:
        writing = self._writing.get(stream_id)
        if writing is not None and not writing.lost:
            writing.lost = True
            self._lost(stream_id)

    def _break(self, stream_id: str, *, unfinished: bool) -> None:
        self._mark_lost(stream_id)
        self.fanout.fail(events_key(stream_id), broken())
        if unfinished:
            self._unfinished.add(stream_id)

    async def check_running(self) -> None:
        """After this process's lease lapsed: stop the streams that were ended meanwhile."""
        ids = self.running()
        if not ids:
            return
        pipe = self.redis.pipeline(transaction=False)
        for stream_id in ids:
            pipe.hget(meta_key(stream_id), "state")
        states = await pipe.execute()
        for stream_id, state in zip(ids, states, strict=True):
            if state is None:
                self._break(stream_id, unfinished=False)
            elif state != b"running":
                self._mark_lost(stream_id)
                self.fanout.set_local(events_key(stream_id), False)

    async def finish_unfinished(self) -> None:
        """Write the error terminal of streams a broker failure broke, once it is back."""
        for stream_id in list(self._unfinished):
            with suppress(StreamClosed):  # ended meanwhile, or gone with the broker's data
                await self.append_numbered(stream_id, Record.of(BROKER_LOST), self.worker)
            self._unfinished.discard(stream_id)

    async def append_numbered(
        self, stream_id: str, record: Record, owner: str, *, if_lapsed: bool = False
    ) -> StreamEvent:
        """Append numbering in Redis; with `if_lapsed`, only if `owner`'s lease is gone."""
        payload = record.payload
        n = await self._append(
            keys=[meta_key(stream_id), events_key(stream_id), running_key(owner), lease_key(owner)],
            args=[
                stream_id,
                record.body,
                payload.state or "",
                round(time.time(), 3),
                self.retention_ms,
                "1" if if_lapsed else "0",
            ],
        )
        if n < 0:
            raise StreamClosed(stream_id, payload)
        wire = with_id(f"{stream_id}:{n}", record.body)
        return StreamEvent(stream_id, int(n), wire, payload.state is not None)
