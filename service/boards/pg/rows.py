"""Small queries and record builders shared by the PostgreSQL store's modules."""

from __future__ import annotations

import json
from typing import Any

from service.boards.models import FileRecord, now
from service.boards.pg.connection import Conn
from service.errors import BoardNotFound, FileNotFound


def no_board(board_id: str) -> BoardNotFound:
    return BoardNotFound(f"no board {board_id!r}")


def no_file(board_id: str, file_id: str) -> FileNotFound:
    return FileNotFound(f"no file {file_id!r} on board {board_id!r}")


def file_record(row: tuple[Any, ...]) -> FileRecord:
    file_id, board_id, filename, size, status, pages, error, created_at, empty = row
    return FileRecord(
        file_id,
        board_id,
        filename,
        size,
        status,
        pages,
        error,
        created_at,
        tuple(json.loads(empty)),
    )


async def one(conn: Conn, sql: str, *params: Any) -> tuple[Any, ...] | None:
    cur = await conn.execute(sql, params)
    return await cur.fetchone()


async def every(conn: Conn, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    cur = await conn.execute(sql, params)
    return await cur.fetchall()


async def require_board(conn: Conn, board_id: str) -> None:
    # KEY SHARE: a board deleted meanwhile is waited for and then missing, and a delete
    # waits for this transaction, whose rows would otherwise break the foreign key.
    if await one(conn, "SELECT 1 FROM boards WHERE board_id = %s FOR KEY SHARE", board_id) is None:
        raise no_board(board_id)


async def touch(conn: Conn, board_id: str) -> None:
    await conn.execute("UPDATE boards SET updated_at = %s WHERE board_id = %s", (now(), board_id))
