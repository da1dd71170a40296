"""Generator jobs for worker-pool tests; they run inside worker processes."""

from __future__ import annotations

import time
from collections.abc import Iterator


def count(n: int) -> Iterator[int]:
    """Yield 1..n."""
    yield from range(1, n + 1)


def hang() -> Iterator[int]:
    """Yield once, then never again."""
    yield 1
    while True:
        time.sleep(60)


def hog_memory() -> Iterator[int]:
    """Try to allocate far more than any test limit allows."""
    yield len(bytearray(8 * 1024**3))


def fail() -> Iterator[int]:
    """Raise an ordinary error."""
    raise ValueError("bad input")
    yield 0
