"""The global assistant: searches every board, and with a model plans with tools.

received → offline engine, a request about the boards themselves (intents.py):
             list_boards, or propose_command → one turn saying it → done {command}
         → search every board → context
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

from service.boards import Board, Boards
from service.errors import BoardNotFound, BoardroomError
from service.llm import tools
from service.llm.engine import Engine, Prompt, ToolCall, ToolEngine
from service.llm.expert import expert
from service.llm.extractive import ExtractiveEngine
from service.llm.intents import BoardCommand, ListBoards, WorkspaceIntent, workspace_intent
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
    if not isinstance(engine, ToolEngine) and (intent := workspace_intent(question)):
        async with aclosing(_offline_request(boards, engine, intent)) as events:
            async for event in events:
                yield event
        return
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


async def _offline_request(
    boards: Boards, engine: Engine, intent: WorkspaceIntent
) -> AsyncGenerator[AssistantEvent, None]:
    """Without a model: list the boards, or propose the change asked for, as the tools do."""
    say = _SAY_ZH if intent.chinese else _SAY_EN
    command: dict[str, Any] | None = None
    every = await boards.list_boards()
    if isinstance(intent, ListBoards):
        yield step("tool:list_boards", "Calling list_boards()")
        text = _listing(every, say)
    else:
        yield step("tool:propose_command", f"Calling propose_command({brief(intent.arguments())})")
        try:
            command = await tools.propose(boards, intent.arguments())
            text = _confirmation(command, every, say)
        except BoardroomError as exc:
            yield step("tool:propose_command", exc.message, "warning")
            text = _refusal(intent, exc, every, say)
    # The offline engine's pace, whatever engine answers otherwise.
    speaker = engine if isinstance(engine, ExtractiveEngine) else ExtractiveEngine()
    outcome = Outcome()
    async with aclosing(turn(speaker.say(text), engine.name, outcome)) as events:
        async for event in events:
            yield event
    yield Done(
        finish_reason=outcome.finish.finish_reason, usage=outcome.finish.usage, command=command
    )


_SAY_EN = {
    "boards": "You have {n} board{s}:",
    "board": "- {name}: {files} file{fs}, {notes} note{ns}",
    "no_boards": "You have no boards yet. "
    "Say, for example, “Create a board called Rotterdam site”.",
    "create_board": "Confirm to create the board “{name}”.",
    "rename_board": "Confirm to rename the board “{old}” to “{name}”.",
    "delete_board": "Confirm to delete the board “{old}” with its {files} file{fs} "
    "and {notes} note{ns}.",
    "unknown": "There is no board called “{ref}”. Your boards: {names}.",
    "unknown_of_none": "There is no board called “{ref}”; there are no boards yet.",
    "several": "Several boards are called “{ref}”; say which one by its id: {ids}.",
    "id": "{id} ({name})",
    "and": ", ",
    "unnamed": "What should the new board be called? "
    "Say, for example, “Create a board called Rotterdam site”.",
    "invalid": "I can't propose that: {reason}.",
}
_SAY_ZH = {
    "boards": "你有 {n} 个看板：",
    "board": "- {name}：{files} 个文件，{notes} 条笔记",
    "no_boards": "你还没有看板。可以说，例如：“新建一个叫鹿特丹的看板”。",
    "create_board": "确认后将新建看板“{name}”。",
    "rename_board": "确认后将把看板“{old}”改名为“{name}”。",
    "delete_board": "确认后将删除看板“{old}”及其 {files} 个文件和 {notes} 条笔记。",
    "unknown": "没有名为“{ref}”的看板。你的看板：{names}。",
    "unknown_of_none": "没有名为“{ref}”的看板，目前还没有任何看板。",
    "several": "有多个看板叫“{ref}”，请用 id 指明是哪一个：{ids}。",
    "id": "{id}（{name}）",
    "and": "、",
    "unnamed": "新看板叫什么名字？可以说，例如：“新建一个叫鹿特丹的看板”。",
    "invalid": "无法提出这个操作：{reason}。",
}


def _counts(board: Board) -> dict[str, Any]:
    """A board's counts, with the plural endings English needs."""
    return {
        "files": board.files,
        "fs": "" if board.files == 1 else "s",
        "notes": board.notes,
        "ns": "" if board.notes == 1 else "s",
    }


def _listing(every: list[Board], say: dict[str, str]) -> str:
    if not every:
        return say["no_boards"]
    lines = [say["boards"].format(n=len(every), s="" if len(every) == 1 else "s")]
    lines.extend(say["board"].format(name=b.name, **_counts(b)) for b in every)
    return "\n".join(lines)


def _confirmation(command: dict[str, Any], every: list[Board], say: dict[str, str]) -> str:
    """What will happen once the user confirms the command."""
    action = command["action"]
    if action == "create_board":
        return say[action].format(name=command["name"])
    board = next(b for b in every if b.board_id == command["board_id"])
    return say[action].format(old=board.name, name=command.get("name", ""), **_counts(board))


def _refusal(
    intent: BoardCommand, exc: BoardroomError, every: list[Board], say: dict[str, str]
) -> str:
    """Why nothing was proposed, in the question's language."""
    if isinstance(exc, BoardNotFound):
        same = tools.named(every, intent.board)
        if same:
            ids = say["and"].join(say["id"].format(id=b.board_id, name=b.name) for b in same)
            return say["several"].format(ref=intent.board, ids=ids)
        names = say["and"].join(b.name for b in every)
        return say["unknown" if every else "unknown_of_none"].format(ref=intent.board, names=names)
    if intent.action == "create_board" and not intent.name:
        return say["unnamed"]
    return say["invalid"].format(reason=exc.message)
