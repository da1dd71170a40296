"""A stand-in for an OpenAI-compatible provider: a real HTTP server on loopback.

It speaks the chat-completions wire format (JSON, and SSE when `stream` is true) and the
embeddings one, and plays scripted replies, so tests can inject what real providers do:
errors before the first token, stalls, connections dropped mid-stream, tool calls. It
records every request body and the moment each client closed its connection.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reply:
    """One scripted answer to one request."""

    tokens: list[str] = field(default_factory=lambda: ["Hello", " from", " the", " model."])
    delay: float = 0.0  # seconds between tokens
    status: int | None = None  # an HTTP error instead of an answer
    error_body: dict[str, Any] | None = None
    drop_after: int | None = None  # abort the connection after this many tokens
    stall_after: int | None = None  # stop sending (but keep the connection) after this many
    tool_calls: list[dict[str, Any]] | None = None  # [{"name", "arguments": {...}}]
    gate: threading.Semaphore | None = None  # each token after the first waits for a release
    usage: dict[str, int] | None = field(
        default_factory=lambda: {"prompt_tokens": 11, "completion_tokens": 4, "total_tokens": 15}
    )
    finish_reason: str = "stop"


@dataclass
class Seen:
    """A request the provider received, and when its client went away."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    received_at: float
    tokens_sent: int = 0
    finished_at: float | None = None  # the provider sent everything
    closed_at: float | None = None  # the client closed first
    closed: threading.Event = field(default_factory=threading.Event)


