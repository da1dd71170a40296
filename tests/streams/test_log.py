"""The event log's contract, checked against both logs: in-process and Redis."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest

from service.errors import StreamNotFound
from service.streams.events import Cancelled, Delta, Done
from service.streams.log import Control, EventLog, StreamClosed
from service.streams.memory import MemoryEventLog
from service.streams.redislog import RedisEventLog


@pytest.fixture(params=["memory", "redis"])
def make_log(request: pytest.FixtureRequest) -> Callable[..., EventLog]:
    if request.param == "memory":
        return lambda retention=60: MemoryEventLog(retention)
    url = request.getfixturevalue("redis_url")
    return lambda retention=60: RedisEventLog(url, retention)


def _run(
    make_log: Callable[..., EventLog],
    body: Callable[[EventLog], Awaitable[Any]],
    retention: float = 60,
) -> Any:
    async def main() -> Any:
        log = make_log(retention)
        try:
            async with anyio.create_task_group() as tg:
                await log.start(tg)
                await log.create("s", "expert", "b", "q", "client")
                result = await body(log)
                tg.cancel_scope.cancel()  # the log's background tasks
            return result
        finally:
            await log.aclose()

    return anyio.run(main)


def test_a_reader_gets_every_event_after_its_cursor_then_waits(
    make_log: Callable[..., EventLog],
) -> None:
    async def body(log: EventLog) -> list[int]:
        for n in range(3):
            await log.append("s", Delta(str(n)))
        seen: list[int] = []
        got_two = anyio.Event()

        async def read() -> None:
            async for batch in log.read("s", 1):
                seen.extend(item.n for item in batch)
                if len(seen) == 2:
                    got_two.set()

        async with anyio.create_task_group() as tg:
            tg.start_soon(read)
            await got_two.wait()
            assert seen == [2, 3]
            await log.append("s", Delta("3"))
            await log.append("s", Done(answer="0123"))
        return seen

    assert _run(make_log, body) == [2, 3, 4, 5]


def test_events_carry_their_wire_form(make_log: Callable[..., EventLog]) -> None:
    async def body(log: EventLog) -> bytes:
        await log.append("s", Delta("中"))
        async for batch in log.read("s", 0):
            return batch[0].wire
        return b""

    wire = _run(make_log, body)
    assert wire == 'id: s:1\nevent: delta\ndata: {"text":"中"}\n\n'.encode()


def test_a_silent_stream_yields_an_empty_batch_after_idle(
    make_log: Callable[..., EventLog],
) -> None:
    async def body(log: EventLog) -> list[Any]:
        async for batch in log.read("s", 0, idle=0.05):
            return batch
        return ["never"]

    assert _run(make_log, body) == []


def test_nothing_is_appended_after_the_terminal_event(make_log: Callable[..., EventLog]) -> None:
    async def body(log: EventLog) -> tuple[str, int]:
        await log.append("s", Delta("x"))
        await log.append("s", Cancelled("stop"))
        with pytest.raises(StreamClosed):
            await log.append("s", Delta("late"))
        info = await log.info("s")
        assert info is not None
        return info.state, info.events

    assert _run(make_log, body) == ("cancelled", 2)


def test_subscribers_and_cancel_requests_reach_the_listener(
    make_log: Callable[..., EventLog],
) -> None:
    async def body(log: EventLog) -> list[Control]:
        heard: list[Control] = []
        changed = anyio.Event()

        def listener(stream_id: str, control: Control) -> None:
            assert stream_id == "s"
            nonlocal changed
            heard.append(control)
            changed.set()
            changed = anyio.Event()

        async def hear(count: int) -> None:
            # Each change is heard before the next is made: Redis delivers them later.
            with anyio.fail_after(10):
                while len(heard) < count:
                    await changed.wait()

        log.listen("s", listener)
        await log.attach("s")
        await hear(1)
        await log.detach("s")
        await hear(2)
        await log.request_cancel("s", "stop")
        await log.request_cancel("s", "disconnect")  # the first reason wins
        await hear(3)
        assert (await log.control("s")).cancel == "stop"
        return heard

    assert _run(make_log, body) == [
        Control(1, True, None),
        Control(0, True, None),
        Control(0, True, "stop"),
    ]


def test_an_idempotency_key_binds_once_and_can_be_released(
    make_log: Callable[..., EventLog],
) -> None:
    async def body(log: EventLog) -> list[str]:
        first = await log.claim_key("k", "s", 60)
        second = await log.claim_key("k", "t", 60)
        await log.release_key("k")
        third = await log.claim_key("k", "u", 60)
        return [first, second, third]

    assert _run(make_log, body) == ["s", "s", "u"]


def test_streams_are_listed_and_unknown_ones_refused(make_log: Callable[..., EventLog]) -> None:
    async def body(log: EventLog) -> list[str]:
        await log.create("other", "assistant", None, "q2", "client")
        await log.append("s", Done())
        with pytest.raises(StreamNotFound):
            await log.attach("nope")
        done = await log.streams(state="done")
        mine = await log.streams(board_id="b")
        return [i.stream_id for i in done] + [i.stream_id for i in mine]

    assert _run(make_log, body) == ["s", "s"]


def test_ended_streams_expire_after_the_retention(make_log: Callable[..., EventLog]) -> None:
    async def body(log: EventLog) -> list[bool]:
        await log.create("running", "expert", "b", "q", "client")
        await log.append("s", Done())
        with anyio.fail_after(5):
            while await log.info("s") is not None:  # paced by round trips: ~1 ms in Redis
                await log.expire()
        return [await log.info("s") is None, await log.info("running") is None]

    assert _run(make_log, body, retention=0) == [True, False]
