"""One Redis reading loop per process, serving every reader of every Redis stream in it.

    readers ──join(key, after)──► Watch (per key: recent entries, an event to wait on)
                                    ▲                ▲
    the loop: XREAD BLOCK over ─────┘                └── this process's writer, once its
    every watched key another                             batch is in Redis (no read back)
    process writes

A reader first reads what it missed with XRANGE (a short command on the pool), then waits
on its watch. The loop holds the process's one blocking connection, so the connections
of a process stay constant as readers grow. A new key interrupts the loop's XREAD through
a small wake stream of the process's own, whose last id the loop reads after: a wake sent
while the loop is between two reads is never lost.
"""

from __future__ import annotations

import logging
import math
from collections.abc import AsyncGenerator, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import anyio
import anyio.abc
import anyio.lowlevel

from service.errors import BoardroomError, ServiceUnavailable
from service.streams.broker import BROKER_ERRORS, PREFIX, Broker
from service.streams.coalesce import while_growing
from service.streams.wakeup import Until, Wakeup

log = logging.getLogger(__name__)

MAX_BATCH = 512
KEEP = 4 * MAX_BATCH
"""Recent entries a watch keeps for its readers; one further behind reads from Redis."""
BLOCK_MS = 10_000
RECONNECT_S = (0.2, 0.5, 1.0, 2.0, 5.0)


class Numbered(Protocol):
    """An entry that knows its number within its key (its Redis id is `<n>-0`)."""

    @property
    def n(self) -> int: ...


T = TypeVar("T", bound=Numbered)
Decode = Callable[[bytes, dict[bytes, bytes]], T]


def broken() -> ServiceUnavailable:
    """What a reader gets when the broker goes away under it."""
    return ServiceUnavailable(
        "the stream broker became unavailable; reconnect to resume", retry_after=2
    )


@dataclass(eq=False)
class Watch(Generic[T]):
    """The readers of one key in this process, and the entries they are about to need."""

    key: str
    decode: Decode[T]
    is_last: Callable[[T], bool]
    pos: int
    """The loop reads entries after this one."""
    local: bool
    """Delivered by this process's writer rather than read back from Redis."""
    readers: int = 0
    items: list[T] = field(default_factory=list)
    changed: Wakeup = field(default_factory=Wakeup)
    error: BoardroomError | None = None
    done: bool = False
    closed: bool = False

    def take(self, cursor: int) -> list[T] | None:
        """Entries after `cursor`; None if they are older than what the watch keeps."""
        items = self.items
        if not items or items[-1].n <= cursor:
            return []
        first = items[0].n
        if first > cursor + 1:
            return None
        start = cursor + 1 - first
        return items[start : start + MAX_BATCH]

    def deliver(self, entries: list[T]) -> None:
        """Add entries (in order; those already held are skipped) and wake the readers."""
        last = self.items[-1].n if self.items else 0
        fresh = (
            entries if not entries or entries[0].n > last else [e for e in entries if e.n > last]
        )
        if not fresh:
            return
        if self.items and fresh[0].n != last + 1:
            self.items = []  # a gap: readers behind it read from Redis
        self.items.extend(fresh)
        if len(self.items) > KEEP:
            del self.items[: len(self.items) - KEEP]
        self.pos = max(self.pos, fresh[-1].n)
        if self.is_last(fresh[-1]):
            self.done = True
        self.wake()

    def fail(self, error: BoardroomError) -> None:
        """End every reader with `error`."""
        self.error = error
        self.wake()

    def wake(self) -> None:
        """Let every waiting reader look again."""
        self.changed.wake_all()


