"""The offline engine: an answer built from the best-matching sentences, with citations."""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass

import anyio
import anyio.lowlevel

from service.boards import Passage, is_cjk, query_terms
from service.llm.engine import Prompt
from service.llm.sentences import sentences

MAX_POINTS = 4
MAX_SENTENCE = 400
_WORDS = re.compile(r"\S+\s*|\s+")
_CJK_CHUNK = 8


@dataclass(frozen=True, slots=True)
class _Point:
    score: float
    order: int
    sentence: str
    passage: Passage


class ExtractiveEngine:
    """Answers from the passages alone: no model, no network, the same for every run."""

    name = "extractive"

    def __init__(self, *, chunk_delay: float = 0.0) -> None:
        # A small delay between chunks makes the offline answer stream like a model's.
        self.chunk_delay = chunk_delay

    async def answer(self, prompt: Prompt) -> AsyncGenerator[str, None]:
        """Stream the answer chunk by chunk."""
        text = compose(prompt)
        for chunk in _chunks(text):
            yield chunk
            if self.chunk_delay:
                await anyio.sleep(self.chunk_delay)
            else:
                await anyio.lowlevel.checkpoint()


def compose(prompt: Prompt) -> str:
    """The whole answer: the sentences that share most terms with the question, cited."""
    chinese = is_cjk(prompt.question)
    terms = query_terms(prompt.question)
    points = _best_points(prompt.sources, terms)
    if not points:
        if chinese:
            return "在这个看板的文档和笔记中没有找到与这个问题相关的内容。"
        where = "any board" if prompt.scope == "all boards" else "this board"
        return f"I found nothing on {where} that matches this question."
    boards = "your boards" if prompt.scope == "all boards" else "the board"
    lines = [("根据看板上的文档：" if chinese else f"From the documents on {boards}:")]
    for point in points:
        where = _where(point.passage, prompt)
        lines.append(f"- {point.sentence} {point.passage.citation}{where}")
    return "\n".join(lines)


def _where(passage: Passage, prompt: Prompt) -> str:
    if prompt.scope != "all boards" or passage.board_id is None:
        return ""
    return f" (board: {prompt.board_names.get(passage.board_id, passage.board_id)})"


def _best_points(sources: list[Passage], terms: list[str]) -> list[_Point]:
    points: list[_Point] = []
    for rank, passage in enumerate(sources):
        for sentence in _sentences(passage.text):
            lowered = sentence.lower()
            hits = sum(1 for term in terms if term in lowered)
            if hits:
                # Earlier sources are better sources; ties go to the earlier sentence.
                points.append(_Point(hits - rank * 0.01, len(points), sentence, passage))
    points.sort(key=lambda p: (-p.score, p.order))
    chosen: list[_Point] = []
    seen: set[str] = set()
    for point in points:
        if point.sentence in seen:
            continue
        seen.add(point.sentence)
        chosen.append(point)
        if len(chosen) == MAX_POINTS:
            break
    return sorted(chosen, key=lambda p: p.order)


def _sentences(text: str) -> list[str]:
    return [s[:MAX_SENTENCE] for s in sentences(text) if len(s) > 1]


def _chunks(text: str) -> list[str]:
    # Words for alphabetic text; short runs of characters for CJK, which has no spaces.
    chunks: list[str] = []
    for word in _WORDS.findall(text):
        if is_cjk(word) and len(word) > _CJK_CHUNK:
            chunks.extend(word[i : i + _CJK_CHUNK] for i in range(0, len(word), _CJK_CHUNK))
        else:
            chunks.append(word)
    return chunks