class FakeOpenAI:
    """`with FakeOpenAI() as provider:` serves `provider.url` (ends in /v1)."""

    EMBEDDING_DIM = 64

    def __init__(self) -> None:
        # Embeddings: a word lies on its concept's axis, so words a test names as one
        # concept are close; any other word lies on an axis of its own hash.
        self.concepts: dict[str, int] = {}
        self.embeddings_open = threading.Event()  # cleared, embedding requests wait
        self.embeddings_open.set()
        self.replies: deque[Reply] = deque()
        self.default = Reply()
        self.open_connections = 0  # connections being served right now
        self.requests: list[Seen] = []
        self.arrived = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.AbstractServer | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="fake-openai")
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, then with `default`."""
        self.replies.extend(replies)

    def wait_for_requests(self, count: int, timeout: float = 15) -> list[Seen]:
        """Block until `count` requests have arrived."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"{len(self.requests)} of {count} requests arrived")
        return self.requests

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        self._server = loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        loop.run_forever()
        self._server.close()
        loop.run_until_complete(self._server.wait_closed())
        loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open_connections += 1
        try:
            await self._serve(reader, writer)
        finally:
            self.open_connections -= 1

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            return
        lines = head.decode("latin-1").split("\r\n")
        _, path, _ = lines[0].split(" ", 2)
        headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:] if h)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        seen = Seen(path, headers, json.loads(body or b"{}"), time.monotonic())
        with self.arrived:
            self.requests.append(seen)
            self.arrived.notify_all()
        reply = self.replies.popleft() if self.replies else self.default
        try:
            await self._answer(reply, seen, reader, writer)
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def _answer(
        self, reply: Reply, seen: Seen, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        if reply.status is not None:
            payload = json.dumps(
                reply.error_body
                or {"error": {"message": f"scripted {reply.status}", "type": "error", "code": None}}
            ).encode()
            writer.write(_head(reply.status, "application/json", len(payload)) + payload)
            await writer.drain()
            return
        if seen.path.endswith("/embeddings"):
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, self.embeddings_open.wait)
            payload = json.dumps(self._embeddings(seen.body)).encode()
            writer.write(_head(200, "application/json", len(payload)) + payload)
            await writer.drain()
            return
        if not seen.body.get("stream"):
            payload = json.dumps(_completion(reply, seen.body.get("model", "m"))).encode()
            writer.write(_head(200, "application/json", len(payload)) + payload)
            await writer.drain()
            return
        writer.write(_head(200, "text/event-stream", None))
        await writer.drain()
        watcher = asyncio.ensure_future(_until_closed(reader))
        try:
            await self._stream(reply, seen, writer, watcher)
        finally:
            if watcher.done():
                seen.closed_at = watcher.result()
                seen.closed.set()
            watcher.cancel()

    async def _stream(
        self, reply: Reply, seen: Seen, writer: asyncio.StreamWriter, watcher: asyncio.Future[float]
    ) -> None:
        model = seen.body.get("model", "m")
        for index, token in enumerate(reply.tokens):
            if reply.drop_after == index:
                writer.transport.abort()
                return
            if reply.stall_after == index:
                await watcher  # keep the connection open, send nothing, until the client goes
                return
            if reply.delay and index:
                done, _ = await asyncio.wait({watcher}, timeout=reply.delay)
                if done:
                    return
            if reply.gate is not None and index and not await _opened(reply.gate, watcher):
                return
            if watcher.done():
                return
            writer.write(
                _event(
                    _chunk(
                        model,
                        {"content": token} if index else {"role": "assistant", "content": token},
                    )
                )
            )
            await writer.drain()
            seen.tokens_sent += 1
        for index, call in enumerate(reply.tool_calls or []):
            delta = {
                "tool_calls": [
                    {
                        "index": index,
                        "id": f"call_{index}",
                        "type": "function",
                        "function": {
                            "name": call["name"],
                            "arguments": json.dumps(call["arguments"]),
                        },
                    }
                ]
            }
            writer.write(_event(_chunk(model, delta)))
        finish = "tool_calls" if reply.tool_calls else reply.finish_reason
        writer.write(_event(_chunk(model, {}, finish)))
        if reply.usage is not None and seen.body.get("stream_options", {}).get("include_usage"):
            writer.write(
                _event(
                    {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": model,
                        "choices": [],
                        "usage": reply.usage,
                    }
                )
            )
        writer.write(b"data: [DONE]\n\n")
        await writer.drain()
        seen.finished_at = time.monotonic()

    def vector(self, text: str) -> list[float]:
        """The embedding of `text`: the sum of its words' axes."""
        vector = [0.0] * self.EMBEDDING_DIM
        for word in re.findall(r"\w+", text.lower()):
            axis = self.concepts.get(word)
            if axis is None:
                axis = len(set(self.concepts.values())) + zlib.crc32(word.encode()) % (
                    self.EMBEDDING_DIM - len(set(self.concepts.values()))
                )
            vector[axis] += 1.0
        return vector

    def _embeddings(self, body: dict[str, Any]) -> dict[str, Any]:
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        return {
            "object": "list",
            "data": [
                {"object": "embedding", "index": i, "embedding": self.vector(t)}
                for i, t in enumerate(texts)
            ],
            "model": body.get("model", "m"),
            "usage": {"prompt_tokens": len(texts), "total_tokens": len(texts)},
        }


async def _opened(gate: threading.Semaphore, watcher: asyncio.Future[float]) -> bool:
    """Wait for the test to release the gate; False if the client went away first."""
    while not await asyncio.to_thread(gate.acquire, True, 0.1):
        if watcher.done():
            return False
    return True


async def _until_closed(reader: asyncio.StreamReader) -> float:
    while await reader.read(1024):
        pass
    return time.monotonic()


def _head(status: int, content_type: str, length: int | None) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}", "Connection: close"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _event(data: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(data).encode() + b"\n\n"


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _completion(reply: Reply, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": reply.finish_reason,
                "message": {"role": "assistant", "content": "".join(reply.tokens)},
            }
        ],
        "usage": reply.usage,
    }


def main() -> None:
    """`python -m tests.fakeopenai TOKENS`: print the port, serve until killed (benchmarks)."""
    import sys

    with FakeOpenAI() as provider:
        provider.default = Reply(tokens=["tok "] * int(sys.argv[1]), usage=None)
        print(provider.port, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
