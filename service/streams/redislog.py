"""The event log in Redis: streams that several Boardroom processes share.

    boardroom:stream:<id>   hash     kind, board_id, question, client, created_at, state,
                                     finished_at, events, subscribers, attached, cancel,
                                     worker (the process generating it)
    boardroom:events:<id>   stream   entry `<n>-0` per event: w, its SSE bytes but the `id`
                                     line (a reader puts that in front, and reads the name
                                     and JSON from them)
    boardroom:streams       zset     every stream id by creation time, for listing
    boardroom:key:<key>     string   an idempotency key's `<stream id>|<claimed at>`
    boardroom:control       channel  a stream id whose subscribers or cancel request changed

The parts: writer.py sends this process's events in batches, fanout.py serves every
reader of the process from one blocking read, lease.py keeps the process's lease and
ends the streams of processes whose lease lapsed (`error {code: worker_lost}`). The
process that runs a generation hears of attach, detach and stop on the control channel,
whichever process they came through. A stream's keys expire `retention` seconds after
its end.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import AsyncGenerator
from contextlib import aclosing, suppress
from typing import Any, cast

import anyio
from anyio.abc import TaskGroup

from service.errors import ServiceUnavailable, StreamNotFound
from service.metrics import Metrics
from service.streams.broker import BROKER_ERRORS, PREFIX, Broker
from service.streams.events import (
    TERMINAL,
    CancelReason,
    Failed,
    Payload,
    StreamEvent,
    StreamInfo,
    StreamState,
    split_body,
    with_id,
)
from service.streams.fanout import Fanout
from service.streams.lease import LEASE_TTL_S, TICK_S, WORKERS, Lease, running_key
from service.streams.log import Control, EventLog, Listener, StreamClosed
from service.streams.wakeup import Until
from service.streams.writer import Record, Writer, events_key, meta_key

log = logging.getLogger(__name__)

CHANNEL = PREFIX + "control"
CLAIM_WAIT_S = 5.0
"""How long a key's claimant may take to create its stream before another takes the key."""

WORKER_LOST = Failed(
    "worker_lost",
    "the process generating this answer stopped; ask again",
    retryable=True,
)

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

