"""Boards, notes, view, context and history over HTTP, and what survives a restart."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer, upload


def test_board_lifecycle(client: httpx.Client) -> None:
    created = client.post("/api/boards", json={"name": "  Strategy  "})
    assert created.status_code == 201
    board = created.json()
    assert board["name"] == "Strategy"
    assert (board["files"], board["notes"]) == (0, 0)
    assert created.headers["location"] == f"/api/boards/{board['board_id']}"
    assert client.get("/api/boards").json()["boards"] == [board]

    renamed = client.patch(f"/api/boards/{board['board_id']}", json={"name": "Plans"})
    assert renamed.json()["name"] == "Plans"
    assert renamed.json()["updated_at"] >= board["updated_at"]

    assert client.delete(f"/api/boards/{board['board_id']}").status_code == 204
    assert client.get(f"/api/boards/{board['board_id']}").status_code == 404
    assert client.get("/api/boards").json()["boards"] == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"[1, 2]", 400),
        (b'{"name": 5}', 400),
        (b'{"name": ""}', 422),
        (b"{}", 422),
        (('{"name": "' + "x" * 201 + '"}').encode(), 422),
    ],
)
def test_bad_board_bodies_are_refused(client: httpx.Client, body: bytes, status: int) -> None:
    response = client.post(
        "/api/boards", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == status
    assert set(response.json()["error"]) == {"code", "message"}


def test_unknown_things_are_404_in_json(client: httpx.Client, board: dict[str, Any]) -> None:
    board_id = board["board_id"]
    for path in (
        "/api/boards/brd_nope",
        f"/api/boards/{board_id}/files/fil_nope",
        f"/api/boards/{board_id}/files/fil_nope/pages/1",
        "/api/nothing-here",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "code" in response.json()["error"]
    assert (
        client.put(f"/api/boards/{board_id}/notes/not_nope", json={"text": "x"}).status_code == 404
    )


def test_wrong_method_is_405_in_json(client: httpx.Client) -> None:
    response = client.put("/api/boards", json={})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_notes_crud_and_counts(client: httpx.Client, board: dict[str, Any]) -> None:
    board_id = board["board_id"]
    note = client.post(
        f"/api/boards/{board_id}/notes", json={"title": "Todo", "text": "Call the auditors."}
    )
    assert note.status_code == 201
    note_id = note.json()["note_id"]
    assert client.get(f"/api/boards/{board_id}").json()["notes"] == 1
    updated = client.put(
        f"/api/boards/{board_id}/notes/{note_id}",
        json={"title": "Todo", "text": "Call the auditors on Monday."},
    )
    assert updated.json()["text"] == "Call the auditors on Monday."
    assert client.get(f"/api/boards/{board_id}/notes").json()["notes"] == [updated.json()]
    hits = client.get(f"/api/boards/{board_id}/search", params={"q": "monday"}).json()
    assert hits["results"][0]["note_id"] == note_id
    assert client.delete(f"/api/boards/{board_id}/notes/{note_id}").status_code == 204
    assert client.get(f"/api/boards/{board_id}").json()["notes"] == 0
    assert (
        client.get(f"/api/boards/{board_id}/search", params={"q": "monday"}).json()["results"] == []
    )


def test_view_comes_first_in_the_context(
    client: httpx.Client, board: dict[str, Any], english_pdf: bytes
) -> None:
    board_id = board["board_id"]
    file_id = upload(client, board_id, english_pdf, "report.pdf").json()["file_id"]
    client.post(f"/api/boards/{board_id}/notes", json={"title": "n", "text": "Revenue note."})
    view = client.put(f"/api/boards/{board_id}/view", json={"file_id": file_id, "page": 3})
    assert view.status_code == 200
    context = client.get(
        f"/api/boards/{board_id}/context", params={"question": "How did revenue grow?"}
    ).json()
    assert context["view"]["page"] == 3
    assert "photovoltaic" in context["view"]["text"]
    assert context["sources"][0]["page"] == 1  # the revenue page, retrieved
    assert [n["text"] for n in context["notes"]] == ["Revenue note."]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"file_id": "fil_nope", "page": 1}, 404),
        ({"page": 1}, 422),
        ({"file_id": "x", "page": "one"}, 400),
    ],
)
def test_bad_views_are_refused(
    client: httpx.Client, board: dict[str, Any], body: dict[str, Any], status: int
) -> None:
    response = client.put(f"/api/boards/{board['board_id']}/view", json=body)
    assert response.status_code == status


def test_get_view_was_405_while_put_view_worked(
    client: httpx.Client, board: dict[str, Any], english_pdf: bytes
) -> None:
    """GET …/view answered 405: it now serves the page the user is looking at."""
    path = f"/api/boards/{board['board_id']}/view"
    assert client.get(path).json() == {
        "file_id": None,
        "filename": None,
        "page": None,
        "updated_at": None,
    }
    file_id = upload(client, board["board_id"], english_pdf, "report.pdf").json()["file_id"]
    put = client.put(path, json={"file_id": file_id, "page": 2}).json()
    got = client.get(path)
    assert got.status_code == 200
    assert got.json() == put
    assert (got.json()["filename"], got.json()["page"]) == ("report.pdf", 2)
    assert client.get("/api/boards/brd_nope/view").status_code == 404


def test_view_of_a_page_past_the_end_is_404(
    client: httpx.Client, board: dict[str, Any], english_pdf: bytes
) -> None:
    file_id = upload(client, board["board_id"], english_pdf).json()["file_id"]
    response = client.put(
        f"/api/boards/{board['board_id']}/view", json={"file_id": file_id, "page": 4}
    )
    assert response.status_code == 404


def test_history_starts_empty_and_can_be_cleared(
    client: httpx.Client, board: dict[str, Any]
) -> None:
    path = f"/api/boards/{board['board_id']}/history"
    assert client.get(path).json() == {"history": []}
    assert client.delete(path).status_code == 204


def test_data_survives_a_restart(make_server: Any, english_pdf: bytes, chinese_pdf: bytes) -> None:
    first: LiveServer = make_server()
    with first.client() as client:
        board_id = client.post("/api/boards", json={"name": "Kept"}).json()["board_id"]
        file_id = upload(client, board_id, chinese_pdf).json()["file_id"]
        client.post(f"/api/boards/{board_id}/notes", json={"title": "n", "text": "kept note"})
        client.put(f"/api/boards/{board_id}/view", json={"file_id": file_id, "page": 2})
        before = client.get(f"/api/boards/{board_id}").json()
    first.stop()

    second: LiveServer = make_server()
    with second.client() as client:
        assert client.get(f"/api/boards/{board_id}").json() == before
        assert client.get(f"/api/boards/{board_id}/files/{file_id}").json()["status"] == "ready"
        hits = client.get(f"/api/boards/{board_id}/search", params={"q": "算力"}).json()
        assert hits["results"][0]["page"] == 2
        context = client.get(f"/api/boards/{board_id}/context", params={"question": "note"}).json()
        assert context["view"]["page"] == 2
        assert context["notes"][0]["text"] == "kept note"
        assert client.get(f"/api/boards/{board_id}/files/{file_id}/raw").content == chinese_pdf


def test_api_token_guards_the_api(make_server: Any) -> None:
    server: LiveServer = make_server(api_token="s3cret")
    with server.client() as client:
        refused = client.get("/api/boards")
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "unauthorized"
        assert (
            client.get("/api/boards", headers={"authorization": "Bearer wrong"}).status_code == 401
        )
        assert (
            client.get("/api/boards", headers={"authorization": "Bearer s3cret"}).status_code == 200
        )
        assert client.get("/api/boards", params={"token": "s3cret"}).status_code == 200
        assert client.get("/healthz").json()["auth"] is True  # the page knows to ask


def test_web_page_and_health(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Boardroom" in page.text
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["engine"] == "extractive"
    assert (health["ping_s"], health["auth"]) == (15.0, False)
    assert "boardroom_up 1" in client.get("/metrics").text


def test_cors_lets_a_configured_origin_in(make_server: Any) -> None:
    server: LiveServer = make_server(cors_origins=("https://app.example",))
    with server.client() as client:
        preflight = client.options(
            "/api/boards",
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://app.example"
        other = client.get("/api/boards", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers
