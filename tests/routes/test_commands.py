"""`POST /api/assistant/commands` over a real uvicorn: confirmed proposals are carried out."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


def test_a_confirmed_command_changes_the_workspace(client: httpx.Client) -> None:
    created = client.post(
        "/api/assistant/commands", json={"command": {"action": "create_board", "name": "Site"}}
    )
    assert created.status_code == 200
    board = created.json()["board"]
    assert created.json()["action"] == "create_board"
    renamed = client.post(
        "/api/assistant/commands",
        json={"command": {"action": "rename_board", "board_id": board["board_id"], "name": "Yard"}},
    ).json()
    assert renamed["board"]["name"] == "Yard"
    deleted = client.post(
        "/api/assistant/commands",
        json={"command": {"action": "delete_board", "board_id": board["board_id"]}},
    ).json()
    assert deleted == {"action": "delete_board", "board_id": board["board_id"]}
    assert client.get(f"/api/boards/{board['board_id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"command": {"action": "explode"}}, 422, "invalid_command"),
        ({"command": {"action": "create_board"}}, 422, "invalid_command"),
        ({"command": {"action": "create_board", "name": "x" * 201}}, 422, "invalid_command"),
        ({"command": {"action": "delete_board", "board_id": "brd_nope"}}, 404, "board_not_found"),
        ({"command": "create_board"}, 400, "bad_request"),
        ({}, 400, "bad_request"),
    ],
)
def test_bad_commands_are_refused(
    client: httpx.Client, body: dict[str, Any], status: int, code: str
) -> None:
    response = client.post("/api/assistant/commands", json=body)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert client.get("/api/boards").json()["boards"] == []