_TAKE_OVER = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
"""


class RedisEventLog(EventLog):
    """Streams in Redis, kept `retention` seconds after their end."""

    def __init__(
        self,
        url: str,
        retention: float,
        *,
        lease_ttl: float = LEASE_TTL_S,
        tick: float = TICK_S,
        metrics: Metrics | None = None,
    ) -> None:
        self.url = url
        self.broker = Broker(url, metrics)
        self.redis = self.broker.redis
        # PEXPIRE, at least 1 ms: a key deleted inside the append script itself would vanish
        # before the readers blocked on it were served the terminal event.
        retention_ms = max(1, round(retention * 1000))
        self.fanout = Fanout(self.broker)
        self.writer = Writer(self.broker, self.fanout, retention_ms, self._lost)
        self.lease = Lease(
            self.broker,
            reap=self._reap,
            lapsed=self.writer.check_running,
            tick=self.writer.finish_unfinished,
            ttl=lease_ttl,
            every=tick,
        )
        self._count = self.redis.register_script(_COUNT)
        self._cancel = self.redis.register_script(_CANCEL)
        self._take_over = self.redis.register_script(_TAKE_OVER)
        self._listeners: dict[str, Listener] = {}

    async def start(self, tasks: TaskGroup) -> None:
        async with self.broker.unavailable("start"):
            await self.redis.ping()
            await self.lease.renew()
        await tasks.start(self.fanout.run)
        await tasks.start(self._dispatch_control)
        tasks.start_soon(self.writer.run)
        tasks.start_soon(self.lease.run)

    async def _dispatch_control(self, *, task_status: Any = anyio.TASK_STATUS_IGNORED) -> None:
        client = self.broker.dedicated()
        pubsub = client.pubsub()
        await pubsub.subscribe(CHANNEL)
        task_status.started()
        try:
            while True:
                try:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
                except BROKER_ERRORS:
                    self.broker.failed("control")
                    log.warning("lost the stream broker's control channel; reconnecting")
                    await anyio.sleep(1)  # a reconnect pace, not a wait for an event
                    with suppress(*BROKER_ERRORS):
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
                listener(stream_id, control)
        finally:
            with anyio.CancelScope(shield=True):
                await pubsub.aclose()
                await client.aclose()

    def _lost(self, stream_id: str) -> None:
        listener = self._listeners.get(stream_id)
        if listener is not None:
            listener(stream_id, Control(0, True, None, lost=True))

    async def _reap(self, worker: str, stream_ids: list[str]) -> None:
        record = Record.of(WORKER_LOST)
        for stream_id in stream_ids:
            with suppress(StreamClosed):  # ended already, or its worker is back
                await self.writer.append_numbered(stream_id, record, worker, if_lapsed=True)

    async def aclose(self) -> None:
        await self.lease.redis.aclose()
        await self.broker.aclose()

    async def create(
        self, stream_id: str, kind: str, board_id: str | None, question: str, client: str
    ) -> None:
        now = round(time.time(), 3)
        worker = self.broker.worker
        async with self.broker.unavailable("create"):
            pipe = self.redis.pipeline(transaction=True)
            pipe.hset(
                meta_key(stream_id),
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
                    "worker": worker,
                },
            )
            pipe.zadd(PREFIX + "streams", {stream_id: now})
            pipe.sadd(running_key(worker), stream_id)
            pipe.sadd(WORKERS, worker)
            await pipe.execute()
        self.writer.start_writing(stream_id)

    async def append(self, stream_id: str, payload: Payload) -> StreamEvent:
        record = Record.of(payload)
        item = await self.writer.append_behind(stream_id, record)
        if item is not None:
            return item
        # A stream another process created: number the event in Redis itself.
        async with self.broker.unavailable("append"):
            owner = await self.redis.hget(meta_key(stream_id), "worker")
            return await self.writer.append_numbered(
                stream_id, record, owner.decode() if owner else ""
            )

    async def read(
        self, stream_id: str, after: int, *, idle: float = math.inf, until: Until | None = None
    ) -> AsyncGenerator[list[StreamEvent], None]:
        if await self.info(stream_id) is None:
            raise StreamNotFound(stream_id)

        def entry(entry_id: bytes, fields: dict[bytes, bytes]) -> StreamEvent:
            return _entry(stream_id, entry_id, fields)

        batches = self.fanout.read(
            events_key(stream_id), after, entry, _terminal, idle=idle, until=until
        )
        async with aclosing(batches):
            async for batch in batches:
                yield batch

    async def info(self, stream_id: str) -> StreamInfo | None:
        async with self.broker.unavailable("info"):
            meta = await self.redis.hgetall(meta_key(stream_id))
        return _info(stream_id, meta) if meta else None

    async def streams(
        self, board_id: str | None = None, state: StreamState | None = None
    ) -> list[StreamInfo]:
        async with self.broker.unavailable("streams"):
            ids = [i.decode() for i in await self.redis.zrange(PREFIX + "streams", 0, -1)]
            pipe = self.redis.pipeline(transaction=False)
            for stream_id in ids:
                pipe.hgetall(meta_key(stream_id))
            metas = await pipe.execute()
        infos = [_info(sid, meta) for sid, meta in zip(ids, metas, strict=True) if meta]
        found = [info for info in infos if info is not None]
        return [
            i
            for i in found
            if (board_id is None or i.board_id == board_id) and (state is None or i.state == state)
        ]

    async def attach(self, stream_id: str) -> None:
        async with self.broker.unavailable("attach"):
            if await self._count(keys=[meta_key(stream_id)], args=[1]) == -1:
                raise StreamNotFound(stream_id)
            await self.redis.publish(CHANNEL, stream_id)

    async def detach(self, stream_id: str) -> None:
        async with self.broker.unavailable("detach"):
            await self._count(keys=[meta_key(stream_id)], args=[-1])
            await self.redis.publish(CHANNEL, stream_id)

    async def request_cancel(self, stream_id: str, reason: CancelReason) -> None:
        async with self.broker.unavailable("request_cancel"):
            changed = await self._cancel(keys=[meta_key(stream_id)], args=[reason])
            if changed == -1:
                raise StreamNotFound(stream_id)
            if changed == 1:
                await self.redis.publish(CHANNEL, stream_id)

    async def control(self, stream_id: str) -> Control:
        async with self.broker.unavailable("control"):
            subscribers, attached, cancel = await self.redis.hmget(
                meta_key(stream_id), ["subscribers", "attached", "cancel"]
            )
        reason = cast(CancelReason, cancel.decode()) if cancel else None
        return Control(int(subscribers or 0), attached == b"1", reason)

    def listen(self, stream_id: str, listener: Listener | None) -> None:
        if listener is None:
            self._listeners.pop(stream_id, None)
        else:
            self._listeners[stream_id] = listener

    async def claim_key(self, key: str, stream_id: str, ttl: float) -> str:
        name = f"{PREFIX}key:{key}"
        seconds = max(1, math.ceil(ttl))
        mine = f"{stream_id}|{time.time():.3f}"
        async with self.broker.unavailable("claim_key"):
            while True:
                if await self.redis.set(name, mine, nx=True, ex=seconds):
                    return stream_id
                raw = await self.redis.get(name)
                if raw is None:
                    continue  # released meanwhile: claim it again
                bound, _, claimed = raw.decode().partition("|")
                if await self.redis.exists(meta_key(bound)):
                    return str(bound)
                if time.time() - float(claimed or 0) > CLAIM_WAIT_S:
                    # Its claimant never created the stream (it died, or the stream is
                    # long gone): take the key, unless someone else just did.
                    if await self._take_over(keys=[name], args=[raw, mine, seconds]):
                        return stream_id
                    continue
                # Another request is creating that stream right now, a few milliseconds
                # of work: wait for it rather than start a second generation.
                await anyio.sleep(0.01)

    async def release_key(self, key: str) -> None:
        async with self.broker.unavailable("release_key"):
            await self.redis.delete(f"{PREFIX}key:{key}")

    async def expire(self) -> None:
        async with self.broker.unavailable("expire"):
            ids = await self.redis.zrange(PREFIX + "streams", 0, -1)
            pipe = self.redis.pipeline(transaction=False)
            for stream_id in ids:
                pipe.exists(meta_key(stream_id.decode()))
            alive = await pipe.execute()
            gone = [sid for sid, exists in zip(ids, alive, strict=True) if not exists]
            if gone:
                await self.redis.zrem(PREFIX + "streams", *gone)


def _terminal(item: StreamEvent) -> bool:
    return item.terminal


def _entry(stream_id: str, entry_id: bytes, fields: dict[bytes, bytes]) -> StreamEvent:
    n = int(entry_id.split(b"-", 1)[0])
    body = fields[b"w"]  # b"event: <name>\ndata: <json>\n\n"
    terminal = split_body(body)[0] in TERMINAL
    return StreamEvent(stream_id, n, with_id(f"{stream_id}:{n}", body), terminal)


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
