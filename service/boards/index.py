"""The search index: passages of pages and notes in SQLite's FTS5, ranked by BM25."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from typing import Any

from service.boards.db import Database
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


POSTINGS_BUDGET = 20_000
"""Most passages one search ranks. bm25 costs about a microsecond per matching passage, so
past this the commonest terms are left out of the query: they weigh least in bm25."""
_DF_TTL_S = 60.0


class SearchIndex:
    """Full-text queries over passages and notes; `rank` is bm25, lower is better."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # How many passages hold a term; a minute old at most, which is fresh enough to
        # choose the terms of a query (bm25 itself always counts afresh).
        self._df: dict[str, tuple[int, float]] = {}

    async def search_passages(
        self, terms: list[str], board_id: str | None, limit: int
    ) -> list[sqlite3.Row]:
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

        def q(c: sqlite3.Connection) -> list[sqlite3.Row]:
            match = fts_query(self._within_budget(c, terms))
            return c.execute(sql, [match, *params, limit]).fetchall()

        return await self.db.read(q)

    def _within_budget(self, c: sqlite3.Connection, terms: list[str]) -> list[str]:
        counts = {term: self._count(c, term) for term in terms}
        kept = sorted(terms, key=counts.__getitem__)
        while len(kept) > 1 and sum(counts[t] for t in kept) > POSTINGS_BUDGET:
            kept.pop()
        return kept

    def _count(self, c: sqlite3.Connection, term: str) -> int:
        now = time.monotonic()
        known = self._df.get(term)
        if known is not None and now - known[1] < _DF_TTL_S:
            return known[0]
        (count,) = c.execute(
            "SELECT count(*) FROM passage_index WHERE passage_index MATCH ?", (fts_query([term]),)
        ).fetchone()
        if len(self._df) > 10_000:
            self._df.clear()
        self._df[term] = (int(count), now)
        return int(count)

    async def passages(self, ids: list[int], board_id: str | None) -> list[sqlite3.Row]:
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
