"""SQLite in WAL mode, used only from worker threads so the event loop never waits on disk."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import anyio
import anyio.to_thread

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS boards (
    board_id   TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    file_id    TEXT PRIMARY KEY,
    board_id   TEXT NOT NULL REFERENCES boards(board_id) ON DELETE CASCADE,
    filename   TEXT NOT NULL,
    size       INTEGER NOT NULL,
    status     TEXT NOT NULL,
    pages      INTEGER,
    error      TEXT,
    created_at REAL NOT NULL,
    text_version       INTEGER NOT NULL DEFAULT 0,
    pages_without_text TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS files_board ON files(board_id);
CREATE TABLE IF NOT EXISTS pages (
    id      INTEGER PRIMARY KEY,
    file_id TEXT NOT NULL REFERENCES files(file_id) ON DELETE CASCADE,
    page    INTEGER NOT NULL,
    text    TEXT NOT NULL,
    UNIQUE (file_id, page)
);
CREATE TABLE IF NOT EXISTS passages (
    id      INTEGER PRIMARY KEY,
    file_id TEXT NOT NULL REFERENCES files(file_id) ON DELETE CASCADE,
    page    INTEGER NOT NULL,
    text    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_page ON passages(file_id, page);
-- Passage vectors of the embedding model in use (unit length, float32).
CREATE TABLE IF NOT EXISTS vectors (
    passage_id INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
    board_id   TEXT NOT NULL,
    model      TEXT NOT NULL,
    vector     BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS vectors_board ON vectors(board_id, model);
CREATE TABLE IF NOT EXISTS notes (
    id         INTEGER PRIMARY KEY,
    note_id    TEXT NOT NULL UNIQUE,
    board_id   TEXT NOT NULL REFERENCES boards(board_id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_board ON notes(board_id);
CREATE TABLE IF NOT EXISTS views (
    board_id   TEXT PRIMARY KEY REFERENCES boards(board_id) ON DELETE CASCADE,
    file_id    TEXT NOT NULL REFERENCES files(file_id) ON DELETE CASCADE,
    page       INTEGER NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    entry_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    board_id      TEXT NOT NULL REFERENCES boards(board_id) ON DELETE CASCADE,
    question      TEXT NOT NULL,
    answer        TEXT NOT NULL,
    sources       TEXT NOT NULL,
    finish_reason TEXT NOT NULL,
    created_at    REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS history_board ON history(board_id, entry_id);
-- Each process's lease (renewed by its heartbeat) and the files it is ingesting. A claim
-- may come before its file's record, so it has no foreign key.
CREATE TABLE IF NOT EXISTS owners (
    owner      TEXT PRIMARY KEY,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS ingest_claims (
    file_id TEXT PRIMARY KEY,
    owner   TEXT NOT NULL
);
-- Full-text indexes hold the search form of the text (NFKC, CJK split into bigrams);
-- their rowids are the rowids of `passages` and `notes`.
CREATE VIRTUAL TABLE IF NOT EXISTS passage_index USING fts5(
    body, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS note_index USING fts5(
    body, tokenize = 'porter unicode61 remove_diacritics 2'
);
"""

# Columns added since the first release, for databases made before them.
_ADDED_COLUMNS = {
    "files": {
        "text_version": "INTEGER NOT NULL DEFAULT 0",
        "pages_without_text": "TEXT NOT NULL DEFAULT '[]'",
    },
}
# Whole pages were indexed before passages; their files are re-extracted at start.
_DROPPED = ("DROP TABLE IF EXISTS page_index",)

READERS = 4


class Database:
    """One writer connection and a few reader connections, each used by one thread at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: sqlite3.Connection | None = None
        self._readers: list[sqlite3.Connection] = []
        self._write_limiter = anyio.CapacityLimiter(1)
        self._read_limiter = anyio.CapacityLimiter(READERS)

    async def open(self) -> None:
        """Create the file and schema, then open the connections."""
        await anyio.to_thread.run_sync(self._open_sync)

    def _open_sync(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        writer = self._connect()
        _migrate(writer)
        writer.executescript(SCHEMA)
        self._writer = writer
        self._readers = [self._connect() for _ in range(READERS)]

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        return conn

    async def close(self) -> None:
        """Close every connection (after a final checkpoint)."""

        def close_all() -> None:
            if self._writer is not None:
                self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._writer.close()
                self._writer = None
            for conn in self._readers:
                conn.close()
            self._readers = []

        await anyio.to_thread.run_sync(close_all)

    async def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` in one transaction on the writer connection, in a thread."""

        def run() -> T:
            assert self._writer is not None, "database is closed"
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result

        return await anyio.to_thread.run_sync(run, limiter=self._write_limiter)

    async def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` on a free reader connection, in a thread."""

        def run() -> T:
            conn = self._readers.pop()
            try:
                # One snapshot for every statement of `fn`.
                conn.execute("BEGIN")
                try:
                    return fn(conn)
                finally:
                    conn.execute("COMMIT")
            finally:
                self._readers.append(conn)

        return await anyio.to_thread.run_sync(run, limiter=self._read_limiter)


def _migrate(conn: sqlite3.Connection) -> None:
    for table, columns in _ADDED_COLUMNS.items():
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if not have:
            continue  # a new database: the schema creates the table whole
        for name, declaration in columns.items():
            if name not in have:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}")
    for statement in _DROPPED:
        conn.execute(statement)
