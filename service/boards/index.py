"""The SQLite search index: passages of pages and notes in FTS5, ranked by BM25."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from service.boards.db import Database
from service.boards.storage import NoteRow, PassageRow
from service.boards.terms import TermCounts, within_budget
from service.boards.text import fts_query


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


class SqliteSearchIndex:
    """Full-text queries over passages and notes in FTS5, whose bm25 `rank` is negative."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # bm25 itself always counts afresh; these only choose the terms of a query.
        self._df = TermCounts()

    async def search_passages(
        self, terms: list[str], board_id: str | None, limit: int
    ) -> list[PassageRow]:
        """Passages of ready files holding any of `terms`, best first."""
        select = (
            "SELECT p.id, f.file_id, f.filename, f.board_id, p.page, p.text, "
            "passage_index.rank AS rank "
            "FROM passage_index JOIN passages p ON p.id = passage_index.rowid "
            "JOIN files f ON f.file_id = p.file_id "
            "WHERE passage_index MATCH ? AND f.status = 'ready'"
        )
        params: list[Any] = []
        if board_id is not None:
            select += " AND f.board_id = ?"
            params.append(board_id)
        sql = f"{select} ORDER BY passage_index.rank LIMIT ?"

        def q(c: sqlite3.Connection) -> list[PassageRow]:
            match = fts_query(self._within_budget(c, terms))
            return [_passage(r) for r in c.execute(sql, [match, *params, limit])]

        return await self.db.read(q)

    def _within_budget(self, c: sqlite3.Connection, terms: list[str]) -> list[str]:
        return within_budget(terms, {term: self._count(c, term) for term in terms})

    def _count(self, c: sqlite3.Connection, term: str) -> int:
        known = self._df.known(term)
        if known is not None:
            return known
        (count,) = c.execute(
            "SELECT count(*) FROM passage_index WHERE passage_index MATCH ?", (fts_query([term]),)
        ).fetchone()
        self._df.remember(term, int(count))
        return int(count)

    async def passages(self, ids: list[int], board_id: str | None) -> list[PassageRow]:
        """Passages of ready files by id, in the shape `search_passages` answers."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        sql = (
            "SELECT p.id, f.file_id, f.filename, f.board_id, p.page, p.text, 0.0 AS rank "
            # CROSS JOIN keeps passages the outer loop: looked up by id, not every passage
            # of the board's files scanned for the ids (20 ms at 100,000 passages).
            f"FROM passages p CROSS JOIN files f ON f.file_id = p.file_id WHERE p.id IN ({marks}) "
            "AND f.status = 'ready'"
        )
        params: list[Any] = list(ids)
        if board_id is not None:
            sql += " AND f.board_id = ?"
            params.append(board_id)
        return await self.db.read(lambda c: [_passage(r) for r in c.execute(sql, params)])

    async def search_notes(
        self, terms: list[str], board_id: str | None, limit: int
    ) -> list[NoteRow]:
        """Notes holding any of `terms`, best first."""
        sql = (
            "SELECT n.note_id, n.title, n.board_id, n.text, note_index.rank AS rank "
            "FROM note_index JOIN notes n ON n.id = note_index.rowid WHERE note_index MATCH ?"
        )
        params: list[Any] = [fts_query(terms)]
        if board_id is not None:
            sql += " AND n.board_id = ?"
            params.append(board_id)
        sql += " ORDER BY note_index.rank LIMIT ?"
        params.append(limit)
        rows = await self.db.read(lambda c: c.execute(sql, params).fetchall())
        return [
            NoteRow(r["note_id"], r["title"], r["board_id"], r["text"], -r["rank"]) for r in rows
        ]


def _passage(r: sqlite3.Row) -> PassageRow:
    # FTS5's bm25 is negative, lower is better; the row carries it the other way round.
    return PassageRow(
        r["id"], r["file_id"], r["filename"], r["board_id"], r["page"], r["text"], -r["rank"]
    )
