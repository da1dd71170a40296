"""The real `boardroom serve` process: shutdown with open streams."""

from __future__ import annotations

import contextlib
import json
import signal
from pathlib import Path

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests import sse
from tests.conftest import upload, wait_for
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


def test_ctrl_c_while_the_service_starts_killed_the_fork_server_with_a_traceback(
    tmp_path: Path,
) -> None:
    """Ctrl-C during start-up reached the fork server while it imported the PDF code."""
    with ServiceProcess(tmp_path, ready_line="Waiting for application startup") as service:
        assert service.process is not None
        wait_for(
            lambda: _fork_server_of(service.process.pid) if service.process else None,
            what="the fork server to start",
        )
        service.interrupt()  # while it imports the PDF code, before it is ready
        code = service.wait_closed(timeout=30)
    log = service.log()
    assert "Traceback" not in log, log
    assert code in (0, 130), log


def _fork_server_of(pid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and b"forkserver" in (stat.parent / "cmdline").read_bytes():
                return True
    return False
