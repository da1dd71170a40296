"""Streams by id over a real uvicorn: status, listing, and the stop button."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests import sse
from tests.conftest import LiveServer, stream_state, upload
from tests.routes.conftest import ask, open_stream


def test_stop_ends_the_stream_for_every_subscriber(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    server = make_server(extractive_delay_ms=60_000)
    with server.client() as one, server.client() as two:
        board_id = one.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(one, board_id, english_pdf)
        stream_id = ask(one, board_id).json()["stream_id"]
        with open_stream(one, stream_id) as first, open_stream(two, stream_id) as second:
            a, b = sse.events(first), sse.events(second)
            assert next(a).event == next(b).event == "start"
            stopped = one.post(f"/api/streams/{stream_id}/cancel")
            assert stopped.status_code == 200
            for reader in (a, b):
                terminal = next(e for e in reader if e.event in ("done", "error", "cancelled"))
                assert (terminal.event, terminal.data) == ("cancelled", {"reason": "stop"})
        assert stream_state(one, stream_id) == "cancelled"


def test_the_stop_button_answered_running_for_a_stream_it_had_stopped(
    make_server: Callable[..., LiveServer],
) -> None:
    """The cancel answer showed `state: running`: it now shows the state after the stop."""
    server = make_server(extractive_delay_ms=60_000)
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        stream_id = ask(client, board_id).json()["stream_id"]
        stopped = client.post(f"/api/streams/{stream_id}/cancel").json()
        assert (stopped["stream_id"], stopped["state"]) == (stream_id, "cancelled")
        assert stopped["finished_at"] is not None
        again = client.post(f"/api/streams/{stream_id}/cancel").json()
        assert again["state"] == "cancelled"  # a stop after the end changes nothing


def test_unknown_streams_are_404(client: httpx.Client) -> None:
    for path in ("/api/expert/stream?stream_id=str_nope", "/api/streams/str_nope"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "stream_not_found"
    stopped = client.post("/api/streams/str_nope/cancel")
    assert (stopped.status_code, stopped.json()["error"]["code"]) == (404, "stream_not_found")
    resumed = client.get(
        "/api/expert/stream",
        params={"question": "x", "board_id": "b"},
        headers={"Last-Event-ID": "str_nope:3"},
    )
    assert resumed.status_code == 404


def test_streams_can_be_listed_by_board_and_state(client: httpx.Client, filled: str) -> None:
    stream_id = ask(client, filled).json()["stream_id"]
    with open_stream(client, stream_id) as response:
        sse.until_terminal(response)
    listed = client.get("/api/streams", params={"board_id": filled, "state": "done"}).json()
    assert [s["stream_id"] for s in listed["streams"]] == [stream_id]
    assert client.get("/api/streams", params={"state": "running"}).json()["streams"] == []
    assert client.get("/api/streams", params={"state": "bogus"}).status_code == 400


def test_a_stream_reports_its_record(client: httpx.Client, filled: str) -> None:
    stream_id = ask(client, filled).json()["stream_id"]
    with open_stream(client, stream_id) as response:
        events = sse.until_terminal(response)
    record = client.get(f"/api/streams/{stream_id}").json()
    assert record["kind"] == "expert"
    assert record["board_id"] == filled
    assert record["state"] == "done"
    assert record["events"] == len(events)
    assert "client" not in record  # the client's address stays private
