"""The assistant's tools, and the commands it may only propose."""

from __future__ import annotations

from typing import Any

from service.boards import MAX_NAME, Board, Boards
from service.errors import BoardNotFound, CommandInvalid

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "list_boards",
            "description": "List every board: its id, its name, how many files and notes.",
            "parameters": {"type": "object", "properties": {}},
        },
    },
    {
        "type": "function",
        "function": {
            "name": "search_boards",
            "description": "Search the PDFs and notes of every board; passages best first.",
            "parameters": {
                "type": "object",
                "properties": {"query": {"type": "string", "description": "what to look for"}},
                "required": ["query"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "consult_expert",
            "description": "Ask one board's expert, who answers from that board's material.",
            "parameters": {
                "type": "object",
                "properties": {
                    "board": {"type": "string", "description": "the board's id or name"},
                    "question": {"type": "string"},
                },
                "required": ["board", "question"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "propose_command",
            "description": "Propose a change to the workspace for the user to confirm: create, "
            "rename or delete a board. Nothing changes until the user confirms.",
            "parameters": {
                "type": "object",
                "properties": {
                    "action": {
                        "type": "string",
                        "enum": ["create_board", "rename_board", "delete_board"],
                    },
                    "board": {"type": "string", "description": "id or name of the board to change"},
                    "name": {"type": "string", "description": "the new or new board's name"},
                },
                "required": ["action"],
            },
        },
    },
]


def named(every: list[Board], ref: str) -> list[Board]:
    """The boards `ref` names: the one with that id, else those so called (without case)."""
    by_id = [b for b in every if b.board_id == ref]
    return by_id or [b for b in every if b.name.casefold() == ref.strip().casefold()]


async def find_board(boards: Boards, ref: str) -> str:
    """A board id from an id or a name (names compare without case)."""
    found = named(await boards.list_boards(), ref)
    if len(found) == 1:
        return found[0].board_id
    raise BoardNotFound(
        f"no board is called {ref!r}"
        if not found
        else f"several boards are called {ref!r}; use the board's id"
    )


async def list_boards(boards: Boards) -> list[dict[str, Any]]:
    """Every board, for the model."""
    return [
        {"board_id": b.board_id, "name": b.name, "files": b.files, "notes": b.notes}
        for b in await boards.list_boards()
    ]


async def search_boards(boards: Boards, query: str) -> list[dict[str, Any]]:
    """Passages from every board, each saying which board it is from."""
    names = {b.board_id: b.name for b in await boards.list_boards()}
    return [
        {
            "board": names.get(p.board_id or "", p.board_id),
            "board_id": p.board_id,
            "cite": p.citation,
            "text": p.snippet,
            "score": p.score,
        }
        for p in await boards.search(query, None, limit=8)
    ]


async def propose(boards: Boards, arguments: dict[str, Any]) -> dict[str, Any]:
    """A command in the form `POST /api/assistant/commands` takes; checked, not executed."""
    action = arguments.get("action")
    name = str(arguments.get("name") or "").strip()
    if action == "create_board":
        if not name or len(name) > MAX_NAME:
            raise CommandInvalid(f"a new board needs a name of 1 to {MAX_NAME} characters")
        return {"action": action, "name": name}
    if action in ("rename_board", "delete_board"):
        board_id = await find_board(boards, str(arguments.get("board") or ""))
        if action == "delete_board":
            return {"action": action, "board_id": board_id}
        if not name or len(name) > MAX_NAME:
            raise CommandInvalid(f"renaming a board needs a name of 1 to {MAX_NAME} characters")
        return {"action": action, "board_id": board_id, "name": name}
    raise CommandInvalid(f"unknown action {action!r}")


async def execute(boards: Boards, command: dict[str, Any]) -> dict[str, Any]:
    """Carry out a command the user confirmed; answers what it did."""
    checked = await propose(boards, {**command, "board": command.get("board_id")})
    action = checked["action"]
    if action == "create_board":
        board = await boards.create_board(checked["name"])
        return {"action": action, "board": board.to_dict()}
    if action == "rename_board":
        board = await boards.rename_board(checked["board_id"], checked["name"])
        return {"action": action, "board": board.to_dict()}
    await boards.delete_board(checked["board_id"])
    return {"action": action, "board_id": checked["board_id"]}
