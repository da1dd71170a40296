"""Relevance-ranked search over a board's passages and notes (or over every board).

Passages are ranked by BM25 and, with an embedding model, also by vector similarity;
the two rankings are fused by reciprocal rank. Passages are then gathered by page: a
page scores as its best passage, which gives the hit its snippet, plus half of each
other passage of it that was found, and carries the page's best passages as its text.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

import anyio

from service.boards.models import Passage
from service.boards.storage import PassageRow, SearchIndex
from service.boards.text import query_terms, snippet
from service.boards.vectors import Embedder, VectorIndex
from service.errors import EmbeddingFailed

log = logging.getLogger(__name__)

# Passages looked at per page asked for: a long page can hold many of the best ones.
_DEPTH = 5
PAGE_TEXT_CHARS = 1_500
RRF_K = 5
"""Reciprocal rank fusion's constant: a passage at rank r of a list scores 1 / (RRF_K + r).

The usual 60 flattens the top of both lists; with it, keyword matches that happen to
share a question's words reordered the model's best few pages (see docs/BENCHMARKS.md)."""
BM25_WEIGHT = 0.5
"""What a BM25 rank weighs against the same vector rank: keywords confirm, the model leads."""

FURTHER_PASSAGE_WEIGHT = 0.5
"""A page scores as its best passage plus this share of each other of its passages found:
evidence spread over a page counts, as it did when whole pages were indexed."""

Ranked = list[tuple[PassageRow, float]]


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

    def __init__(
        self,
        index: SearchIndex,
        vectors: VectorIndex | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.index = index
        self.vectors = vectors
        self.embedder = embedder

    async def search(self, query: str, board_id: str | None, limit: int = 10) -> list[Passage]:
        """The best pages and notes for `query`, best first; `board_id=None` searches all."""
        terms = query_terms(query)
        if not terms:
            return []
        depth = limit * _DEPTH
        rows: list[PassageRow] = []
        nearest: list[tuple[int, float]] | None = None

        async def by_words() -> None:
            nonlocal rows
            rows = await self.index.search_passages(terms, board_id, depth)

        async def by_meaning() -> None:
            nonlocal nearest
            nearest = await self._nearest(query, board_id, depth)

        # Both wait on the database or a thread (numpy), which run side by side.
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(by_words)
            tasks.start_soon(by_meaning)
        notes = await self.index.search_notes(terms, board_id, limit)
        if nearest is None:
            ranked: Ranked = [(row, _bm25(row.score)) for row in rows]
            note_scores = [_bm25(row.score) for row in notes]
        else:
            ranked = await self._fuse(rows, nearest, board_id, depth)
            note_scores = [_rrf(rank) for rank in range(len(notes))]
        found = [_page_hit(page, terms) for page in _by_page(ranked)] + [
            Passage(
                "note",
                None,
                r.title,
                None,
                score,
                snippet(r.text, terms),
                text=r.text,
                note_id=r.note_id,
                board_id=r.board_id,
            )
            for r, score in zip(notes, note_scores, strict=True)
        ]
        found.sort(key=lambda p: p.score, reverse=True)
        return found[:limit]

    async def _nearest(
        self, query: str, board_id: str | None, depth: int
    ) -> list[tuple[int, float]] | None:
        if self.vectors is None or self.embedder is None:
            return None
        try:
            vector = await self.embedder.embed_query(query)
        except EmbeddingFailed as exc:
            # Keywords still find most things; a search must not fail with the model.
            log.warning("searching by keywords alone: %s", exc.message)
            return None
        return await self.vectors.nearest(vector, board_id, depth)

    async def _fuse(
        self,
        rows: list[PassageRow],
        nearest: list[tuple[int, float]],
        board_id: str | None,
        depth: int,
    ) -> Ranked:
        scores: defaultdict[int, float] = defaultdict(float)
        for rank, row in enumerate(rows):
            scores[row.id] += BM25_WEIGHT * _rrf(rank)
        for rank, (passage_id, _) in enumerate(nearest):
            scores[passage_id] += _rrf(rank)
        best = sorted(scores, key=lambda i: scores[i], reverse=True)[:depth]
        by_id = {row.id: row for row in rows}
        more = await self.index.passages([i for i in best if i not in by_id], board_id)
        by_id.update((row.id, row) for row in more)
        # A passage deleted since its vector was loaded is simply not found here.
        return [(by_id[i], round(scores[i], 6)) for i in best if i in by_id]


def _by_page(ranked: Ranked) -> list[_Page]:
    pages: dict[tuple[str, int], _Page] = {}
    for row, score in ranked:  # best first
        key = (row.file_id, row.page)
        page = pages.get(key)
        if page is None:
            page = pages[key] = _Page(row.file_id, row.filename, row.board_id, row.page, score)
        else:
            page.score += FURTHER_PASSAGE_WEIGHT * score
        page.texts.append(row.text)
    return sorted(pages.values(), key=lambda page: page.score, reverse=True)


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
        float(f"{page.score:.4g}"),  # a sum of passage scores: read as four digits again
        snippet(page.texts[0], terms),
        text=text,
        board_id=page.board_id,
    )


def _bm25(score: float) -> float:
    return float(f"{score:.4g}")


def _rrf(rank: int) -> float:
    return 1 / (RRF_K + rank + 1)
