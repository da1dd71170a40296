"""The offline engine: an answer built from the best-matching sentences, with citations."""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass

import anyio
import anyio.lowlevel

from service.boards import Passage, fold, is_cjk, query_terms
from service.llm.engine import Prompt
from service.llm.intents import page_question
from service.llm.sentences import sentences

MAX_POINTS = 4
LEAD = 4  # sentences quoted from the viewed page when the question names no topic
MAX_SENTENCE = 400
_WORDS = re.compile(r"\S+\s*|\s+")
_CJK_CHUNK = 8


_PAGE_EN = {
    "where": " ({filename}, p. {page})",
    "lead": "This page{where} says:",
    "matching": "On this page{where}:",
    "missing": "This page{where} does not mention that. It begins:",
    "empty": "This page{where} has no text I can read; it may be a scanned image.",
    "closed": "No page is open on this board, so I can't tell which page you mean. "
    "Open a page of a file and ask again.",
    "closed_but": "No page is open on this board. From its documents:",
    "unseen": "I can't see which page you have open: ask the expert of that board, who can.",
}
_PAGE_ZH = {
    "where": "（{filename}，第 {page} 页）",
    "lead": "这一页{where}的内容：",
    "matching": "这一页{where}中的相关内容：",
    "missing": "这一页{where}没有提到这一点。它的开头是：",
    "empty": "这一页{where}没有可读取的文字，可能是扫描的图片。",
    "closed": "这个看板上没有打开的页面，无法确定你指的是哪一页。请先打开文件的一页再问。",
    "closed_but": "这个看板上没有打开的页面。根据看板上的文档：",
    "unseen": "我看不到你打开的是哪一页：请在那个看板上问它的专家。",
}


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
        for chunk in _chunks(compose(prompt)):
            yield chunk
            await self._pause()

    async def say(self, text: str) -> AsyncGenerator[str, None]:
        """Stream a text already written (the assistant's own replies) as an answer streams."""
        for chunk in _chunks(text):
            yield chunk
            await self._pause()

    async def _pause(self) -> None:
        if self.chunk_delay:
            await anyio.sleep(self.chunk_delay)
        else:
            await anyio.lowlevel.checkpoint()


def compose(prompt: Prompt) -> str:
    """The whole answer: the sentences that share most terms with the question, cited."""
    chinese = is_cjk(prompt.question)
    asked = page_question(prompt.question)
    if asked is not None:
        if prompt.viewed is not None:
            return _about_page(prompt.viewed, list(asked.terms), chinese)
        return _no_page(prompt, list(asked.terms), chinese)
    points = _best_points(prompt.sources, query_terms(prompt.question))
    if not points:
        if chinese:
            return "在这个看板的文档和笔记中没有找到与这个问题相关的内容。"
        where = "any board" if prompt.scope == "all boards" else "this board"
        return f"I found nothing on {where} that matches this question."
    boards = "your boards" if prompt.scope == "all boards" else "the board"
    return _cited(
        "根据看板上的文档：" if chinese else f"From the documents on {boards}:", points, prompt
    )


def _about_page(page: Passage, terms: list[str], chinese: bool) -> str:
    """The viewed page's sentences on the question's terms, or else how the page begins."""
    say = _PAGE_ZH if chinese else _PAGE_EN
    where = say["where"].format(filename=page.filename, page=page.page)
    said = _sentences(page.text)
    if not said:
        return say["empty"].format(where=where)
    matching = [p.sentence for p in _best_points([page], terms)] if terms else []
    head = say["matching" if matching else "missing" if terms else "lead"].format(where=where)
    return "\n".join([head, *(f"- {s} {page.citation}" for s in matching or said[:LEAD])])


def _no_page(prompt: Prompt, terms: list[str], chinese: bool) -> str:
    """A question about the viewed page when none is open: said plainly, then any matches."""
    say = _PAGE_ZH if chinese else _PAGE_EN
    if prompt.scope == "all boards":
        # The assistant is global: only a board's expert knows which page is open there.
        return say["unseen"]
    points = _best_points(prompt.sources, terms) if terms else []
    return _cited(say["closed_but"], points, prompt) if points else say["closed"]


def _cited(head: str, points: list[_Point], prompt: Prompt) -> str:
    lines = [head]
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
            lowered = fold(sentence)
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
