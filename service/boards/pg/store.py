"""The PostgreSQL board store (storage.BoardStore): boards, files, pages; notes.py the rest."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import anyio.to_thread

from service.boards.models import Board, FileRecord, FileStatus, now
from service.boards.pdf import PageText
from service.boards.pg.connection import Conn, PgDatabase
from service.boards.pg.lexemes import tsvector
from service.boards.pg.notes import NotesViewsHistory
from service.boards.pg.rows import every, file_record, no_board, no_file, one, require_board, touch
from service.errors import PageNotFound

_BOARD = """
SELECT b.board_id, b.name, b.created_at, b.updated_at,
       (SELECT count(*) FROM files f WHERE f.board_id = b.board_id),
       (SELECT count(*) FROM notes n WHERE n.board_id = b.board_id)
FROM boards b
"""
_FILE = (
    "SELECT file_id, board_id, filename, size, status, pages, error, created_at, "
    "pages_without_text FROM files"
)


class PgBoardStore(NotesViewsHistory):
    """Typed queries over the PostgreSQL board database; each method is one transaction."""

    def __init__(self, db: PgDatabase) -> None:
        self.db = db

    # Boards

    async def list_boards(self) -> list[Board]:
        rows = await self.db.read(lambda c: every(c, _BOARD + " ORDER BY b.created_at, b.seq"))
        return [Board(*r) for r in rows]

    async def get_board(self, board_id: str) -> Board:
        row = await self.db.read(lambda c: one(c, _BOARD + " WHERE b.board_id = %s", board_id))
        if row is None:
            raise no_board(board_id)
        return Board(*row)

    async def create_board(self, board_id: str, name: str) -> Board:
        stamp = now()
        await self.db.write(
            lambda c: c.execute(
                "INSERT INTO boards (board_id, name, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s)",
                (board_id, name, stamp, stamp),
            )
        )
        return Board(board_id, name, stamp, stamp)

    async def rename_board(self, board_id: str, name: str) -> None:
        async def q(c: Conn) -> None:
            cur = await c.execute(
                "UPDATE boards SET name = %s, updated_at = %s WHERE board_id = %s",
                (name, now(), board_id),
            )
            if cur.rowcount == 0:
                raise no_board(board_id)

        await self.db.write(q)

    async def delete_board(self, board_id: str) -> list[str]:
        """Delete a board with everything on it (the foreign keys cascade); its file ids."""

        async def q(c: Conn) -> list[str]:
            if (
                await one(c, "SELECT 1 FROM boards WHERE board_id = %s FOR UPDATE", board_id)
                is None
            ):
                raise no_board(board_id)
            rows = await every(c, "SELECT file_id FROM files WHERE board_id = %s", board_id)
            await c.execute("DELETE FROM boards WHERE board_id = %s", (board_id,))
            return [r[0] for r in rows]

        return await self.db.write(q)

    # Files

    async def insert_file(self, record: FileRecord) -> None:
        async def q(c: Conn) -> None:
            await require_board(c, record.board_id)
            await c.execute(
                "INSERT INTO files (file_id, board_id, filename, size, status, pages, error, "
                "created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    record.file_id,
                    record.board_id,
                    record.filename,
                    record.size,
                    record.status,
                    record.pages,
                    record.error,
                    record.created_at,
                ),
            )
            await touch(c, record.board_id)

        await self.db.write(q)

    async def get_file(self, board_id: str, file_id: str) -> FileRecord:
        row = await self.db.read(
            lambda c: one(c, _FILE + " WHERE file_id = %s AND board_id = %s", file_id, board_id)
        )
        if row is None:
            raise no_file(board_id, file_id)
        return file_record(row)

    async def list_files(self, board_id: str) -> list[FileRecord]:
        rows = await self.db.read(
            lambda c: every(c, _FILE + " WHERE board_id = %s ORDER BY created_at, seq", board_id)
        )
        return [file_record(r) for r in rows]

    async def files_with_status(self, status: FileStatus) -> list[FileRecord]:
        rows = await self.db.read(
            lambda c: every(c, _FILE + " WHERE status = %s ORDER BY created_at, seq", status)
        )
        return [file_record(r) for r in rows]

    async def all_file_ids(self) -> set[str]:
        rows = await self.db.read(lambda c: every(c, "SELECT file_id FROM files"))
        return {r[0] for r in rows}

    async def add_pages(self, file_id: str, pages: Sequence[PageText]) -> bool:
        """Store page texts and their passages; False when the file is gone meanwhile."""
        # Splitting and stemming is Python work: done before the transaction, off the loop.
        passages = await anyio.to_thread.run_sync(_passage_rows, file_id, pages)

        async def q(c: Conn) -> bool:
            if (
                await one(c, "SELECT 1 FROM files WHERE file_id = %s FOR KEY SHARE", file_id)
                is None
            ):
                return False
            async with c.cursor() as cur:
                await cur.executemany(
                    "INSERT INTO pages (file_id, page, text) VALUES (%s, %s, %s) "
                    "ON CONFLICT (file_id, page) DO UPDATE SET text = excluded.text",
                    [(file_id, page.page, page.text) for page in pages],
                )
                await cur.execute(
                    "DELETE FROM passages WHERE file_id = %s AND page = ANY(%s)",
                    (file_id, [page.page for page in pages]),
                )
                await cur.executemany(
                    "INSERT INTO passages (file_id, page, text, words, lexemes) "
                    "VALUES (%s, %s, %s, %s, %s::tsvector)",
                    passages,
                )
            return True

        return await self.db.write(q)

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

        async def q(c: Conn) -> None:
            if status == "failed":
                await _delete_pages(c, file_id)
            await c.execute(
                "UPDATE files SET status = %s, error = %s, pages_without_text = %s, "
                "text_version = %s WHERE file_id = %s",
                (status, error, json.dumps(list(pages_without_text)), text_version, file_id),
            )

        await self.db.write(q)

    async def files_to_reindex(self, text_version: int) -> list[FileRecord]:
        """Ready files whose text an older pipeline extracted."""
        rows = await self.db.read(
            lambda c: every(
                c,
                _FILE + " WHERE status = 'ready' AND text_version < %s ORDER BY created_at, seq",
                text_version,
            )
        )
        return [file_record(r) for r in rows]

    async def reset_file(self, file_id: str) -> None:
        """Forget partial pages before ingesting a file again."""
        await self.db.write(lambda c: _delete_pages(c, file_id))

    async def delete_file(self, board_id: str, file_id: str) -> None:
        async def q(c: Conn) -> None:
            cur = await c.execute(
                "DELETE FROM files WHERE file_id = %s AND board_id = %s", (file_id, board_id)
            )
            if cur.rowcount == 0:
                raise no_file(board_id, file_id)
            await touch(c, board_id)

        await self.db.write(q)

    async def page_text(self, board_id: str, file_id: str, page: int) -> str:
        async def q(c: Conn) -> str:
            sql = "SELECT 1 FROM files WHERE file_id = %s AND board_id = %s"
            if await one(c, sql, file_id, board_id) is None:
                raise no_file(board_id, file_id)
            sql = "SELECT text FROM pages WHERE file_id = %s AND page = %s"
            row = await one(c, sql, file_id, page)
            if row is None:
                raise PageNotFound(f"file {file_id!r} has no page {page} (yet)")
            return str(row[0])

        return await self.db.read(q)


def _passage_rows(file_id: str, pages: Sequence[PageText]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for page in pages:
        for text, index in page.passages:
            rows.append((file_id, page.page, text, *tsvector(index)))
    return rows


async def _delete_pages(c: Conn, file_id: str) -> None:
    # Their vectors go with the passages (ON DELETE CASCADE).
    await c.execute("DELETE FROM passages WHERE file_id = %s", (file_id,))
    await c.execute("DELETE FROM pages WHERE file_id = %s", (file_id,))
