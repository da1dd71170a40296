"""A board's expert: a question's events, from the first step to `done`."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing, suppress

import anyio

from service.boards import Boards, Context, Passage
from service.errors import BoardNotFound
from service.llm.engine import Engine, Prompt
from service.llm.prompts import expert_messages
from service.llm.turn import Outcome, count, sources, step, turn
from service.streams.events import Delta, Done, Sources, Step


async def expert(
    boards: Boards, engine: Engine, board_id: str, question: str, *, record: bool = True
) -> AsyncGenerator[Step | Sources | Delta | Done, None]:
    """Answer from one board: its viewed page, retrieved passages, notes and history.

    The answer goes into the board's history (unless `record` is off), marked
    `interrupted` when it was cut short.
    """
    yield step("received", "Question received")
    context = await boards.context(board_id, question)
    cited = context.sources
    yield step("context", f"Context built with {count(len(cited), 'source')}", "success")
    yield sources(cited)
    prompt = Prompt(
        question,
        cited,
        context.notes,
        messages=expert_messages(context),
        viewed=_viewed(context),
    )
    outcome = Outcome()
    complete = False
    try:
        async with aclosing(turn(engine.answer(prompt), engine.name, outcome)) as events:
            async for event in events:
                yield event
        complete = True
    finally:
        if record and (outcome.text or complete):
            # Kept even when cancelled or failed, marked so; shielded because a cancelled
            # stream arrives here with the cancellation still in flight.
            reason = outcome.finish.finish_reason if complete else "interrupted"
            with anyio.CancelScope(shield=True), suppress(BoardNotFound):
                await boards.record_answer(
                    board_id,
                    question,
                    "".join(outcome.text),
                    [p.to_dict() for p in cited],
                    reason,
                )
    yield Done(finish_reason=outcome.finish.finish_reason, usage=outcome.finish.usage)


def _viewed(context: Context) -> Passage | None:
    """The page in view as the sources cite it (first), or textless when it has no text."""
    view = context.view
    if view is None:
        return None
    first = context.sources[0] if context.sources else None
    if first is not None and (first.file_id, first.page) == (view.file_id, view.page):
        return first
    # A scanned page has no text: the answer says so rather than that nothing is open.
    return Passage(
        "page", view.file_id, view.filename, view.page, 0.0, "", board_id=context.board_id
    )
