"""Two service processes sharing one Redis: a question asked on one streams from the other."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests import sse
from tests.conftest import LiveServer, metric, stream_state, upload, wait_for
from tests.redisserver import RedisServer

QUESTION = "Where is the factory?"


def _pair(
    make_server: Callable[..., LiveServer], redis_url: str, **overrides: Any
) -> tuple[LiveServer, LiveServer]:
    # Same broker and same data dir: two processes of one deployment.
    return (
        make_server(broker_url=redis_url, **overrides),
        make_server(broker_url=redis_url, **overrides),
    )


def _ask(client: httpx.Client, pdf: bytes) -> str:
    """A board with the PDF, and an expert question on it: the stream's id."""
    board_id = client.post("/api/boards", json={"name": "Plant"}).json()["board_id"]
    upload(client, board_id, pdf)
    stream_id: str = client.post(
        "/api/expert/questions", json={"board_id": board_id, "question": QUESTION}
    ).json()["stream_id"]
    return stream_id


def test_a_question_asked_on_one_process_streams_from_another(
    make_server: Callable[..., LiveServer], redis_url: str, english_pdf: bytes
) -> None:
    one, two = _pair(make_server, redis_url, extractive_delay_ms=5, reconnect_grace_s=10)
    with one.client() as a, two.client() as b:
        stream_id = _ask(a, english_pdf)
        with b.stream("GET", "/api/expert/stream", params={"stream_id": stream_id}) as r:
            head = sse.until(r, "delta")
        with a.stream(
            "GET",
            "/api/expert/stream",
            params={"stream_id": stream_id},
            headers={"Last-Event-ID": head[-1].id or ""},
        ) as r:
            tail = sse.until_terminal(r)
        everything = head + tail
        assert [e.n for e in everything] == list(range(1, len(everything) + 1))
        assert everything[-1].event == "done"
        answer = "".join(e.data["text"] for e in everything if e.event == "delta")
        assert everything[-1].data["answer"] == answer
        assert "Rotterdam" in answer
        assert b.get(f"/api/streams/{stream_id}").json()["state"] == "done"
        assert (
            b.get(
                "/api/expert/stream",
                params={"stream_id": stream_id},
                headers={"Last-Event-ID": everything[-1].id or ""},
            ).status_code
            == 204
        )


def test_stop_on_one_process_cancels_the_generation_on_the_other(
    make_server: Callable[..., LiveServer], redis_url: str, english_pdf: bytes
) -> None:
    one, two = _pair(make_server, redis_url, extractive_delay_ms=60_000)
    with one.client() as a, two.client() as b:
        stream_id = _ask(a, english_pdf)
        with a.stream("GET", "/api/expert/stream", params={"stream_id": stream_id}) as r:
            events = sse.events(r)
            assert next(e for e in events if e.event == "delta")
            assert b.post(f"/api/streams/{stream_id}/cancel").status_code == 200
            terminal = next(e for e in events if e.event in ("done", "error", "cancelled"))
        assert (terminal.event, terminal.data) == ("cancelled", {"reason": "stop"})


def test_a_reader_leaving_another_process_cancels_after_the_grace(
    make_server: Callable[..., LiveServer], redis_url: str, english_pdf: bytes
) -> None:
    one, two = _pair(make_server, redis_url, extractive_delay_ms=60_000, reconnect_grace_s=0)
    with one.client() as a, two.client() as b:
        stream_id = _ask(a, english_pdf)
        with b.stream("GET", "/api/expert/stream", params={"stream_id": stream_id}) as r:
            assert next(e for e in sse.events(r) if e.event == "delta")
        wait_for(lambda: stream_state(a, stream_id) == "cancelled", what="the cancel")
        with a.stream("GET", "/api/expert/stream", params={"stream_id": stream_id}) as r:
            assert sse.until_terminal(r)[-1].data == {"reason": "disconnect"}


def test_idempotency_keys_hold_across_processes(
    make_server: Callable[..., LiveServer], redis_url: str
) -> None:
    one, two = _pair(make_server, redis_url)
    with one.client() as a, two.client() as b:
        body = {"question": "anything at all"}
        first = a.post("/api/assistant/questions", json=body, headers={"Idempotency-Key": "k"})
        again = b.post("/api/assistant/questions", json=body, headers={"Idempotency-Key": "k"})
        assert (first.status_code, again.status_code) == (202, 200)
        assert again.json()["stream_id"] == first.json()["stream_id"]


