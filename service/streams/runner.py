"""The generation runner: one owned task per stream, and exactly one terminal event each.

    submit ──► log.create, log.append(start) ──► generations.start(_run)
                                                    │
          ┌─────────────────────────────── deadline of the stream ──────────────────┐
          │ _generate: pipeline events ──► log.append (steps timed, deltas kept,     │
          │            done.answer = their concatenation)                            │
          └──────────────────────────────────────────────────────────────────────────┘
               ▲ _cancel(reason) from _on_control (stop: at once; no subscriber:
               │ a deadline) or from run_deadlines (grace over, nobody attached in time)
                                                    │
                 terminal: done │ error {code, message, retryable} │ cancelled {reason}

Control is event-driven: the log calls `_on_control` when subscribers come and go or a
stop is requested, and one task per process (`run_deadlines`) keeps every grace period,
so an idle stream costs no task of its own beyond its generation.
"""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
import time
from collections import Counter
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing, suppress
from dataclasses import dataclass, field, replace

import anyio
from anyio.abc import TaskGroup

from service.errors import (
    BoardroomError,
    ShuttingDown,
    StreamNotFound,
    TooManyRequests,
    Unprocessable,
)
from service.metrics import Metrics
from service.streams.events import (
    Cancelled,
    CancelReason,
    Delta,
    Done,
    Failed,
    Sources,
    Start,
    Step,
    StreamInfo,
)
from service.streams.log import Control, EventLog, StreamClosed
from service.streams.tasks import OwnedTasks

log = logging.getLogger(__name__)

CANCEL_WAIT_S = 5.0

PipelineEvent = Step | Sources | Delta | Done
Pipeline = Callable[[], AsyncGenerator[PipelineEvent, None]]
"""Makes the generator of a question's events after `start` (which the runner writes):
`Step`, `Sources`, `Delta`, and finally `Done` (whose `answer` and `duration_ms` the
runner sets)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How many generations may run, and for how long streams wait for their readers."""

    max_streams: int
    max_per_client: int
    reconnect_grace: float
    attach_timeout: float
    retention: float
    shutdown_grace: float


@dataclass(slots=True)
class _Running:
    client: str
    kind: str
    started: float = field(default_factory=time.monotonic)
    # Cancels the generation as asyncio.timeout does: once, told apart from any other
    # cancel by its count, for a fraction of an anyio cancel scope's memory (bench/memory).
    deadline: asyncio.Timeout | None = None
    reason: CancelReason | None = None
    cancelled_at: float = 0.0  # when `reason` was set, for the cancel latency
    counted: bool = True  # whether it still counts against its client's limit


