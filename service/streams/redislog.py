"""The event log in Redis: streams that several Boardroom processes share.

    boardroom:stream:<id>   hash     kind, board_id, question, client, created_at, state,
                                     finished_at, events, subscribers, attached, cancel
    boardroom:events:<id>   stream   entry `<n>-0` per event: e (name), d (JSON), w (its SSE
                                     bytes but the `id` line, which a reader puts in front)
    boardroom:streams       zset     every stream id by creation time, for listing
    boardroom:key:<key>     string   an idempotency key's stream id, with its time to live
    boardroom:control       channel  a stream id whose subscribers or cancel request changed

The process that creates a stream is its only writer: it numbers events itself and a
writer task sends them in pipelined batches (a stream made elsewhere is appended to by a
Lua script that numbers in Redis); either way numbers have no gaps and nothing follows
a terminal event. Readers block on XREAD from their own cursor. The process that runs a generation
hears of attach, detach and stop on the control channel, whichever process they came
through. A stream's keys expire `retention` seconds after its end.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any, cast

import anyio
import redis.asyncio as aioredis
from anyio.abc import TaskGroup
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from service.errors import ServiceUnavailable, StreamNotFound
from service.streams.events import (
    CancelReason,
    Payload,
    StreamEvent,
    StreamInfo,
    StreamState,
    decode,
    encode_body,
    to_json,
    with_id,
)
from service.streams.log import Control, EventLog, StreamClosed

log = logging.getLogger(__name__)

PREFIX = "boardroom:"
CHANNEL = PREFIX + "control"
MAX_BATCH = 512
MAX_BLOCK_MS = 60_000

_APPEND = """
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return -1 end
local n = redis.call('HINCRBY', KEYS[1], 'events', 1)
redis.call('XADD', KEYS[2], n .. '-0', 'e', ARGV[2], 'd', ARGV[4], 'w', ARGV[3])
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'state', ARGV[5], 'finished_at', ARGV[6])
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
end
return n
"""

_COUNT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local n = redis.call('HINCRBY', KEYS[1], 'subscribers', ARGV[1])
if n < 0 then redis.call('HSET', KEYS[1], 'subscribers', 0) end
if ARGV[1] == '1' then redis.call('HSET', KEYS[1], 'attached', 1) end
return n
"""

_CANCEL = """
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
if state == 'running' and redis.call('HGET', KEYS[1], 'cancel') == '' then
  redis.call('HSET', KEYS[1], 'cancel', ARGV[1])
  return 1
end
return 0
"""


def _meta(stream_id: str) -> str:
    return f"{PREFIX}stream:{stream_id}"


def _events(stream_id: str) -> str:
    return f"{PREFIX}events:{stream_id}"


@asynccontextmanager
async def _broker() -> AsyncIterator[None]:
    """Redis failures become 503s (or `error` events), never tracebacks to a client."""
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
        raise ServiceUnavailable(
            "the stream broker is unavailable; try again shortly", retry_after=2
        ) from exc


@dataclass
class _Writing:
    """A stream this process created, and so the only process that writes it."""

    n: int = 0
    ended: bool = False


@dataclass(frozen=True, slots=True)
class _Record:
    """An event as Redis keeps it: its payload, its JSON, its SSE body."""

    payload: Payload
    json: str
    body: bytes


class _Flush:
    """One batch of the writer task: done when Redis has it (or failed)."""

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.error: ServiceUnavailable | None = None


