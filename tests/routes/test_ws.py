"""The WebSocket shim, spoken to exactly as the old clients speak."""

from __future__ import annotations

import json
import random
import socket
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from service.routes.ws import frames
from service.streams.events import Delta, Done, Step, StreamEvent
from tests.conftest import LiveServer, metric, stream_state, upload, wait_for, ws_frames
from tests.fakeopenai import FakeOpenAI, Reply

QUESTION = "Where is the factory?"


def _ws(server: LiveServer, kind: str = "expert") -> ClientConnection:
    return connect(
        server.url.replace("http", "ws", 1) + f"/api/{kind}/stream",
        open_timeout=10,
        close_timeout=10,
    )


@pytest.fixture
def board_id(client: httpx.Client, english_pdf: bytes) -> str:
    board: str = client.post("/api/boards", json={"name": "Plant"}).json()["board_id"]
    upload(client, board, english_pdf, "report.pdf")
    return board


def test_the_old_expert_protocol(server: LiveServer, board_id: str) -> None:
    with _ws(server) as ws:
        ws.send(json.dumps({"query": QUESTION, "board_id": board_id, "history": []}))
        frames = ws_frames(ws)
        assert ws.close_code == 1000
    debug = [f for f in frames if "debug" in f]
    assert [f["status"] for f in debug][:2] == ["info", "success"]
    assert all(isinstance(f["timestamp"], float) for f in debug)
    chunks = "".join(f["chunk"] for f in frames if "chunk" in f)
    done = frames[-1]
    assert done["done"] is True
    assert done["full_response"] == chunks
    assert "Rotterdam" in chunks
    assert "command" not in done
    assert set(frames[0]) == {"debug", "status", "timestamp"}


def test_the_old_assistant_protocol(server: LiveServer, board_id: str) -> None:
    with _ws(server, "assistant") as ws:
        ws.send(json.dumps({"query": QUESTION, "status_log": [], "history": []}))
        frames = ws_frames(ws)
        assert ws.close_code == 1000
    done = frames[-1]
    assert done["done"] is True
    assert "command" in done
    assert "(board: Plant)" in done["full_response"]


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("this is not json", 1007),
        (json.dumps(["a list"]), 1007),
        (json.dumps({"board_id": "x"}), 1007),
        (json.dumps({"query": "x" * 4001, "board_id": "{board}"}), 1007),
        (json.dumps({"query": "   ", "board_id": "{board}"}), 1007),
        (json.dumps({"query": "hi", "board_id": "brd_unknown"}), 1008),
    ],
    ids=["not-json", "not-object", "no-query", "too-long", "empty", "unknown-board"],
)
def test_a_bad_first_frame_gets_an_error_and_its_close_code(
    server: LiveServer, client: httpx.Client, board_id: str, frame: str, code: int
) -> None:
    with _ws(server) as ws:
        ws.send(frame.replace("{board}", board_id))
        frames = ws_frames(ws)
        assert ws.close_code == code
    assert len(frames) == 1
    assert frames[0]["error"]
    assert metric(client, "boardroom_streams_started_total") == 0