class Runner:
    """Starts generations in the lifespan's task group and sees each one to its end."""

    def __init__(
        self, events: EventLog, tasks: TaskGroup, limits: Limits, metrics: Metrics | None = None
    ) -> None:
        self.events = events
        self.tasks = tasks
        # A generation lives as long as its stream: lean tasks, owned here (see tasks.py).
        self._generations = OwnedTasks()
        self.limits = limits
        self.metrics = metrics or Metrics()
        self._running: dict[str, _Running] = {}
        self._per_client: Counter[str] = Counter()
        self._deadlines: dict[str, tuple[float, CancelReason]] = {}
        self._deadlines_changed = anyio.Event()
        self._idle = anyio.Event()
        self._idle.set()
        self._shutting_down = False
        self.metrics.watch(lambda: len(self._running))

    @property
    def running(self) -> int:
        """Generations running in this process."""
        return len(self._running)

    async def submit(
        self,
        kind: str,
        board_id: str | None,
        question: str,
        client: str,
        pipeline: Pipeline,
        idempotency_key: str | None = None,
    ) -> tuple[StreamInfo, bool]:
        """Start a generation, or find the one this idempotency key started; True if new."""
        if self._shutting_down:
            raise ShuttingDown("the service is shutting down; try again shortly", retry_after=5)
        stream_id = "str_" + secrets.token_hex(10)
        # Keys are scoped: one client's key never finds another client's stream.
        scoped = f"{client}|{kind}|{idempotency_key}" if idempotency_key else None
        if scoped:
            bound = await self.events.claim_key(scoped, stream_id, self.limits.retention)
            if bound != stream_id:
                return await self._existing(bound, board_id, question), False
        try:
            self._check_limits(client)
        except TooManyRequests:
            if scoped:  # a retry after the 429 must be free to start it
                await self.events.release_key(scoped)
            raise
        await self.events.create(stream_id, kind, board_id, question, client)
        # `start` goes in before the task runs, so a subscriber's first write is an event.
        await self.events.append(stream_id, Start(stream_id, kind, board_id, question))
        self._running[stream_id] = _Running(client, kind)
        self._per_client[client] += 1
        if self._idle.is_set():
            self._idle = anyio.Event()
        self.metrics.streams_started.labels(kind).inc()
        self.events.listen(stream_id, self._on_control)
        self._set_deadline(stream_id, self.limits.attach_timeout, "timeout")
        self._generations.start(self._run(stream_id, pipeline), name=f"stream {stream_id}")
        info = await self.events.info(stream_id)
        assert info is not None
        return info, True

    async def _existing(self, stream_id: str, board_id: str | None, question: str) -> StreamInfo:
        info = await self.events.info(stream_id)
        if info is None:
            raise Unprocessable("that Idempotency-Key belonged to a stream that has expired")
        if (info.board_id, info.question) != (board_id, question):
            raise Unprocessable("that Idempotency-Key was used for a different question")
        return info

    def _check_limits(self, client: str) -> None:
        if len(self._running) >= self.limits.max_streams:
            raise TooManyRequests(
                f"{self.limits.max_streams} answers are being generated; try again shortly",
                retry_after=2,
            )
        mine = self._per_client[client]
        if mine >= self.limits.max_per_client:
            raise TooManyRequests(
                f"you have {mine} answers being generated already; wait for "
                "one to finish or stop one",
                retry_after=2,
            )

    async def cancel(self, stream_id: str) -> StreamInfo:
        """The stop button: end the generation with `cancelled {reason: stop}`.

        Answers once the stream has its terminal event, so the state shown is the one
        after the stop; a generation that takes longer to stop is shown still running.
        """
        await self.events.request_cancel(stream_id, "stop")
        info = await self.events.info(stream_id)
        if info is None:
            raise StreamNotFound(stream_id)
        # Read from the last event, so an ended stream answers at once with its end.
        with anyio.move_on_after(CANCEL_WAIT_S):
            async with aclosing(self.events.read(stream_id, max(0, info.events - 1))) as batches:
                async for batch in batches:
                    if batch and batch[-1].terminal:
                        break
        return await self.events.info(stream_id) or info

    # Control: who is reading, and for how long nobody may.

    def _on_control(self, stream_id: str, control: Control) -> None:
        if control.lost:
            # Its end is the log's to write now (worker_lost, or a broker failure): stop
            # the engine; the terminal the runner then tries is refused, quietly.
            self._cancel(stream_id, "shutdown")
        elif control.cancel is not None:
            self._cancel(stream_id, control.cancel)
        elif control.subscribers > 0:
            self._clear_deadline(stream_id)
        elif control.attached:
            self._set_deadline(stream_id, self.limits.reconnect_grace, "disconnect")

    def _set_deadline(self, stream_id: str, delay: float, reason: CancelReason) -> None:
        if delay <= 0:
            self._cancel(stream_id, reason)
            return
        self._deadlines[stream_id] = (anyio.current_time() + delay, reason)
        self._deadlines_changed.set()

    def _clear_deadline(self, stream_id: str) -> None:
        self._deadlines.pop(stream_id, None)

    def _cancel(self, stream_id: str, reason: CancelReason) -> None:
        self._clear_deadline(stream_id)
        run = self._running.get(stream_id)
        if run is not None and run.reason is None:
            run.reason = reason
            run.cancelled_at = time.monotonic()
            if run.deadline is not None:  # else it has not started, and will not
                run.deadline.reschedule(asyncio.get_running_loop().time())

    async def run_deadlines(self) -> None:
        """Cancel streams whose reader did not come back in time, for the lifespan's life."""
        while True:
            now = anyio.current_time()
            due = [(sid, reason) for sid, (at, reason) in self._deadlines.items() if at <= now]
            for stream_id, reason in due:
                self._cancel(stream_id, reason)
            nearest = min((at for at, _ in self._deadlines.values()), default=math.inf)
            changed = self._deadlines_changed = anyio.Event()
            with anyio.move_on_after(nearest - now):
                await changed.wait()

    # Shutdown and retention.

    def begin_shutdown(self) -> None:
        """Refuse new questions; give running ones the grace, then cancel them."""
        if self._shutting_down:
            return
        self._shutting_down = True
        log.info("shutting down: %d streams running", len(self._running))
        self.tasks.start_soon(self._drain, name="stream drain")

    async def shutdown(self) -> None:
        """Drain (as `begin_shutdown`) and wait until every stream has its terminal event."""
        self.begin_shutdown()
        with anyio.move_on_after(self.limits.shutdown_grace + 5):
            await self._idle.wait()

    async def aclose(self) -> None:
        """Cancel the generations still running (each writes its terminal event) and wait."""
        await self._generations.aclose()

    async def _drain(self) -> None:
        with anyio.move_on_after(self.limits.shutdown_grace):
            await self._idle.wait()
        for stream_id in list(self._running):
            self._cancel(stream_id, "shutdown")

    async def expire_forever(self) -> None:
        """Forget ended streams after the retention time, for the lifespan's whole life."""
        interval = max(0.5, min(30.0, self.limits.retention / 4))
        while True:
            await anyio.sleep(interval)
            try:
                await self.events.expire()
            except BoardroomError as exc:
                log.warning("could not expire old streams: %s", exc.message)

    # One stream.

    async def _run(self, stream_id: str, pipeline: Pipeline) -> None:
        run = self._running[stream_id]
        ended = False
        try:
            if run.reason is None:
                try:
                    # `_generate` makes every exception an event: a TimeoutError is the
                    # deadline's.
                    with suppress(TimeoutError):
                        async with asyncio.timeout(None) as run.deadline:
                            ended = await self._generate(stream_id, pipeline)
                finally:
                    # However the block ended (a shutdown's cancel too), a later stop must
                    # not reschedule a deadline that is over.
                    run.deadline = None
            if not ended:
                ended = await self._append_terminal(stream_id, Cancelled(run.reason or "shutdown"))
        finally:
            if not ended:
                # Cancelled from outside (the lifespan is ending): still one terminal event.
                with anyio.CancelScope(shield=True):
                    await self._append_terminal(stream_id, Cancelled("shutdown"))
            self.events.listen(stream_id, None)
            self._clear_deadline(stream_id)
            self._uncount(run)
            del self._running[stream_id]
            if not self._running:
                self._idle.set()

    async def _generate(self, stream_id: str, pipeline: Pipeline) -> bool:
        started = time.monotonic()
        deltas: list[str] = []
        try:
            async with aclosing(pipeline()) as events:
                async for event in events:
                    if isinstance(event, Delta):
                        if not deltas:
                            self._first_token(stream_id)
                        deltas.append(event.text)
                    elif isinstance(event, Step):
                        event = replace(event, elapsed_ms=_ms_since(started))
                    elif isinstance(event, Done):
                        done = replace(
                            event, answer="".join(deltas), duration_ms=_ms_since(started)
                        )
                        return await self._append_terminal(stream_id, done)
                    await self.events.append(stream_id, event)
        except StreamClosed:
            log.warning("stream %s was ended by the event log; its generation stops", stream_id)
            return True
        except BoardroomError as exc:
            return await self._append_terminal(
                stream_id, Failed(exc.code, exc.message, exc.retryable)
            )
        except Exception:
            log.exception("stream %s failed", stream_id)
            return await self._append_terminal(
                stream_id, Failed("internal", "the answer failed unexpectedly", retryable=True)
            )
        log.error("stream %s: the pipeline ended without an answer", stream_id)
        return await self._append_terminal(
            stream_id, Failed("internal", "the answer ended early", retryable=True)
        )

    def _first_token(self, stream_id: str) -> None:
        run = self._running[stream_id]
        since = time.monotonic() - run.started
        self.metrics.first_token.labels(run.kind).observe(since)

    def _uncount(self, run: _Running) -> None:
        if run.counted:
            run.counted = False
            self._per_client[run.client] -= 1
            if not self._per_client[run.client]:
                del self._per_client[run.client]

    async def _append_terminal(self, stream_id: str, event: Done | Failed | Cancelled) -> bool:
        # A reader may ask again the moment it sees the end: by then the answer no longer
        # counts against its client (a Redis append waits on the network).
        run = self._running.get(stream_id)
        if run is not None:
            self._uncount(run)
        try:
            await self.events.append(stream_id, event)
        except StreamClosed:
            return True  # A terminal event is already there; it stays the only one.
        except BoardroomError as exc:
            # The log itself is gone (the broker is down): nobody can read this stream's
            # end, and nothing may escape into the lifespan's task group.
            log.warning(
                "stream %s ended without its %s event: %s", stream_id, event.event, exc.message
            )
            return True
        self._count_end(run, event)
        return True

    def _count_end(self, run: _Running | None, event: Done | Failed | Cancelled) -> None:
        kind = run.kind if run is not None else ""
        code = ""
        if isinstance(event, Failed):
            code = event.code
        elif isinstance(event, Cancelled):
            code = event.reason
            if run is not None and run.cancelled_at:
                latency = time.monotonic() - run.cancelled_at
                self.metrics.cancel_latency.labels(event.reason).observe(latency)
        self.metrics.streams_ended.labels(kind, event.event, code).inc()


def _ms_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
