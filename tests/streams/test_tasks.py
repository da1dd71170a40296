"""Lean owned tasks: each has an owner that cancels it and waits for it."""

from __future__ import annotations

import anyio

from service.streams.tasks import OwnedTasks


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
