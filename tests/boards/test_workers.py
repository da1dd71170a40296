"""The ingestion worker pool: time, CPU and memory limits, and reuse after a failure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest

from service.boards.workers import JobCpuLimit, JobFailed, JobTimeout, WorkerCrashed, WorkerPool


def _with_pool(body: Callable[[WorkerPool], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        pool = WorkerPool(size=1, memory_mb=256)
        await pool.start()
        try:
            return await body(pool)
        finally:
            await pool.aclose()

    return anyio.run(main)


async def _collect(
    pool: WorkerPool, target: str, *args: Any, limit: float = 30, cpu: float | None = None
) -> list[Any]:
    module = "cpu_jobs" if target.startswith("spin") else "jobs"
    async with pool.run(f"tests.boards.{module}.{target}", *args, timeout=limit, cpu=cpu) as items:
        return [item async for item in items]


def test_a_job_streams_its_items() -> None:
    assert _with_pool(lambda pool: _collect(pool, "count", 5)) == [1, 2, 3, 4, 5]


def test_a_hung_job_is_killed_at_its_deadline_and_the_pool_recovers() -> None:
    async def body(pool: WorkerPool) -> list[Any]:
        with pytest.raises(JobTimeout):
            await _collect(pool, "hang", limit=1)
        return await _collect(pool, "count", 3)

    assert _with_pool(body) == [1, 2, 3]


def test_a_memory_hog_dies_alone_and_the_pool_recovers() -> None:
    async def body(pool: WorkerPool) -> list[Any]:
        with pytest.raises(WorkerCrashed, match="memory"):
            await _collect(pool, "hog_memory")
        return await _collect(pool, "count", 2)

    assert _with_pool(body) == [1, 2]


def test_a_failing_job_reports_its_error_and_the_worker_is_reused() -> None:
    async def body(pool: WorkerPool) -> list[Any]:
        with pytest.raises(JobFailed, match="bad input"):
            await _collect(pool, "fail")
        return await _collect(pool, "count", 1)

    assert _with_pool(body) == [1]


def test_cancelling_a_job_kills_its_worker() -> None:
    async def body(pool: WorkerPool) -> list[Any]:
        with anyio.move_on_after(1):
            await _collect(pool, "hang")
        return await _collect(pool, "count", 2)

    assert _with_pool(body) == [1, 2]


def test_an_idle_worker_that_died_is_replaced() -> None:
    async def body(pool: WorkerPool) -> list[Any]:
        for worker in pool._idle:
            worker.process.kill()
            await anyio.to_thread.run_sync(worker.process.join)
        return await _collect(pool, "count", 2)

    assert _with_pool(body) == [1, 2]


def test_a_job_burning_cpu_ran_until_its_wall_clock_deadline_instead_of_its_cpu_limit() -> None:
    """A job that burns CPU is stopped at its CPU limit, well before its deadline."""

    async def body(pool: WorkerPool) -> list[Any]:
        with pytest.raises(JobCpuLimit):
            await _collect(pool, "spin_forever", limit=60, cpu=1)
        return await _collect(pool, "count", 2)

    assert _with_pool(body) == [1, 2]


def test_a_sleeping_job_is_stopped_by_its_deadline_not_by_its_cpu_limit() -> None:
    """Waiting uses no CPU: a hung job still ends as a timeout."""

    async def body(pool: WorkerPool) -> None:
        with pytest.raises(JobTimeout):
            await _collect(pool, "hang", limit=2, cpu=1)

    _with_pool(body)


def test_each_job_gets_its_own_cpu_time_in_a_reused_worker() -> None:
    """Three jobs of 0.7 s of CPU each pass a 1 s limit in one worker that uses 2 s in all."""

    async def body(pool: WorkerPool) -> list[float]:
        used: list[float] = []
        for _ in range(3):
            used += await _collect(pool, "spin", 0.7, cpu=1)
        return used

    used = _with_pool(body)
    assert used == sorted(used)
    assert used[-1] > 2.0
