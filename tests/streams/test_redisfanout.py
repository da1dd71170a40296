"""The Redis log's parts, in one process with real Redis: fan-out, lease, keys, topics."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import anyio
import pytest
import redis.asyncio as aioredis

from service.streams.broker import DEDICATED, POOL_SIZE
from service.streams.events import Delta, Done, Failed, Start, StreamEvent
from service.streams.feed import FeedEvent
from service.streams.log import StreamClosed
from service.streams.redislog import WORKER_LOST, RedisEventLog
from service.streams.redistopics import RedisTopics
from service.streams.writer import Record

READERS = 300


@asynccontextmanager
async def started(url: str, **options: Any) -> AsyncIterator[RedisEventLog]:
    """A Redis log with its background tasks, as a process's lifespan runs it."""
    log = RedisEventLog(url, 60, **options)
    try:
        async with anyio.create_task_group() as tg:
            await log.start(tg)
            yield log
            tg.cancel_scope.cancel()
    finally:
        await log.aclose()


def run(body: Callable[[], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        with anyio.fail_after(60):
            return await body()

    return anyio.run(main)


async def connections(url: str, name: str) -> int:
    """Redis client connections named `name` (CLIENT LIST)."""
    client: Any = aioredis.Redis.from_url(url)
    try:
        found: list[dict[str, Any]] = await client.client_list()
    finally:
        await client.aclose()
    return sum(1 for c in found if c.get("name") == name)


async def read_all(log: RedisEventLog, stream_id: str, first: anyio.Event) -> list[StreamEvent]:
    """Every event of the stream up to its end; `first` is set once the first batch is in."""
    seen: list[StreamEvent] = []
    async for batch in log.read(stream_id, 0):
        seen.extend(batch)
        first.set()
    return seen


def test_hundreds_of_readers_in_one_process_share_a_constant_few_connections(
    redis_url: str,
) -> None:
    deltas = 20

    async def body() -> tuple[dict[str, list[StreamEvent]], list[int]]:
        async with started(redis_url) as writer, started(redis_url) as reader:
            ids = [f"s{i}" for i in range(READERS)]
            for stream_id in ids:
                await writer.create(stream_id, "assistant", None, "q", "client")
                await writer.append(stream_id, Start(stream_id, "assistant", None, "q"))
            counts = [await connections(redis_url, reader.broker.client_name)]
            got: dict[str, list[StreamEvent]] = {}
            firsts = {stream_id: anyio.Event() for stream_id in ids}

            async def follow(stream_id: str) -> None:
                got[stream_id] = await read_all(reader, stream_id, firsts[stream_id])

            async with anyio.create_task_group() as tg:
                for stream_id in ids:
                    tg.start_soon(follow, stream_id)
                for event in firsts.values():
                    await event.wait()
                # Every reader waits for more now: one blocking read serves them all.
                counts.append(await connections(redis_url, reader.broker.client_name))
                for n in range(deltas):
                    for stream_id in ids:
                        await writer.append(stream_id, Delta(str(n)))
                for stream_id in ids:
                    await writer.append(stream_id, Done(answer="".join(map(str, range(deltas)))))
            counts.append(await connections(redis_url, reader.broker.client_name))
            return got, counts

    got, counts = run(body)
    assert len(got) == READERS
    for events in got.values():
        assert [e.n for e in events] == list(range(1, deltas + 3))
        assert [e.terminal for e in events].count(True) == 1
        done = events[-1].payload
        assert isinstance(done, Done)
        assert (
            "".join(e.payload.text for e in events if isinstance(e.payload, Delta)) == done.answer
        )
    # The pool, the blocking read, the control channel, the writer: never one per reader.
    assert all(0 < count <= POOL_SIZE + DEDICATED for count in counts), counts


def test_a_reader_in_the_writing_process_and_one_elsewhere_see_the_same_events(
    redis_url: str,
) -> None:
    async def body() -> tuple[list[StreamEvent], list[StreamEvent]]:
        async with started(redis_url) as one, started(redis_url) as two:
            await one.create("s", "assistant", None, "q", "client")
            await one.append("s", Start("s", "assistant", None, "q"))
            here, there = anyio.Event(), anyio.Event()
            result: dict[str, list[StreamEvent]] = {}

            async def follow(log: RedisEventLog, name: str, first: anyio.Event) -> None:
                result[name] = await read_all(log, "s", first)

            async with anyio.create_task_group() as tg:
                tg.start_soon(follow, one, "here", here)
                tg.start_soon(follow, two, "there", there)
                await here.wait()
                await there.wait()
                for n in range(2000):  # past what a watch keeps, and in many batches
                    await one.append("s", Delta(str(n % 10)))
                await one.append("s", Done())
            return result["here"], result["there"]

    here, there = run(body)
    assert [e.n for e in here] == list(range(1, 2003))
    assert [(e.n, e.wire) for e in there] == [(e.n, e.wire) for e in here]


async def read_until(log: RedisEventLog, stream_id: str, n: int) -> None:
    """Wait until event `n` of the stream is in Redis."""
    async for batch in log.read(stream_id, 0):
        if batch and batch[-1].n >= n:
            return


async def read_stream(log: RedisEventLog, stream_id: str) -> list[StreamEvent]:
    """Every event of the stream, up to its end."""
    return await read_all(log, stream_id, anyio.Event())


def test_a_lapsed_lease_ends_its_streams_once_however_many_processes_sweep(
    redis_url: str,
) -> None:
    async def body() -> tuple[list[list[StreamEvent]], list[StreamEvent], str]:
        async with started(redis_url) as one, started(redis_url) as two:
            async with started(redis_url) as doomed:
                await doomed.create("s", "assistant", None, "q", "client")
                await doomed.append("s", Start("s", "assistant", None, "q"))
                await doomed.append("s", Delta("half an answer"))
                await read_until(one, "s", 2)
                worker = doomed.broker.worker
                # While it lives, nobody may end its stream.
                with pytest.raises(StreamClosed):
                    await one.writer.append_numbered(
                        "s", Record.of(WORKER_LOST), worker, if_lapsed=True
                    )
            # Gone without ending its stream, and its lease gone too, as after a kill -9
            # once the lease's time ran out.
            results: list[list[StreamEvent]] = []
            firsts = [anyio.Event(), anyio.Event()]

            async def follow(log: RedisEventLog, first: anyio.Event) -> None:
                results.append(await read_all(log, "s", first))

            async def reap(log: RedisEventLog) -> None:
                await log._reap(worker, ["s"])

            async with anyio.create_task_group() as tg:
                tg.start_soon(follow, one, firsts[0])
                tg.start_soon(follow, two, firsts[1])
                for first in firsts:
                    await first.wait()
                async with anyio.create_task_group() as sweepers:
                    for log in (one, two, one, two):
                        sweepers.start_soon(reap, log)
            everything = await read_stream(one, "s")
            info = await two.info("s")
            assert info is not None
            return results, everything, info.state

    results, everything, state = run(body)
    assert [e.event for e in everything] == ["start", "delta", "error"]
    assert everything[-1].payload == WORKER_LOST
    assert state == "error"
    assert len(results) == 2
    for seen in results:
        assert [e.n for e in seen] == [1, 2, 3]
        assert isinstance(seen[-1].payload, Failed)
        assert seen[-1].payload.code == "worker_lost"
        assert seen[-1].payload.retryable


def test_the_sweep_ends_a_dead_workers_stream_by_itself(redis_url: str) -> None:
    async def body() -> list[StreamEvent]:
        async with started(redis_url, tick=0.05) as survivor:
            async with started(redis_url) as doomed:
                await doomed.create("s", "assistant", None, "q", "client")
                await doomed.append("s", Start("s", "assistant", None, "q"))
                await read_until(survivor, "s", 1)
            return await read_stream(survivor, "s")

    events = run(body)
    assert [e.event for e in events] == ["start", "error"]
    assert events[-1].payload == WORKER_LOST


async def exists_calls(url: str) -> int:
    """How many EXISTS Redis has run."""
    client: Any = aioredis.Redis.from_url(url)
    try:
        stats: dict[str, Any] = await client.info("commandstats")
    finally:
        await client.aclose()
    return int(stats.get("cmdstat_exists", {}).get("calls", 0))


def test_two_requests_with_one_new_key_get_one_stream(redis_url: str) -> None:
    quiet = {"tick": 3600.0}  # no sweeps: the EXISTS counted below are the claim's

    async def body() -> tuple[str, list[str], str]:
        async with started(redis_url, **quiet) as one, started(redis_url, **quiet) as two:
            first = await one.claim_key("k", "a", 60)
            second: list[str] = []

            async def claim() -> None:
                second.append(await two.claim_key("k", "b", 60))

            async with anyio.create_task_group() as tg:
                before = await exists_calls(redis_url)
                tg.start_soon(claim)
                # The second request has looked for the first one's stream, which is not
                # created yet (the first request is between its claim and its create).
                while await exists_calls(redis_url) == before:  # paced by round trips
                    pass
                await anyio.wait_all_tasks_blocked()
                still_waiting = list(second)
                await one.create("a", "assistant", None, "q", "client")
            return first, still_waiting, second[0]

    assert run(body) == ("a", [], "a")


def test_topics_reach_every_process_and_resume_from_an_id(redis_url: str) -> None:
    async def body() -> tuple[list[FeedEvent], list[FeedEvent], int]:
        async with AsyncExitStack() as stack:
            one = await stack.enter_async_context(started(redis_url))
            two = await stack.enter_async_context(started(redis_url))
            tg = await stack.enter_async_context(anyio.create_task_group())
            here, there = RedisTopics(one.broker, one.fanout), RedisTopics(two.broker, two.fanout)
            await here.start(tg)
            await there.start(tg)
            live: list[FeedEvent] = []
            waiting = anyio.Event()

            async def follow() -> None:
                async for item in there.read("board", 0, idle=0.01):
                    if item is None:
                        waiting.set()
                        continue
                    live.append(item)

            async with anyio.create_task_group() as readers:
                readers.start_soon(follow)
                await waiting.wait()
                for n in range(3):
                    here.publish("board", "file.progress", {"page": n})
                here.close("board")  # the reader ends on its own once it reads the close
            resumed = [i async for i in there.read("board", 2) if i is not None]
            last = await there.last("board")
            tg.cancel_scope.cancel()
            return live, resumed, last

    live, resumed, last = run(body)
    assert [(e.n, e.event, e.data) for e in live] == [
        (1, "file.progress", {"page": 0}),
        (2, "file.progress", {"page": 1}),
        (3, "file.progress", {"page": 2}),
    ]
    assert [e.n for e in resumed] == [3]
    assert last == 4  # the closing entry takes a number too
