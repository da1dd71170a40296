"""The global assistant, driven directly over real boards: offline, and planning with a model.

The model is the stand-in OpenAI-compatible provider on loopback, reached by the real
`OpenAIEngine`.
"""

from __future__ import annotations

import json
from contextlib import aclosing
from typing import Any

import anyio

from service.llm.assistant import assistant
from service.llm.extractive import ExtractiveEngine
from service.llm.openai_engine import OpenAIEngine
from service.streams.events import Delta, Done, Payload, Sources, Step
from tests.fakeopenai import FakeOpenAI, Reply
from tests.llm.conftest import OpenWorkspace, Workspace

QUESTION = "Where is the factory?"


def _engine(provider: FakeOpenAI) -> OpenAIEngine:
    return OpenAIEngine(
        model="test-model", base_url=provider.url, api_key="sk-test-key", timeout=10
    )


async def _ask(ws: Workspace, engine: ExtractiveEngine | OpenAIEngine) -> list[Payload]:
    async with aclosing(assistant(ws.boards, engine, QUESTION)) as pipeline:
        return [event async for event in pipeline]


def _steps(events: list[Payload]) -> list[Step]:
    return [e for e in events if isinstance(e, Step)]


def _answer(events: list[Payload]) -> str:
    return "".join(e.text for e in events if isinstance(e, Delta))


def _call(tool: str, /, **arguments: Any) -> dict[str, Any]:
    """A scripted tool call of the model."""
    return {"name": tool, "arguments": arguments}


def test_the_offline_assistant_names_the_board_each_point_comes_from(
    workspace: OpenWorkspace,
) -> None:
    async def main() -> tuple[str, str, list[Payload]]:
        async with workspace() as ws:
            ops = await ws.boards.create_board("Ops")
            await ws.boards.add_note(
                ops.board_id, "Factory", "The Rotterdam factory runs two shifts."
            )
            return ws.board_id, ops.board_id, await _ask(ws, ExtractiveEngine())

    finance, ops, events = anyio.run(main)
    assert [s.name for s in _steps(events)] == [
        "received",
        "context",
        "engine",
        "first_token",
        "finished",
    ]
    sources = next(e.sources for e in events if isinstance(e, Sources))
    assert {s["board_id"] for s in sources} == {finance, ops}
    answer = _answer(events)
    assert "single factory in Rotterdam" in answer
    assert "[report.pdf p.2] (board: Finance)" in answer
    assert "[note: Factory] (board: Ops)" in answer
    assert events[-1] == Done(finish_reason="stop")


def test_the_assistant_runs_its_tools_nests_the_expert_and_only_proposes_a_command(
    workspace: OpenWorkspace, provider: FakeOpenAI
) -> None:
    final = ["The factory is in Rotterdam (board Finance). ", "I proposed a board for it."]
    provider.script(
        Reply(
            tokens=[], tool_calls=[_call("list_boards"), _call("search_boards", query="factory")]
        ),
        Reply(tokens=[], tool_calls=[_call("consult_expert", board="finance", question=QUESTION)]),
        Reply(tokens=["In Rotterdam ", "[report.pdf p.2]."]),  # the expert, nested
        Reply(
            tokens=[],
            tool_calls=[_call("propose_command", action="create_board", name="Rotterdam site")],
        ),
        Reply(tokens=final, usage={"prompt_tokens": 9, "completion_tokens": 5, "total_tokens": 14}),
    )

    async def main() -> list[Payload]:
        engine = _engine(provider)
        try:
            async with workspace() as ws:
                before = (await ws.boards.list_boards(), len(ws.published))
                events = await _ask(ws, engine)
                after = (await ws.boards.list_boards(), len(ws.published))
                assert after == before  # nothing was created, renamed or deleted
                assert await ws.boards.history(ws.board_id) == []  # consulting records nothing
                return events
        finally:
            await engine.aclose()

    events = anyio.run(main)
    assert [s.name for s in _steps(events)] == [
        "received",
        "context",
        "engine",
        "finished",
        "tool:list_boards",
        "tool:search_boards",
        "engine",
        "finished",
        "tool:consult_expert",
        "expert:received",
        "expert:context",
        "expert:engine",
        "expert:first_token",
        "expert:finished",
        "engine",
        "finished",
        "tool:propose_command",
        "engine",
        "first_token",
        "finished",
    ]
    nested = [s for s in _steps(events) if s.name.startswith("expert:")]
    assert all(s.message.startswith("Finance: ") for s in nested)
    assert _answer(events) == "".join(final)  # the expert's words go to the model only
    assert events[-1] == Done(
        finish_reason="stop",
        usage={"prompt_tokens": 9, "completion_tokens": 5, "total_tokens": 14},
        command={"action": "create_board", "name": "Rotterdam site"},
    )

    requests = provider.requests
    assert len(requests) == 5
    assert "tools" in requests[0].body
    assert "tools" not in requests[2].body  # the expert answers, it does not plan
    listed, searched = requests[1].body["messages"][-2:]
    assert (listed["role"], listed["tool_call_id"]) == ("tool", "call_0")
    assert [b["name"] for b in json.loads(listed["content"])] == ["Finance"]
    assert (searched["role"], searched["tool_call_id"]) == ("tool", "call_1")
    assert json.loads(searched["content"])[0]["cite"] == "[report.pdf p.2]"
    consulted = json.loads(requests[3].body["messages"][-1]["content"])
    assert (consulted["board"], consulted["answer"]) == (
        "Finance",
        "In Rotterdam [report.pdf p.2].",
    )
    proposed = json.loads(requests[4].body["messages"][-1]["content"])
    assert proposed == {"action": "create_board", "name": "Rotterdam site"}


def test_a_command_that_cannot_be_proposed_is_told_to_the_model_not_proposed(
    workspace: OpenWorkspace, provider: FakeOpenAI
) -> None:
    provider.script(
        Reply(tokens=[], tool_calls=[_call("propose_command", action="delete_board", board="HR")]),
        Reply(tokens=["There is no HR board to delete."]),
    )

    async def main() -> list[Payload]:
        engine = _engine(provider)
        try:
            async with workspace(report=False) as ws:
                before = await ws.boards.list_boards()
                events = await _ask(ws, engine)
                assert await ws.boards.list_boards() == before
                return events
        finally:
            await engine.aclose()

    events = anyio.run(main)
    warnings = [(s.name, s.message) for s in _steps(events) if s.status == "warning"]
    assert warnings == [("tool:propose_command", "no board is called 'HR'")]
    told = provider.requests[1].body["messages"][-1]
    assert (told["role"], json.loads(told["content"])) == (
        "tool",
        {"error": "no board is called 'HR'"},
    )
    assert _answer(events) == "There is no HR board to delete."
    last = events[-1]
    assert isinstance(last, Done)
    assert last.command is None
