"""Passage vectors in PostgreSQL: the `vectors` table, one float32 `bytea` per passage."""

from __future__ import annotations

from collections.abc import Sequence

from service.boards.pg.connection import Conn, PgDatabase


class PgVectorRows:
    """The stored vectors of the board database, for `vectors.VectorIndex`."""

    def __init__(self, db: PgDatabase) -> None:
        self.db = db

    async def prune_other_models(self, model: str) -> int:
        async def q(c: Conn) -> int:
            cur = await c.execute("DELETE FROM vectors WHERE model <> %s", (model,))
            return cur.rowcount

        return await self.db.write(q)

    async def missing(self, file_id: str) -> tuple[int, list[tuple[int, str]]]:
        async def q(c: Conn) -> tuple[int, list[tuple[int, str]]]:
            cur = await c.execute("SELECT count(*) FROM passages WHERE file_id = %s", (file_id,))
            total = await cur.fetchone()
            cur = await c.execute(
                "SELECT p.id, p.text FROM passages p LEFT JOIN vectors v ON v.passage_id = p.id "
                "WHERE p.file_id = %s AND v.passage_id IS NULL ORDER BY p.id",
                (file_id,),
            )
            assert total is not None
            return int(total[0]), [(int(r[0]), str(r[1])) for r in await cur.fetchall()]

        return await self.db.read(q)

    async def files_missing_vectors(self) -> list[tuple[str, str]]:
        async def q(c: Conn) -> list[tuple[str, str]]:
            cur = await c.execute(
                "SELECT f.board_id, f.file_id FROM files f WHERE f.status = 'ready' AND EXISTS ("
                "SELECT 1 FROM passages p LEFT JOIN vectors v ON v.passage_id = p.id "
                "WHERE p.file_id = f.file_id AND v.passage_id IS NULL) "
                "ORDER BY f.created_at, f.seq"
            )
            return [(str(r[0]), str(r[1])) for r in await cur.fetchall()]

        return await self.db.read(q)

    async def store(
        self, board_id: str, model: str, rows: Sequence[tuple[int, bytes]]
    ) -> list[int]:
        async def q(c: Conn) -> list[int]:
            # Passages deleted since they were read are skipped by the join.
            cur = await c.execute(
                "INSERT INTO vectors (passage_id, board_id, model, vector) "
                "SELECT p.id, %s, %s, r.vector FROM unnest(%s::bigint[], %s::bytea[]) "
                "AS r(passage_id, vector) JOIN passages p ON p.id = r.passage_id "
                "ON CONFLICT (passage_id) DO UPDATE SET board_id = excluded.board_id, "
                "model = excluded.model, vector = excluded.vector RETURNING passage_id",
                (board_id, model, [r[0] for r in rows], [r[1] for r in rows]),
            )
            return [int(r[0]) for r in await cur.fetchall()]

        return await self.db.write(q)

    async def boards_with_vectors(self, model: str) -> list[str]:
        async def q(c: Conn) -> list[str]:
            cur = await c.execute(
                "SELECT DISTINCT board_id FROM vectors WHERE model = %s", (model,)
            )
            return [str(r[0]) for r in await cur.fetchall()]

        return await self.db.read(q)

    async def load(self, board_id: str, model: str) -> list[tuple[int, bytes]]:
        async def q(c: Conn) -> list[tuple[int, bytes]]:
            cur = await c.execute(
                "SELECT passage_id, vector FROM vectors WHERE board_id = %s AND model = %s",
                (board_id, model),
            )
            return [(int(r[0]), bytes(r[1])) for r in await cur.fetchall()]

        return await self.db.read(q)
