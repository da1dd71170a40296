"""Relevance-ranked search over a board's pages and notes (or over every board)."""

from __future__ import annotations

from service.boards.models import Passage
from service.boards.store import BoardStore
from service.boards.text import fts_query, query_terms, snippet


class Searcher:
    """Turns what someone typed into ranked passages; never a syntax error."""

    def __init__(self, store: BoardStore) -> None:
        self.store = store

    async def search(self, query: str, board_id: str | None, limit: int = 10) -> list[Passage]:
        """The best pages and notes for `query`, best first; `board_id=None` searches all."""
        terms = query_terms(query)
        if not terms:
            return []
        match = fts_query(terms)
        pages = await self.store.search_pages(match, board_id, limit)
        notes = await self.store.search_notes(match, board_id, limit)
        found = [
            Passage(
                "page",
                r["file_id"],
                r["filename"],
                r["page"],
                _score(r["rank"]),
                snippet(r["text"], terms),
                text=r["text"],
                board_id=r["board_id"],
            )
            for r in pages
        ] + [
            Passage(
                "note",
                None,
                r["title"],
                None,
                _score(r["rank"]),
                snippet(r["text"], terms),
                text=r["text"],
                note_id=r["note_id"],
                board_id=r["board_id"],
            )
            for r in notes
        ]
        found.sort(key=lambda p: p.score, reverse=True)
        return found[:limit]


def _score(rank: float) -> float:
    # bm25 is negative, lower is better; a score reads better the other way round.
    return float(f"{-rank:.4g}")
