"""What the board layer keeps in a database, as interfaces: SQLite and PostgreSQL implement them.

`open_storage` opens the one a deployment asked for: SQLite under the data directory by
default, PostgreSQL when a `postgresql://` URL is given. Every method is one transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import anyio

from service.boards.models import Board, FileRecord, FileStatus, HistoryEntry, Note, View
from service.boards.pdf import PageText

SQLITE_FILE = "boardroom.sqlite3"


@dataclass(frozen=True, slots=True)
class PassageRow:
    """A passage found by search, with its file; `score` is its bm25 score, higher is better."""

    id: int
    file_id: str
    filename: str
    board_id: str
    page: int
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class NoteRow:
    """A note found by search; `score` is its bm25 score, higher is better."""

    note_id: str
    title: str
    board_id: str
    text: str
    score: float


class BoardStore(Protocol):
    """Boards, files, page texts, notes, the viewed page and the expert's history."""

    async def list_boards(self) -> list[Board]: ...
    async def get_board(self, board_id: str) -> Board: ...
    async def create_board(self, board_id: str, name: str) -> Board: ...
    async def rename_board(self, board_id: str, name: str) -> None: ...
    async def delete_board(self, board_id: str) -> list[str]:
        """Delete a board with everything on it; returns the ids of its files."""
        ...

    async def insert_file(self, record: FileRecord) -> None: ...
    async def get_file(self, board_id: str, file_id: str) -> FileRecord: ...
    async def list_files(self, board_id: str) -> list[FileRecord]: ...
    async def files_with_status(self, status: FileStatus) -> list[FileRecord]: ...
    async def all_file_ids(self) -> set[str]: ...
    async def add_pages(self, file_id: str, pages: Sequence[PageText]) -> bool:
        """Store page texts and their passages; False when the file is gone meanwhile."""
        ...

    async def finish_file(
        self,
        file_id: str,
        status: FileStatus,
        error: str | None,
        *,
        pages_without_text: Sequence[int] = (),
        text_version: int = 0,
    ) -> None:
        """Mark ingestion over; a failed file keeps no pages."""
        ...

    async def files_to_reindex(self, text_version: int) -> list[FileRecord]:
        """Ready files whose text an older pipeline extracted."""
        ...

    async def reset_file(self, file_id: str) -> None:
        """Forget partial pages before ingesting a file again."""
        ...

    async def delete_file(self, board_id: str, file_id: str) -> None: ...
    async def page_text(self, board_id: str, file_id: str, page: int) -> str: ...
    async def list_notes(self, board_id: str) -> list[Note]: ...
    async def put_note(self, note: Note, index: str, *, create: bool) -> None:
        """Create or update a note; `index` is its search form (text.index_text)."""
        ...

    async def delete_note(self, board_id: str, note_id: str) -> None: ...
    async def set_view(self, board_id: str, file_id: str, page: int) -> View: ...
    async def get_view(self, board_id: str) -> tuple[View, str] | None:
        """The viewed page and its text, if the user is looking at one."""
        ...

    async def list_history(self, board_id: str, limit: int = 100) -> list[HistoryEntry]: ...
    async def add_history(
        self,
        board_id: str,
        question: str,
        answer: str,
        sources: list[dict[str, Any]],
        finish_reason: str,
    ) -> None: ...
    async def clear_history(self, board_id: str) -> None: ...


class SearchIndex(Protocol):
    """Full-text search over passages and notes, ranked by bm25 over `text.query_terms`."""

    async def search_passages(
        self, terms: list[str], board_id: str | None, limit: int
    ) -> list[PassageRow]:
        """Passages of ready files holding any of `terms`, best first."""
        ...

    async def passages(self, ids: list[int], board_id: str | None) -> list[PassageRow]:
        """Passages of ready files by id (score 0), in no particular order."""
        ...

    async def search_notes(
        self, terms: list[str], board_id: str | None, limit: int
    ) -> list[NoteRow]:
        """Notes holding any of `terms` in their title or text, best first."""
        ...


class VectorRows(Protocol):
    """Passage vectors as stored: float32 bytes, unit length, one model's at a time."""

    async def prune_other_models(self, model: str) -> int:
        """Forget vectors another model made; returns how many."""
        ...

    async def missing(self, file_id: str) -> tuple[int, list[tuple[int, str]]]:
        """How many passages the file has, and those without a vector (id, text)."""
        ...

    async def files_missing_vectors(self) -> list[tuple[str, str]]:
        """Ready files (board id, file id) with a passage that has no vector yet, oldest first."""
        ...

    async def store(
        self, board_id: str, model: str, rows: Sequence[tuple[int, bytes]]
    ) -> list[int]:
        """Keep the vectors of passages that still exist; returns their ids."""
        ...

    async def boards_with_vectors(self, model: str) -> list[str]: ...
    async def load(self, board_id: str, model: str) -> list[tuple[int, bytes]]:
        """Every vector of a board (passage id, bytes)."""
        ...


class IngestClaims(Protocol):
    """Who extracts which file: each process's lease, which it renews, and its files' claims."""

    # A claim counts while its owner's lease has not lapsed: one renewal keeps all of a
    # process's claims, and a process that died loses them all at once.

    async def renew(self, owner: str, ttl: float) -> set[str]:
        """Extend (or make) the owner's lease by `ttl` seconds; the files it still claims."""
        ...

    async def leave(self, owner: str) -> None:
        """End the owner's lease and drop its claims, so that others take its files at once."""
        ...

    async def claim(self, owner: str, file_id: str) -> bool:
        """Claim a file unless a live owner holds it; whether the owner holds it now."""
        ...

    async def release(self, owner: str, file_id: str) -> None: ...
    async def take_over(self, owner: str) -> list[FileRecord]:
        """Claim every file still processing whose claim lapsed or is missing; their records."""
        ...

    async def live_owners(self) -> set[str]: ...
    async def claimed(self) -> set[str]:
        """Files (or uploads about to be files) a live owner claims."""
        ...


@dataclass(frozen=True, slots=True)
class Storage:
    """One database's store, search index, vector rows and ingestion claims; `where` names it."""

    store: BoardStore
    index: SearchIndex
    vectors: VectorRows
    where: str
    claims: IngestClaims


def is_postgres(database_url: str) -> bool:
    """Whether a `DATABASE_URL` names PostgreSQL (empty means SQLite)."""
    return database_url.startswith(("postgresql://", "postgres://"))


@asynccontextmanager
async def open_storage(data_dir: Path, database_url: str = "") -> AsyncIterator[Storage]:
    """The database a deployment asked for, open until the block ends."""
    if is_postgres(database_url):
        # Imported here: a deployment on SQLite never loads the PostgreSQL driver.
        from service.boards.pg import open_postgres

        async with open_postgres(database_url) as storage:
            yield storage
        return
    from service.boards.claim_rows import SqliteIngestClaims
    from service.boards.db import Database
    from service.boards.index import SqliteSearchIndex
    from service.boards.store import SqliteBoardStore
    from service.boards.vector_rows import SqliteVectorRows

    db = Database(data_dir / SQLITE_FILE)
    await db.open()
    try:
        yield Storage(
            SqliteBoardStore(db),
            SqliteSearchIndex(db),
            SqliteVectorRows(db),
            f"SQLite at {db.path}",
            SqliteIngestClaims(db),
        )
    finally:
        with anyio.CancelScope(shield=True):
            await db.close()
