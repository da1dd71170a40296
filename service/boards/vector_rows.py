"""Passage vectors in SQLite: the `vectors` table, one float32 blob per passage."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from service.boards.db import Database


class SqliteVectorRows:
    """The stored vectors of the board database, for `vectors.VectorIndex`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def prune_other_models(self, model: str) -> int:
        cur = await self.db.write(
            lambda c: c.execute("DELETE FROM vectors WHERE model != ?", (model,))
        )
        return int(cur.rowcount)

    async def missing(self, file_id: str) -> tuple[int, list[tuple[int, str]]]:
        def q(c: sqlite3.Connection) -> tuple[int, list[tuple[int, str]]]:
            (total,) = c.execute(
                "SELECT count(*) FROM passages WHERE file_id = ?", (file_id,)
            ).fetchone()
            rows = c.execute(
                "SELECT p.id, p.text FROM passages p LEFT JOIN vectors v ON v.passage_id = p.id "
                "WHERE p.file_id = ? AND v.passage_id IS NULL ORDER BY p.id",
                (file_id,),
            ).fetchall()
            return int(total), [(int(r[0]), str(r[1])) for r in rows]

        return await self.db.read(q)

    async def files_missing_vectors(self) -> list[tuple[str, str]]:
        rows = await self.db.read(
            lambda c: c.execute(
                "SELECT f.board_id, f.file_id FROM files f WHERE f.status = 'ready' AND EXISTS ("
                "SELECT 1 FROM passages p LEFT JOIN vectors v ON v.passage_id = p.id "
                "WHERE p.file_id = f.file_id AND v.passage_id IS NULL) "
                "ORDER BY f.created_at, f.rowid"
            ).fetchall()
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    async def store(
        self, board_id: str, model: str, rows: Sequence[tuple[int, bytes]]
    ) -> list[int]:
        def q(c: sqlite3.Connection) -> list[int]:
            kept = []
            for passage_id, vector in rows:
                cur = c.execute(
                    "INSERT OR REPLACE INTO vectors (passage_id, board_id, model, vector) "
                    "SELECT id, ?, ?, ? FROM passages WHERE id = ?",
                    (board_id, model, vector, passage_id),
                )
                if cur.rowcount:
                    kept.append(passage_id)
            return kept

        return await self.db.write(q)

    async def boards_with_vectors(self, model: str) -> list[str]:
        rows = await self.db.read(
            lambda c: c.execute(
                "SELECT DISTINCT board_id FROM vectors WHERE model = ?", (model,)
            ).fetchall()
        )
        return [str(r[0]) for r in rows]

    async def load(self, board_id: str, model: str) -> list[tuple[int, bytes]]:
        rows = await self.db.read(
            lambda c: c.execute(
                "SELECT passage_id, vector FROM vectors WHERE board_id = ? AND model = ?",
                (board_id, model),
            ).fetchall()
        )
        return [(int(r[0]), bytes(r[1])) for r in rows]
