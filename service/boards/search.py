"""Relevance-ranked search over a board's passages and notes (or over every board).

Passages are ranked, then gathered by page: a page is as good as its best passage,
which gives the hit its snippet, and carries the page's matching passages as its text.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from service.boards.index import SearchIndex
from service.boards.models import Passage
from service.boards.text import fts_query, query_terms, snippet

# Passages looked at per page asked for: a long page can hold many of the best ones.
_DEPTH = 5
PAGE_TEXT_CHARS = 1_500


@dataclass(slots=True)
class _Page:
    file_id: str
    filename: str
    board_id: str
    page: int
    score: float
    texts: list[str] = field(default_factory=list)


class Searcher:
    """Turns what someone typed into ranked pages and notes; never a syntax error."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    async def search(self, query: str, board_id: str | None, limit: int = 10) -> list[Passage]:
        """The best pages and notes for `query`, best first; `board_id=None` searches all."""
        terms = query_terms(query)
        if not terms:
            return []
        match = fts_query(terms)
        rows = await self.index.search_passages(match, board_id, limit * _DEPTH)
        notes = await self.index.search_notes(match, board_id, limit)
        ranked = [(row, _score(row)) for row in rows]
        found = [_page_hit(page, terms) for page in _by_page(ranked)] + [
            Passage(
                "note",
                None,
                r["title"],
                None,
                _score(r),
                snippet(r["text"], terms),
                text=r["text"],
                note_id=r["note_id"],
                board_id=r["board_id"],
            )
            for r in notes
        ]
        found.sort(key=lambda p: p.score, reverse=True)
        return found[:limit]


def _by_page(ranked: list[tuple[sqlite3.Row, float]]) -> list[_Page]:
    pages: dict[tuple[str, int], _Page] = {}
    for row, score in ranked:  # best first
        key = (row["file_id"], row["page"])
        page = pages.get(key)
        if page is None:
            page = pages[key] = _Page(
                row["file_id"], row["filename"], row["board_id"], row["page"], score
            )
        page.texts.append(row["text"])
    return list(pages.values())


def _page_hit(page: _Page, terms: list[str]) -> Passage:
    text = page.texts[0]
    for more in page.texts[1:]:
        if len(text) + len(more) > PAGE_TEXT_CHARS:
            break
        text += "\n" + more
    return Passage(
        "page",
        page.file_id,
        page.filename,
        page.page,
        page.score,
        snippet(page.texts[0], terms),
        text=text,
        board_id=page.board_id,
    )


def _score(row: sqlite3.Row) -> float:
    # bm25 is negative, lower is better; a score reads better the other way round.
    return float(f"{-row['rank']:.4g}")
