"""A small fuzzing run in the suite: broken PDFs, bombs and malformed JSON, never a 5xx."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_broken_pdfs_bombs_and_malformed_json_get_4xx_and_leave_the_boards_intact() -> None:
    """No 5xx, no hang; small uploads answered and the board made before intact."""
    run = subprocess.run(
        [
            sys.executable, "-m", "bench.fuzz",
            "--pdfs", "16", "--bodies", "80", "--seed", "7", "--ingest-timeout", "5",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "5xx or hangs: 0" in run.stdout
    assert "the board made before: intact" in run.stdout
