"""The runner, driven in process: one generation per stream, and exactly one terminal event.

Every test runs a `Runner` over a `MemoryEventLog` in its own task group (with the
deadline keeper the lifespan runs) and waits on the log's events, never on the clock.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing
from typing import TypeVar

import anyio
import pytest

from service.errors import (
    BoardroomError,
    CommandInvalid,
    LlmTimeout,
    ShuttingDown,
    StreamNotFound,
    TooManyRequests,
    Unprocessable,
)
from service.streams.events import (
    Cancelled,
    Delta,
    Done,
    Failed,
    Payload,
    Sources,
    Start,
    Step,
    StreamEvent,
)
from service.streams.log import subscription
from service.streams.memory import MemoryEventLog
from service.streams.runner import Limits, Pipeline, PipelineEvent, Runner
from tests.conftest import _LogGuard, read_to_end, sampled

T = TypeVar("T")

QUESTION = "How did revenue grow?"


def _run(limits: Limits, body: Callable[[Runner, MemoryEventLog], Awaitable[T]]) -> T:
    """Run `body` against a runner in a task group, as the lifespan runs it."""

    async def main() -> T:
        log = MemoryEventLog(limits.retention)
        async with anyio.create_task_group() as tg:
            runner = Runner(log, tg, limits)
            tg.start_soon(runner.run_deadlines)
            with anyio.fail_after(10):  # a hang fails the test instead of stalling the run
                result = await body(runner, log)
            await runner.aclose()  # any stream left running
            tg.cancel_scope.cancel()  # the deadline keeper
        return result

    return anyio.run(main)


async def _submit(
    runner: Runner,
    pipeline: Pipeline,
    *,
    client: str = "client-a",
    question: str = QUESTION,
    key: str | None = None,
) -> str:
    info, _ = await runner.submit("expert", "brd_1", question, client, pipeline, key)
    return info.stream_id


async def _until_event(log: MemoryEventLog, stream_id: str, name: str) -> None:
    """Return once the stream holds an event called `name`."""
    async with aclosing(log.read(stream_id, 0)) as batches:
        async for batch in batches:
            if any(item.event == name for item in batch):
                return
    raise AssertionError(f"stream {stream_id} ended without a {name} event")


def _check_well_formed(events: list[StreamEvent], stream_id: str) -> None:
    """Numbered from 1, `start` first, and exactly one terminal event, the last."""
    assert [e.n for e in events] == list(range(1, len(events) + 1))
    assert all(e.stream_id == stream_id for e in events)
    assert isinstance(events[0].payload, Start)
    assert [e.n for e in events if e.terminal] == [len(events)]


def _payloads(events: list[StreamEvent]) -> list[Payload]:
    return [e.payload for e in events]


def _pipeline(*payloads: PipelineEvent) -> Pipeline:
    """A pipeline that yields these events, one after the other."""

    async def events() -> AsyncGenerator[PipelineEvent, None]:
        for payload in payloads:
            yield payload

    return events


def _failing(exc: Exception) -> Pipeline:
    """A pipeline that says one word, then raises `exc`."""

    async def events() -> AsyncGenerator[PipelineEvent, None]:
        yield Delta("Rev")
        raise exc

    return events


class Held:
    """A pipeline that says a word and holds until released, then is done.

    It counts its invocations and remembers its generators and whether they were closed.
    """

    def __init__(self) -> None:
        self.release = anyio.Event()
        self.calls = 0
        self.closed = 0
        self.generators: list[AsyncGenerator[PipelineEvent, None]] = []

    def __call__(self) -> AsyncGenerator[PipelineEvent, None]:
        self.calls += 1
        generator = self._events()
        self.generators.append(generator)
        return generator

    async def _events(self) -> AsyncGenerator[PipelineEvent, None]:
        try:
            yield Delta("Revenue grew.")
            await self.release.wait()
            yield Done()
        finally:
            self.closed += 1


def test_start_is_event_one_and_nothing_follows_the_one_terminal_event(limits: Limits) -> None:
    after_done: list[str] = []

    async def pipeline() -> AsyncGenerator[PipelineEvent, None]:
        try:
            yield Step("received", "info", "Question received")
            yield Delta("Revenue grew.")
            yield Done()
            yield Delta("a word after the end")
        finally:
            after_done.append("closed")

    async def body(runner: Runner, log: MemoryEventLog) -> list[StreamEvent]:
        info, new = await runner.submit("expert", "brd_1", QUESTION, "client-a", pipeline)
        assert new
        assert (info.kind, info.board_id, info.question, info.client) == (
            "expert",
            "brd_1",
            QUESTION,
            "client-a",
        )
        assert (info.state, info.events) == ("running", 1)
        events = await read_to_end(log, info.stream_id)
        _check_well_formed(events, info.stream_id)
        assert events[0].payload == Start(info.stream_id, "expert", "brd_1", QUESTION)
        ended = await log.info(info.stream_id)
        assert ended is not None
        assert ended.state == "done"
        return events

    events = _run(limits, body)
    assert [e.event for e in events] == ["start", "step", "delta", "done"]
    assert after_done == ["closed"]


def test_steps_get_their_elapsed_ms_and_keep_their_other_fields(limits: Limits) -> None:
    pipeline = _pipeline(
        Step("received", "info", "Question received", elapsed_ms=-1),
        Step("context", "success", "Context built", elapsed_ms=-1),
        Done(),
    )

    async def body(runner: Runner, log: MemoryEventLog) -> list[StreamEvent]:
        stream_id = await _submit(runner, pipeline)
        events = await read_to_end(log, stream_id)
        _check_well_formed(events, stream_id)
        return events

    steps = [e.payload for e in _run(limits, body) if isinstance(e.payload, Step)]
    assert [(s.name, s.status, s.message) for s in steps] == [
        ("received", "info", "Question received"),
        ("context", "success", "Context built"),
    ]
    elapsed = [s.elapsed_ms for s in steps]
    assert all(isinstance(ms, int) and ms >= 0 for ms in elapsed), elapsed
    assert elapsed == sorted(elapsed)


def test_done_carries_the_deltas_and_its_duration_and_keeps_its_own_fields(
    limits: Limits,
) -> None:
    usage = {"prompt_tokens": 11, "completion_tokens": 3, "total_tokens": 14}
    command = {"action": "create_board", "name": "Rotterdam site"}
    sources = Sources([{"kind": "page", "filename": "report.pdf", "page": 1}])
    pipeline = _pipeline(
        Delta("Revenue "),
        sources,
        Delta("grew "),
        Delta("12%."),
        Done(
            answer="not what was streamed",
            finish_reason="length",
            duration_ms=-1,
            usage=usage,
            command=command,
        ),
    )

    async def body(runner: Runner, log: MemoryEventLog) -> list[StreamEvent]:
        stream_id = await _submit(runner, pipeline)
        events = await read_to_end(log, stream_id)
        _check_well_formed(events, stream_id)
        return events

    payloads = _payloads(_run(limits, body))
    assert payloads[1:-1] == [Delta("Revenue "), sources, Delta("grew "), Delta("12%.")]
    done = payloads[-1]
    assert isinstance(done, Done)
    assert done.duration_ms >= 0
    assert done == Done(
        answer="Revenue grew 12%.",
        finish_reason="length",
        duration_ms=done.duration_ms,
        usage=usage,
        command=command,
    )


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            LlmTimeout("the model did not answer in time"),
            Failed("llm_timeout", "the model did not answer in time", retryable=True),
        ),
        (
            CommandInvalid("unknown action 'explode'"),
            Failed("invalid_command", "unknown action 'explode'", retryable=False),
        ),
    ],
)
def test_a_boardroom_error_ends_the_stream_with_its_code_message_and_retryability(
    limits: Limits, error: BoardroomError, expected: Failed
) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> list[StreamEvent]:
        stream_id = await _submit(runner, _failing(error))
        events = await read_to_end(log, stream_id)
        _check_well_formed(events, stream_id)
        ended = await log.info(stream_id)
        assert ended is not None
        assert ended.state == "error"
        return events

    assert _payloads(_run(limits, body))[1:] == [Delta("Rev"), expected]


def test_an_unexpected_exception_ends_in_error_internal_and_is_logged(
    limits: Limits, log_guard: _LogGuard
) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> tuple[str, list[StreamEvent]]:
        stream_id = await _submit(runner, _failing(RuntimeError("a secret detail")))
        events = await read_to_end(log, stream_id)
        _check_well_formed(events, stream_id)
        return stream_id, events

    stream_id, events = _run(limits, body)
    assert events[-1].payload == Failed(
        "internal", "the answer failed unexpectedly", retryable=True
    )
    assert log_guard.bad == [f"ERROR service.streams.runner: stream {stream_id} failed"]
    log_guard.bad.clear()  # the one error record this test expects


def test_a_pipeline_that_ends_without_done_ends_in_an_error(
    limits: Limits, log_guard: _LogGuard
) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> tuple[str, list[StreamEvent]]:
        stream_id = await _submit(runner, _pipeline(Delta("Revenue"), Delta(" grew")))
        events = await read_to_end(log, stream_id)
        _check_well_formed(events, stream_id)
        return stream_id, events

    stream_id, events = _run(limits, body)
    assert events[-1].payload == Failed("internal", "the answer ended early", retryable=True)
    assert log_guard.bad == [
        f"ERROR service.streams.runner: stream {stream_id}: the pipeline ended without an answer"
    ]
    log_guard.bad.clear()  # the one error record this test expects


def test_stop_cancels_closes_the_pipeline_and_answers_the_state_after_the_stop(
    limits: Limits,
) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> None:
        held = Held()
        stream_id = await _submit(runner, held)
        await _until_event(log, stream_id, "delta")
        info = await runner.cancel(stream_id)
        assert info.state == "cancelled"
        events = await read_to_end(log, stream_id)
        _check_well_formed(events, stream_id)
        assert events[-1].payload == Cancelled("stop")
        assert info.events == len(events)
        assert held.closed == 1
        generator = held.generators[0]
        assert isinstance(generator, types.AsyncGeneratorType)
        assert generator.ag_frame is None  # closed, not merely abandoned
        ended = sampled(runner.metrics, "boardroom_streams_ended_total", outcome="cancelled")
        stopped = sampled(runner.metrics, "boardroom_streams_ended_total", code="stop")
        latency = sampled(runner.metrics, "boardroom_cancel_latency_seconds_count", reason="stop")
        assert ended == stopped == latency == 1

    _run(limits, body)


def test_stop_after_the_end_changes_nothing_and_unknown_streams_are_not_found(
    limits: Limits,
) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> None:
        stream_id = await _submit(runner, _pipeline(Delta("Revenue grew."), Done()))
        events = await read_to_end(log, stream_id)
        info = await runner.cancel(stream_id)
        assert (info.state, info.events) == ("done", len(events))
        assert await read_to_end(log, stream_id) == events
        with pytest.raises(StreamNotFound):
            await runner.cancel("str_unknown")

    _run(limits, body)


@pytest.mark.parametrize("grace", [0, 0.01], ids=["at-once", "after-the-grace"])
def test_a_reader_leaving_cancels_with_disconnect_after_the_reconnect_grace(
    limits: Limits, grace: float
) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> None:
        held = Held()
        stream_id = await _submit(runner, held)
        async with subscription(log, stream_id, 0) as batches:
            async for batch in batches:
                if any(item.event == "delta" for item in batch):
                    break
        events = await read_to_end(log, stream_id)
        _check_well_formed(events, stream_id)
        assert events[-1].payload == Cancelled("disconnect")
        assert held.closed == 1

    _run(dataclasses.replace(limits, reconnect_grace=grace), body)


def test_a_reader_back_within_the_grace_keeps_the_stream_running(limits: Limits) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> None:
        held = Held()
        stream_id = await _submit(runner, held)
        async with subscription(log, stream_id, 0) as batches:
            async for batch in batches:
                if any(item.event == "delta" for item in batch):
                    break
        # Back before anything else ran. The stream's disconnect deadline, had it been
        # kept, falls no later than the timeout of an unattended stream started now.
        async with subscription(log, stream_id, 1) as batches:
            clock = await _submit(runner, Held(), client="client-b")
            assert (await read_to_end(log, clock))[-1].payload == Cancelled("timeout")
            held.release.set()
            async for _ in batches:
                pass
        events = await read_to_end(log, stream_id)
        _check_well_formed(events, stream_id)
        assert events[-1].event == "done"

    _run(dataclasses.replace(limits, reconnect_grace=0.01, attach_timeout=0.01), body)


def test_a_stream_nobody_attaches_to_is_cancelled_with_timeout(limits: Limits) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> None:
        held = Held()
        stream_id = await _submit(runner, held)
        events = await read_to_end(log, stream_id)
        _check_well_formed(events, stream_id)
        assert events[-1].payload == Cancelled("timeout")
        assert held.closed == 1

    _run(dataclasses.replace(limits, attach_timeout=0.01), body)


def test_shutdown_refuses_new_questions_and_cancels_running_ones_after_the_grace(
    limits: Limits,
) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> None:
        held = Held()
        stream_id = await _submit(runner, held)
        await _until_event(log, stream_id, "delta")
        runner.begin_shutdown()
        with pytest.raises(ShuttingDown):
            await _submit(runner, Held(), client="client-b")
        events = await read_to_end(log, stream_id)
        _check_well_formed(events, stream_id)
        assert events[-1].payload == Cancelled("shutdown")
        assert held.closed == 1
        assert len(await log.streams()) == 1

    _run(dataclasses.replace(limits, shutdown_grace=0.01), body)


def test_a_stream_that_ends_within_the_shutdown_grace_ends_done(limits: Limits) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> None:
        held = Held()
        stream_id = await _submit(runner, held)
        async with subscription(log, stream_id, 0) as batches:
            clock = await _submit(runner, Held(), client="client-b")
            runner.begin_shutdown()
            # The unattended stream's timeout comes after the drain has had its turn: had
            # it not waited for the grace, the held stream would be cancelled by now.
            assert (await read_to_end(log, clock))[-1].payload == Cancelled("timeout")
            held.release.set()
            async for _ in batches:
                pass
        await runner.shutdown()  # returns once no stream runs
        assert runner.running == 0
        events = await read_to_end(log, stream_id)
        _check_well_formed(events, stream_id)
        assert events[-1].event == "done"

    _run(dataclasses.replace(limits, attach_timeout=0.01), body)


class _EndWaits(MemoryEventLog):
    """A log whose terminal appends wait for `release`, as a Redis append waits for its batch."""

    def __init__(self, retention: float) -> None:
        super().__init__(retention)
        self.ending = anyio.Event()
        self.release = anyio.Event()

    async def append(self, stream_id: str, payload: Payload) -> StreamEvent:
        if payload.state is not None:
            self.ending.set()
            await self.release.wait()
        return await super().append(stream_id, payload)


def test_a_stop_while_a_shut_down_generation_writes_its_end_is_quiet(limits: Limits) -> None:
    """A stop during the end a shutdown's cancel writes used to reschedule a spent deadline."""

    async def main() -> list[StreamEvent]:
        log = _EndWaits(limits.retention)
        async with anyio.create_task_group() as tg:
            runner = Runner(log, tg, limits)
            with anyio.fail_after(10):
                stream_id = await _submit(runner, Held())
                await _until_event(log, stream_id, "delta")
                tg.start_soon(runner.aclose)  # cancels the generation from outside
                await log.ending.wait()
                await log.request_cancel(stream_id, "stop")  # reaches the runner's listener
                log.release.set()
                events = await read_to_end(log, stream_id)
        return events

    events = anyio.run(main)
    assert events[-1].payload == Cancelled("shutdown")


