"""The search index: passages of pages and notes in SQLite's FTS5, ranked by BM25."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from service.boards.db import Database


def put_passages(
    c: sqlite3.Connection, file_id: str, page: int, passages: Sequence[tuple[str, str]]
) -> None:
    """Replace a page's passages (text, search form) and their index rows, in `c`'s transaction."""
    old = "SELECT id FROM passages WHERE file_id = ? AND page = ?"
    c.execute(f"DELETE FROM passage_index WHERE rowid IN ({old})", (file_id, page))
    c.execute("DELETE FROM passages WHERE file_id = ? AND page = ?", (file_id, page))
    for text, index in passages:
        cur = c.execute(
            "INSERT INTO passages (file_id, page, text) VALUES (?, ?, ?)", (file_id, page, text)
        )
        c.execute("INSERT INTO passage_index (rowid, body) VALUES (?, ?)", (cur.lastrowid, index))


def delete_passages(c: sqlite3.Connection, file_id: str) -> None:
    """Forget every passage of a file, in `c`'s transaction."""
    c.execute(
        "DELETE FROM passage_index WHERE rowid IN (SELECT id FROM passages WHERE file_id = ?)",
        (file_id,),
    )
    c.execute("DELETE FROM passages WHERE file_id = ?", (file_id,))


class SearchIndex:
    """Full-text queries over passages and notes; `rank` is bm25, lower is better."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def search_passages(
        self, match: str, board_id: str | None, limit: int
    ) -> list[sqlite3.Row]:
        """Passages of ready files matching an FTS5 expression, best first."""
        return await self._search(
            "SELECT p.id, f.file_id, f.filename, f.board_id, p.page, p.text, "
            "passage_index.rank AS rank "
            "FROM passage_index JOIN passages p ON p.id = passage_index.rowid "
            "JOIN files f ON f.file_id = p.file_id "
            "WHERE passage_index MATCH ? AND f.status = 'ready'",
            "f.board_id",
            "passage_index.rank",
            match,
            board_id,
            limit,
        )

    async def passages(self, ids: list[int], board_id: str | None) -> list[sqlite3.Row]:
        """Passages of ready files by id, in the shape `search_passages` answers."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        sql = (
            "SELECT p.id, f.file_id, f.filename, f.board_id, p.page, p.text, 0.0 AS rank "
            f"FROM passages p JOIN files f ON f.file_id = p.file_id WHERE p.id IN ({marks}) "
            "AND f.status = 'ready'"
        )
        params: list[Any] = list(ids)
        if board_id is not None:
            sql += " AND f.board_id = ?"
            params.append(board_id)
        return await self.db.read(lambda c: c.execute(sql, params).fetchall())

    async def search_notes(self, match: str, board_id: str | None, limit: int) -> list[sqlite3.Row]:
        """Notes matching an FTS5 expression, best first."""
        return await self._search(
            "SELECT n.note_id, n.title, n.board_id, n.text, note_index.rank AS rank "
            "FROM note_index JOIN notes n ON n.id = note_index.rowid WHERE note_index MATCH ?",
            "n.board_id",
            "note_index.rank",
            match,
            board_id,
            limit,
        )

    async def _search(
        self,
        select: str,
        board_column: str,
        rank: str,
        match: str,
        board_id: str | None,
        limit: int,
    ) -> list[sqlite3.Row]:
        params: list[Any] = [match]
        if board_id is not None:
            select += f" AND {board_column} = ?"
            params.append(board_id)
        sql = f"{select} ORDER BY {rank} LIMIT ?"
        params.append(limit)
        return await self.db.read(lambda c: c.execute(sql, params).fetchall())
