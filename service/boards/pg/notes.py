"""The PostgreSQL board store's notes, viewed page and history."""

from __future__ import annotations

import json
from typing import Any

import anyio.to_thread

from service.boards.models import HistoryEntry, Note, View, now
from service.boards.pg.connection import Conn, PgDatabase
from service.boards.pg.lexemes import tsvector
from service.boards.pg.rows import every, no_file, one, require_board, touch
from service.errors import NoteNotFound, PageNotFound

_NOTE = "SELECT note_id, board_id, title, text, updated_at FROM notes"


class NotesViewsHistory:
    """The part of `PgBoardStore` about what people add to a board besides files."""

    db: PgDatabase

    # Notes

    async def list_notes(self, board_id: str) -> list[Note]:
        rows = await self.db.read(
            lambda c: every(c, _NOTE + " WHERE board_id = %s ORDER BY created_at, seq", board_id)
        )
        return [Note(*r) for r in rows]

    async def put_note(self, note: Note, index: str, *, create: bool) -> None:
        words, lexemes = await anyio.to_thread.run_sync(tsvector, index)

        async def q(c: Conn) -> None:
            await require_board(c, note.board_id)
            if create:
                await c.execute(
                    "INSERT INTO notes (note_id, board_id, title, text, created_at, updated_at, "
                    "words, lexemes) VALUES (%s, %s, %s, %s, %s, %s, %s, %s::tsvector)",
                    (
                        note.note_id,
                        note.board_id,
                        note.title,
                        note.text,
                        note.updated_at,
                        note.updated_at,
                        words,
                        lexemes,
                    ),
                )
            else:
                cur = await c.execute(
                    "UPDATE notes SET title = %s, text = %s, updated_at = %s, words = %s, "
                    "lexemes = %s::tsvector WHERE note_id = %s AND board_id = %s",
                    (
                        note.title,
                        note.text,
                        note.updated_at,
                        words,
                        lexemes,
                        note.note_id,
                        note.board_id,
                    ),
                )
                if cur.rowcount == 0:
                    raise NoteNotFound(f"no note {note.note_id!r} on board {note.board_id!r}")
            await touch(c, note.board_id)

        await self.db.write(q)

    async def delete_note(self, board_id: str, note_id: str) -> None:
        async def q(c: Conn) -> None:
            cur = await c.execute(
                "DELETE FROM notes WHERE note_id = %s AND board_id = %s", (note_id, board_id)
            )
            if cur.rowcount == 0:
                raise NoteNotFound(f"no note {note_id!r} on board {board_id!r}")
            await touch(c, board_id)

        await self.db.write(q)

    # View

    async def set_view(self, board_id: str, file_id: str, page: int) -> View:
        async def q(c: Conn) -> View:
            await require_board(c, board_id)
            row = await one(
                c,
                "SELECT filename, pages FROM files WHERE file_id = %s AND board_id = %s "
                "FOR KEY SHARE",
                file_id,
                board_id,
            )
            if row is None:
                raise no_file(board_id, file_id)
            filename, pages = row
            if pages is not None and not 1 <= page <= pages:
                raise PageNotFound(f"file {file_id!r} has pages 1 to {pages}, not {page}")
            stamp = now()
            await c.execute(
                "INSERT INTO views (board_id, file_id, page, updated_at) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (board_id) DO UPDATE SET file_id = excluded.file_id, "
                "page = excluded.page, updated_at = excluded.updated_at",
                (board_id, file_id, page, stamp),
            )
            return View(file_id, filename, page, stamp)

        return await self.db.write(q)

    async def get_view(self, board_id: str) -> tuple[View, str] | None:
        """The viewed page and its text, if the user is looking at one."""
        row = await self.db.read(
            lambda c: one(
                c,
                "SELECT v.file_id, f.filename, v.page, v.updated_at, p.text FROM views v "
                "JOIN files f ON f.file_id = v.file_id "
                "LEFT JOIN pages p ON p.file_id = v.file_id AND p.page = v.page "
                "WHERE v.board_id = %s",
                board_id,
            )
        )
        if row is None:
            return None
        return View(*row[:4]), row[4] or ""

    # History

    async def list_history(self, board_id: str, limit: int = 100) -> list[HistoryEntry]:
        rows = await self.db.read(
            lambda c: every(
                c,
                "SELECT entry_id, question, answer, sources, finish_reason, created_at FROM ("
                "SELECT * FROM history WHERE board_id = %s ORDER BY entry_id DESC LIMIT %s"
                ") latest ORDER BY entry_id",
                board_id,
                limit,
            )
        )
        return [HistoryEntry(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]

    async def add_history(
        self,
        board_id: str,
        question: str,
        answer: str,
        sources: list[dict[str, Any]],
        finish_reason: str,
    ) -> None:
        async def q(c: Conn) -> None:
            await require_board(c, board_id)
            await c.execute(
                "INSERT INTO history (board_id, question, answer, sources, finish_reason, "
                "created_at) VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    board_id,
                    question,
                    answer,
                    json.dumps(sources, ensure_ascii=False),
                    finish_reason,
                    now(),
                ),
            )

        await self.db.write(q)

    async def clear_history(self, board_id: str) -> None:
        await self.db.write(
            lambda c: c.execute("DELETE FROM history WHERE board_id = %s", (board_id,))
        )
