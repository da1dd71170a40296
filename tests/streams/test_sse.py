"""SSE framing, and a reader that stops reading is cut off instead of holding the stream."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from typing import Any

import anyio
import pytest

from service.streams.events import encode
from service.streams.sse import SSEResponse
from service.streams.wakeup import Until


def test_an_event_is_id_event_and_one_json_data_line() -> None:
    encoded = encode("s:1", "delta", {"text": "a\nb 中"})
    assert encoded == b'id: s:1\nevent: delta\ndata: {"text":"a\\nb \xe4\xb8\xad"}\n\n'


def _drive(response: SSEResponse, send: Any, receive: Any, method: str = "GET") -> None:
    async def main() -> None:
        with anyio.fail_after(10):
            await response({"type": "http", "method": method, "headers": []}, receive, send)

    anyio.run(main)


def test_a_frozen_reader_is_cut_off_after_the_send_timeout(
    caplog: pytest.LogCaptureFixture,
) -> None:
    closed: list[bool] = []
    sent: list[dict[str, Any]] = []

    async def body(until: Until) -> AsyncGenerator[bytes, None]:
        try:
            while True:
                yield encode("s:1", "delta", {"text": "x"})
        finally:
            closed.append(True)

    async def receive() -> dict[str, Any]:
        await anyio.sleep_forever()
        return {}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message.get("body"):
            await anyio.sleep_forever()  # the client's window is full and stays full

    with caplog.at_level(logging.INFO, logger="service.streams.sse"):
        _drive(SSEResponse(body, send_timeout=0.2), send, receive)
    assert sent[0]["type"] == "http.response.start"
    assert closed == [True]
    assert "stopped reading" in caplog.text


def test_a_disconnect_while_the_body_waits_ends_it_and_nothing_is_sent_after_it() -> None:
    closed: list[bool] = []
    sent: list[dict[str, Any]] = []
    gone = False

    async def body(until: Until) -> AsyncGenerator[bytes, None]:
        try:
            yield b": first\n\n"
            await until()  # waiting for more, as an event log's reader waits
            yield b": never\n\n"
        finally:
            closed.append(True)

    async def receive() -> dict[str, Any]:
        nonlocal gone
        await anyio.wait_all_tasks_blocked()
        gone = True
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        assert not gone, f"sent after the client left: {message}"
        sent.append(message)

    _drive(SSEResponse(body), send, receive)
    assert closed == [True]
    assert [m.get("body") for m in sent] == [None, b": first\n\n"]


def test_head_sends_headers_only() -> None:
    sent: list[dict[str, Any]] = []

    async def body(until: Until) -> AsyncGenerator[bytes, None]:
        yield b"never"

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    _drive(SSEResponse(body), send, receive, method="HEAD")
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[1]["body"] == b""
