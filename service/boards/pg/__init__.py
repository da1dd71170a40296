"""The PostgreSQL board store: SQLite's interfaces over a database several hosts share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from service.boards.pg.claims import PgIngestClaims
from service.boards.pg.connection import PgDatabase
from service.boards.pg.index import PgSearchIndex
from service.boards.pg.store import PgBoardStore
from service.boards.pg.vectors import PgVectorRows
from service.boards.storage import Storage


@asynccontextmanager
async def open_postgres(url: str) -> AsyncIterator[Storage]:
    """Connect to the database at `url` and make its schema; the pool closes with the block."""
    db = PgDatabase(url)
    await db.open()
    try:
        yield Storage(
            PgBoardStore(db),
            PgSearchIndex(db),
            PgVectorRows(db),
            f"PostgreSQL at {db.where}",
            PgIngestClaims(db),
        )
    finally:
        await db.close()
