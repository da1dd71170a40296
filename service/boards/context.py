"""The context an expert answers from: the viewed page, passages and notes, in a budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.boards.models import HistoryEntry, Note, Passage, View
from service.boards.search import Searcher
from service.boards.storage import BoardStore
from service.boards.text import query_terms, snippet

BUDGET_CHARS = 12_000
VIEW_CHARS = 4_000
PASSAGE_CHARS = 1_500
HISTORY_TURNS = 6


@dataclass(frozen=True, slots=True)
class Context:
    """Everything the expert may use for one question, already cut to the budget."""

    board_id: str
    board_name: str
    question: str
    view: View | None
    view_text: str
    passages: list[Passage]
    notes: list[Note]
    history: list[HistoryEntry] = field(default_factory=list)
    board_files: int = 0
    board_notes: int = 0

    @property
    def sources(self) -> list[Passage]:
        """What an answer may cite, in the order the expert weighs them: the viewed page first."""
        if self.view is None or not self.view_text:
            return self.passages
        viewed = Passage(
            "page",
            self.view.file_id,
            self.view.filename,
            self.view.page,
            0.0,
            snippet(self.view_text, query_terms(self.question)),
            text=self.view_text,
            board_id=self.board_id,
        )
        return [viewed, *self.passages]

    def to_dict(self) -> dict[str, Any]:
        """JSON form, as `GET /api/boards/{id}/context` shows it."""
        return {
            "board_id": self.board_id,
            "board_name": self.board_name,
            "question": self.question,
            "view": None if self.view is None else {**self.view.to_dict(), "text": self.view_text},
            "sources": [{**p.to_dict(), "text": p.text} for p in self.passages],
            "notes": [n.to_dict() for n in self.notes],
            "history": [h.to_dict() for h in self.history],
            "chars": self.size,
        }

    @property
    def size(self) -> int:
        """Characters of document text this context carries."""
        return (
            len(self.view_text)
            + sum(len(p.text) for p in self.passages)
            + sum(len(n.text) for n in self.notes)
        )


class ContextBuilder:
    """Builds a board's context for a question within `budget` characters."""

    def __init__(self, store: BoardStore, searcher: Searcher, budget: int = BUDGET_CHARS) -> None:
        self.store = store
        self.searcher = searcher
        self.budget = budget

    async def build(self, board_id: str, question: str) -> Context:
        """The viewed page, the best passages for `question`, then notes, then recent history."""
        board = await self.store.get_board(board_id)
        left = self.budget
        viewed = await self.store.get_view(board_id)
        view, view_text = (None, "") if viewed is None else viewed
        view_text = view_text[:VIEW_CHARS]
        left -= len(view_text)

        terms = query_terms(question)
        passages: list[Passage] = []
        for hit in await self.searcher.search(question, board_id, limit=8):
            if hit.kind != "page":
                continue
            if view is not None and hit.file_id == view.file_id and hit.page == view.page:
                continue  # Already in the context as the viewed page.
            text = _excerpt(hit.text, terms)
            if len(text) > left:
                break
            left -= len(text)
            passages.append(_with_text(hit, text))

        notes: list[Note] = []
        for note in await self.store.list_notes(board_id):
            if len(note.text) > left:
                continue
            left -= len(note.text)
            notes.append(note)

        history = await self.store.list_history(board_id, limit=HISTORY_TURNS)
        return Context(
            board.board_id,
            board.name,
            question,
            view,
            view_text,
            passages,
            notes,
            history,
            board.files,
            board.notes,
        )


def _excerpt(text: str, terms: list[str]) -> str:
    if len(text) <= PASSAGE_CHARS:
        return text.strip()
    return snippet(text, terms, width=PASSAGE_CHARS)


def _with_text(hit: Passage, text: str) -> Passage:
    return Passage(
        hit.kind,
        hit.file_id,
        hit.filename,
        hit.page,
        hit.score,
        hit.snippet,
        text=text,
        note_id=hit.note_id,
        board_id=hit.board_id,
    )
