"""Lean owned tasks: a watch ends its block quietly, never outlives it, never cancels past it."""

from __future__ import annotations

import asyncio

import anyio
import anyio.lowlevel
import pytest

from service.streams.tasks import CancelledWhen, OwnedTasks


def test_the_block_ends_quietly_once_the_watch_returns() -> None:
    async def main() -> tuple[bool, bool]:
        gone = anyio.Event()
        reached_end = False
        async with CancelledWhen(gone.wait):
            gone.set()
            await anyio.sleep_forever()
            reached_end = True
        await anyio.lowlevel.checkpoint()  # the task goes on, not cancelled any more
        return reached_end, True

    assert anyio.run(main) == (False, True)


def test_a_block_that_ends_first_takes_its_watch_with_it() -> None:
    async def main() -> asyncio.Task[object]:
        async with CancelledWhen(anyio.sleep_forever):
            watch = next(t for t in asyncio.all_tasks() if t is not asyncio.current_task())
        return watch

    watch = anyio.run(main)
    assert watch.cancelled()


def test_a_watch_that_returns_as_the_block_ends_cancels_nothing_after_it() -> None:
    """The block and its watch finish in the same turn: what follows the block runs on."""

    async def main() -> int:
        gone: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        async def wait() -> None:
            await gone

        checkpoints = 0
        async with CancelledWhen(wait):
            gone.set_result(None)
            await asyncio.sleep(0)  # the watch sees it, and the block ends before its cancel
        for _ in range(5):
            await anyio.lowlevel.checkpoint()
            checkpoints += 1
        return checkpoints

    assert anyio.run(main) == 5


def test_a_cancel_from_outside_still_goes_through() -> None:
    async def main() -> bool:
        with anyio.move_on_after(0.01) as outer:
            async with CancelledWhen(anyio.sleep_forever):
                await anyio.sleep_forever()
        return outer.cancelled_caught

    assert anyio.run(main) is True


def test_a_watch_that_fails_raises_its_error_from_the_block() -> None:
    async def broken() -> None:
        raise OSError("receive failed")

    async def main() -> None:
        async with CancelledWhen(broken):
            await anyio.sleep(0.01)

    with pytest.raises(OSError, match="receive failed"):
        anyio.run(main)


def test_owned_tasks_are_cancelled_and_awaited_on_aclose() -> None:
    async def main() -> list[str]:
        ended: list[str] = []
        tasks = OwnedTasks()

        async def forever(name: str) -> None:
            try:
                await anyio.sleep_forever()
            finally:
                ended.append(name)

        tasks.start(forever("a"), name="a")
        tasks.start(forever("b"), name="b")
        await anyio.wait_all_tasks_blocked()
        await tasks.aclose()
        return sorted(ended)

    assert anyio.run(main) == ["a", "b"]
