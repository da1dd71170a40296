"""SSE framing, and a reader that stops reading is cut off instead of holding the stream."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from sse_starlette import ServerSentEvent

from service.streams.sse import sse_event, sse_response


def test_an_event_is_id_event_and_one_json_data_line() -> None:
    encoded = sse_event("s:1", "delta", {"text": "a\nb 中"}, retry=True).encode()
    assert encoded == b'id: s:1\nevent: delta\ndata: {"text":"a\\nb \xe4\xb8\xad"}\nretry: 2000\n\n'


def test_a_frozen_reader_is_cut_off_after_the_send_timeout(
        caplog: pytest.LogCaptureFixture) -> None:
    closed = []

    async def events() -> AsyncIterator[ServerSentEvent]:
        try:
            n = 0
            while True:
                n += 1
                yield sse_event(f"s:{n}", "delta", {"text": "x"})
        finally:
            closed.append(True)

    async def main() -> None:
        response = sse_response(events(), ping_s=60, send_timeout=0.2)
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            await anyio.sleep_forever()
            return {}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message.get("body"):
                await anyio.sleep_forever()  # the client's window is full and stays full

        scope = {"type": "http", "method": "GET", "headers": []}
        with anyio.fail_after(10):
            await response(scope, receive, send)
        assert sent[0]["type"] == "http.response.start"

    with caplog.at_level(logging.INFO, logger="service.streams.sse"):
        anyio.run(main)
    assert closed == [True]
    assert "stopped reading" in caplog.text
