"""The event log: where a stream's events live until `RETENTION_S` after its end.

The log is the buffer between the generator and its readers. The generator appends;
every reader walks the log from its own cursor, waiting for more. A slow reader holds
no queue and blocks nobody. The in-process log is `MemoryEventLog`; a Redis Streams log
implements the same interface for several processes.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import suppress
from dataclasses import dataclass

import anyio
from anyio.abc import TaskGroup

from service.errors import BoardroomError
from service.streams.events import CancelReason, Payload, StreamEvent, StreamInfo, StreamState
from service.streams.wakeup import Until


class StreamClosed(Exception):
    """An append after the stream's end, or after the log took its end out of our hands."""

    def __init__(self, stream_id: str, payload: Payload) -> None:
        super().__init__(f"stream {stream_id} already ended; {payload.event} dropped")


@dataclass(frozen=True, slots=True)
class Control:
    """What the runner of a stream needs to know to decide whether to go on."""

    subscribers: int
    attached: bool  # Whether anyone ever attached.
    cancel: CancelReason | None
    lost: bool = False
    """The log can write no more of the stream: it ended elsewhere, or the broker lost it."""


Listener = Callable[[str, Control], None]
"""Hears a stream's control change: its id, and its control now."""


class EventLog(ABC):
    """Append-only logs of stream events, with subscriber counts and cancel requests."""

    @abstractmethod
    async def create(
        self, stream_id: str, kind: str, board_id: str | None, question: str, client: str
    ) -> None:
        """Open a new, empty, running stream."""

    @abstractmethod
    async def append(self, stream_id: str, payload: Payload) -> StreamEvent:
        """Add an event; a terminal event also ends the stream. Appending after the end fails."""

    @abstractmethod
    def read(
        self, stream_id: str, after: int, *, idle: float = math.inf, until: Until | None = None
    ) -> AsyncGenerator[list[StreamEvent], None]:
        """Events numbered above `after`, in batches of what is there, until the terminal one.

        A reader that is behind gets everything it missed at once, so a fast generator
        costs a slow reader fewer wake-ups and fewer writes, never more memory. After
        `idle` seconds without an event, an empty batch says so (time for a heartbeat).
        Whenever it waits, it awaits `until` too (see wakeup.py), whose exception ends it.
        """

    @abstractmethod
    async def info(self, stream_id: str) -> StreamInfo | None:
        """The stream's status, or None if unknown or expired."""

    @abstractmethod
    async def streams(
        self, board_id: str | None = None, state: StreamState | None = None
    ) -> list[StreamInfo]:
        """Known streams, oldest first, optionally filtered."""

    @abstractmethod
    async def attach(self, stream_id: str) -> None:
        """Count one more subscriber."""

    @abstractmethod
    async def detach(self, stream_id: str) -> None:
        """Count one subscriber less."""

    @abstractmethod
    async def request_cancel(self, stream_id: str, reason: CancelReason) -> None:
        """Ask the stream's runner to stop; the first reason wins."""

    @abstractmethod
    async def control(self, stream_id: str) -> Control:
        """The subscriber count and cancel request now."""

    @abstractmethod
    def listen(self, stream_id: str, listener: Listener | None) -> None:
        """Call `listener` (on the event loop) whenever subscribers or the cancel request change."""

    @abstractmethod
    async def claim_key(self, key: str, stream_id: str, ttl: float) -> str:
        """Bind an idempotency key to `stream_id` unless bound already; return the bound id."""

    @abstractmethod
    async def release_key(self, key: str) -> None:
        """Unbind an idempotency key whose stream never started."""

    @abstractmethod
    async def expire(self) -> None:
        """Forget streams that ended more than the retention time ago."""

    @abstractmethod
    async def start(self, tasks: TaskGroup) -> None:
        """Connect, and start in `tasks` whatever the log runs in the background."""

    @abstractmethod
    async def aclose(self) -> None:
        """Release whatever the log holds open."""


class subscription:
    """Count one subscriber while it reads `log.read(stream_id, after)`.

    However the reader ends (its client gone, the stream over, a broker failure), the
    detach is not cancelled with it, so the runner always hears that a reader left. A
    class, not a generator-based context manager: it lives as long as its reader, and
    this way costs one small object (bench/memory).
    """

    __slots__ = ("_after", "_batches", "_idle", "_log", "_stream_id", "_until")

    def __init__(
        self,
        log: EventLog,
        stream_id: str,
        after: int,
        *,
        idle: float = math.inf,
        until: Until | None = None,
    ) -> None:
        self._log = log
        self._stream_id = stream_id
        self._after = after
        self._idle = idle
        self._until = until
        self._batches: AsyncGenerator[list[StreamEvent], None] | None = None

    async def __aenter__(self) -> AsyncIterator[list[StreamEvent]]:
        await self._log.attach(self._stream_id)
        try:
            self._batches = self._log.read(
                self._stream_id, self._after, idle=self._idle, until=self._until
            )
        except BaseException:
            await self._detach()
            raise
        return self._batches

    async def __aexit__(self, *exc: object) -> None:
        try:
            if self._batches is not None:
                await self._batches.aclose()
        finally:
            await self._detach()

    async def _detach(self) -> None:
        with anyio.CancelScope(shield=True), suppress(BoardroomError):
            await self._log.detach(self._stream_id)
