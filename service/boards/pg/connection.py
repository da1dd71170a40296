"""A pool of PostgreSQL connections, and the one place psycopg's errors become the service's."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import anyio
import psycopg
from psycopg import AsyncConnection
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import TupleRow
from psycopg_pool import AsyncConnectionPool

from service.boards.pg.schema import SCHEMA, SCHEMA_LOCK
from service.errors import DatabaseError, DatabaseUnavailable

T = TypeVar("T")
Conn = AsyncConnection[TupleRow]

log = logging.getLogger(__name__)

OPEN_TIMEOUT_S = 10.0
"""How long the service waits at start for its first connection."""
CONNECTION_TIMEOUT_S = 10.0
"""How long one statement waits for a free connection before it is answered 503."""
MAX_CONNECTIONS = 10
_ATTEMPTS = 3  # a write that lost a serialization or deadlock race is tried again


def where(url: str) -> str:
    """`host:port/database` of a URL, for messages: never its password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "an unreadable URL"
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    return f"{host}:{port}/{parts.get('dbname') or parts.get('user') or ''}"


class PgDatabase:
    """Connections shared by every request; reads see one snapshot, writes are one transaction."""

    def __init__(self, url: str, *, max_connections: int = MAX_CONNECTIONS) -> None:
        self.where = where(url)
        self.pool = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=max_connections,
            open=False,
            timeout=CONNECTION_TIMEOUT_S,
            kwargs={"autocommit": True},
            name="boardroom",
        )

    async def open(self) -> None:
        """Connect, and make the schema unless it is there."""
        try:
            await self.pool.open(wait=True, timeout=OPEN_TIMEOUT_S)
        except psycopg.Error as exc:
            await self.close()
            raise DatabaseUnavailable(
                f"cannot connect to PostgreSQL at {self.where} within {OPEN_TIMEOUT_S:g} s: "
                "check BOARDROOM_DATABASE_URL and that the server accepts connections"
            ) from exc

        async def create(conn: Conn) -> None:
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            await conn.execute(SCHEMA.encode())

        try:
            await self.write(create)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        with anyio.CancelScope(shield=True):
            await self.pool.close()

    async def read(self, fn: Callable[[Conn], Awaitable[T]]) -> T:
        """Run `fn` in a read-only transaction: every statement of it sees the same snapshot."""
        async with self._connection() as conn:
            try:
                async with conn.transaction():
                    await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    return await fn(conn)
            except psycopg.Error as exc:
                raise self._translated(exc) from exc

    async def write(self, fn: Callable[[Conn], Awaitable[T]]) -> T:
        """Run `fn` in one transaction; tried again when it lost a race to another writer."""
        for attempt in range(1, _ATTEMPTS + 1):
            async with self._connection() as conn:
                try:
                    async with conn.transaction():
                        return await fn(conn)
                except (
                    psycopg.errors.SerializationFailure,
                    psycopg.errors.DeadlockDetected,
                ) as exc:
                    if attempt == _ATTEMPTS:
                        raise self._translated(exc) from exc
                    log.info("a write lost a race to another writer; trying it again")
                except psycopg.Error as exc:
                    raise self._translated(exc) from exc
        raise AssertionError("unreachable")

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Conn]:
        try:
            async with self.pool.connection() as conn:
                yield conn
        except psycopg.OperationalError as exc:
            # No connection within the timeout, or the one we had broke.
            raise self._translated(exc) from exc

    def _translated(self, exc: psycopg.Error) -> DatabaseError | DatabaseUnavailable:
        if isinstance(exc, psycopg.OperationalError) and not isinstance(
            exc, psycopg.errors.SerializationFailure | psycopg.errors.DeadlockDetected
        ):
            return DatabaseUnavailable(
                f"the board database (PostgreSQL at {self.where}) is unavailable"
            )
        # The server's message names tables and constraints, not the request: it is logged.
        log.error("PostgreSQL refused a statement: %s", exc)
        return DatabaseError("the board database refused a statement")
