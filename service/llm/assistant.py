"""The global assistant: searches every board, and with a model plans with tools.

received → search every board → context
  offline engine: one turn over the passages found → done
  tool engine:    loop (at most MAX_TOOL_ROUNDS): model turn → its tool calls run
                  (list_boards, search_boards, consult_expert: the expert's own
                  pipeline, its steps nested as `expert:<name>`; propose_command)
                  → results back to the model → until it answers → done {command}
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

from service.boards import Boards
from service.errors import BoardroomError
from service.llm import tools
from service.llm.engine import Engine, Prompt, ToolCall, ToolEngine
from service.llm.expert import expert
from service.llm.prompts import assistant_messages
from service.llm.turn import Outcome, brief, count, sources, step, turn
from service.streams.events import Delta, Done, Sources, Step

MAX_TOOL_ROUNDS = 6

AssistantEvent = Step | Sources | Delta | Done


@dataclass(frozen=True, slots=True)
class _Result:
    """What a tool call gives back to the model."""

    value: Any


async def assistant(
    boards: Boards, engine: Engine, question: str
) -> AsyncGenerator[AssistantEvent, None]:
    """Answer across every board, saying which board each fact comes from."""
    yield step("received", "Question received")
    names = {b.board_id: b.name for b in await boards.list_boards()}
    found = [p for p in await boards.search(question, None, limit=8) if p.board_id in names]
    searched = f"Searched {count(len(names), 'board')}: {count(len(found), 'source')}"
    yield step("context", searched, "success")
    yield sources(found)
    if isinstance(engine, ToolEngine):
        async with aclosing(_plan(boards, engine, question)) as events:
            async for event in events:
                yield event
        return
    outcome = Outcome()
    prompt = Prompt(question, found, scope="all boards", board_names=names)
    async with aclosing(turn(engine.answer(prompt), engine.name, outcome)) as events:
        async for event in events:
            yield event
    yield Done(finish_reason=outcome.finish.finish_reason, usage=outcome.finish.usage)


async def _plan(
    boards: Boards, engine: ToolEngine, question: str
) -> AsyncGenerator[AssistantEvent, None]:
    """The model's tool loop: call tools until it answers; commands are only proposed."""
    messages = assistant_messages(question)
    command: dict[str, Any] | None = None
    outcome = Outcome()
    for _ in range(MAX_TOOL_ROUNDS):
        outcome.calls = []
        async with aclosing(turn(engine.chat(messages, tools.TOOLS), engine.name, outcome)) as t:
            async for event in t:
                yield event
        if not outcome.calls:
            break
        messages.append(_calls_message(outcome.calls))
        for call in outcome.calls:
            result: Any = None
            async with aclosing(_run_tool(boards, engine, call)) as steps:
                async for item in steps:
                    if isinstance(item, _Result):
                        result = item.value
                    else:
                        yield item
            if call.name == "propose_command" and "action" in result:
                command = result
            messages.append(
                {
                    "role": "tool",
                    "tool_call_id": call.id,
                    "content": json.dumps(result, ensure_ascii=False),
                }
            )
    yield Done(
        finish_reason=outcome.finish.finish_reason, usage=outcome.finish.usage, command=command
    )


def _calls_message(calls: list[ToolCall]) -> dict[str, Any]:
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
            }
            for c in calls
        ],
    }


async def _run_tool(
    boards: Boards, engine: Engine, call: ToolCall
) -> AsyncGenerator[Step | _Result, None]:
    """The steps of one tool call, then its result for the model."""
    args = call.arguments
    yield step(f"tool:{call.name}", f"Calling {call.name}({brief(args)})")
    try:
        if call.name == "list_boards":
            yield _Result(await tools.list_boards(boards))
        elif call.name == "search_boards":
            yield _Result(await tools.search_boards(boards, str(args.get("query", ""))))
        elif call.name == "propose_command":
            yield _Result(await tools.propose(boards, args))
        elif call.name == "consult_expert":
            async with aclosing(_consult(boards, engine, args)) as events:
                async for event in events:
                    yield event
        else:
            yield _Result({"error": f"there is no tool {call.name}"})
    except BoardroomError as exc:
        # The model made a mistake it can correct: tell it, not the user.
        yield step(f"tool:{call.name}", exc.message, "warning")
        yield _Result({"error": exc.message})


async def _consult(
    boards: Boards, engine: Engine, args: dict[str, Any]
) -> AsyncGenerator[Step | _Result, None]:
    board_id = await tools.find_board(boards, str(args.get("board", "")))
    board = await boards.get_board(board_id)
    answer: list[str] = []
    question = str(args.get("question", ""))
    async with aclosing(expert(boards, engine, board_id, question, record=False)) as events:
        async for event in events:
            if isinstance(event, Step):  # the expert's steps, nested in the assistant's stream
                yield step(f"expert:{event.name}", f"{board.name}: {event.message}", event.status)
            elif isinstance(event, Delta):
                answer.append(event.text)
    yield _Result({"board": board.name, "board_id": board_id, "answer": "".join(answer)})
