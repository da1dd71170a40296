"""The wake-up call of a stream's readers: woken, timed out, cancelled, never left listed."""

from __future__ import annotations

import asyncio

import anyio
from anyio import wait_all_tasks_blocked

from service.streams.wakeup import Wakeup, silences


def test_every_waiting_reader_wakes_and_a_silent_one_times_out() -> None:
    async def main() -> tuple[list[bool], bool]:
        wakeup = Wakeup()
        woken: list[bool] = []

        async def reader() -> None:
            woken.append(await wakeup.wait())

        async with anyio.create_task_group() as tg:
            tg.start_soon(reader)
            tg.start_soon(reader)
            await wait_all_tasks_blocked()
            wakeup.wake_all()
        return woken, await wakeup.wait(0.01)

    woken, timed_out = anyio.run(main)
    assert woken == [True, True]
    assert timed_out is False


def test_a_cancelled_or_timed_out_reader_is_not_left_waiting() -> None:
    """Nothing a reader leaves behind outlives it: the list of waiters ends empty."""

    async def main() -> int:
        wakeup = Wakeup()
        with anyio.move_on_after(0.01):
            await wakeup.wait()
        await wakeup.wait(0.001)
        return len(wakeup._waiters)

    assert anyio.run(main) == 0


def test_a_reader_waiting_with_until_is_woken_or_times_out_in_its_own_task() -> None:
    """`until` is awaited meanwhile: a wake cancels it (True), silence ends it (False)."""

    async def main() -> tuple[bool, bool, int]:
        wakeup = Wakeup()
        woken: list[bool] = []

        async def reader() -> None:
            woken.append(await wakeup.wait(until=anyio.sleep_forever))

        async with anyio.create_task_group() as tg:
            tg.start_soon(reader)
            await wait_all_tasks_blocked()
            wakeup.wake_all()
        timed_out = await wakeup.wait(0.01, until=anyio.sleep_forever)
        return woken[0], timed_out, len(wakeup._waiters)

    assert anyio.run(main) == (True, False, 0)


def test_what_until_raises_ends_the_wait_and_leaves_nothing_listed() -> None:
    """A client that leaves while its reader waits ends the read with that, at once."""

    class Gone(Exception):
        pass

    async def left() -> None:
        raise Gone

    async def main() -> int:
        wakeup = Wakeup()
        try:
            await wakeup.wait(until=left)
        except Gone:
            return len(wakeup._waiters)
        raise AssertionError("the wait did not end with the client's departure")

    assert anyio.run(main) == 0


def test_a_cancel_from_outside_goes_through_a_wait_with_until() -> None:
    async def main() -> bool:
        wakeup = Wakeup()
        with anyio.move_on_after(0.01) as outer:
            await wakeup.wait(until=anyio.sleep_forever)
        return outer.cancelled_caught and not wakeup._waiters

    assert anyio.run(main) is True


def test_silent_readers_due_together_share_one_timer() -> None:
    """A thousand readers waiting out the same silence cost a slice or two, not a timer each."""

    async def main() -> tuple[int, list[bool]]:
        wakeups = [Wakeup() for _ in range(1000)]
        silent: list[bool] = []

        async def reader(wakeup: Wakeup) -> None:
            silent.append(not await wakeup.wait(0.2))

        async with anyio.create_task_group() as tg:
            for wakeup in wakeups:
                tg.start_soon(reader, wakeup)
            await wait_all_tasks_blocked()
            slices = len(silences(asyncio.get_running_loop())._due)
        return slices, silent

    slices, silent = anyio.run(main)
    assert slices <= 2
    assert silent == [True] * 1000