def test_closing_mid_stream_cancels_the_generation(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    server = make_server(extractive_delay_ms=60_000, reconnect_grace_s=0)
    with server.client() as client:
        board = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(client, board, english_pdf)
        with _ws(server) as ws:
            ws.send(json.dumps({"query": QUESTION, "board_id": board, "history": []}))
            while "chunk" not in json.loads(ws.recv(timeout=30)):
                pass
        stream_id = client.get("/api/streams").json()["streams"][0]["stream_id"]
        wait_for(lambda: stream_state(client, stream_id) == "cancelled", what="cancellation")
        with client.stream("GET", "/api/expert/stream", params={"stream_id": stream_id}) as r:
            assert b'"reason":"disconnect"' in r.read()


def test_200_socket_clients_some_leaving_early(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    server = make_server(extractive_delay_ms=5, reconnect_grace_s=0, max_streams_per_client=500)
    with server.client() as client:
        board = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(client, board, english_pdf)
        rng = random.Random(7)
        leave_early = set(rng.sample(range(200), 66))
        results: dict[int, Any] = {}

        def one(n: int) -> None:
            try:
                with _ws(server) as ws:
                    ws.send(json.dumps({"query": QUESTION, "board_id": board, "history": []}))
                    if n in leave_early:
                        while "chunk" not in json.loads(ws.recv(timeout=60)):
                            pass
                        results[n] = "left"
                        return
                    frames = ws_frames(ws)
                    results[n] = (ws.close_code, frames[-1])
            except Exception as exc:  # recorded, asserted below
                results[n] = exc

        threads = [threading.Thread(target=one, args=(n,)) for n in range(200)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        completed = [r for n, r in results.items() if n not in leave_early]
        assert len(results) == 200
        assert all(code == 1000 and last.get("done") for code, last in completed), completed[:3]
        assert all(results[n] == "left" for n in leave_early)
        wait_for(
            lambda: metric(client, "boardroom_streams_running") == 0,
            timeout=60,
            what="every generation to end",
        )
        assert metric(client, "boardroom_streams_started_total") == 200
        ended = sum(
            metric(client, "boardroom_streams_ended_total", outcome=e)
            for e in ("done", "error", "cancelled")
        )
        assert ended == 200


def test_the_api_token_guards_the_shim(make_server: Callable[..., LiveServer]) -> None:
    server = make_server(api_token="s3cret")
    with pytest.raises(Exception, match="403"):
        _ws(server)
    url = server.url.replace("http", "ws", 1) + "/api/assistant/stream?token=s3cret"
    with connect(url, open_timeout=10) as ws:
        ws.send(json.dumps({"query": "anything", "status_log": [], "history": []}))
        assert ws_frames(ws)[-1]["done"] is True


def test_limits_apply_to_the_shim(make_server: Callable[..., LiveServer]) -> None:
    server = make_server(extractive_delay_ms=60_000, max_streams_per_client=1)
    with server.client() as client:
        client.post("/api/assistant/questions", json={"question": "hold the only slot"})
        with _ws(server, "assistant") as ws:
            ws.send(json.dumps({"query": "one more", "status_log": [], "history": []}))
            frames = ws_frames(ws)
            assert ws.close_code == 1013
        assert "answers being generated" in frames[0]["error"]


def test_deltas_read_together_go_out_as_one_chunk_frame() -> None:
    """A run of deltas found together is one chunk with their text; other frames split runs."""
    events = [
        Delta("Revenue "),
        Delta("grew "),
        Step("first_token", "info", "first token"),
        Delta("by 12%."),
        Done(answer="Revenue grew by 12%."),
    ]
    batch = [StreamEvent.make("str_1", n, payload) for n, payload in enumerate(events, 1)]
    sent = [json.loads(frame) for frame in frames(batch, "expert")]
    assert [f.get("chunk") for f in sent] == ["Revenue grew ", None, "by 12%.", None]
    assert sent[-1]["full_response"] == "Revenue grew by 12%."


def test_a_chunk_of_deltas_has_their_exact_text_whatever_it_holds() -> None:
    """Quotes, backslashes, newlines, control characters, Chinese and emoji survive the join."""
    texts = ['say "hi"', "\\path\n", "line\nnext\t", "\x01\x1f", "营收增长", "🙂", "</script>"]
    batch = [StreamEvent.make("str_1", n, Delta(t)) for n, t in enumerate(texts, 1)]
    (frame,) = frames(batch, "expert")
    assert json.loads(frame) == {"chunk": "".join(texts)}


def _llm_board(server: LiveServer, english_pdf: bytes) -> str:
    with server.client() as client:
        board: str = client.post("/api/boards", json={"name": "Plant"}).json()["board_id"]
        upload(client, board, english_pdf, "report.pdf")
    return board


def test_a_reader_that_keeps_up_gets_each_delta_in_its_own_frame_at_once(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, english_pdf: bytes
) -> None:
    """The provider sends each token only once the previous one's frame has arrived."""
    server = llm_server()
    board_id = _llm_board(server, english_pdf)
    tokens = ["The ", "factory ", "is ", "in ", "Rotterdam."]
    gate = threading.Semaphore(0)
    provider.script(Reply(tokens=tokens, gate=gate))
    chunks: list[str] = []
    with _ws(server) as ws:
        ws.send(json.dumps({"query": QUESTION, "board_id": board_id, "history": []}))
        while len(chunks) < len(tokens):
            frame = json.loads(ws.recv(timeout=15))
            if "chunk" in frame:
                chunks.append(frame["chunk"])
                gate.release()  # the next token only now: a held-back frame would hang here
        rest = ws_frames(ws)
    assert chunks == tokens
    assert rest[-1]["full_response"] == "".join(tokens)


def test_a_reader_that_fell_behind_gets_the_waiting_deltas_in_fewer_frames(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, english_pdf: bytes
) -> None:
    """Not reading until the answer is done, the client finds runs of deltas in single frames."""
    server = llm_server()
    board_id = _llm_board(server, english_pdf)
    # 8 MB of deltas: more than the socket buffers between us hold, so the shim's sends
    # wait for the reader while the answer goes on.
    tokens = [f"{n:05d}" + "x" * 2043 for n in range(4000)]
    provider.script(Reply(tokens=tokens))
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    with (
        connect(
            server.url.replace("http", "ws", 1) + "/api/expert/stream", sock=sock, max_size=None
        ) as ws,
        server.client() as client,
    ):
        ws.send(json.dumps({"query": QUESTION, "board_id": board_id, "history": []}))
        wait_for(
            lambda: [s["state"] for s in client.get("/api/streams").json()["streams"]] == ["done"],
            timeout=60,
            what="the answer to end while its reader reads nothing",
        )
        frames_ = ws_frames(ws)
    chunks = [f["chunk"] for f in frames_ if "chunk" in f]
    assert "".join(chunks) == "".join(tokens) == frames_[-1]["full_response"]
    assert len(chunks) < len(tokens)
