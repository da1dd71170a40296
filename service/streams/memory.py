"""The in-process event log: plain lists, woken readers, and a clock for retention."""

from __future__ import annotations

import math
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field

from anyio.abc import TaskGroup

from service.errors import StreamNotFound
from service.streams.coalesce import while_growing
from service.streams.events import CancelReason, Payload, StreamEvent, StreamInfo, StreamState
from service.streams.log import Control, EventLog, Listener, StreamClosed
from service.streams.wakeup import Until, Wakeup


@dataclass(slots=True)
class _Stream:
    stream_id: str
    kind: str
    board_id: str | None
    question: str
    client: str
    created_at: float
    events: list[bytes] = field(default_factory=list)
    """Each event's SSE bytes, and nothing more: what a reader needs, and the least to keep."""
    state: StreamState = "running"
    finished_at: float | None = None
    ended_monotonic: float | None = None
    subscribers: int = 0
    attached: bool = False
    cancel: CancelReason | None = None
    appended: Wakeup = field(default_factory=Wakeup)
    listener: Listener | None = None

    def info(self) -> StreamInfo:
        return StreamInfo(
            self.stream_id,
            self.kind,
            self.board_id,
            self.question,
            self.client,
            self.state,
            len(self.events),
            self.subscribers,
            self.created_at,
            self.finished_at,
        )

    def control(self) -> Control:
        return Control(self.subscribers, self.attached, self.cancel)

    def wake_control(self) -> None:
        if self.listener is not None:
            self.listener(self.stream_id, self.control())


MAX_BATCH = 512


def _events(stream: _Stream, start: int, end: int, ended: bool) -> list[StreamEvent]:
    """The stream's events `start` to `end` (list indices), the last one terminal if `ended`."""
    wires, last = stream.events, end - 1 if ended else -1
    return [StreamEvent(stream.stream_id, n + 1, wires[n], n == last) for n in range(start, end)]


class MemoryEventLog(EventLog):
    """Every stream of this process, kept `retention` seconds after its end."""

    def __init__(self, retention: float) -> None:
        self.retention = retention
        self._streams: dict[str, _Stream] = {}
        self._keys: dict[str, tuple[str, float]] = {}

    def _get(self, stream_id: str) -> _Stream:
        stream = self._streams.get(stream_id)
        if stream is None:
            raise StreamNotFound(stream_id)
        return stream

    async def create(
        self, stream_id: str, kind: str, board_id: str | None, question: str, client: str
    ) -> None:
        self._streams[stream_id] = _Stream(
            stream_id, kind, board_id, question, client, round(time.time(), 3)
        )

    async def append(self, stream_id: str, payload: Payload) -> StreamEvent:
        stream = self._get(stream_id)
        if stream.state != "running":
            raise StreamClosed(stream_id, payload)
        item = StreamEvent.make(stream_id, len(stream.events) + 1, payload)
        stream.events.append(item.wire)
        if payload.state is not None:
            stream.state = payload.state
            stream.finished_at = round(time.time(), 3)
            stream.ended_monotonic = time.monotonic()
        stream.appended.wake_all()
        return item

    async def read(
        self, stream_id: str, after: int, *, idle: float = math.inf, until: Until | None = None
    ) -> AsyncGenerator[list[StreamEvent], None]:
        stream = self._get(stream_id)
        cursor = after  # Events are numbered from 1 in list order: the cursor is an index.
        first = True
        while True:
            if cursor < len(stream.events):
                if not first:  # the first write goes out at once
                    await while_growing(lambda: len(stream.events))
                first = False
                end = min(len(stream.events), cursor + MAX_BATCH)
                ended = end == len(stream.events) and stream.state != "running"
                # Made for this write and not kept: a waiting reader holds no events.
                yield _events(stream, cursor, end, ended)
                if ended:
                    return
                cursor = end
                continue
            if stream.state != "running":
                return
            if not await stream.appended.wait(idle, until):
                yield []

    async def info(self, stream_id: str) -> StreamInfo | None:
        stream = self._streams.get(stream_id)
        return None if stream is None else stream.info()

    async def streams(
        self, board_id: str | None = None, state: StreamState | None = None
    ) -> list[StreamInfo]:
        return [
            s.info()
            for s in self._streams.values()
            if (board_id is None or s.board_id == board_id) and (state is None or s.state == state)
        ]

    async def attach(self, stream_id: str) -> None:
        stream = self._get(stream_id)
        stream.subscribers += 1
        stream.attached = True
        stream.wake_control()

    async def detach(self, stream_id: str) -> None:
        stream = self._streams.get(stream_id)
        if stream is not None:
            stream.subscribers = max(0, stream.subscribers - 1)
            stream.wake_control()

    async def request_cancel(self, stream_id: str, reason: CancelReason) -> None:
        stream = self._get(stream_id)
        if stream.cancel is None and stream.state == "running":
            stream.cancel = reason
            stream.wake_control()

    async def control(self, stream_id: str) -> Control:
        return self._get(stream_id).control()

    def listen(self, stream_id: str, listener: Listener | None) -> None:
        stream = self._streams.get(stream_id)
        if stream is not None:
            stream.listener = listener

    async def claim_key(self, key: str, stream_id: str, ttl: float) -> str:
        now = time.monotonic()
        bound = self._keys.get(key)
        if bound is not None and bound[1] > now and bound[0] in self._streams:
            return bound[0]
        self._keys[key] = (stream_id, now + ttl)
        return stream_id

    async def start(self, tasks: TaskGroup) -> None:
        return None  # nothing to connect to, nothing to run

    async def release_key(self, key: str) -> None:
        self._keys.pop(key, None)

    async def aclose(self) -> None:
        self._streams.clear()
        self._keys.clear()

    async def expire(self) -> None:
        now = time.monotonic()
        for stream_id, stream in list(self._streams.items()):
            if (
                stream.ended_monotonic is not None
                and now - stream.ended_monotonic >= self.retention
            ):
                del self._streams[stream_id]
        for key, (_, deadline) in list(self._keys.items()):
            if deadline <= now:
                del self._keys[key]
