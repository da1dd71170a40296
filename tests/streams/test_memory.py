"""The in-process event log: cursors, the terminal event, control, keys and retention."""

from __future__ import annotations

import anyio
import pytest

from service.errors import StreamNotFound
from service.streams.log import Control, StreamClosed
from service.streams.memory import MemoryEventLog


async def _log_with(events: int, *, retention: float = 60) -> MemoryEventLog:
    log = MemoryEventLog(retention)
    await log.create("s", "expert", "b", "q", "client")
    for n in range(events):
        await log.append("s", "delta", {"text": str(n)})
    return log


def test_a_reader_gets_every_event_after_its_cursor_then_waits() -> None:
    async def main() -> list[int]:
        log = await _log_with(3)
        seen: list[int] = []

        async def read() -> None:
            async for batch in log.read("s", 1):
                seen.extend(item.n for item in batch)

        async with anyio.create_task_group() as tg:
            tg.start_soon(read)
            await anyio.wait_all_tasks_blocked()
            assert seen == [2, 3]
            await log.append("s", "delta", {"text": "3"})
            await log.append("s", "done", {"answer": "0123"})
        return seen

    assert anyio.run(main) == [2, 3, 4, 5]


def test_nothing_is_appended_after_the_terminal_event() -> None:
    async def main() -> None:
        log = await _log_with(1)
        await log.append("s", "cancelled", {"reason": "stop"})
        with pytest.raises(StreamClosed):
            await log.append("s", "delta", {"text": "late"})
        info = await log.info("s")
        assert info is not None
        assert (info.state, info.events) == ("cancelled", 2)

    anyio.run(main)


def test_subscribers_and_cancel_requests_reach_the_listener() -> None:
    async def main() -> list[Control]:
        log = await _log_with(0)
        heard: list[Control] = []
        log.listen("s", heard.append)
        await log.attach("s")
        await log.detach("s")
        await log.request_cancel("s", "stop")
        await log.request_cancel("s", "disconnect")  # the first reason wins
        log.listen("s", None)
        await log.attach("s")
        return heard

    assert anyio.run(main) == [
        Control(1, True, None),
        Control(0, True, None),
        Control(0, True, "stop"),
    ]


def test_an_idempotency_key_binds_once() -> None:
    async def main() -> None:
        log = await _log_with(0)
        assert await log.claim_key("k", "s", 60) == "s"
        assert await log.claim_key("k", "t", 60) == "s"

    anyio.run(main)


def test_ended_streams_expire_after_the_retention() -> None:
    async def main() -> None:
        log = await _log_with(0, retention=0)
        await log.create("running", "expert", "b", "q", "client")
        await log.append("s", "done", {"answer": ""})
        await log.expire()
        assert await log.info("s") is None
        assert await log.info("running") is not None
        with pytest.raises(StreamNotFound):
            await log.attach("s")

    anyio.run(main)
