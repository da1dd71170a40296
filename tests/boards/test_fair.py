"""The line for workers: boards take turns, the one with the fewest running jobs first."""

from __future__ import annotations

import anyio
from anyio import wait_all_tasks_blocked
from anyio.abc import TaskStatus

from service.boards.fair import FairSlots


def test_a_freed_slot_goes_to_the_board_with_the_fewest_running_jobs() -> None:
    """With both slots held by board A, a freed one goes to B's job before A's next one."""

    async def main() -> list[str]:
        slots = FairSlots(2)
        got: list[str] = []
        releases = {name: anyio.Event() for name in ("a1", "a2", "a3", "b1")}
        async with anyio.create_task_group() as tasks:
            for name, release in releases.items():
                tasks.start_soon(_hold, slots, name, got, release)
                await wait_all_tasks_blocked()
            assert (got, slots.waiting) == (["a1", "a2"], 2)
            releases["a1"].set()
            await wait_all_tasks_blocked()
            assert got == ["a1", "a2", "b1"]
            for release in releases.values():
                release.set()
        return got

    assert anyio.run(main) == ["a1", "a2", "b1", "a3"]


def test_waiting_boards_take_turns_and_a_cancelled_job_leaves_the_line() -> None:
    """Jobs queued as A A A B C B C, the first C cancelled, get the slot as A B C A B A."""

    async def main() -> list[str]:
        slots = FairSlots(1)
        got: list[str] = []
        gate = anyio.Event()
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_hold, slots, "x", got, gate)
            await wait_all_tasks_blocked()
            for name in ("a1", "a2", "a3", "b1"):
                tasks.start_soon(_hold, slots, name, got, gate)
                await wait_all_tasks_blocked()
            cancelled: anyio.CancelScope = await tasks.start(_cancelled, slots, got)
            for name in ("b2", "c1"):
                tasks.start_soon(_hold, slots, name, got, gate)
                await wait_all_tasks_blocked()
            assert slots.waiting == 7
            cancelled.cancel()
            await wait_all_tasks_blocked()
            assert (got, slots.waiting) == (["x"], 6)
            gate.set()
        return got

    assert anyio.run(main) == ["x", "a1", "b1", "c1", "a2", "b2", "a3"]


def test_one_clients_many_boards_take_turns_with_another_clients_one() -> None:
    """Client X's jobs on boards a and b, queued before client Y's, alternate with Y's."""

    async def main() -> list[str]:
        slots = FairSlots(1)
        got: list[str] = []
        gate = anyio.Event()
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_hold, slots, "x0", got, gate, ("X", "x"))
            await wait_all_tasks_blocked()
            for name, client in (("a1", "X"), ("a2", "X"), ("b1", "X"), ("c1", "Y"), ("c2", "Y")):
                tasks.start_soon(_hold, slots, name, got, gate, (client, name[0]))
                await wait_all_tasks_blocked()
            gate.set()
        return got

    assert anyio.run(main) == ["x0", "c1", "a1", "c2", "b1", "a2"]


async def _hold(
    slots: FairSlots,
    name: str,
    got: list[str],
    release: anyio.Event,
    key: tuple[str, ...] | None = None,
) -> None:
    async with slots.take(*(key or (name[0],))):
        got.append(name)
        await release.wait()


async def _cancelled(
    slots: FairSlots, got: list[str], *, task_status: TaskStatus[anyio.CancelScope]
) -> None:
    with anyio.CancelScope() as scope:
        task_status.started(scope)
        async with slots.take("c"):
            got.append("c0")
