"""Topic feeds: every reader gets every event from its own cursor."""

from __future__ import annotations

import anyio

from service.streams.feed import Feed, FeedEvent


def test_readers_resume_from_their_cursor_and_stop_when_closed() -> None:
    async def main() -> tuple[list[int], list[int]]:
        feed = Feed()
        early: list[int] = []
        late: list[int] = []

        async def read(after: int, into: list[int]) -> None:
            async for item in feed.read(after):
                assert item is not None
                into.append(item.n)

        async with anyio.create_task_group() as tg:
            tg.start_soon(read, 0, early)
            for n in range(3):
                feed.append("e", {"n": n})
                await anyio.lowlevel.checkpoint()
            tg.start_soon(read, 2, late)
            feed.append("e", {"n": 3})
            feed.close()
        return early, late

    early, late = anyio.run(main)
    assert early == [1, 2, 3, 4]
    assert late == [3, 4]


def test_the_ring_keeps_only_the_newest_events() -> None:
    feed = Feed(capacity=2)
    for n in range(5):
        feed.append("e", {"n": n})
    feed.close()

    async def main() -> list[FeedEvent]:
        return [item async for item in feed.read(0) if item is not None]

    assert [e.n for e in anyio.run(main)] == [4, 5]
