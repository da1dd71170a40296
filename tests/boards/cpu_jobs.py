"""Generator jobs that burn CPU time, for the CPU limit tests; they run inside worker processes."""

from __future__ import annotations

import time
from collections.abc import Iterator


def spin(seconds: float) -> Iterator[float]:
    """Burn `seconds` of CPU time, then yield how much the process has used in all."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    yield time.process_time()


def spin_forever() -> Iterator[int]:
    """Yield once, then burn CPU time until stopped."""
    yield 1
    while True:
        pass
