"""Where the memory of an open, waiting stream goes: tracemalloc, grouped by allocation site.

Run: .venv/bin/python -m bench.memory [--streams 1000] [--kinds ours,raw] [--top 25]

Each server (`bench.apps`: ours, sse, raw) runs in its own process with tracemalloc on.
The client opens `--streams` streams whose generation has started and waits (`idle`: one
delta, then nothing), and the server reports what was allocated meanwhile and is still
alive, per stream, grouped by the source line that allocated it and by package.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import tempfile
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from bench.apps import KINDS
from bench.stream import Server, open_stream, read_until

_FRAMES = 12


def _package(filename: str) -> str:
    """A short name for where a file lives: `service/streams`, `uvicorn`, `asyncio`…"""
    parts = Path(filename).parts
    for anchor in ("service", "bench"):
        if anchor in parts:
            i = parts.index(anchor)
            return "/".join(parts[i : i + 2]).removesuffix(".py")
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1]
    return Path(filename).stem if "python3" in filename else filename


def _where(frame: Any) -> str:
    """`file:line` of a frame, its path from its package's root."""
    parts = Path(frame.filename).parts
    for anchor in ("service", "bench", "site-packages"):
        if anchor in parts:
            i = parts.index(anchor) + (anchor == "site-packages")
            return "/".join(parts[i:]) + f":{frame.lineno}"
    return f"{Path(frame.filename).name}:{frame.lineno}"


def _ours(frames: Any) -> str:
    """The innermost frame in our code (service/), or the innermost of all."""
    for frame in reversed(frames):  # tracemalloc lists the oldest frame first
        if "/service/" in frame.filename:
            return _where(frame)
    return _where(frames[-1])


def _census() -> dict[str, tuple[int, int]]:
    """Live objects the collector tracks, by type: how many, and their shallow bytes."""
    gc.collect()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for obj in gc.get_objects():
        entry = counts[type(obj).__qualname__]
        entry[0] += 1
        entry[1] += sys.getsizeof(obj)
    return {name: (c, b) for name, (c, b) in counts.items()}


class Traced:
    """Wraps an app with `/_memory/mark` (a baseline) and `/_memory/diff` (growth since)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.baseline: tracemalloc.Snapshot | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/_memory/"):
            await self.app(scope, receive, send)
            return
        if path == "/_memory/mark":
            self.baseline = tracemalloc.take_snapshot()
            self.census = _census()
            body: dict[str, Any] = {"ok": True}
        else:
            assert self.baseline is not None
            body = self._diff()
            now = _census()
            body["types"] = {
                name: [
                    count - self.census.get(name, (0, 0))[0],
                    size - self.census.get(name, (0, 0))[1],
                ]
                for name, (count, size) in now.items()
            }
        data = json.dumps(body).encode()
        length = [(b"content-length", str(len(data)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": length})
        await send({"type": "http.response.body", "body": data})

    def _diff(self) -> dict[str, Any]:
        assert self.baseline is not None
        now = tracemalloc.take_snapshot()
        stats = now.compare_to(self.baseline, "traceback")
        by_line: dict[str, int] = defaultdict(int)
        by_package: dict[str, int] = defaultdict(int)
        by_ours: dict[str, int] = defaultdict(int)
        for stat in stats:
            if stat.size_diff <= 0:
                continue
            top = stat.traceback[-1]  # the allocating frame: tracemalloc lists it last
            by_line[_where(top)] += stat.size_diff
            by_package[_package(top.filename)] += stat.size_diff
            by_ours[_ours(stat.traceback)] += stat.size_diff
        biggest = sorted((st for st in stats if st.size_diff > 0), key=lambda st: -st.size_diff)
        traces = [
            {"bytes": st.size_diff, "frames": [_where(f) for f in st.traceback]}
            for st in biggest[:40]
        ]
        return {"line": by_line, "package": by_package, "ours": by_ours, "traces": traces}


def serve(kind: str, port: int, data_dir: Path) -> None:
    """Run one `bench.apps` server with tracemalloc on."""
    import uvicorn

    from bench import apps

    tracemalloc.start(_FRAMES)
    app = Traced(apps.build(kind, data_dir))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


async def _get(port: int, path: str) -> dict[str, Any]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    body: dict[str, Any] = json.loads(raw.partition(b"\r\n\r\n")[2])
    return body


async def measure(server: Server, streams: int) -> dict[str, Any]:
    """Growth while `streams` waiting streams are open, per stream, by allocation site."""
    reader, writer = await open_stream(server.port, "idle")  # warm every code path once
    await read_until(reader, b"event: delta")
    writer.close()
    await asyncio.to_thread(server.closed.get, True, 10)
    await _get(server.port, "/_memory/mark")
    opened = []
    for start in range(0, streams, 250):
        batch = await asyncio.gather(
            *(open_stream(server.port, "idle") for _ in range(start, min(streams, start + 250)))
        )
        await asyncio.gather(*(read_until(r, b"event: delta") for r, _ in batch))
        opened.extend(batch)
    diff = await _get(server.port, "/_memory/diff")
    for _, writer in opened:
        writer.close()
    for _ in opened:
        await asyncio.to_thread(server.closed.get, True, 60)
    return diff


def _table(title: str, sizes: dict[str, int], streams: int, top: int) -> None:
    total = sum(sizes.values())
    print(f"\n{title}: {total / streams / 1024:.1f} KiB per stream\n")
    print("| where | bytes per stream |")
    print("|---|---|")
    for name, size in sorted(sizes.items(), key=lambda item: -item[1])[:top]:
        print(f"| {name} | {size / streams:,.0f} |")


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds:
            data_dir = Path(tmp) / kind
            data_dir.mkdir()
            server = Server(kind, data_dir, module="bench.memory")
            try:
                await server.ready()
                diff = await measure(server, args.streams)
            finally:
                server.stop()
            print(f"\n## {kind}: {args.streams} open waiting streams (tracemalloc)")
            _table("by package of the allocating line", diff["package"], args.streams, args.top)
            if kind == "ours":
                _table("by our innermost line", diff["ours"], args.streams, args.top)
            types = {name: size for name, (_, size) in diff["types"].items()}
            _table("live objects by type (shallow sizes)", types, args.streams, args.top)
            counts = {name: count for name, (count, _) in diff["types"].items()}
            _table(
                "live objects by type (how many ×1000)", counts, args.streams // 1000 or 1, args.top
            )
            _table("by allocating line", diff["line"], args.streams, args.top)
            if args.traces:
                for trace in diff["traces"]:
                    print(f"\n{trace['bytes'] / args.streams:,.0f} B per stream:")
                    print("    " + "\n    ".join(trace["frames"]))


def main() -> None:
    if sys.argv[1:2] and sys.argv[1] in KINDS:  # as `Server` starts it: kind, port, data dir
        serve(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--kinds", type=lambda s: s.split(","), default=["ours", "raw"])
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--traces", action="store_true", help="the biggest tracebacks too")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
