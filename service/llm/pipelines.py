"""The expert and assistant pipelines: a question's events, from `start` to `done`."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing, suppress
from typing import Any

import anyio

from service.boards.models import Passage
from service.boards.service import Boards
from service.errors import BoardNotFound
from service.llm.engine import Engine, Question

Event = tuple[str, dict[str, Any]]


def step(name: str, message: str, status: str = "info") -> Event:
    """A processing step; the runner adds `elapsed_ms`."""
    return "step", {"name": name, "status": status, "message": message}


def _sources(passages: list[Passage]) -> dict[str, Any]:
    return {"sources": [p.to_dict() for p in passages]}


async def expert(
    boards: Boards, engine: Engine, board_id: str, question: str
) -> AsyncGenerator[Event, None]:
    """Answer from one board: its viewed page, retrieved passages and notes."""
    yield step("received", "Question received")
    context = await boards.context(board_id, question)
    sources = context.sources
    yield step("context", f"Context built with {len(sources)} sources", "success")
    yield "context", _sources(sources)
    answer: list[str] = []
    async for event in _answer(engine, Question(question, sources, context.notes), answer):
        yield event
    with anyio.CancelScope(shield=True), suppress(BoardNotFound):
        await boards.record_answer(
            board_id, question, "".join(answer), [p.to_dict() for p in sources], "stop"
        )
    yield "done", {"finish_reason": "stop"}


async def assistant(boards: Boards, engine: Engine, question: str) -> AsyncGenerator[Event, None]:
    """Answer across every board, saying which board each passage comes from."""
    yield step("received", "Question received")
    names = {b.board_id: b.name for b in await boards.list_boards()}
    hits = await boards.search(question, None, limit=8)
    sources = [p for p in hits if p.board_id in names]
    yield step("context", f"Searched {len(names)} boards: {len(sources)} sources", "success")
    yield "context", _sources(sources)
    async for event in _answer(
        engine, Question(question, sources, scope="all boards", board_names=names), []
    ):
        yield event
    yield "done", {"finish_reason": "stop"}


async def _answer(
    engine: Engine, question: Question, answer: list[str]
) -> AsyncGenerator[Event, None]:
    yield step("engine", f"The {engine.name} engine is answering")
    first = True
    # aclosing: a cancelled stream closes the engine's iterator at once, so the work
    # behind it (an upstream HTTP response) stops too.
    async with aclosing(engine.answer(question)) as chunks:
        async for chunk in chunks:
            if first:
                yield step("first_token", "First words of the answer", "success")
                first = False
            answer.append(chunk)
            yield "delta", {"text": chunk}
    yield step("finished", "Answer finished", "success")
