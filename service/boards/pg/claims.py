"""The PostgreSQL ingestion claims (storage.IngestClaims), timed by the database's clock."""

from __future__ import annotations

from service.boards.models import FileRecord
from service.boards.pg.connection import Conn, PgDatabase
from service.boards.pg.rows import every, file_record, one
from service.boards.pg.schema import CLAIM_LOCK

# The database's clock, so that hosts whose clocks disagree still agree on a lapse.
_NOW = "extract(epoch FROM clock_timestamp())"
_LIVE = f"SELECT owner FROM owners WHERE expires_at > {_NOW}"
_LAPSED = f"""
SELECT f.file_id, f.board_id, f.filename, f.size, f.status, f.pages, f.error, f.created_at,
       f.pages_without_text
FROM files f LEFT JOIN ingest_claims c ON c.file_id = f.file_id
WHERE f.status = 'processing' AND (c.owner IS NULL OR c.owner NOT IN ({_LIVE}))
ORDER BY f.created_at, f.seq
"""


class PgIngestClaims:
    """Leases and claims in the board database; claiming holds an advisory lock, so that
    of two hosts claiming one file, one wins."""

    def __init__(self, db: PgDatabase) -> None:
        self.db = db

    async def renew(self, owner: str, ttl: float) -> set[str]:
        async def q(c: Conn) -> set[str]:
            await c.execute(
                f"INSERT INTO owners (owner, expires_at) VALUES (%s, {_NOW} + %s) "
                "ON CONFLICT (owner) DO UPDATE SET expires_at = excluded.expires_at",
                (owner, ttl),
            )
            rows = await every(c, "SELECT file_id FROM ingest_claims WHERE owner = %s", owner)
            return {r[0] for r in rows}

        return await self.db.write(q)

    async def leave(self, owner: str) -> None:
        async def q(c: Conn) -> None:
            await c.execute("DELETE FROM ingest_claims WHERE owner = %s", (owner,))
            await c.execute("DELETE FROM owners WHERE owner = %s", (owner,))

        await self.db.write(q)

    async def claim(self, owner: str, file_id: str) -> bool:
        async def q(c: Conn) -> bool:
            await c.execute("SELECT pg_advisory_xact_lock(%s)", (CLAIM_LOCK,))
            await c.execute(
                "INSERT INTO ingest_claims (file_id, owner) VALUES (%s, %s) "
                "ON CONFLICT (file_id) DO UPDATE SET owner = excluded.owner "
                f"WHERE ingest_claims.owner NOT IN ({_LIVE})",
                (file_id, owner),
            )
            row = await one(c, "SELECT owner FROM ingest_claims WHERE file_id = %s", file_id)
            return row is not None and row[0] == owner

        return await self.db.write(q)

    async def release(self, owner: str, file_id: str) -> None:
        await self.db.write(
            lambda c: c.execute(
                "DELETE FROM ingest_claims WHERE file_id = %s AND owner = %s", (file_id, owner)
            )
        )

    async def take_over(self, owner: str) -> list[FileRecord]:
        async def q(c: Conn) -> list[FileRecord]:
            await c.execute("SELECT pg_advisory_xact_lock(%s)", (CLAIM_LOCK,))
            records = [file_record(r) for r in await every(c, _LAPSED)]
            if records:
                async with c.cursor() as cur:
                    await cur.executemany(
                        "INSERT INTO ingest_claims (file_id, owner) VALUES (%s, %s) "
                        "ON CONFLICT (file_id) DO UPDATE SET owner = excluded.owner",
                        [(r.file_id, owner) for r in records],
                    )
            await c.execute(f"DELETE FROM ingest_claims WHERE owner NOT IN ({_LIVE})")
            await c.execute(f"DELETE FROM owners WHERE expires_at <= {_NOW}")
            return records

        return await self.db.write(q)

    async def live_owners(self) -> set[str]:
        rows = await self.db.read(lambda c: every(c, _LIVE))
        return {r[0] for r in rows}

    async def claimed(self) -> set[str]:
        rows = await self.db.read(
            lambda c: every(c, f"SELECT file_id FROM ingest_claims WHERE owner IN ({_LIVE})")
        )
        return {r[0] for r in rows}
