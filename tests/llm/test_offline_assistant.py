"""The offline assistant lists the boards and proposes changes to them, as the model does."""

from __future__ import annotations

from contextlib import aclosing
from typing import Any

import anyio
import pytest

from service.llm.assistant import assistant
from service.llm.extractive import ExtractiveEngine
from service.streams.events import Delta, Done, Payload, Step
from tests.llm.conftest import OpenWorkspace

FINANCE = "<the Finance board's id>"


def _answer(events: list[Payload]) -> str:
    return "".join(e.text for e in events if isinstance(e, Delta))


def _steps(events: list[Payload]) -> list[Step]:
    return [e for e in events if isinstance(e, Step)]


def _ask_over_finance_and_ops(
    workspace: OpenWorkspace, question: str, *, extra: str | None = None
) -> tuple[str, list[Payload]]:
    """Ask with boards Finance (report.pdf) and Ops (one note); nothing may change."""

    async def main() -> tuple[str, list[Payload]]:
        async with workspace() as ws:
            ops = await ws.boards.create_board("Ops")
            await ws.boards.add_note(ops.board_id, "Shifts", "The factory runs two shifts.")
            if extra is not None:
                await ws.boards.create_board(extra)
            before = (await ws.boards.list_boards(), len(ws.published))
            async with aclosing(assistant(ws.boards, ExtractiveEngine(), question)) as pipeline:
                events: list[Payload] = [event async for event in pipeline]
            assert (await ws.boards.list_boards(), len(ws.published)) == before
            return ws.board_id, events

    return anyio.run(main)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "What boards do I have?",
            "You have 2 boards:\n- Finance: 1 file, 0 notes\n- Ops: 0 files, 1 note",
        ),
        (
            "list my boards",
            "You have 2 boards:\n- Finance: 1 file, 0 notes\n- Ops: 0 files, 1 note",
        ),
        (
            "我有哪些看板？",
            "你有 2 个看板：\n- Finance：1 个文件，0 条笔记\n- Ops：0 个文件，1 条笔记",
        ),
    ],
)
def test_what_boards_do_i_have_was_answered_with_a_search(
    workspace: OpenWorkspace, question: str, expected: str
) -> None:
    """'What boards do I have?' got passages that matched 'boards' instead of the boards."""
    _, events = _ask_over_finance_and_ops(workspace, question)
    assert [s.name for s in _steps(events)] == [
        "received",
        "tool:list_boards",
        "engine",
        "first_token",
        "finished",
    ]
    assert _answer(events) == expected
    assert events[-1] == Done(finish_reason="stop")


@pytest.mark.parametrize(
    ("question", "command", "expected"),
    [
        (
            "Create a board called Rotterdam site",
            {"action": "create_board", "name": "Rotterdam site"},
            "Confirm to create the board “Rotterdam site”.",
        ),
        (
            "新建一个叫鹿特丹的看板",
            {"action": "create_board", "name": "鹿特丹"},
            "确认后将新建看板“鹿特丹”。",
        ),
        (
            "rename board finance to Money",
            {"action": "rename_board", "board_id": FINANCE, "name": "Money"},
            "Confirm to rename the board “Finance” to “Money”.",
        ),
        (
            "把看板Finance改名为财务",
            {"action": "rename_board", "board_id": FINANCE, "name": "财务"},
            "确认后将把看板“Finance”改名为“财务”。",
        ),
        (
            "delete the board Finance",
            {"action": "delete_board", "board_id": FINANCE},
            "Confirm to delete the board “Finance” with its 1 file and 0 notes.",
        ),
        (
            "删除看板Finance",
            {"action": "delete_board", "board_id": FINANCE},
            "确认后将删除看板“Finance”及其 1 个文件和 0 条笔记。",
        ),
    ],
)
def test_a_request_to_change_the_boards_was_searched_instead_of_proposed(
    workspace: OpenWorkspace, question: str, command: dict[str, Any], expected: str
) -> None:
    """'Create a board called …' got a search answer; the command is now proposed, not run."""
    finance, events = _ask_over_finance_and_ops(workspace, question)
    proposed = {k: finance if v == FINANCE else v for k, v in command.items()}
    steps = _steps(events)
    assert [s.name for s in steps] == [
        "received",
        "tool:propose_command",
        "engine",
        "first_token",
        "finished",
    ]
    assert steps[1].message.startswith("Calling propose_command(action=")
    assert _answer(events) == expected
    assert events[-1] == Done(finish_reason="stop", command=proposed)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("delete the board HR", "There is no board called “HR”. Your boards: Finance, Ops."),
        ("把看板人事改名为HR", "没有名为“人事”的看板。你的看板：Finance、Ops。"),
    ],
)
def test_a_change_to_an_unknown_board_is_answered_without_a_command(
    workspace: OpenWorkspace, question: str, expected: str
) -> None:
    _, events = _ask_over_finance_and_ops(workspace, question)
    warnings = [s.name for s in _steps(events) if s.status == "warning"]
    assert warnings == ["tool:propose_command"]
    assert _answer(events) == expected
    assert events[-1] == Done(finish_reason="stop")


def test_a_change_to_a_name_two_boards_share_asks_which_one(workspace: OpenWorkspace) -> None:
    _, events = _ask_over_finance_and_ops(workspace, "delete the board ops", extra="OPS")
    assert _answer(events).startswith("Several boards are called “ops”; say which one by its id:")
    assert events[-1] == Done(finish_reason="stop")


def test_a_new_board_without_a_name_is_not_proposed(workspace: OpenWorkspace) -> None:
    _, events = _ask_over_finance_and_ops(workspace, "create a new board")
    assert _answer(events) == (
        "What should the new board be called? Say, for example, "
        "“Create a board called Rotterdam site”."
    )
    assert events[-1] == Done(finish_reason="stop")


def test_other_questions_about_boards_are_still_searched(workspace: OpenWorkspace) -> None:
    _, events = _ask_over_finance_and_ops(workspace, "Which boards mention the factory?")
    assert [s.name for s in _steps(events)][:2] == ["received", "context"]
    answer = _answer(events)
    assert "single factory in Rotterdam" in answer
    assert "(board: Ops)" in answer
