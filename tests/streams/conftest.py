"""Fixtures of the streaming tests."""

from __future__ import annotations

import pytest

from service.streams.runner import Limits


@pytest.fixture
def limits() -> Limits:
    """Roomy limits whose graces never run out within a test; tests shrink what they need."""
    return Limits(
        max_streams=8,
        max_per_client=8,
        reconnect_grace=60,
        attach_timeout=60,
        retention=60,
        shutdown_grace=60,
    )
