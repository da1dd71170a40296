"""The real `boardroom serve` process: shutdown with open streams."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests import sse
from tests.conftest import upload
from tests.process import ServiceProcess


def test_sigterm_ends_open_streams_with_cancelled_shutdown_and_exits(
    tmp_path: Path, english_pdf: bytes
) -> None:
    env = {"BOARDROOM_EXTRACTIVE_DELAY_MS": "60000", "BOARDROOM_SHUTDOWN_GRACE_S": "1"}
    with (
        ServiceProcess(tmp_path, env=env) as service,
        httpx.Client(base_url=service.url, timeout=30) as client,
    ):
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(client, board_id, english_pdf)
        posted = client.post(
            "/api/expert/questions", json={"board_id": board_id, "question": "revenue?"}
        ).json()
        with (
            client.stream("GET", posted["stream_url"]) as first,
            client.stream(
                "GET", "/api/assistant/stream", params={"question": "factory?"}
            ) as second,
            client.stream("GET", f"/api/boards/{board_id}/events") as board_events,
            connect(service.url.replace("http", "ws", 1) + "/api/assistant/stream") as socket,
        ):
            socket.send(json.dumps({"query": "factory?", "status_log": [], "history": []}))
            while "chunk" not in json.loads(socket.recv(timeout=30)):
                pass
            readers = [sse.events(first), sse.events(second)]
            for reader in readers:
                assert next(e for e in reader if e.event == "delta")
            assert service.process is not None
            service.process.send_signal(signal.SIGTERM)
            for reader in readers:
                rest = list(reader)  # the server ends each response after the terminal event
                assert [(e.event, e.data) for e in rest][-1:] == [
                    ("cancelled", {"reason": "shutdown"})
                ]
            # A board's event stream ends too, instead of holding the exit.
            assert ": connected" in list(board_events.iter_lines())
            # uvicorn closes sockets itself as it stops: "service restart".
            closed = _until_closed(socket)
            assert closed.rcvd is not None
            assert closed.rcvd.code in (1000, 1012)
        assert service.process.wait(timeout=10) in (0, -signal.SIGTERM)
    log = service.log()
    assert "Cannot call" not in log
    assert " ERROR " not in log, log
    assert "Traceback" not in log, log
    assert "timeout graceful shutdown exceeded" not in log


def _until_closed(socket: ClientConnection) -> ConnectionClosed:
    try:
        while True:
            socket.recv(timeout=30)
    except ConnectionClosed as closed:
        return closed


def test_ctrl_c_stops_the_service_without_a_traceback(tmp_path: Path, english_pdf: bytes) -> None:
    """Ctrl-C on `boardroom serve` printed tracebacks from uvicorn and the ingestion workers."""
    with ServiceProcess(tmp_path) as service:
        with httpx.Client(base_url=service.url, timeout=30) as client:
            board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
            # A worker has run a job, so it waits in its loop when the signal comes.
            assert upload(client, board_id, english_pdf).status_code == 201
        service.interrupt()
        code = service.wait_closed(timeout=30)
    log = service.log()
    assert "Traceback" not in log, log
    assert "Finished server process" in log, log
    assert code == 130, log
