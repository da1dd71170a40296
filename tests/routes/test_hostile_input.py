"""Input an attacker or a careless client sends: always a clear 4xx, never a 500 or a 1006."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.conftest import LiveServer, upload

DEEP = "[" * 100_000 + "]" * 100_000
SURROGATE = '"\\ud800"'  # JSON's spelling of a lone surrogate, which UTF-8 cannot hold
JSON = {"content-type": "application/json"}


@pytest.fixture
def ids(client: httpx.Client, board: dict[str, Any], english_pdf: bytes) -> dict[str, str]:
    """A board with a file and a note: every JSON route has something to act on."""
    board_id = board["board_id"]
    file_id = upload(client, board_id, english_pdf, "report.pdf").json()["file_id"]
    note = client.post(f"/api/boards/{board_id}/notes", json={"title": "t", "text": "x"})
    return {"board": board_id, "file": file_id, "note": note.json()["note_id"]}


def _json_routes(ids: dict[str, str]) -> list[tuple[str, str, str]]:
    """Every route that takes a JSON body, with the string field it reads."""
    b = f"/api/boards/{ids['board']}"
    return [
        ("POST", "/api/boards", "name"),
        ("PATCH", b, "name"),
        ("POST", f"{b}/notes", "text"),
        ("PUT", f"{b}/notes/{ids['note']}", "text"),
        ("PUT", f"{b}/view", "file_id"),
        ("POST", "/api/expert/questions", "question"),
        ("POST", "/api/assistant/questions", "question"),
        ("POST", "/api/assistant/commands", "name"),
    ]


def test_deeply_nested_json_was_a_500_on_every_json_route(
    client: httpx.Client, ids: dict[str, str]
) -> None:
    """`[[[…]]]` 100,000 deep exhausted the parser's stack: 500 on every JSON route."""
    for method, path, _ in _json_routes(ids):
        response = client.request(method, path, content=DEEP, headers=JSON)
        assert response.status_code == 400, (method, path, response.text)
        assert "nested" in response.json()["error"]["message"]
        nested = '{"a": ' * 40 + "1" + "}" * 40
        response = client.request(method, path, content=nested, headers=JSON)
        assert response.status_code == 400, (method, path, response.text)


def test_a_lone_surrogate_in_a_string_was_a_500(client: httpx.Client, ids: dict[str, str]) -> None:
    """`"\\ud800"` parsed as JSON, then failed every UTF-8 encoding after it: 500."""
    for method, path, field in _json_routes(ids):
        body = f'{{"{field}": {SURROGATE}, "board_id": "{ids["board"]}", "page": 1}}'
        response = client.request(method, path, content=body, headers=JSON)
        assert response.status_code == 400, (method, path, response.text)
        assert "Unicode" in response.json()["error"]["message"]


def test_a_question_with_a_lone_surrogate_left_a_stream_that_broke_the_listing(
    client: httpx.Client, ids: dict[str, str]
) -> None:
    """It left a 'running' stream no limit saw, and every later GET /api/streams was a 500."""
    body = f'{{"board_id": "{ids["board"]}", "question": "why {SURROGATE[1:-1]}"}}'
    assert client.post("/api/expert/questions", content=body, headers=JSON).status_code == 400
    listing = client.get("/api/streams")
    assert listing.status_code == 200
    assert listing.json()["streams"] == []


def test_a_json_body_that_does_not_say_json_is_refused(
    client: httpx.Client, ids: dict[str, str]
) -> None:
    """A text/plain body needs no preflight, so any web page could delete or rename a board."""
    for method, path, field in _json_routes(ids):
        body = json.dumps({field: "x", "board_id": ids["board"]})
        for headers in ({"content-type": "text/plain"}, {}):
            response = client.request(method, path, content=body, headers=headers)
            assert response.status_code == 415, (method, path, headers, response.text)
            assert response.json()["error"]["code"] == "unsupported_media_type"
    assert client.get(f"/api/boards/{ids['board']}").json()["name"] == "Quarterly"


@pytest.mark.parametrize("page", [str(2**63), str(2**31), "9" * 4301])
def test_a_page_number_past_what_sqlite_holds_was_a_500(
    client: httpx.Client, ids: dict[str, str], page: str
) -> None:
    """A page ≥ 2**63 overflowed SQLite's integers on the view and on the page text."""
    view = client.put(
        f"/api/boards/{ids['board']}/view",
        content=f'{{"file_id": "{ids["file"]}", "page": {page}}}',
        headers=JSON,
    )
    assert view.status_code in (400, 422), view.text
    text = client.get(f"/api/boards/{ids['board']}/files/{ids['file']}/pages/{page}")
    assert text.status_code == 400, text.text


@pytest.mark.parametrize("last_id", ["9" * 4300, "²", "٣", "1" * 19])
def test_a_last_event_id_that_is_no_number_was_a_500(
    client: httpx.Client, ids: dict[str, str], last_id: str
) -> None:
    """int() takes '²' and refuses 4,300 digits with its own error: both were 500s."""
    posted = client.post(
        "/api/expert/questions", json={"board_id": ids["board"], "question": "risk?"}
    ).json()
    for value in (last_id, f"{posted['stream_id']}:{last_id}"):
        response = client.get(
            "/api/expert/stream",
            params={"stream_id": posted["stream_id"], "last_event_id": value},
        )
        assert response.status_code == 400, (value[:20], response.text)
        one_shot = client.get("/api/expert/stream", headers={b"last-event-id": value.encode()})
        assert one_shot.status_code == 400, (value[:20], one_shot.text)
    with client.stream(
        "GET", f"/api/boards/{ids['board']}/events", params={"last_event_id": last_id}
    ) as events:
        assert events.status_code == 200  # a new reader, from now on


@pytest.mark.parametrize(
    "frame",
    [DEEP, f'{{"query": {SURROGATE}}}', '{"query": "q", "board_id": 7}', b"\xff\xfe", "[]"],
)
def test_a_bad_first_frame_closed_the_socket_with_1006(
    server: LiveServer, ids: dict[str, str], frame: str | bytes
) -> None:
    """Three handlers died on bad frames: the client saw 1006 and no reason."""
    with connect(server.url.replace("http", "ws", 1) + "/api/expert/stream") as ws:
        ws.send(frame)
        reply = json.loads(ws.recv(timeout=10))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert "error" in reply
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code in (1007, 1008)
