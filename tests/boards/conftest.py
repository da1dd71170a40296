"""Shared helpers for driving the board layer in process: its events, its uploads, its façade."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest

from service.boards import Boards, open_boards
from service.boards.index import SqliteSearchIndex
from service.boards.models import FileRecord, FileStatus, now
from service.boards.pdf import PageText, page_text
from service.boards.pg.index import PgSearchIndex
from service.boards.pg.store import PgBoardStore
from service.boards.storage import BoardStore, SearchIndex, Storage, open_storage
from service.boards.store import SqliteBoardStore

T = TypeVar("T")

MAX_UPLOAD_BYTES = 16 * 1024 * 1024
WAIT_SECONDS = 30
"""How long a test waits for an event before it fails."""


class Published:
    """A `publish` callback that records every event and lets a test wait for one."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, dict[str, Any]]] = []
        self._changed: anyio.Event | None = None

    def __call__(self, board_id: str, event: str, data: dict[str, Any]) -> None:
        self.events.append((board_id, event, data))
        if self._changed is not None:
            self._changed.set()

    def of_file(self, file_id: str) -> list[tuple[str, dict[str, Any]]]:
        """The events about one file, in the order they were published."""
        return [(event, data) for _, event, data in self.events if data.get("file_id") == file_id]

    async def wait_for(self, event: str, file_id: str) -> dict[str, Any]:
        """The data of the first `event` about `file_id`, once it has been published."""
        with anyio.fail_after(WAIT_SECONDS):
            while True:
                for name, data in self.of_file(file_id):
                    if name == event:
                        return data
                self._changed = anyio.Event()
                await self._changed.wait()


class Chunks:
    """An upload body that arrives in pieces, counting the pieces taken from it."""

    def __init__(self, data: bytes, size: int) -> None:
        self.pieces = [data[start : start + size] for start in range(0, len(data), size)]
        self.taken = 0

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._pieces()

    async def _pieces(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            self.taken += 1
            yield piece


@pytest.fixture
def published() -> Published:
    return Published()


@asynccontextmanager
async def boards_at(data_dir: Path, publish: Published, **overrides: Any) -> AsyncIterator[Boards]:
    """The board layer over `data_dir` with one ingestion worker; settings may be overridden."""
    settings: dict[str, Any] = {
        "ingest_workers": 1,
        "ingest_memory_mb": 1024,
        "ingest_timeout": 60.0,
        "max_upload_bytes": MAX_UPLOAD_BYTES,
    }
    settings.update(overrides)
    async with open_boards(data_dir, publish, **settings) as boards:
        yield boards


def run_boards(
    data_dir: Path,
    publish: Published,
    body: Callable[[Boards], Awaitable[T]],
    **overrides: Any,
) -> T:
    """Open the board layer, run `body` with it and close it again, as one run of the
    service would; returns what `body` returned."""

    async def main() -> T:
        async with boards_at(data_dir, publish, **overrides) as boards:
            return await body(boards)

    return anyio.run(main)


def kept_on_disk(data_dir: Path) -> list[str]:
    """Every stored PDF and temp file under the data dir, as `files/…` and `tmp/…`."""
    return sorted(
        f"{folder}/{path.name}"
        for folder in ("files", "tmp")
        for path in (data_dir / folder).iterdir()
    )


# The store alone, without the rest of the board layer, on SQLite and on PostgreSQL.


class StoreBackend:
    """One of the two databases, opened afresh for each test."""

    def __init__(self, name: str, data_dir: Path, database_url: str) -> None:
        self.name = name
        self.data_dir = data_dir
        self.database_url = database_url

    def run(self, body: Callable[[BoardStore], Awaitable[T]]) -> T:
        """Run `body` with the store of a fresh database."""
        return self.run_storage(lambda storage: body(storage.store))

    def run_storage(self, body: Callable[[Storage], Awaitable[T]]) -> T:
        """Run `body` with the store, index and vector rows of a fresh database."""

        async def main() -> T:
            async with open_storage(self.data_dir, self.database_url) as storage:
                return await body(storage)

        return anyio.run(main)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> StoreBackend:
    """Each store test runs on SQLite and on a private PostgreSQL."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else ""
    return StoreBackend(request.param, tmp_path, url)


def index_of(store: BoardStore) -> SearchIndex:
    """A search index over the store's database."""
    if isinstance(store, SqliteBoardStore):
        return SqliteSearchIndex(store.db)
    assert isinstance(store, PgBoardStore)
    return PgSearchIndex(store.db)


# What the index keeps on each side: FTS5 tables on SQLite, a column of the row on PostgreSQL.
_PG_TABLES = {"passage_index": "passages", "note_index": "notes"}


async def sql_rows(store: BoardStore, statement: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows of one SQL statement (`?` placeholders), run in a transaction of its own."""
    if isinstance(store, SqliteBoardStore):
        return await store.db.write(
            lambda c: [tuple(r) for r in c.execute(statement, params).fetchall()]
        )
    assert isinstance(store, PgBoardStore)
    for fts, table in _PG_TABLES.items():
        statement = statement.replace(f"FROM {fts}", f"FROM {table}")

    async def q(c: Any) -> list[tuple[Any, ...]]:
        cur = await c.execute(statement.replace("?", "%s").encode(), params)
        return list(await cur.fetchall()) if cur.description else []

    return await store.db.write(q)


def file_record(
    file_id: str,
    board_id: str,
    status: FileStatus = "ready",
    pages: int | None = 3,
    at: float | None = None,
) -> FileRecord:
    created = now() if at is None else at
    return FileRecord(file_id, board_id, f"{file_id}.pdf", 1000, status, pages, None, created)


def page_texts(texts: list[str]) -> list[PageText]:
    return [page_text(number, text) for number, text in enumerate(texts, start=1)]


async def add_stored_file(
    store: BoardStore,
    file_id: str,
    board_id: str,
    texts: list[str],
    status: FileStatus = "ready",
) -> None:
    """A file with these page texts, as ingestion stores it."""
    await store.insert_file(file_record(file_id, board_id, "processing", len(texts)))
    assert await store.add_pages(file_id, page_texts(texts))
    if status != "processing":
        await store.finish_file(file_id, status, None)
