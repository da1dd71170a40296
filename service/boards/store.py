"""The SQLite board store: boards, files, pages, notes, views and history (storage.BoardStore)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from service.boards.db import Database
from service.boards.index import delete_passages, put_passages
from service.boards.models import Board, FileRecord, FileStatus, HistoryEntry, Note, View, now
from service.boards.pdf import PageText
from service.errors import BoardNotFound, FileNotFound, NoteNotFound, PageNotFound

_BOARD_SELECT = """
SELECT b.*,
       (SELECT count(*) FROM files f WHERE f.board_id = b.board_id) AS files,
       (SELECT count(*) FROM notes n WHERE n.board_id = b.board_id) AS notes
FROM boards b
"""


_NOTE_ROWID = "SELECT id FROM notes WHERE note_id = ? AND board_id = ?"


def _no_board(board_id: str) -> BoardNotFound:
    return BoardNotFound(f"no board {board_id!r}")


def _no_file(board_id: str, file_id: str) -> FileNotFound:
    return FileNotFound(f"no file {file_id!r} on board {board_id!r}")


def _board(row: sqlite3.Row) -> Board:
    return Board(
        row["board_id"],
        row["name"],
        row["created_at"],
        row["updated_at"],
        row["files"],
        row["notes"],
    )


def file_from_row(row: sqlite3.Row) -> FileRecord:
    return FileRecord(
        row["file_id"],
        row["board_id"],
        row["filename"],
        row["size"],
        row["status"],
        row["pages"],
        row["error"],
        row["created_at"],
        tuple(json.loads(row["pages_without_text"])),
    )


def _note(row: sqlite3.Row) -> Note:
    return Note(row["note_id"], row["board_id"], row["title"], row["text"], row["updated_at"])


def _require_board(conn: sqlite3.Connection, board_id: str) -> None:
    if conn.execute("SELECT 1 FROM boards WHERE board_id = ?", (board_id,)).fetchone() is None:
        raise _no_board(board_id)


def _touch(conn: sqlite3.Connection, board_id: str) -> None:
    conn.execute("UPDATE boards SET updated_at = ? WHERE board_id = ?", (now(), board_id))


class SqliteBoardStore:
    """Typed queries over the SQLite board database; each method is one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # Boards

    async def list_boards(self) -> list[Board]:
        rows = await self.db.read(
            lambda c: c.execute(_BOARD_SELECT + " ORDER BY b.created_at, b.rowid").fetchall()
        )
        return [_board(r) for r in rows]

    async def get_board(self, board_id: str) -> Board:
        def q(c: sqlite3.Connection) -> sqlite3.Row | None:
            row: sqlite3.Row | None = c.execute(
                _BOARD_SELECT + " WHERE b.board_id = ?", (board_id,)
            ).fetchone()
            return row

        row = await self.db.read(q)
        if row is None:
            raise _no_board(board_id)
        return _board(row)

    async def create_board(self, board_id: str, name: str) -> Board:
        stamp = now()
        await self.db.write(
            lambda c: c.execute(
                "INSERT INTO boards VALUES (?, ?, ?, ?)", (board_id, name, stamp, stamp)
            )
        )
        return Board(board_id, name, stamp, stamp)

    async def rename_board(self, board_id: str, name: str) -> None:
        def q(c: sqlite3.Connection) -> None:
            cur = c.execute(
                "UPDATE boards SET name = ?, updated_at = ? WHERE board_id = ?",
                (name, now(), board_id),
            )
            if cur.rowcount == 0:
                raise _no_board(board_id)

        await self.db.write(q)

    async def delete_board(self, board_id: str) -> list[str]:
        """Delete a board with everything on it; returns the ids of its files."""

        def q(c: sqlite3.Connection) -> list[str]:
            _require_board(c, board_id)
            file_ids = [
                r[0] for r in c.execute("SELECT file_id FROM files WHERE board_id = ?", (board_id,))
            ]
            for file_id in file_ids:
                _delete_pages(c, file_id)
            c.execute(
                "DELETE FROM note_index WHERE rowid IN (SELECT id FROM notes WHERE board_id = ?)",
                (board_id,),
            )
            c.execute("DELETE FROM boards WHERE board_id = ?", (board_id,))
            return file_ids

        return await self.db.write(q)

    # Files

    async def insert_file(self, record: FileRecord) -> None:
        def q(c: sqlite3.Connection) -> None:
            _require_board(c, record.board_id)
            c.execute(
                "INSERT INTO files (file_id, board_id, filename, size, status, pages, error, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
            _touch(c, record.board_id)

        await self.db.write(q)

    async def get_file(self, board_id: str, file_id: str) -> FileRecord:
        row = await self.db.read(
            lambda c: c.execute(
                "SELECT * FROM files WHERE file_id = ? AND board_id = ?", (file_id, board_id)
            ).fetchone()
        )
        if row is None:
            raise _no_file(board_id, file_id)
        return file_from_row(row)

    async def list_files(self, board_id: str) -> list[FileRecord]:
        rows = await self.db.read(
            lambda c: c.execute(
                "SELECT * FROM files WHERE board_id = ? ORDER BY created_at, rowid", (board_id,)
            ).fetchall()
        )
        return [file_from_row(r) for r in rows]

    async def files_with_status(self, status: FileStatus) -> list[FileRecord]:
        rows = await self.db.read(
            lambda c: c.execute(
                "SELECT * FROM files WHERE status = ? ORDER BY created_at, rowid", (status,)
            ).fetchall()
        )
        return [file_from_row(r) for r in rows]

    async def all_file_ids(self) -> set[str]:
        rows = await self.db.read(lambda c: c.execute("SELECT file_id FROM files").fetchall())
        return {r[0] for r in rows}

    async def add_pages(self, file_id: str, pages: Sequence[PageText]) -> bool:
        """Store page texts and their passages; False when the file is gone meanwhile."""

        def q(c: sqlite3.Connection) -> bool:
            if c.execute("SELECT 1 FROM files WHERE file_id = ?", (file_id,)).fetchone() is None:
                return False
            for page in pages:
                c.execute(
                    "INSERT INTO pages (file_id, page, text) VALUES (?, ?, ?) "
                    "ON CONFLICT (file_id, page) DO UPDATE SET text = excluded.text",
                    (file_id, page.page, page.text),
                )
                put_passages(c, file_id, page.page, page.passages)
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

        def q(c: sqlite3.Connection) -> None:
            if status == "failed":
                _delete_pages(c, file_id)
            c.execute(
                "UPDATE files SET status = ?, error = ?, pages_without_text = ?, "
                "text_version = ? WHERE file_id = ?",
                (status, error, json.dumps(list(pages_without_text)), text_version, file_id),
            )

        await self.db.write(q)

    async def files_to_reindex(self, text_version: int) -> list[FileRecord]:
        """Ready files whose text an older pipeline extracted."""
        rows = await self.db.read(
            lambda c: c.execute(
                "SELECT * FROM files WHERE status = 'ready' AND text_version < ? "
                "ORDER BY created_at, rowid",
                (text_version,),
            ).fetchall()
        )
        return [file_from_row(r) for r in rows]

    async def reset_file(self, file_id: str) -> None:
        """Forget partial pages before ingesting a file again."""
        await self.db.write(lambda c: _delete_pages(c, file_id))

    async def delete_file(self, board_id: str, file_id: str) -> None:
        def q(c: sqlite3.Connection) -> None:
            if (
                c.execute(
                    "SELECT 1 FROM files WHERE file_id = ? AND board_id = ?", (file_id, board_id)
                ).fetchone()
                is None
            ):
                raise _no_file(board_id, file_id)
            _delete_pages(c, file_id)
            c.execute("DELETE FROM files WHERE file_id = ?", (file_id,))
            _touch(c, board_id)

        await self.db.write(q)

    async def page_text(self, board_id: str, file_id: str, page: int) -> str:
        def q(c: sqlite3.Connection) -> str:
            record = c.execute(
                "SELECT status, pages FROM files WHERE file_id = ? AND board_id = ?",
                (file_id, board_id),
            ).fetchone()
            if record is None:
                raise _no_file(board_id, file_id)
            row = c.execute(
                "SELECT text FROM pages WHERE file_id = ? AND page = ?", (file_id, page)
            ).fetchone()
            if row is None:
                raise PageNotFound(f"file {file_id!r} has no page {page} (yet)")
            return str(row[0])

        return await self.db.read(q)

    # Notes

    async def list_notes(self, board_id: str) -> list[Note]:
        rows = await self.db.read(
            lambda c: c.execute(
                "SELECT * FROM notes WHERE board_id = ? ORDER BY created_at, rowid", (board_id,)
            ).fetchall()
        )
        return [_note(r) for r in rows]

    async def put_note(self, note: Note, index: str, *, create: bool) -> None:
        def q(c: sqlite3.Connection) -> None:
            _require_board(c, note.board_id)
            if create:
                cur = c.execute(
                    "INSERT INTO notes (note_id, board_id, title, text, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        note.note_id,
                        note.board_id,
                        note.title,
                        note.text,
                        note.updated_at,
                        note.updated_at,
                    ),
                )
                rowid = cur.lastrowid
            else:
                row = c.execute(
                    _NOTE_ROWID,
                    (note.note_id, note.board_id),
                ).fetchone()
                if row is None:
                    raise NoteNotFound(f"no note {note.note_id!r} on board {note.board_id!r}")
                rowid = row[0]
                c.execute(
                    "UPDATE notes SET title = ?, text = ?, updated_at = ? WHERE id = ?",
                    (note.title, note.text, note.updated_at, rowid),
                )
            c.execute(
                "INSERT OR REPLACE INTO note_index (rowid, body) VALUES (?, ?)", (rowid, index)
            )
            _touch(c, note.board_id)

        await self.db.write(q)

    async def delete_note(self, board_id: str, note_id: str) -> None:
        def q(c: sqlite3.Connection) -> None:
            row = c.execute(_NOTE_ROWID, (note_id, board_id)).fetchone()
            if row is None:
                raise NoteNotFound(f"no note {note_id!r} on board {board_id!r}")
            c.execute("DELETE FROM note_index WHERE rowid = ?", (row[0],))
            c.execute("DELETE FROM notes WHERE id = ?", (row[0],))
            _touch(c, board_id)

        await self.db.write(q)

    # View

    async def set_view(self, board_id: str, file_id: str, page: int) -> View:
        def q(c: sqlite3.Connection) -> View:
            _require_board(c, board_id)
            row = c.execute(
                "SELECT filename, pages, status FROM files WHERE file_id = ? AND board_id = ?",
                (file_id, board_id),
            ).fetchone()
            if row is None:
                raise _no_file(board_id, file_id)
            if row["pages"] is not None and not 1 <= page <= row["pages"]:
                raise PageNotFound(f"file {file_id!r} has pages 1 to {row['pages']}, not {page}")
            stamp = now()
            c.execute(
                "INSERT OR REPLACE INTO views VALUES (?, ?, ?, ?)", (board_id, file_id, page, stamp)
            )
            return View(file_id, row["filename"], page, stamp)

        return await self.db.write(q)

    async def get_view(self, board_id: str) -> tuple[View, str] | None:
        """The viewed page and its text, if the user is looking at one."""

        def q(c: sqlite3.Connection) -> tuple[View, str] | None:
            row = c.execute(
                "SELECT v.file_id, f.filename, v.page, v.updated_at, p.text FROM views v "
                "JOIN files f ON f.file_id = v.file_id "
                "LEFT JOIN pages p ON p.file_id = v.file_id AND p.page = v.page "
                "WHERE v.board_id = ?",
                (board_id,),
            ).fetchone()
            if row is None:
                return None
            return View(row[0], row[1], row[2], row[3]), row[4] or ""

        return await self.db.read(q)

    # History

    async def list_history(self, board_id: str, limit: int = 100) -> list[HistoryEntry]:
        rows = await self.db.read(
            lambda c: c.execute(
                "SELECT * FROM (SELECT * FROM history WHERE board_id = ? "
                "ORDER BY entry_id DESC LIMIT ?) ORDER BY entry_id",
                (board_id, limit),
            ).fetchall()
        )
        return [
            HistoryEntry(
                r["entry_id"],
                r["question"],
                r["answer"],
                json.loads(r["sources"]),
                r["finish_reason"],
                r["created_at"],
            )
            for r in rows
        ]

    async def add_history(
        self,
        board_id: str,
        question: str,
        answer: str,
        sources: list[dict[str, Any]],
        finish_reason: str,
    ) -> None:
        def q(c: sqlite3.Connection) -> None:
            _require_board(c, board_id)
            c.execute(
                "INSERT INTO history (board_id, question, answer, sources, finish_reason, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
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
            lambda c: c.execute("DELETE FROM history WHERE board_id = ?", (board_id,))
        )


def _delete_pages(c: sqlite3.Connection, file_id: str) -> None:
    delete_passages(c, file_id)
    c.execute("DELETE FROM pages WHERE file_id = ?", (file_id,))
