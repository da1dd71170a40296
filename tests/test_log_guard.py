"""The suite's log guard catches what it promises to (so a quiet run means something)."""

from __future__ import annotations

import logging

from tests.conftest import _LogGuard


def test_the_guard_records_errors_and_sends_after_close_but_not_info() -> None:
    guard = _LogGuard()
    logger = logging.getLogger("guard-check")
    logger.addHandler(guard)
    logger.propagate = False  # keep these records away from this test's own guard
    try:
        logger.info("a client went away")
        logger.error("boom")
        logger.info("Cannot call 'send' once a close message has been sent")
    finally:
        logger.removeHandler(guard)
    assert guard.bad == [
        "ERROR guard-check: boom",
        "INFO guard-check: Cannot call 'send' once a close message has been sent",
    ]