class RedisEventLog(EventLog):
    """Streams in Redis, kept `retention` seconds after their end."""

    def __init__(self, url: str, retention: float) -> None:
        self.url = url
        # PEXPIRE, at least 1 ms: a key deleted inside the append script itself would vanish
        # before the readers blocked on it were served the terminal event.
        self.retention_ms = max(1, round(retention * 1000))
        # The client's own annotations are looser than its behaviour; we convert at the edge.
        self.redis: Any = aioredis.Redis.from_url(url, decode_responses=False)
        self._append = self.redis.register_script(_APPEND)
        self._count = self.redis.register_script(_COUNT)
        self._cancel = self.redis.register_script(_CANCEL)
        self._listeners: dict[str, Callable[[Control], None]] = {}
        self._writing: dict[str, _Writing] = {}
        self._outbox: list[tuple[int, str, _Record]] = []
        self._flush = _Flush()
        self._wake = anyio.Event()

    async def start(self, tasks: TaskGroup) -> None:
        async with _broker():
            await self.redis.ping()
        await tasks.start(self._dispatch_control)
        tasks.start_soon(self._write_behind)

    async def _dispatch_control(self, *, task_status: Any = anyio.TASK_STATUS_IGNORED) -> None:
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(CHANNEL)
        task_status.started()
        try:
            while True:
                try:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
                except (RedisError, OSError):
                    log.warning("lost the stream broker's control channel; reconnecting")
                    await anyio.sleep(1)  # a reconnect pace, not a wait for an event
                    with suppress(RedisError, OSError):
                        await pubsub.subscribe(CHANNEL)
                    continue
                if message is None:
                    continue
                stream_id = message["data"].decode()
                listener = self._listeners.get(stream_id)
                if listener is None:
                    continue
                try:
                    control = await self.control(stream_id)
                except ServiceUnavailable as exc:
                    log.warning("stream %s: cannot read its control: %s", stream_id, exc.message)
                    continue
                listener(control)
        finally:
            with anyio.CancelScope(shield=True):
                await pubsub.aclose()

    async def aclose(self) -> None:
        await self.redis.aclose()

    async def create(
        self, stream_id: str, kind: str, board_id: str | None, question: str, client: str
    ) -> None:
        now = round(time.time(), 3)
        async with _broker():
            pipe = self.redis.pipeline(transaction=True)
            pipe.hset(
                _meta(stream_id),
                mapping={
                    "kind": kind,
                    "board_id": board_id or "",
                    "question": question,
                    "client": client,
                    "created_at": now,
                    "state": "running",
                    "finished_at": "",
                    "events": 0,
                    "subscribers": 0,
                    "attached": 0,
                    "cancel": "",
                },
            )
            pipe.zadd(PREFIX + "streams", {stream_id: now})
            await pipe.execute()
        self._writing[stream_id] = _Writing()

    async def append(self, stream_id: str, payload: Payload) -> StreamEvent:
        data_json = to_json(payload.data())
        record = _Record(payload, data_json, encode_body(payload.event, data_json))
        writing = self._writing.get(stream_id)
        if writing is not None:
            return await self._append_behind(stream_id, writing, record)
        # A stream another process created: number the event in Redis itself.
        async with _broker():
            n = await self._append(
                keys=[_meta(stream_id), _events(stream_id)],
                args=[
                    stream_id,
                    payload.event,
                    record.body,
                    record.json,
                    payload.state or "",
                    round(time.time(), 3),
                    self.retention_ms,
                ],
            )
        if n == -1:
            raise StreamClosed(stream_id, payload)
        return StreamEvent(stream_id, int(n), payload, with_id(f"{stream_id}:{n}", record.body))

    async def _append_behind(
        self, stream_id: str, writing: _Writing, record: _Record
    ) -> StreamEvent:
        # This process created the stream and is its only writer, so it numbers events
        # itself and lets the writer task send them in pipelined batches: a generation
        # does not wait a round trip per token. A terminal event waits for its batch, so
        # the stream's end is in Redis before the runner moves on.
        payload = record.payload
        if writing.ended:
            raise StreamClosed(stream_id, payload)
        writing.n += 1
        item = StreamEvent(
            stream_id, writing.n, payload, with_id(f"{stream_id}:{writing.n}", record.body)
        )
        flush = self._flush
        self._outbox.append((item.n, stream_id, record))
        self._wake.set()
        if payload.state is not None:
            writing.ended = True
            await flush.done.wait()
            self._writing.pop(stream_id, None)
            if flush.error is not None:
                raise flush.error
        return item

    async def _write_behind(self) -> None:
        while True:
            await self._wake.wait()
            self._wake = anyio.Event()
            batch, self._outbox = self._outbox, []
            flush, self._flush = self._flush, _Flush()
            try:
                await self._send(batch)
            except ServiceUnavailable as exc:
                flush.error = exc
                log.warning("lost %d stream events: %s", len(batch), exc.message)
            finally:
                flush.done.set()

    async def _send(self, batch: list[tuple[int, str, _Record]]) -> None:
        if not batch:
            return
        now = round(time.time(), 3)
        last: dict[str, tuple[int, StreamState | None]] = {}
        pipe = self.redis.pipeline(transaction=False)
        for n, stream_id, record in batch:
            pipe.xadd(
                _events(stream_id),
                {"e": record.payload.event, "d": record.json, "w": record.body},
                id=f"{n}-0",
            )
            last[stream_id] = (n, record.payload.state)
        for stream_id, (n, state) in last.items():
            fields: dict[str, Any] = {"events": n}
            if state:
                fields.update(state=state, finished_at=now)
            pipe.hset(_meta(stream_id), mapping=fields)
            if state:
                # The expiry goes last: a write after it could find the key already gone
                # and create a fresh one that never expires.
                pipe.pexpire(_meta(stream_id), self.retention_ms)
                pipe.pexpire(_events(stream_id), self.retention_ms)
        async with _broker():
            await pipe.execute()

    async def read(
        self, stream_id: str, after: int, *, idle: float = math.inf
    ) -> AsyncGenerator[list[StreamEvent], None]:
        if await self.info(stream_id) is None:
            raise StreamNotFound(stream_id)
        key = _events(stream_id)
        cursor = after
        block = MAX_BLOCK_MS if math.isinf(idle) else max(1, int(idle * 1000))
        while True:
            async with _broker():
                found = await self.redis.xread({key: f"{cursor}-0"}, count=MAX_BATCH, block=block)
            if not found:
                if not math.isinf(idle):
                    yield []
                elif await self.info(stream_id) is None:
                    return  # expired while we waited
                continue
            batch = [_entry(stream_id, entry_id, fields) for entry_id, fields in found[0][1]]
            cursor = batch[-1].n
            yield batch
            if batch[-1].terminal:
                return

    async def info(self, stream_id: str) -> StreamInfo | None:
        async with _broker():
            meta = await self.redis.hgetall(_meta(stream_id))
        return _info(stream_id, meta) if meta else None

    async def streams(
        self, board_id: str | None = None, state: StreamState | None = None
    ) -> list[StreamInfo]:
        async with _broker():
            ids = [i.decode() for i in await self.redis.zrange(PREFIX + "streams", 0, -1)]
            pipe = self.redis.pipeline(transaction=False)
            for stream_id in ids:
                pipe.hgetall(_meta(stream_id))
            metas = await pipe.execute()
        infos = [_info(sid, meta) for sid, meta in zip(ids, metas, strict=True) if meta]
        found = [info for info in infos if info is not None]
        return [
            i
            for i in found
            if (board_id is None or i.board_id == board_id) and (state is None or i.state == state)
        ]

    async def attach(self, stream_id: str) -> None:
        async with _broker():
            if await self._count(keys=[_meta(stream_id)], args=[1]) == -1:
                raise StreamNotFound(stream_id)
            await self.redis.publish(CHANNEL, stream_id)

    async def detach(self, stream_id: str) -> None:
        async with _broker():
            await self._count(keys=[_meta(stream_id)], args=[-1])
            await self.redis.publish(CHANNEL, stream_id)

    async def request_cancel(self, stream_id: str, reason: CancelReason) -> None:
        async with _broker():
            changed = await self._cancel(keys=[_meta(stream_id)], args=[reason])
            if changed == -1:
                raise StreamNotFound(stream_id)
            if changed == 1:
                await self.redis.publish(CHANNEL, stream_id)

    async def control(self, stream_id: str) -> Control:
        async with _broker():
            subscribers, attached, cancel = await self.redis.hmget(
                _meta(stream_id), ["subscribers", "attached", "cancel"]
            )
        reason = cast(CancelReason, cancel.decode()) if cancel else None
        return Control(int(subscribers or 0), attached == b"1", reason)

    def listen(self, stream_id: str, listener: Callable[[Control], None] | None) -> None:
        if listener is None:
            self._listeners.pop(stream_id, None)
        else:
            self._listeners[stream_id] = listener

    async def claim_key(self, key: str, stream_id: str, ttl: float) -> str:
        name = f"{PREFIX}key:{key}"
        seconds = max(1, math.ceil(ttl))
        async with _broker():
            if await self.redis.set(name, stream_id, nx=True, ex=seconds):
                return stream_id
            bound = await self.redis.get(name)
            if bound is not None and await self.redis.exists(_meta(bound.decode())):
                return str(bound.decode())
            await self.redis.set(name, stream_id, ex=seconds)
        return stream_id

    async def release_key(self, key: str) -> None:
        async with _broker():
            await self.redis.delete(f"{PREFIX}key:{key}")

    async def expire(self) -> None:
        async with _broker():
            ids = await self.redis.zrange(PREFIX + "streams", 0, -1)
            pipe = self.redis.pipeline(transaction=False)
            for stream_id in ids:
                pipe.exists(_meta(stream_id.decode()))
            alive = await pipe.execute()
            gone = [sid for sid, exists in zip(ids, alive, strict=True) if not exists]
            if gone:
                await self.redis.zrem(PREFIX + "streams", *gone)


def _entry(stream_id: str, entry_id: bytes, fields: dict[bytes, bytes]) -> StreamEvent:
    n = int(entry_id.split(b"-", 1)[0])
    item = decode(fields[b"e"].decode(), json.loads(fields[b"d"]))
    return StreamEvent(stream_id, n, item, with_id(f"{stream_id}:{n}", fields[b"w"]))


def _info(stream_id: str, meta: dict[bytes, bytes]) -> StreamInfo | None:
    text = {k.decode(): v.decode() for k, v in meta.items()}
    if "kind" not in text:
        return None  # not a stream record (a key caught half-expired)
    return StreamInfo(
        stream_id,
        text["kind"],
        text["board_id"] or None,
        text["question"],
        text["client"],
        cast(StreamState, text["state"]),
        int(text["events"]),
        int(text["subscribers"]),
        float(text["created_at"]),
        float(text["finished_at"]) if text["finished_at"] else None,
    )
