"""The PostgreSQL search index: bm25 over the `tsvector` of each passage and note.

FTS5's bm25 is computed here the same way: each query word w scores
idf(w) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * words / avgwords)), k1 = 1.2, b = 0.75,
idf(w) = ln((N - n(w) + 0.5) / (n(w) + 0.5)), at least 1e-6, over every row of the table.
For passages, N, the average length and each n(w) are counted at most a minute ago (see
docs/DECISIONS.md); for notes, which are few, at every search.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any, Literal

from service.boards.pg.connection import Conn, PgDatabase
from service.boards.pg.lexemes import query_lexemes, quote
from service.boards.storage import NoteRow, PassageRow
from service.boards.terms import TermCounts, within_budget

K1 = 1.2
B = 0.75
_SIZE_TTL_S = 60.0

# The score of a row: its query words' term frequencies (the positions `lexemes.tsvector`
# gave them), each weighed by that word's idf. setweight and ts_filter keep just the
# query's words of the row before they are unnested.
_SCORE = """
(SELECT sum(q.idf * m.tf * {k1p1} / (m.tf + {k1} * (1 - {b} + {b} * {row}.words / %(avg)s)))
 FROM (SELECT lexeme, cardinality(positions) AS tf
       FROM unnest(ts_filter(setweight({row}.lexemes, 'A', %(words)s), '{{a}}'))) m
 JOIN unnest(%(words)s::text[], %(idf)s::float8[]) AS q(lexeme, idf) USING (lexeme))
"""
_PASSAGES = (
    "SELECT p.id, f.file_id, f.filename, f.board_id, p.page, p.text, "
    + _SCORE.format(k1p1=K1 + 1, k1=K1, b=B, row="p")
    + " AS score FROM passages p JOIN files f ON f.file_id = p.file_id "
    "WHERE p.lexemes @@ %(query)s::tsquery AND f.status = 'ready'"
)
_NOTES = (
    "SELECT n.note_id, n.title, n.board_id, n.text, "
    + _SCORE.format(k1p1=K1 + 1, k1=K1, b=B, row="n")
    + " AS score FROM notes n WHERE n.lexemes @@ %(query)s::tsquery"
)
Table = Literal["passages", "notes"]


def idf(rows: int, holding: int) -> float:
    """FTS5's inverse document frequency of a word `holding` of `rows` rows contain."""
    return max(math.log((rows - holding + 0.5) / (holding + 0.5)), 1e-6)


def tsquery(words: Sequence[str]) -> str:
    """A `tsquery` literal matching any of the words."""
    return " | ".join(quote(w) for w in words)


class PgSearchIndex:
    """Full-text queries over passages and notes, ranked by bm25 as SQLite ranks them."""

    def __init__(self, db: PgDatabase) -> None:
        self.db = db
        self._df = TermCounts()
        self._size: tuple[int, float, float] | None = None  # rows, average words, when

    async def search_passages(
        self, terms: list[str], board_id: str | None, limit: int
    ) -> list[PassageRow]:
        """Passages of ready files holding any of `terms`, best first."""

        async def q(c: Conn) -> list[PassageRow]:
            words = query_lexemes(terms)
            if not words:
                return []
            counts = {w: await self._count(c, w) for w in dict.fromkeys(words)}
            kept = set(within_budget(list(counts), counts))
            words = [w for w in words if w in kept]
            rows, avg = await self._passage_size(c)
            sql, params = _query(_PASSAGES, "f.board_id", words, counts, rows, avg, board_id)
            cur = await c.execute(
                sql + " ORDER BY score DESC, p.id LIMIT %(limit)s", params | {"limit": limit}
            )
            return [PassageRow(*r) for r in await cur.fetchall()]

        return await self.db.read(q)

    async def passages(self, ids: list[int], board_id: str | None) -> list[PassageRow]:
        """Passages of ready files by id, in the shape `search_passages` answers."""
        if not ids:
            return []
        sql = (
            "SELECT p.id, f.file_id, f.filename, f.board_id, p.page, p.text, 0.0 "
            "FROM passages p JOIN files f ON f.file_id = p.file_id "
            "WHERE p.id = ANY(%(ids)s) AND f.status = 'ready'"
        )
        params: dict[str, Any] = {"ids": ids}
        if board_id is not None:
            sql += " AND f.board_id = %(board)s"
            params["board"] = board_id

        async def q(c: Conn) -> list[PassageRow]:
            cur = await c.execute(sql, params)
            return [PassageRow(*r) for r in await cur.fetchall()]

        return await self.db.read(q)

    async def search_notes(
        self, terms: list[str], board_id: str | None, limit: int
    ) -> list[NoteRow]:
        """Notes holding any of `terms`, best first."""

        async def q(c: Conn) -> list[NoteRow]:
            words = query_lexemes(terms)
            if not words:
                return []
            cur = await c.execute("SELECT count(*), coalesce(avg(words), 0) FROM notes")
            size = await cur.fetchone()
            assert size is not None
            counts = {w: await _holding(c, "notes", w) for w in dict.fromkeys(words)}
            sql, params = _query(_NOTES, "n.board_id", words, counts, size[0], size[1], board_id)
            sql += " ORDER BY score DESC, n.seq LIMIT %(limit)s"
            cur = await c.execute(sql, params | {"limit": limit})
            return [NoteRow(*r) for r in await cur.fetchall()]

        return await self.db.read(q)

    async def _count(self, c: Conn, word: str) -> int:
        known = self._df.known(word)
        if known is None:
            known = await _holding(c, "passages", word)
            self._df.remember(word, known)
        return known

    async def _passage_size(self, c: Conn) -> tuple[int, float]:
        if self._size is None or time.monotonic() - self._size[2] > _SIZE_TTL_S:
            cur = await c.execute("SELECT count(*), coalesce(avg(words), 0) FROM passages")
            row = await cur.fetchone()
            assert row is not None
            self._size = (int(row[0]), float(row[1]), time.monotonic())
        return self._size[0], self._size[1]


async def _holding(c: Conn, table: Table, word: str) -> int:
    cur = await c.execute(
        f"SELECT count(*) FROM {table} WHERE lexemes @@ %s::tsquery", (quote(word),)
    )
    row = await cur.fetchone()
    assert row is not None
    return int(row[0])


def _query(
    select: str,
    board_column: str,
    words: list[str],
    counts: dict[str, int],
    rows: int,
    avg: float,
    board_id: str | None,
) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {
        "words": words,
        "idf": [idf(rows, counts[w]) for w in words],
        "avg": max(float(avg), 1.0),
        "query": tsquery(words),
    }
    if board_id is not None:
        select += f" AND {board_column} = %(board)s"
        params["board"] = board_id
    return select, params
