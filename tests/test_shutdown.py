"""Stopping the service: the grace it promises, kept for every reader and every newcomer."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from websockets.sync.client import connect

from tests import sse
from tests.conftest import upload, wait_for, ws_frames
from tests.process import ServiceProcess

SLOW = {"BOARDROOM_EXTRACTIVE_DELAY_MS": "400", "BOARDROOM_SHUTDOWN_GRACE_S": "3"}


@contextmanager
def slow_service(tmp_path: Path, pdf: bytes) -> Iterator[tuple[ServiceProcess, httpx.Client, str]]:
    """`boardroom serve` answering slowly, a client, and a board holding `pdf`."""
    with (
        ServiceProcess(tmp_path, env=SLOW) as service,
        httpx.Client(base_url=service.url, timeout=30) as client,
    ):
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(client, board_id, pdf)
        yield service, client, board_id


def test_a_question_asked_during_the_grace_was_refused_a_connection(
    tmp_path: Path, english_pdf: bytes
) -> None:
    """The sockets closed at once: a newcomer got 'connection refused', not 503."""
    with slow_service(tmp_path, english_pdf) as (service, client, board_id):
        question = {"board_id": board_id, "question": "How did revenue grow?"}
        stream_id = client.post("/api/expert/questions", json=question).json()["stream_id"]
        with client.stream("GET", "/api/expert/stream", params={"stream_id": stream_id}) as r:
            reader = iter(sse.events(r))
            assert next(reader).event == "start"
            assert service.process is not None
            os.kill(service.process.pid, signal.SIGTERM)
            refused = wait_for(
                lambda: (
                    (p := client.post("/api/expert/questions", json=question)).status_code == 503
                    and p
                ),
                what="a 503 for a question asked while the service stops",
            )
            assert refused.json()["error"]["code"] == "shutting_down"
            rest = [event.event for event in reader]
        assert rest[-1] in ("done", "cancelled")
        assert rest.count("done") + rest.count("cancelled") == 1


def test_a_websocket_reader_was_closed_at_once_with_1012_and_no_reason(
    tmp_path: Path, english_pdf: bytes
) -> None:
    """SSE readers had the grace; the shim's were cut at once without an error frame."""
    with slow_service(tmp_path, english_pdf) as (service, _, board_id):
        url = service.url.replace("http", "ws", 1) + "/api/expert/stream"
        with connect(url) as ws:
            ws.send(json.dumps({"query": "How did revenue grow?", "board_id": board_id}))
            first = json.loads(ws.recv(timeout=10))
            assert "debug" in first
            assert service.process is not None
            os.kill(service.process.pid, signal.SIGTERM)
            frames = ws_frames(ws)
        last = frames[-1]
        assert "done" in last or "error" in last, (ws.close_code, frames[-3:])
        assert ws.close_code == 1000
