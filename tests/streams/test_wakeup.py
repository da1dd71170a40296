"""The wake-up call of a stream's readers: woken, timed out, cancelled, never left listed."""

from __future__ import annotations

import anyio
from anyio import wait_all_tasks_blocked

from service.streams.wakeup import Wakeup


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
