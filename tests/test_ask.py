"""`boardroom ask` against a running server."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests import sse
from tests.conftest import LiveServer, metric, stream_state, upload, wait_for
from tests.process import free_port
from tests.proxy import CuttingProxy

QUESTION = "Where is the factory?"


def _ask(server: LiveServer, *args: str) -> subprocess.Popen[str]:
    return _ask_at(server.url, *args)


def _ask_at(url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "service", "ask", "--url", url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _board(client: httpx.Client, pdf: bytes) -> str:
    board_id: str = client.post("/api/boards", json={"name": "Plant"}).json()["board_id"]
    upload(client, board_id, pdf, "report.pdf")
    return board_id


def test_ask_prints_the_answer_curl_sees(
    server: LiveServer, client: httpx.Client, english_pdf: bytes
) -> None:
    board_id = _board(client, english_pdf)
    with client.stream(
        "GET", "/api/expert/stream", params={"board_id": board_id, "question": QUESTION}
    ) as response:
        expected = sse.until_terminal(response)[-1].data["answer"]
    proc = _ask(server, "--board", "Plant", QUESTION)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out == expected + "\n"
    assert "Context built with" in err


def test_ask_the_assistant(server: LiveServer, client: httpx.Client, english_pdf: bytes) -> None:
    _board(client, english_pdf)
    proc = _ask(server, "--assistant", QUESTION)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Rotterdam" in out


def test_ask_about_an_unknown_board_fails_clearly(server: LiveServer) -> None:
    proc = _ask(server, "--board", "Nowhere", QUESTION)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "no board is called 'Nowhere'" in err


@pytest.mark.parametrize("target", [["--board", "Plant"], ["--assistant"]])
def test_ask_with_nothing_listening_says_so_in_one_line(target: list[str]) -> None:
    """`boardroom ask` with no service running printed a traceback instead of what to do."""
    url = f"http://127.0.0.1:{free_port()}"
    proc = _ask_at(url, *target, QUESTION)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out) == (1, "")
    assert err.splitlines() == [
        f"boardroom ask: cannot reach the service at {url}"
        ' (start it with "boardroom serve" or set BOARDROOM_URL)'
    ]


def test_ctrl_c_stops_the_generation(make_server: Callable[..., Any], english_pdf: bytes) -> None:
    server: LiveServer = make_server(extractive_delay_ms=60_000)
    with server.client() as client:
        _board(client, english_pdf)
        proc = _ask(server, "--board", "Plant", QUESTION)
        assert proc.stderr is not None
        assert proc.stdout is not None
        stream_id = proc.stderr.readline().split()[-1]
        for line in proc.stderr:
            if "First words" in line:
                break
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        wait_for(lambda: stream_state(client, stream_id) == "cancelled", what="the stop")
        with client.stream("GET", "/api/expert/stream", params={"stream_id": stream_id}) as r:
            assert sse.until_terminal(r)[-1].data == {"reason": "stop"}


def test_a_refused_question_exits_non_zero_with_the_reason(
    server: LiveServer, client: httpx.Client
) -> None:
    client.post("/api/boards", json={"name": "Plant"})
    proc = _ask(server, "--board", "Plant", "x" * 5000)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "at most 4000 characters (422)" in err


def test_ask_resumes_after_the_connection_drops(
    make_server: Callable[..., Any], english_pdf: bytes
) -> None:
    server: LiveServer = make_server(extractive_delay_ms=30, reconnect_grace_s=30)
    with server.client() as client:
        board_id = _board(client, english_pdf)
        with client.stream(
            "GET", "/api/expert/stream", params={"board_id": board_id, "question": QUESTION}
        ) as response:
            expected = sse.until_terminal(response)[-1].data["answer"]
        # The first connection that has carried three deltas is cut mid-answer.
        proxy = CuttingProxy(server.port, lambda relayed: relayed.count(b"event: delta") >= 3)
        try:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "service",
                    "ask",
                    "--url",
                    proxy.url,
                    "--board",
                    "Plant",
                    QUESTION,
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            out, err = proc.communicate(timeout=60)
        finally:
            proxy.close()
        assert proxy.cuts == 1
        assert proc.returncode == 0, err
        assert "connection lost; resuming after str_" in err
        assert out == expected + "\n"
        assert metric(client, "boardroom_streams_started_total") == 2  # ours, then ask's
