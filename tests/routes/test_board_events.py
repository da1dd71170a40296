"""A board's live events over SSE, on a real uvicorn."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import upload


def test_board_events_report_deletion_and_end(client: httpx.Client, board: dict[str, Any]) -> None:
    board_id = board["board_id"]
    with client.stream("GET", f"/api/boards/{board_id}/events") as events:
        assert events.headers["content-type"].startswith("text/event-stream")
        assert events.headers["cache-control"] == "no-cache"
        assert events.headers["x-accel-buffering"] == "no"
        lines = events.iter_lines()
        assert next(lines) == ": connected"
        client.post(f"/api/boards/{board_id}/notes", json={"title": "t", "text": "x"})
        client.delete(f"/api/boards/{board_id}")
        rest = list(lines)  # the server closes the stream after board.deleted
    assert "event: context.updated" in rest
    assert rest[-3:-1] == ["event: board.deleted", f'data: {{"board_id":"{board_id}"}}']


def test_board_events_follow_an_upload_to_ready(
    client: httpx.Client, board: dict[str, Any], english_pdf: bytes
) -> None:
    board_id = board["board_id"]
    with client.stream("GET", f"/api/boards/{board_id}/events") as events:
        lines = events.iter_lines()
        assert next(lines) == ": connected"
        file_id = upload(client, board_id, english_pdf, wait=False).json()["file_id"]
        seen: list[str] = []
        for line in lines:
            if line.startswith("event: "):
                seen.append(line.removeprefix("event: "))
            if seen and seen[-1] == "file.ready":
                break
    assert seen[0] == "file.progress"
    assert seen[-1] == "file.ready"
    assert client.get(f"/api/boards/{board_id}/files/{file_id}").json()["status"] == "ready"


def test_an_unknown_board_has_no_events(client: httpx.Client) -> None:
    response = client.get("/api/boards/brd_nope/events")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "board_not_found")