class Fanout:
    """Readers of Redis streams in this process, served by one blocking read."""

    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self.redis = broker.redis
        self._watches: dict[str, Watch[Any]] = {}
        self._local: set[str] = set()
        self._wake_key = f"{PREFIX}wake:{broker.worker}"
        self._wake_id = b"0-0"
        self._wake_pending = False
        self.connected = False

    # The writer's side.

    def set_local(self, key: str, local: bool) -> None:
        """Whether this process writes `key` and delivers its entries itself."""
        if local:
            self._local.add(key)
            return
        self._local.discard(key)
        watch = self._watches.get(key)
        if watch is not None and watch.local:
            # Someone else may now end it (a lapsed lease): read it back like any other.
            watch.local = False
            watch.wake()

    def deliver(self, key: str, entries: list[Any]) -> None:
        """Entries this process has just written to `key`."""
        watch = self._watches.get(key)
        if watch is not None and watch.local:
            watch.deliver(entries)

    def fail(self, key: str, error: BoardroomError) -> None:
        """End the readers of `key` in this process with `error`."""
        watch = self._watches.pop(key, None)
        if watch is not None:
            watch.fail(error)

    def close(self, key_prefix: str = "") -> None:
        """End the readers of every key under `key_prefix` once they have what is there."""
        for key, watch in list(self._watches.items()):
            if key.startswith(key_prefix):
                watch.closed = True
                watch.wake()
                del self._watches[key]

    # The readers' side.

    async def read(
        self,
        key: str,
        after: int,
        decode: Decode[T],
        is_last: Callable[[T], bool],
        *,
        idle: float = math.inf,
        until: Until | None = None,
    ) -> AsyncGenerator[list[T], None]:
        """Entries of `key` numbered above `after`, in batches, until the last one.

        After `idle` seconds without an entry an empty batch says so; a broker failure
        raises `ServiceUnavailable`; while waiting, `until` is awaited (see wakeup.py).
        """
        watch = await self._join(key, after, decode, is_last)
        cursor = after
        ask_redis = True  # what is in Redis now is unknown until asked once
        first = True
        try:
            while True:
                if not first:
                    await while_growing(lambda: watch.pos)
                first = False
                batch = watch.take(cursor)
                if batch is None or (not batch and ask_redis):
                    batch = await self._range(key, cursor, decode)
                    ask_redis = len(batch) == MAX_BATCH
                    if batch:
                        watch.pos = max(watch.pos, batch[-1].n)
                if batch:
                    cursor = batch[-1].n
                    yield batch
                    if is_last(batch[-1]):
                        return
                    continue
                if watch.error is not None:
                    raise watch.error
                if watch.closed:
                    return
                if not await watch.changed.wait(idle, until):
                    yield []
        finally:
            watch.readers -= 1
            if not watch.readers and self._watches.get(key) is watch:
                del self._watches[key]

    async def _join(
        self, key: str, after: int, decode: Decode[T], is_last: Callable[[T], bool]
    ) -> Watch[T]:
        watch: Watch[T] | None = self._watches.get(key)
        if watch is None:
            watch = Watch(key, decode, is_last, after, local=key in self._local)
            self._watches[key] = watch
            watch.readers += 1
            if not watch.local:
                try:
                    await self._wake()
                except BaseException:
                    watch.readers -= 1
                    if not watch.readers and self._watches.get(key) is watch:
                        del self._watches[key]
                    raise
        else:
            watch.readers += 1
        return watch

    async def _wake(self) -> None:
        # One wake per change of the loop's keys, however many readers join meanwhile.
        if self._wake_pending:
            return
        self._wake_pending = True
        try:
            async with self.broker.unavailable("wake"):
                pipe = self.redis.pipeline(transaction=False)
                pipe.xadd(self._wake_key, {"w": 1}, maxlen=1)
                pipe.pexpire(self._wake_key, BLOCK_MS * 2)
                await pipe.execute()
        except BaseException:
            self._wake_pending = False
            raise

    async def _range(self, key: str, cursor: int, decode: Decode[T]) -> list[T]:
        async with self.broker.unavailable("range"):
            found = await self.redis.xrange(key, min=f"{cursor + 1}-0", max="+", count=MAX_BATCH)
        return [decode(entry_id, fields) for entry_id, fields in found]

    # The loop.

    async def run(
        self, *, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED
    ) -> None:
        """Read every remotely written key with local readers, for the lifespan's whole life."""
        failures = 0
        started = False
        while True:
            conn = self.broker.dedicated(read_timeout=BLOCK_MS / 1000 + 10)
            try:
                await conn.ping()
                self.connected = True
                if not started:
                    started = True
                    task_status.started()
                if failures:
                    log.info("the stream broker is back; reading again")
                failures = 0
                while True:
                    await self._read_once(conn)
            except BROKER_ERRORS as exc:
                if not started:
                    raise
                self.broker.failed("read")
                self.connected = False
                self._fail_remote()
                if not failures:
                    log.warning("lost the stream broker (%s); reconnecting", exc)
                await anyio.sleep(RECONNECT_S[min(failures, len(RECONNECT_S) - 1)])
                failures += 1
            finally:
                with anyio.CancelScope(shield=True), suppress(*BROKER_ERRORS):
                    await conn.aclose()

    async def _read_once(self, conn: Any) -> None:
        keys: dict[str, Any] = {
            key: f"{watch.pos}-0"
            for key, watch in self._watches.items()
            if not watch.local and not watch.done
        }
        keys[self._wake_key] = self._wake_id
        self._wake_pending = False
        found = await conn.xread(keys, count=MAX_BATCH, block=BLOCK_MS)
        for raw_key, entries in found or ():
            key = raw_key.decode()
            if key == self._wake_key:
                self._wake_id = entries[-1][0]
                continue
            watch = self._watches.get(key)
            if watch is None or watch.local:
                continue
            watch.deliver([watch.decode(entry_id, fields) for entry_id, fields in entries])

    def _fail_remote(self) -> None:
        error = broken()
        for key, watch in list(self._watches.items()):
            if not watch.local:
                del self._watches[key]
                watch.fail(error)
