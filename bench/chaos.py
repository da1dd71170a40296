"""A chaos run: thousands of streams with readers that drop and resume, and a faulty provider.

Run: .venv/bin/python -m bench.chaos [--streams 2000] [--concurrency 32] [--seed 1]

The real app serves in a real uvicorn on loopback; the model is the stand-in provider,
scripted with a random mix of good answers, errors before the first token (retried),
connections dropped mid-answer and stalls past the model timeout. Each reader drops its
connection at random points and resumes with its last event id. Checked for every
stream: ids 1..n with none lost or repeated across resumes, exactly one terminal event,
last; the deltas read equal the answer `done` reports; a fresh read of the whole stream
equals what the reader assembled. Checked at the end: no error-level log record, no
generation running, the server's tasks and the provider's connections back to their
baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from service.settings import Settings
from tests import sse
from tests.conftest import LiveServer, metric
from tests.fakeopenai import FakeOpenAI, Reply

TERMINAL = ("done", "error", "cancelled")
TOKENS = [f"w{i} " for i in range(40)]


@dataclass
class Outcome:
    """What one stream's reader saw."""

    terminal: str
    events: int
    connections: int
    problems: list[str] = field(default_factory=list)


class ErrorRecords(logging.Handler):
    """Counts error-level log records, the way the test suite's guard does."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.name}: {record.getMessage()}")


def script(provider: FakeOpenAI, count: int, rng: random.Random) -> Counter[str]:
    """Queue `count` replies: mostly good, some failing in each way a provider fails."""
    kinds: Counter[str] = Counter()
    for _ in range(count):
        roll = rng.random()
        if roll < 0.10:
            provider.script(Reply(status=503))  # retried before the first token
            kinds["error before the first token"] += 1
        elif roll < 0.15:
            provider.script(Reply(tokens=TOKENS, delay=0.004, drop_after=rng.randrange(2, 30)))
            kinds["dropped mid-answer"] += 1
        elif roll < 0.18:
            provider.script(Reply(tokens=TOKENS, stall_after=rng.randrange(1, 20)))
            kinds["stalled past the timeout"] += 1
        else:
            provider.script(Reply(tokens=TOKENS, delay=0.004))
            kinds["good"] += 1
    return kinds


def read_with_drops(
    base: str, board_id: str, rng: random.Random, others: tuple[str, ...] = ()
) -> Outcome:
    """Ask one question and read it to its end, dropping and resuming at random.

    With `others` (the other processes of a deployment), each resume goes to the next
    process in turn, as a reconnect behind a load balancer may.
    """
    seen: list[sse.Event] = []
    connections = 0
    bases = [base, *others]
    with httpx.Client(base_url=base, timeout=60) as client:
        posted = client.post(
            "/api/expert/questions", json={"board_id": board_id, "question": "Which risk?"}
        )
        if posted.status_code != 202:
            return Outcome(f"refused {posted.status_code}", 0, 0, [posted.text])
        stream_id = posted.json()["stream_id"]
        while not seen or seen[-1].event not in TERMINAL:
            connections += 1
            headers = {"last-event-id": seen[-1].id or ""} if seen else {}
            drop_after = rng.randrange(1, 30) if rng.random() < 0.4 else None
            url = bases[(connections - 1) % len(bases)] + "/api/expert/stream"
            with client.stream(
                "GET", url, params={"stream_id": stream_id}, headers=headers
            ) as response:
                if response.status_code == 204:
                    break
                for index, event in enumerate(sse.events(response)):
                    seen.append(event)
                    if event.event in TERMINAL or index == drop_after:
                        break
        full = client.get(f"/api/streams/{stream_id}").json()
        with client.stream(
            "GET", "/api/expert/stream", params={"stream_id": stream_id, "last_event_id": "0"}
        ) as response:
            again = list(sse.events(response)) if response.status_code == 200 else []
    return Outcome(
        seen[-1].event if seen else "nothing",
        len(seen),
        connections,
        check(seen, again, full),
    )


def check(seen: list[sse.Event], again: list[sse.Event], status: dict[str, Any]) -> list[str]:
    """Everything that is wrong with one stream as its reader assembled it."""
    problems = []
    numbers = [event.n for event in seen]
    if numbers != list(range(1, len(seen) + 1)):
        problems.append(f"ids not 1..n: {numbers[:5]}…")
    terminals = [event.event for event in seen if event.event in TERMINAL]
    if len(terminals) != 1 or seen[-1].event not in TERMINAL:
        problems.append(f"terminal events {terminals}")
    text = "".join(e.data["text"] for e in seen if e.event == "delta")
    if seen and seen[-1].event == "done" and seen[-1].data["answer"] != text:
        problems.append("the deltas read are not the answer")
    if [(e.id, e.event, e.data) for e in again] != [(e.id, e.event, e.data) for e in seen]:
        problems.append("a fresh read differs from what the reader assembled")
    if status.get("events") != len(seen):
        problems.append(f"status says {status.get('events')} events, reader saw {len(seen)}")
    return problems


def server_tasks(server: LiveServer) -> int:
    """Tasks alive on the server's event loop."""

    async def count() -> int:
        return len(asyncio.all_tasks())

    return asyncio.run_coroutine_threadsafe(count(), server.server_loop).result(10)


