"""Letting a producer that is still adding run a few turns before its work is handed on.

Under load one write (to a client, to Redis) then carries many events, and each write
costs more than an event; a slow producer (a model's tokens) costs one turn of latency.
"""

from __future__ import annotations

from collections.abc import Callable

import anyio.lowlevel

COALESCE_TURNS = 32


async def while_growing(size: Callable[[], int], turns: int = COALESCE_TURNS) -> None:
    """Yield to the loop until a turn passes in which `size()` did not grow (or `turns`)."""
    for _ in range(turns):
        before = size()
        await anyio.lowlevel.checkpoint()
        if size() == before:
            return
