"""The expert and assistant pipelines: a question's events, from the first step to `done`."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from contextlib import aclosing, suppress
from dataclasses import dataclass, field
from typing import Any

import anyio

from service.boards.models import Passage
from service.boards.service import Boards
from service.errors import BoardNotFound, BoardroomError
from service.llm import tools
from service.llm.engine import Engine, Finish, Notice, Question, ToolCall, ToolEngine
from service.llm.prompts import assistant_messages, expert_messages

Event = tuple[str, dict[str, Any]]
MAX_TOOL_ROUNDS = 6


def step(name: str, message: str, status: str = "info") -> Event:
    """A processing step; the runner adds `elapsed_ms`."""
    return "step", {"name": name, "status": status, "message": message}


def _sources(passages: list[Passage]) -> Event:
    return "context", {"sources": [p.to_dict() for p in passages]}


@dataclass
class _Outcome:
    text: list[str] = field(default_factory=list)
    finish: Finish = field(default_factory=lambda: Finish("stop"))
    calls: list[ToolCall] = field(default_factory=list)
    complete: bool = False


async def expert(
    boards: Boards, engine: Engine, board_id: str, question: str, *, record: bool = True
) -> AsyncGenerator[Event, None]:
    """Answer from one board: its viewed page, retrieved passages, notes and history."""
    yield step("received", "Question received")
    context = await boards.context(board_id, question)
    sources = context.sources
    yield step("context", f"Context built with {len(sources)} sources", "success")
    yield _sources(sources)
    prompt = Question(question, sources, context.notes, messages=expert_messages(context))
    outcome = _Outcome()
    try:
        async with aclosing(_turn(engine.answer(prompt), engine.name, outcome)) as events:
            async for event in events:
                yield event
        outcome.complete = True
    finally:
        if record and (outcome.text or outcome.complete):
            # Kept even when cancelled or failed, marked so; shielded because a cancelled
            # stream arrives here with the cancellation still in flight.
            reason = outcome.finish.finish_reason if outcome.complete else "interrupted"
            with anyio.CancelScope(shield=True), suppress(BoardNotFound):
                await boards.record_answer(
                    board_id,
                    question,
                    "".join(outcome.text),
                    [p.to_dict() for p in sources],
                    reason,
                )
    yield "done", {"finish_reason": outcome.finish.finish_reason, "usage": outcome.finish.usage}


async def _turn(
    chunks: AsyncGenerator[Any, None], engine_name: str, outcome: _Outcome
) -> AsyncGenerator[Event, None]:
    """One engine turn as events; text, tool calls and the finish land in `outcome`."""
    yield step("engine", f"The {engine_name} engine is answering")
    first = True
    # aclosing: a cancelled stream closes the engine's iterator at once, and with it the
    # upstream HTTP response, so the provider stops generating.
    async with aclosing(chunks) as answer:
        async for chunk in answer:
            if isinstance(chunk, str):
                if first:
                    yield step("first_token", "First words of the answer", "success")
                    first = False
                outcome.text.append(chunk)
                yield "delta", {"text": chunk}
            elif isinstance(chunk, Notice):
                yield step(chunk.name, chunk.message, chunk.status)
            elif isinstance(chunk, ToolCall):
                outcome.calls.append(chunk)
            elif isinstance(chunk, Finish):
                outcome.finish = chunk
    yield step("finished", "Answer finished", "success")


async def assistant(boards: Boards, engine: Engine, question: str) -> AsyncGenerator[Event, None]:
    """Answer across every board, saying which board each fact comes from."""
    yield step("received", "Question received")
    names = {b.board_id: b.name for b in await boards.list_boards()}
    sources = [p for p in await boards.search(question, None, limit=8) if p.board_id in names]
    yield step("context", f"Searched {len(names)} boards: {len(sources)} sources", "success")
    yield _sources(sources)
    if isinstance(engine, ToolEngine):
        async for event in _plan(boards, engine, question):
            yield event
        return
    outcome = _Outcome()
    prompt = Question(question, sources, scope="all boards", board_names=names)
    async for event in _turn(engine.answer(prompt), engine.name, outcome):
        yield event
    yield "done", {"finish_reason": outcome.finish.finish_reason, "usage": outcome.finish.usage}


async def _plan(boards: Boards, engine: ToolEngine, question: str) -> AsyncGenerator[Event, None]:
    """The model's tool loop: call tools until it answers; commands are only proposed."""
    messages = assistant_messages(question)
    command: dict[str, Any] | None = None
    outcome = _Outcome()
    for _ in range(MAX_TOOL_ROUNDS):
        outcome.calls = []
        async for event in _turn(engine.chat(messages, tools.TOOLS), engine.name, outcome):
            yield event
        if not outcome.calls:
            break
        messages.append(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": c.id,
                        "type": "function",
                        "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
                    }
                    for c in outcome.calls
                ],
            }
        )
        for call in outcome.calls:
            result: Any = None
            async for event in _run_tool(boards, engine, call):
                if event[0] == "result":
                    result = event[1]
                else:
                    yield event
            if call.name == "propose_command" and "action" in result:
                command = result
            messages.append(
                {
                    "role": "tool",
                    "tool_call_id": call.id,
                    "content": json.dumps(result, ensure_ascii=False),
                }
            )
    yield (
        "done",
        {
            "finish_reason": outcome.finish.finish_reason,
            "usage": outcome.finish.usage,
            "command": command,
        },
    )


async def _run_tool(
    boards: Boards, engine: Engine, call: ToolCall
) -> AsyncGenerator[tuple[str, Any], None]:
    """The steps of one tool call, then ("result", value) for the model."""
    args = call.arguments
    yield step(f"tool:{call.name}", f"Calling {call.name}({_brief(args)})")
    try:
        if call.name == "list_boards":
            yield "result", await tools.list_boards(boards)
        elif call.name == "search_boards":
            yield "result", await tools.search_boards(boards, str(args.get("query", "")))
        elif call.name == "propose_command":
            yield "result", await tools.propose(boards, args)
        elif call.name == "consult_expert":
            async for event in _consult(boards, engine, args):
                yield event
        else:
            yield "result", {"error": f"there is no tool {call.name}"}
    except BoardroomError as exc:
        # The model made a mistake it can correct: tell it, not the user.
        yield step(f"tool:{call.name}", exc.message, "warning")
        yield "result", {"error": exc.message}


async def _consult(
    boards: Boards, engine: Engine, args: dict[str, Any]
) -> AsyncGenerator[tuple[str, Any], None]:
    board_id = await tools.find_board(boards, str(args.get("board", "")))
    board = await boards.get_board(board_id)
    answer: dict[str, Any] = {}
    async with aclosing(
        expert(boards, engine, board_id, str(args.get("question", "")), record=False)
    ) as events:
        async for name, data in events:
            if name == "step":  # the expert's steps, nested in the assistant's stream
                yield (
                    "step",
                    {
                        **data,
                        "name": f"expert:{data['name']}",
                        "message": f"{board.name}: {data['message']}",
                    },
                )
            elif name == "delta":
                answer["text"] = answer.get("text", "") + data["text"]
    yield "result", {"board": board.name, "board_id": board_id, "answer": answer.get("text", "")}


def _brief(args: dict[str, Any]) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in args.items())
    return text if len(text) <= 120 else text[:117] + "…"
