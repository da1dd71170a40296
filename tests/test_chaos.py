"""A small chaos run in the suite: readers that drop and resume, a provider that fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _chaos(module: str, streams: int) -> str:
    """Run a chaos benchmark at a small size; its report, which must end in OK."""
    run = subprocess.run(
        [sys.executable, "-m", module, "--streams", str(streams), "--concurrency", "16"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1] == "OK"
    return run.stdout


def test_streams_keep_their_invariants_through_drops_resumes_and_provider_faults() -> None:
    """Every stream: ids 1..n across resumes, one terminal event, nothing left running."""
    assert "streams with a broken invariant: 0" in _chaos("bench.chaos", 120)


def test_streams_keep_their_invariants_when_readers_resume_on_another_process() -> None:
    """Two processes on one Redis: a reader cut on one resumes on the other, losing nothing."""
    report = _chaos("bench.chaos_processes", 80)
    assert "streams with a broken invariant: 0" in report
    assert "streams left running: 0" in report
