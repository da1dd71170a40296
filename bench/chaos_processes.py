"""The chaos run through several service processes on one Redis: resumes cross processes.

Run: .venv/bin/python -m bench.chaos_processes [--streams 1000] [--processes 2]
         [--concurrency 32] [--seed 1]

A private redis-server and `--processes` real `boardroom serve` processes on one data
directory and one broker; the model is the stand-in provider with the same mix of faults
as `bench.chaos`. Each question is asked of one process; every reconnect of its reader
goes to the next process, so a cut reader resumes on another process than the one that
generates its answer. Checked per stream as in `bench.chaos`; at the end: no error-level
record in any process's log, no generation running in any process, no stream left
`running` in the broker, and the provider holding no connection.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx

from bench.chaos import Outcome, running, script, settle
from bench.chaos import read_with_drops as read
from tests.fakeopenai import FakeOpenAI
from tests.process import ServiceProcess
from tests.redisserver import RedisServer


def error_records(process: ServiceProcess) -> list[str]:
    """The error-level records (and tracebacks) in a process's log."""
    return [
        line.rstrip()
        for line in process.lines
        if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        provider = stack.enter_context(FakeOpenAI())
        faults = script(provider, args.streams * 2, rng)
        redis = RedisServer(tmp / "redis")
        stack.callback(redis.stop)
        env = {
            "BOARDROOM_BROKER_URL": redis.url,
            "BOARDROOM_LLM": "openai",
            "BOARDROOM_LLM_BASE_URL": provider.url,
            "BOARDROOM_LLM_API_KEY": "chaos",
            "BOARDROOM_LLM_TIMEOUT_S": "1",
            "BOARDROOM_RECONNECT_GRACE_S": "5",
            "BOARDROOM_MAX_STREAMS": "10000",
            "BOARDROOM_MAX_STREAMS_PER_CLIENT": "10000",
            "BOARDROOM_RETENTION_S": "600",
        }
        processes = [
            stack.enter_context(ServiceProcess(tmp / "data", access_log=False, env=env))
            for _ in range(args.processes)
        ]
        urls = [p.url for p in processes]
        clients = [stack.enter_context(httpx.Client(base_url=u, timeout=30)) for u in urls]
        board_id = clients[0].post("/api/boards", json={"name": "chaos"}).json()["board_id"]
        seeds = [rng.randrange(2**32) for _ in range(args.streams)]

        def one(index: int) -> Outcome:
            # Asked of each process in turn; resumed on the next ones.
            first = index % len(urls)
            order = urls[first:] + urls[:first]
            return read(order[0], board_id, random.Random(seeds[index]), tuple(order[1:]))

        start = time.monotonic()
        with ThreadPoolExecutor(args.concurrency) as pool:
            outcomes = list(pool.map(one, range(args.streams)))
        elapsed = time.monotonic() - start
        settled = settle(clients, provider)
        left = [
            s["stream_id"]
            for s in clients[0].get("/api/streams", params={"state": "running"}).json()["streams"]
        ]
        generating = running(clients)
        errors = [record for p in processes for record in error_records(p)]
    report(outcomes, faults, elapsed, settled, left, generating, errors, args.processes)


def report(
    outcomes: list[Outcome],
    faults: Counter[str],
    elapsed: float,
    settled: float,
    running: list[str],
    generating: float,
    errors: list[str],
    processes: int,
) -> None:
    """Print the run's figures and every invariant that broke."""
    broken = [(i, o.problems) for i, o in enumerate(outcomes) if o.problems]
    connections = sum(o.connections for o in outcomes)
    print(f"streams: {len(outcomes)} through {processes} processes in {elapsed:.1f} s")
    print(f"events read: {sum(o.events for o in outcomes)}")
    print(f"connections: {connections} ({connections - len(outcomes)} resumes on another process)")
    print(f"terminal events: {dict(Counter(o.terminal for o in outcomes))}")
    print(f"provider replies scripted: {dict(faults)}")
    print(f"settled {settled:.2f} s after the last reader")
    print(f"generations running now: {generating:g}; streams left running: {len(running)}")
    print(f"error-level log records: {len(errors)}")
    print(f"streams with a broken invariant: {len(broken)}")
    for index, problems in broken[:10]:
        print(f"  stream {index}: {problems}")
    for record in errors[:10]:
        print(f"  {record}")
    ok = not broken and not errors and not running and not generating
    print("OK" if ok else "FAILED")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
