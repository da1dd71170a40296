"""The records a board holds, as plain frozen dataclasses."""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FileStatus = Literal["processing", "ready", "failed"]

MAX_NAME = 200
"""The longest board name (and note title), in characters."""
MAX_NOTE = 100_000
"""The longest note, in characters."""


def new_id(prefix: str) -> str:
    """An opaque, URL-safe, unguessable id such as `brd_3f9a0c1d2e4b5a6f`."""
    return f"{prefix}_{secrets.token_hex(8)}"


def now() -> float:
    """Wall-clock seconds, the unit of every `*_at` field."""
    return round(time.time(), 3)


@dataclass(frozen=True, slots=True)
class Board:
    """A board and how much it holds."""

    board_id: str
    name: str
    created_at: float
    updated_at: float
    files: int = 0
    notes: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON record of docs/API.md."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class FileRecord:
    """A PDF on a board and where its ingestion stands."""

    file_id: str
    board_id: str
    filename: str
    size: int
    status: FileStatus
    pages: int | None
    error: str | None
    created_at: float
    # Scanned pages: images without a text layer, so nothing on them can be found.
    pages_without_text: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON record of docs/API.md."""
        record = asdict(self)
        record["pages_without_text"] = list(self.pages_without_text)
        return record


@dataclass(frozen=True, slots=True)
class Note:
    """A note a user wrote on a board."""

    note_id: str
    board_id: str
    title: str
    text: str
    updated_at: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON record of docs/API.md (without the board id, which the URL carries)."""
        return {
            "note_id": self.note_id,
            "title": self.title,
            "text": self.text,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True, slots=True)
class View:
    """The page a user is looking at now."""

    file_id: str
    filename: str
    page: int
    updated_at: float

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Passage:
    """A search hit: a page of a file, or a note, with its score and snippet."""

    kind: Literal["page", "note"]
    file_id: str | None
    filename: str
    page: int | None
    score: float
    snippet: str
    text: str = field(repr=False, default="")
    note_id: str | None = None
    board_id: str | None = None

    @property
    def citation(self) -> str:
        """How an answer cites this passage: `[filename p.N]` or `[note: title]`."""
        if self.kind == "note":
            return f"[note: {self.filename}]"
        return f"[{self.filename} p.{self.page}]"

    def to_dict(self) -> dict[str, Any]:
        """The search result record of docs/API.md, with `kind`, `board_id` and `note_id`."""
        return {
            "kind": self.kind,
            "board_id": self.board_id,
            "file_id": self.file_id,
            "note_id": self.note_id,
            "filename": self.filename,
            "page": self.page,
            "score": self.score,
            "snippet": self.snippet,
        }


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One finished (or interrupted) exchange with a board's expert."""

    entry_id: int
    question: str
    answer: str
    sources: list[dict[str, Any]]
    finish_reason: str
    created_at: float

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)
