"""(f) The event log in process against Redis, run by `python -m bench.stream --redis`.

Three Boardroom processes side by side: one with the in-process log, two sharing a
private redis-server. "Redis, same process" reads a stream where it is generated;
"Redis, another process" asks on the first and reads on the second, through the fan-out.
Measured: one saturating stream, 100 concurrent streams, the delivery lag of paced
streams, the first event, and the Redis connections each process holds with idle readers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.stream import Server, first_event, pct, read_until

LABELS = {
    "ours": "in-process",
    "redis": "Redis, same process",
    "remote": "Redis, another process",
}


async def _http(port: int, method: str, path: str, body: bytes = b"") -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer.partition(b"\r\n\r\n")[2]


async def ask(port: int, spec: str) -> str:
    """POST an assistant question; its stream id."""
    body = json.dumps({"question": spec}).encode()
    answer = json.loads(await _http(port, "POST", "/api/assistant/questions", body))
    stream_id: str = answer["stream_id"]
    return stream_id


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def open_by_id(port: int, stream_id: str) -> Connection:
    """GET a stream by id."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /api/assistant/stream?stream_id={quote(stream_id)} HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    return reader, writer


class Paths:
    """How each column asks and reads: where, and through which process."""

    def __init__(self, servers: dict[str, Server]) -> None:
        self.servers = servers

    async def open(self, kind: str, spec: str) -> Connection:
        """Ask `spec` and open its stream, as column `kind` does."""
        if kind == "remote":
            stream_id = await ask(self.servers["redis"].port, spec)
            return await open_by_id(self.servers["remote"].port, stream_id)
        reader, writer = await asyncio.open_connection("127.0.0.1", self.servers[kind].port)
        writer.write(
            f"GET /api/assistant/stream?question={quote(spec)} HTTP/1.1\r\n"
            "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        return reader, writer


async def drain(reader: asyncio.StreamReader, on_delta: Callable[[bytes], None] | None) -> int:
    """Read a stream to its terminal event; the deltas seen."""
    seen, buffer = 0, b""
    while True:
        chunk = await reader.read(1 << 20)
        if not chunk:
            raise RuntimeError("the stream ended before its terminal event")
        buffer += chunk
        *blocks, buffer = buffer.split(b"\n\n")
        for block in blocks:
            if b"event: delta" in block:
                seen += 1
                if on_delta is not None:
                    on_delta(block)
            elif b"event: done" in block or b"event: error" in block:
                return seen


async def one_stream(paths: Paths, kind: str, events: int) -> float:
    """Deltas per second of one saturating stream, from asking to its end."""
    start = time.perf_counter()
    reader, writer = await paths.open(kind, f"count {events}")
    seen = await drain(reader, None)
    elapsed = time.perf_counter() - start
    writer.close()
    if seen != events:
        raise RuntimeError(f"{kind}: {seen} of {events} deltas")
    return events / elapsed


async def concurrent(paths: Paths, kind: str, streams: int, events: int) -> float:
    """Deltas per second of `streams` saturating streams at once."""
    start = time.perf_counter()

    async def one() -> int:
        reader, writer = await paths.open(kind, f"count {events}")
        try:
            return await drain(reader, None)
        finally:
            writer.close()

    seen = await asyncio.gather(*(one() for _ in range(streams)))
    elapsed = time.perf_counter() - start
    if sum(seen) != streams * events:
        raise RuntimeError(f"{kind}: {sum(seen)} of {streams * events} deltas")
    return streams * events / elapsed


async def lags(paths: Paths, kind: str, streams: int, tokens: int, rate: float) -> list[float]:
    """Seconds from each delta's creation to its arrival, over `streams` paced streams."""
    found: list[float] = []

    async def one() -> None:
        reading_since: list[float] = []

        def on_delta(block: bytes) -> None:
            # Only deltas made once the reader is there: the lag of delivery, not of the
            # burst of a hundred questions asked and attached at once.
            now = time.time()
            made = float(json.loads(block.rsplit(b"data: ", 1)[1])["text"])
            if not reading_since:
                reading_since.append(now)
            elif made > reading_since[0]:
                found.append(now - made)

        reader, writer = await paths.open(kind, f"paced {tokens} {rate}")
        try:
            await drain(reader, on_delta)
        finally:
            writer.close()

    await asyncio.gather(*(one() for _ in range(streams)))
    return found


async def redis_connections(url: str) -> dict[int, int]:
    """Redis client connections by the pid in the Boardroom process's client name."""
    import redis.asyncio as aioredis

    client: Any = aioredis.Redis.from_url(url)
    try:
        clients: list[dict[str, Any]] = await client.client_list()
    finally:
        await client.aclose()
    counts: dict[int, int] = {}
    for entry in clients:
        name = str(entry.get("name") or "")
        if name.startswith("boardroom:"):
            pid = int(name.rsplit("-", 2)[1])
            counts[pid] = counts.get(pid, 0) + 1
    return counts


async def idle_connections(servers: dict[str, Server], url: str, readers: int) -> list[int]:
    """Connections of the generating and the reading process: idle, then with `readers`."""
    pids = [servers["redis"].process.pid, servers["remote"].process.pid]
    before = await redis_connections(url)
    ids = [await ask(servers["redis"].port, "idle") for _ in range(readers)]
    opened = []
    for start in range(0, readers, 250):
        batch = await asyncio.gather(
            *(open_by_id(servers["remote"].port, sid) for sid in ids[start : start + 250])
        )
        await asyncio.gather(*(read_until(r, b"event: delta") for r, _ in batch))
        opened.extend(batch)
    during = await redis_connections(url)
    for _, writer in opened:
        writer.close()
    return [before.get(pid, 0) for pid in pids] + [during.get(pid, 0) for pid in pids]


async def compare_logs(tmp: Path, args: argparse.Namespace) -> None:
    """Every (f) figure, the three columns interleaved in each round."""
    from tests.redisserver import RedisServer

    broker = RedisServer(tmp / "redis")
    env = {"BENCH_REDIS_URL": broker.url}
    servers = {
        "ours": Server("ours", tmp / "ours"),
        "redis": Server("redis", tmp / "redis-data", env),
        "remote": Server("redis", tmp / "redis-data", env),
    }
    paths = Paths(servers)
    kinds = list(LABELS)
    try:
        for server in servers.values():
            await server.ready()
        for kind in kinds:
            await one_stream(paths, kind, 1000)  # warm up
        rates = await _rounds(args.rounds, kinds, lambda k: one_stream(paths, k, args.events))
        many = await _rounds(
            args.rounds, kinds, lambda k: concurrent(paths, k, args.concurrent, args.each)
        )
        delays: dict[str, list[float]] = {k: [] for k in kinds}
        for _ in range(args.rounds):
            for kind in kinds:
                delays[kind] += await lags(paths, kind, args.concurrent, 40, 20.0)
        first: dict[str, list[float]] = {"ours": [], "redis": []}
        for _ in range(args.trials):
            for kind in first:
                first[kind].append(await first_event(servers[kind]))
        idle = await idle_connections(servers, broker.url, args.idle)
    finally:
        for server in servers.values():
            server.stop()
        broker.stop()
    _report(args, rates, many, delays, first, idle)


async def _rounds(
    rounds: int, kinds: list[str], measure: Callable[[str], Awaitable[float]]
) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(rounds):
        for kind in kinds:
            found[kind].append(await measure(kind))
    return found


def _report(
    args: argparse.Namespace,
    rates: dict[str, list[float]],
    many: dict[str, list[float]],
    delays: dict[str, list[float]],
    first: dict[str, list[float]],
    idle: list[int],
) -> None:
    one_base = statistics.median(rates["ours"])
    many_base = statistics.median(many["ours"])
    print(
        f"(f) the event log in process against Redis, median of {args.rounds} rounds: one "
        f"stream of {args.events} deltas; {args.concurrent} streams of {args.each} deltas at "
        f"once; delivery lag over {args.concurrent} streams of 40 deltas at 20 a second\n"
    )
    print(
        "| event log | one stream events/s | vs in-process | 100 streams events/s "
        "| vs in-process | lag p50 ms | lag p99 ms |"
    )
    print("|---|---|---|---|---|---|---|")
    for kind, label in LABELS.items():
        one, together = statistics.median(rates[kind]), statistics.median(many[kind])
        print(
            f"| {label} | {one:,.0f} | {one / one_base:.2f}× | {together:,.0f} "
            f"| {together / many_base:.2f}× | {pct(delays[kind], 0.5) * 1000:.2f} "
            f"| {pct(delays[kind], 0.99) * 1000:.2f} |"
        )
    print(f"\nGET → first event, {args.trials} trials\n")
    print("| event log | p50 ms | p99 ms |")
    print("|---|---|---|")
    for kind in first:
        print(
            f"| {LABELS[kind]} | {pct(first[kind], 0.5) * 1000:.2f} "
            f"| {pct(first[kind], 0.99) * 1000:.2f} |"
        )
    print(f"\nRedis connections per process (CLIENT LIST), {args.idle} idle readers\n")
    print("| process | no reader | with the readers |")
    print("|---|---|---|")
    print(f"| generating the streams | {idle[0]} | {idle[2]} |")
    print(f"| serving the readers | {idle[1]} | {idle[3]} |")