def running(clients: list[httpx.Client]) -> float:
    """Generations running now in every process, from their /metrics."""
    return sum(metric(client, "boardroom_streams_running") for client in clients)


def settle(clients: list[httpx.Client], provider: FakeOpenAI) -> float:
    """Seconds until no process runs a generation and the provider holds no connection.

    At most 60: what is still running then is reported as such.
    """
    start = time.monotonic()
    while provider.open_connections or running(clients):
        if time.monotonic() - start > 60:
            break
        time.sleep(0.05)
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    errors = ErrorRecords()
    logging.getLogger().addHandler(errors)
    logging.getLogger().setLevel(logging.INFO)
    with FakeOpenAI() as provider, tempfile.TemporaryDirectory() as tmp:
        faults = script(provider, args.streams * 2, rng)
        settings = Settings.from_env(
            {},
            data_dir=Path(tmp),
            llm_base_url=provider.url,
            llm_api_key="chaos",
            llm_timeout_s=1.0,
            reconnect_grace_s=5.0,
            max_streams=10_000,
            max_streams_per_client=10_000,
            retention_s=600.0,
        )
        server = LiveServer(settings).start()
        try:
            with server.client() as client:
                board_id = client.post("/api/boards", json={"name": "chaos"}).json()["board_id"]
                tasks_before = server_tasks(server)
                seeds = [rng.randrange(2**32) for _ in range(args.streams)]
                start = time.monotonic()
                with ThreadPoolExecutor(args.concurrency) as pool:
                    outcomes = list(
                        pool.map(
                            lambda seed: read_with_drops(server.url, board_id, random.Random(seed)),
                            seeds,
                        )
                    )
                elapsed = time.monotonic() - start
                settled = settle([client], provider)
                tasks_after = server_tasks(server)
                still_running = running([client])
        finally:
            server.stop()
    report(outcomes, faults, elapsed, settled, tasks_before, tasks_after, still_running, errors)


def report(
    outcomes: list[Outcome],
    faults: Counter[str],
    elapsed: float,
    settled: float,
    tasks_before: int,
    tasks_after: int,
    still_running: float,
    errors: ErrorRecords,
) -> None:
    """Print the run's figures and every invariant that broke."""
    broken = [(i, o.problems) for i, o in enumerate(outcomes) if o.problems]
    terminals = Counter(o.terminal for o in outcomes)
    connections = [o.connections for o in outcomes]
    print(f"streams: {len(outcomes)} in {elapsed:.1f} s")
    print(f"events read: {sum(o.events for o in outcomes)}")
    print(
        f"connections: {sum(connections)} ({sum(connections) - len(outcomes)} resumes, "
        f"median {statistics.median(connections)} per stream)"
    )
    print(f"terminal events: {dict(terminals)}")
    print(f"provider replies scripted: {dict(faults)}")
    print(f"settled {settled:.2f} s after the last reader; running now: {still_running:g}")
    print(f"server tasks: {tasks_before} before, {tasks_after} after")
    print(f"error-level log records: {len(errors.records)}")
    print(f"streams with a broken invariant: {len(broken)}")
    for index, problems in broken[:10]:
        print(f"  stream {index}: {problems}")
    for record in errors.records[:10]:
        print(f"  {record}")
    ok = not broken and not errors.records and not still_running and tasks_after <= tasks_before
    print("OK" if ok else "FAILED")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
