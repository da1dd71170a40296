"""Streaming: our whole pipeline against bare sse-starlette (and raw Starlette), side by side.

Run: .venv/bin/python -m bench.stream [--events N] [--rounds R] [--streams 1000,5000]
     .venv/bin/python -m bench.stream --redis [--events N] [--concurrent 100] [--idle 1000]

(a) events/s of one saturating stream; (b) memory per idle open stream; (c) latency from
a client's disconnect to the engine iterator's close; (d) time from GET to the first event.
Each server runs alone in its own uvicorn process; all of them stream the same generator.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

from tests.process import free_port

KINDS = ("ours", "sse", "raw")


class Server:
    """One `bench.apps` process (or `module`'s, given the same arguments), with the `closed`
    times it prints."""

    def __init__(
        self,
        kind: str,
        data_dir: Path,
        env: dict[str, str] | None = None,
        module: str = "bench.apps",
    ) -> None:
        self.kind = kind
        self.boardroom = kind in ("ours", "redis")  # our whole path, with either event log
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, kind, str(self.port), str(data_dir)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        self.closed: queue.Queue[float] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("closed "):
                self.closed.put(float(line.split()[1]))

    async def ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return
            except OSError:
                await asyncio.sleep(0.05)
        raise RuntimeError(f"{self.kind} did not start")

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def request(spec: str) -> bytes:
    return (
        f"GET /api/assistant/stream?question={quote(spec)} HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()


async def open_stream(port: int, spec: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request(spec))
    await writer.drain()
    return reader, writer


async def read_until(reader: asyncio.StreamReader, marker: bytes) -> None:
    buffer = b""
    while marker not in buffer:
        chunk = await reader.read(65536)
        if not chunk:
            raise RuntimeError("the stream ended early")
        buffer = buffer[-len(marker) :] + chunk


async def throughput(server: Server, events: int) -> float:
    """Deltas per second of one stream of `events` deltas, read as fast as they come."""
    start = time.perf_counter()
    reader, writer = await open_stream(server.port, f"count {events}")
    seen, tail = 0, b""
    while True:
        chunk = await reader.read(1 << 20)
        if not chunk:
            break
        data = tail + chunk
        seen += data.count(b"event: delta")
        tail = data[-16:]
        if b"event: done" in data or (not server.boardroom and seen >= events):
            break
    elapsed = time.perf_counter() - start
    writer.close()
    if seen < events:
        raise RuntimeError(f"{server.kind}: {seen} of {events} deltas")
    await asyncio.to_thread(server.closed.get, True, 10)
    return events / elapsed


async def websocket_rate(server: Server, events: int) -> float:
    """Deltas per second of the same stream through the WebSocket shim."""
    from websockets.asyncio.client import connect

    start = time.perf_counter()
    seen = 0
    async with connect(f"ws://127.0.0.1:{server.port}/api/assistant/stream", max_size=None) as ws:
        await ws.send(json.dumps({"query": f"count {events}", "status_log": [], "history": []}))
        async for frame in ws:
            text = frame if isinstance(frame, str) else frame.decode()
            if text.startswith('{"chunk"'):
                seen += len(json.loads(text)["chunk"])  # each delta is one "x"
            elif text.startswith('{"done"'):
                break
    elapsed = time.perf_counter() - start
    if seen < events:
        raise RuntimeError(f"websocket: {seen} of {events} deltas")
    await asyncio.to_thread(server.closed.get, True, 10)
    return events / elapsed


async def idle_memory(server: Server, streams: int) -> float:
    """KiB of server memory per open, idle stream."""
    reader, writer = await open_stream(server.port, "idle")  # warm every code path once
    await read_until(reader, b"event: delta")
    writer.close()
    await asyncio.to_thread(server.closed.get, True, 10)
    await asyncio.sleep(0.5)
    before = server.rss_kib()
    opened = []
    for start in range(0, streams, 250):
        batch = await asyncio.gather(
            *(open_stream(server.port, "idle") for _ in range(start, min(streams, start + 250)))
        )
        await asyncio.gather(*(read_until(r, b"event: delta") for r, _ in batch))
        opened.extend(batch)
    await asyncio.sleep(0.5)
    after = server.rss_kib()
    for _, writer in opened:
        writer.close()
    for _ in opened:
        await asyncio.to_thread(server.closed.get, True, 60)
    return (after - before) / streams


async def fresh_idle_memory(kind: str, streams: int) -> float:
    """`idle_memory` in a new server process: memory freed by an earlier run stays in RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(kind, Path(tmp))
        try:
            await server.ready()
            return await idle_memory(server, streams)
        finally:
            server.stop()


async def disconnect_latency(server: Server) -> float:
    """Seconds from the client closing its socket to the server closing the generator."""
    reader, writer = await open_stream(server.port, "idle")
    await read_until(reader, b"event: delta")
    t0 = time.monotonic()
    writer.transport.abort()
    closed = await asyncio.to_thread(server.closed.get, True, 10)
    return closed - t0


async def first_event(server: Server) -> float:
    """Seconds from sending the GET to holding the first event (of a one-delta stream)."""
    marker = b"\n\n" if not server.boardroom else b"event: start"
    t0 = time.perf_counter()
    reader, writer = await open_stream(server.port, "count 1")
    received, elapsed = b"", 0.0
    while not received.endswith(b"0\r\n\r\n"):  # the end of the chunked body
        chunk = await reader.read(65536)
        if not chunk:
            break
        received += chunk
        if not elapsed and marker in received.partition(b"\r\n\r\n")[2]:
            elapsed = time.perf_counter() - t0
    writer.close()
    await asyncio.to_thread(server.closed.get, True, 10)
    return elapsed


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(args: argparse.Namespace) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with tempfile.TemporaryDirectory() as tmp:
        if args.redis:
            from bench.streamredis import compare_logs

            await compare_logs(Path(tmp), args)
            return
        servers = {kind: Server(kind, Path(tmp) / kind) for kind in KINDS}
        try:
            for server in servers.values():
                await server.ready()
            await report(servers, args)
        finally:
            for server in servers.values():
                server.stop()


async def report(servers: dict[str, Server], args: argparse.Namespace) -> None:
    rates: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for kind in KINDS:
        await throughput(servers[kind], 1000)  # warm up
    for _ in range(args.rounds):
        for kind in KINDS:
            rates[kind].append(await throughput(servers[kind], args.events))
    base = statistics.median(rates["sse"])
    print(f"(a) one saturating stream of {args.events} deltas, median of {args.rounds} rounds\n")
    print("| server | events/s | vs bare sse-starlette |")
    print("|---|---|---|")
    for kind, label in (
        ("ours", "Boardroom: one-shot GET, runner, event log, SSE"),
        ("sse", "bare sse-starlette EventSourceResponse"),
        ("raw", "raw Starlette StreamingResponse"),
    ):
        rate = statistics.median(rates[kind])
        print(f"| {label} | {rate:,.0f} | {rate / base:.2f}× |")

    shim: dict[str, list[float]] = {"sse": [], "ws": []}
    cpu: dict[str, list[float]] = {"sse": [], "ws": []}
    ours = servers["ours"]
    for _ in range(args.rounds):
        for name, measure in (("sse", throughput), ("ws", websocket_rate)):
            before = ours.cpu_seconds()
            shim[name].append(await measure(ours, args.events))
            cpu[name].append((ours.cpu_seconds() - before) / args.events * 1e6)
    sse_rate, ws_rate = statistics.median(shim["sse"]), statistics.median(shim["ws"])
    print(
        f"\n(e) the same stream through our SSE and through the WebSocket shim, "
        f"median of {args.rounds} rounds\n"
    )
    print("| transport | events/s | vs SSE | server CPU µs per event |")
    print("|---|---|---|---|")
    print(f"| SSE | {sse_rate:,.0f} | 1.00× | {statistics.median(cpu['sse']):.1f} |")
    print(
        f"| WebSocket shim | {ws_rate:,.0f} | {ws_rate / sse_rate:.2f}× "
        f"| {statistics.median(cpu['ws']):.1f} |"
    )

    latency: dict[str, list[float]] = {"ours": [], "sse": []}
    ttfe: dict[str, list[float]] = {"ours": [], "sse": []}
    for _ in range(args.trials):
        for kind in ("ours", "sse"):
            latency[kind].append(await disconnect_latency(servers[kind]))
            ttfe[kind].append(await first_event(servers[kind]))
    print(f"\n(c) client disconnect → engine iterator closed, {args.trials} trials\n")
    print("| server | p50 ms | p99 ms |")
    print("|---|---|---|")
    for kind in ("ours", "sse"):
        print(
            f"| {kind} | {pct(latency[kind], 0.5) * 1000:.2f} "
            f"| {pct(latency[kind], 0.99) * 1000:.2f} |"
        )
    print(f"\np99 ratio ours / bare: {pct(latency['ours'], 0.99) / pct(latency['sse'], 0.99):.2f}×")
    print(f"\n(d) GET → first event, {args.trials} trials, new connection each\n")
    print("| server | p50 ms | p99 ms |")
    print("|---|---|---|")
    for kind in ("ours", "sse"):
        print(
            f"| {kind} | {pct(ttfe[kind], 0.5) * 1000:.2f} | {pct(ttfe[kind], 0.99) * 1000:.2f} |"
        )
    print(f"\np50 ratio ours / bare: {pct(ttfe['ours'], 0.5) / pct(ttfe['sse'], 0.5):.2f}×")

    print(
        "\n(b) memory per open stream whose generation has started and waits "
        "(server RSS growth / streams)\n"
    )
    print(
        "| streams | ours KiB | bare sse-starlette KiB | raw StreamingResponse KiB "
        "| ours / sse | ours / raw |"
    )
    print("|---|---|---|---|---|---|")
    for count in args.streams:
        per = {kind: await fresh_idle_memory(kind, count) for kind in KINDS}
        print(
            f"| {count} | {per['ours']:.1f} | {per['sse']:.1f} | {per['raw']:.1f} "
            f"| {per['ours'] / per['sse']:.2f}× | {per['ours'] / per['raw']:.2f}× |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--redis",
        action="store_true",
        help="compare the in-process event log with the Redis one instead",
    )
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--concurrent", type=int, default=100, help="--redis: streams at once")
    parser.add_argument("--each", type=int, default=1000, help="--redis: deltas per stream")
    parser.add_argument("--idle", type=int, default=1000, help="--redis: idle readers")
    parser.add_argument(
        "--streams", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 5000]
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
