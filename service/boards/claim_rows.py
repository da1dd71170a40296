"""The SQLite ingestion claims (storage.IngestClaims); its clock is this host's, as is the file."""

from __future__ import annotations

import sqlite3
import time

from service.boards.db import Database
from service.boards.models import FileRecord
from service.boards.store import file_from_row

_LIVE = "SELECT owner FROM owners WHERE expires_at > ?"
# Files still processing that no live owner claims: a stopped or dead process's.
_LAPSED = f"""
SELECT f.* FROM files f LEFT JOIN ingest_claims c ON c.file_id = f.file_id
WHERE f.status = 'processing' AND (c.owner IS NULL OR c.owner NOT IN ({_LIVE}))
ORDER BY f.created_at, f.rowid
"""
_CLAIM = f"""
INSERT INTO ingest_claims (file_id, owner) VALUES (?, ?)
ON CONFLICT (file_id) DO UPDATE SET owner = excluded.owner
WHERE ingest_claims.owner NOT IN ({_LIVE})
"""


class SqliteIngestClaims:
    """Leases and claims in the board database; each write takes SQLite's one write lock,
    which every process on the file shares, so a claim has one winner."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def renew(self, owner: str, ttl: float) -> set[str]:
        def q(c: sqlite3.Connection) -> set[str]:
            c.execute(
                "INSERT INTO owners (owner, expires_at) VALUES (?, ?) "
                "ON CONFLICT (owner) DO UPDATE SET expires_at = excluded.expires_at",
                (owner, time.time() + ttl),
            )
            rows = c.execute("SELECT file_id FROM ingest_claims WHERE owner = ?", (owner,))
            return {r[0] for r in rows}

        return await self.db.write(q)

    async def leave(self, owner: str) -> None:
        def q(c: sqlite3.Connection) -> None:
            c.execute("DELETE FROM ingest_claims WHERE owner = ?", (owner,))
            c.execute("DELETE FROM owners WHERE owner = ?", (owner,))

        await self.db.write(q)

    async def claim(self, owner: str, file_id: str) -> bool:
        def q(c: sqlite3.Connection) -> bool:
            c.execute(_CLAIM, (file_id, owner, time.time()))
            row = c.execute("SELECT owner FROM ingest_claims WHERE file_id = ?", (file_id,))
            return bool(row.fetchone()[0] == owner)

        return await self.db.write(q)

    async def release(self, owner: str, file_id: str) -> None:
        await self.db.write(
            lambda c: c.execute(
                "DELETE FROM ingest_claims WHERE file_id = ? AND owner = ?", (file_id, owner)
            )
        )

    async def take_over(self, owner: str) -> list[FileRecord]:
        def q(c: sqlite3.Connection) -> list[FileRecord]:
            stamp = time.time()
            records = [file_from_row(r) for r in c.execute(_LAPSED, (stamp,)).fetchall()]
            c.executemany(
                "INSERT INTO ingest_claims (file_id, owner) VALUES (?, ?) "
                "ON CONFLICT (file_id) DO UPDATE SET owner = excluded.owner",
                [(r.file_id, owner) for r in records],
            )
            # What lapsed owners left that nobody needs: claims on finished or vanished
            # files, and the owners themselves.
            c.execute(f"DELETE FROM ingest_claims WHERE owner NOT IN ({_LIVE})", (stamp,))
            c.execute("DELETE FROM owners WHERE expires_at <= ?", (stamp,))
            return records

        return await self.db.write(q)

    async def live_owners(self) -> set[str]:
        rows = await self.db.read(lambda c: c.execute(_LIVE, (time.time(),)).fetchall())
        return {r[0] for r in rows}

    async def claimed(self) -> set[str]:
        rows = await self.db.read(
            lambda c: c.execute(
                f"SELECT file_id FROM ingest_claims WHERE owner IN ({_LIVE})", (time.time(),)
            ).fetchall()
        )
        return {r[0] for r in rows}