def test_max_streams_refuses_every_client_until_a_stream_ends(limits: Limits) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> None:
        held = Held()
        first = await _submit(runner, held, client="client-a")
        with pytest.raises(TooManyRequests):
            await _submit(runner, Held(), client="client-b")
        held.release.set()
        await read_to_end(log, first)
        await _submit(runner, _pipeline(Done()), client="client-b")
        assert len(await log.streams()) == 2

    _run(dataclasses.replace(limits, max_streams=1), body)


def test_max_per_client_refuses_only_that_client_until_its_stream_ends(limits: Limits) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> None:
        held = Held()
        first = await _submit(runner, held, client="client-a")
        with pytest.raises(TooManyRequests):
            await _submit(runner, Held(), client="client-a")
        await _submit(runner, _pipeline(Done()), client="client-b")
        held.release.set()
        await read_to_end(log, first)
        await _submit(runner, _pipeline(Done()), client="client-a")
        assert len(await log.streams()) == 3

    _run(dataclasses.replace(limits, max_per_client=1), body)


def test_an_idempotency_key_returns_the_same_stream_without_a_second_generation(
    limits: Limits,
) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> None:
        held = Held()
        first, first_new = await runner.submit(
            "expert", "brd_1", QUESTION, "client-a", held, "key-1"
        )
        again, again_new = await runner.submit(
            "expert", "brd_1", QUESTION, "client-a", held, "key-1"
        )
        assert (first_new, again_new) == (True, False)
        assert again.stream_id == first.stream_id
        held.release.set()
        await read_to_end(log, first.stream_id)
        late, late_new = await runner.submit("expert", "brd_1", QUESTION, "client-a", held, "key-1")
        assert (late.stream_id, late_new, late.state) == (first.stream_id, False, "done")
        assert held.calls == 1
        assert len(await log.streams()) == 1

    _run(limits, body)


def test_an_idempotency_key_reused_for_a_different_question_is_unprocessable(
    limits: Limits,
) -> None:
    async def body(runner: Runner, log: MemoryEventLog) -> None:
        held = Held()
        stream_id = await _submit(runner, held, key="key-1")
        await _until_event(log, stream_id, "delta")
        with pytest.raises(Unprocessable, match="different question"):
            await _submit(runner, held, question="Where is the factory?", key="key-1")
        assert held.calls == 1
        assert len(await log.streams()) == 1

    _run(limits, body)