def test_a_broker_that_goes_away_means_503_not_a_crash(
    make_server: Callable[..., LiveServer], tmp_path: Path
) -> None:
    broker = RedisServer(tmp_path / "redis")
    server = make_server(broker_url=broker.url)
    with server.client() as client:
        assert (
            client.post("/api/assistant/questions", json={"question": "before"}).status_code == 202
        )
        broker.stop()
        refused = client.post("/api/assistant/questions", json={"question": "after"})
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "unavailable"
        assert "Retry-After" in refused.headers
        assert client.get("/healthz").status_code == 200
        assert (
            metric(client, "boardroom_event_log_errors_total", operation="claim_key")
            + metric(client, "boardroom_event_log_errors_total", operation="create")
            >= 1
        )


def test_a_broker_restarted_mid_answer_ends_readers_with_an_error_then_serves_again(
    make_server: Callable[..., LiveServer], tmp_path: Path, english_pdf: bytes
) -> None:
    broker = RedisServer(tmp_path / "redis")
    server = make_server(broker_url=broker.url, extractive_delay_ms=50)
    params = {"question": QUESTION}
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "Plant"}).json()["board_id"]
        upload(client, board_id, english_pdf)
        params["board_id"] = board_id
        with client.stream("GET", "/api/expert/stream", params=params) as r:
            events = sse.events(r)
            first = next(e for e in events if e.event == "delta")
            broker.stop()
            rest = list(events)
        # Exactly one terminal, last: an error that is not in the log (no id), so a
        # reconnect with the last id would resume where the reader was.
        assert [e.event for e in rest if e.event != "delta"] == ["error"]
        assert rest[-1].event == "error"
        assert rest[-1].id is None
        assert rest[-1].data["code"] == "unavailable"
        assert rest[-1].data["retryable"] is True
        assert client.get("/healthz").status_code == 200

        broker = RedisServer(tmp_path / "redis", port=broker.port)
        try:
            # Its data went with it: the stream is gone, and a new question is answered.
            assert client.get(f"/api/streams/{first.stream_id}").status_code == 404
            created = wait_for(
                lambda: client.post("/api/expert/questions", json=params).status_code == 202,
                what="a question accepted after the restart",
            )
            assert created
            with client.stream("GET", "/api/expert/stream", params=params) as r:
                answer = sse.until_terminal(r)
            assert answer[-1].event == "done"
            assert "Rotterdam" in answer[-1].data["answer"]
        finally:
            broker.stop()


def test_a_file_uploaded_through_one_process_is_reported_ready_on_another(
    make_server: Callable[..., LiveServer], redis_url: str, english_pdf: bytes
) -> None:
    one, two = _pair(make_server, redis_url)
    with one.client() as a, two.client() as b:
        board_id = a.post("/api/boards", json={"name": "Plant"}).json()["board_id"]
        path = f"/api/boards/{board_id}/events"
        with b.stream("GET", path) as r:
            file_id = upload(a, board_id, english_pdf, wait=False).json()["file_id"]
            seen = sse.until(r, "context.updated")
        names = [e.event for e in seen]
        assert names[0] == "file.progress"
        assert names[-2:] == ["file.ready", "context.updated"]
        assert seen[-2].data == {"file_id": file_id}
        assert [int(e.id or 0) for e in seen] == list(range(1, len(seen) + 1))

        # Resumed on the other process from the middle: the same events, the same ids.
        with a.stream("GET", path, headers={"Last-Event-ID": seen[0].id or ""}) as r:
            resumed = sse.until(r, "context.updated")
        assert [(e.id, e.event, e.data) for e in resumed] == [
            (e.id, e.event, e.data) for e in seen[1:]
        ]

        # A board deleted through one process ends its event streams on the other.
        with b.stream("GET", path) as r:
            events = sse.events(r)
            assert a.delete(f"/api/boards/{board_id}").status_code == 204
            assert [e.event for e in events] == ["board.deleted"]
