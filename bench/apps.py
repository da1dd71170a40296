"""The servers `bench/stream.py` compares, each run alone in its own uvicorn process.

    python -m bench.apps ours|redis|sse|raw PORT DATA_DIR   (redis: BENCH_REDIS_URL)

Every app streams the same events from the same generator: `count N` makes N deltas as
fast as they can go, `paced N RATE` makes N at RATE a second, each its own creation time,
`idle` makes one and then waits until the client leaves. When a
generator is closed, the app prints `closed <monotonic time>` on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import AsyncGenerator, AsyncIterator
from pathlib import Path

import anyio
import anyio.lowlevel
import uvicorn
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from service.app import create_app
from service.llm.engine import Prompt
from service.settings import Settings


async def chunks(spec: str) -> AsyncGenerator[str, None]:
    """The shared generator: `count N`, `paced N RATE` (each delta its wall time), or `idle`."""
    try:
        if spec.startswith("count"):
            for _ in range(int(spec.split()[1])):
                yield "x"
                await anyio.lowlevel.checkpoint()
        elif spec.startswith("paced"):
            _, count, rate = spec.split()
            for _ in range(int(count)):
                yield f"{time.time():.6f}"
                await anyio.sleep(1 / float(rate))
        else:
            yield "x"
            await anyio.sleep_forever()
    finally:
        print(f"closed {time.monotonic()}", flush=True)


class BenchEngine:
    """Our engine interface over the shared generator."""

    name = "bench"

    def answer(self, prompt: Prompt) -> AsyncGenerator[str, None]:
        return chunks(prompt.question)


def ours(data_dir: Path, broker_url: str = "") -> Starlette:
    settings = Settings.from_env(
        {},
        data_dir=data_dir,
        broker_url=broker_url,
        llm="extractive",
        max_streams=100_000,
        max_streams_per_client=100_000,
        reconnect_grace_s=0,
    )
    return create_app(settings, engine=BenchEngine())


async def _sse_events(spec: str) -> AsyncIterator[ServerSentEvent]:
    n = 0
    async for text in chunks(spec):
        n += 1
        yield ServerSentEvent(json.dumps({"text": text}), event="delta", id=f"s:{n}", sep="\n")


async def _raw_events(spec: str) -> AsyncIterator[bytes]:
    n = 0
    async for text in chunks(spec):
        n += 1
        yield f"id: s:{n}\nevent: delta\ndata: {json.dumps({'text': text})}\n\n".encode()


async def sse_endpoint(request: Request) -> Response:
    return EventSourceResponse(_sse_events(request.query_params["question"]), sep="\n")


async def raw_endpoint(request: Request) -> Response:
    return StreamingResponse(
        _raw_events(request.query_params["question"]), media_type="text/event-stream"
    )


def bare(endpoint: object) -> Starlette:
    return Starlette(routes=[Route("/api/assistant/stream", endpoint)])  # type: ignore[arg-type]


KINDS = ("ours", "redis", "sse", "raw")


def build(kind: str, data_dir: Path) -> Starlette:
    """The app of one kind (`redis` reads its broker from BENCH_REDIS_URL)."""
    if kind == "ours":
        return ours(data_dir)
    if kind == "redis":
        return ours(data_dir, os.environ["BENCH_REDIS_URL"])
    return bare({"sse": sse_endpoint, "raw": raw_endpoint}[kind])


def main() -> None:
    kind, port, data_dir = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    app = build(kind, data_dir)
    uvicorn.run(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, backlog=8192
    )


if __name__ == "__main__":
    main()
