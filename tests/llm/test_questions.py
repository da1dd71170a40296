"""Asking: a question is checked fully before its stream starts, then answered by its kind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import pytest

from service.errors import BoardNotFound, StreamNotFound, Unprocessable
from service.llm.extractive import ExtractiveEngine
from service.llm.questions import MAX_QUESTION, Kind, Questions
from service.streams.events import Done, Start
from service.streams.memory import MemoryEventLog
from service.streams.runner import Runner
from tests.conftest import ROOMY_LIMITS, read_to_end, sampled
from tests.llm.conftest import OpenWorkspace, Workspace

QUESTION = "How did revenue grow?"


@asynccontextmanager
async def _questions(ws: Workspace) -> AsyncIterator[tuple[Questions, MemoryEventLog]]:
    """Questions over the workspace's boards, with a runner as the lifespan runs it."""
    log = MemoryEventLog(ROOMY_LIMITS.retention)
    async with anyio.create_task_group() as tg:
        runner = Runner(log, tg, ROOMY_LIMITS)
        tg.start_soon(runner.run_deadlines)
        yield Questions(ws.boards, ExtractiveEngine(), runner), log
        await runner.aclose()
        tg.cancel_scope.cancel()


def test_bad_questions_are_unprocessable_before_any_stream_exists(
    workspace: OpenWorkspace,
) -> None:
    async def main() -> None:
        async with workspace(report=False) as ws, _questions(ws) as (questions, log):
            kinds: tuple[Kind, ...] = ("expert", "assistant")
            for kind in kinds:
                for question in (None, "", "  \n\t ", "x" * (MAX_QUESTION + 1)):
                    with pytest.raises(Unprocessable, match="'question'"):
                        await questions.ask(kind, question, ws.board_id, client="client-a")
            with pytest.raises(Unprocessable, match="'board_id' is required"):
                await questions.ask("expert", QUESTION, None, client="client-a")
            with pytest.raises(Unprocessable, match="'board_id' is required"):
                await questions.ask("expert", QUESTION, "", client="client-a")
            assert await log.streams() == []
            assert sampled(questions.runner.metrics, "boardroom_streams_started_total") == 0

    anyio.run(main)


def test_an_expert_question_for_an_unknown_board_is_not_found_before_any_stream_exists(
    workspace: OpenWorkspace,
) -> None:
    async def main() -> None:
        async with workspace(report=False) as ws, _questions(ws) as (questions, log):
            with pytest.raises(BoardNotFound):
                await questions.ask("expert", QUESTION, "brd_unknown", client="client-a")
            assert await log.streams() == []

    anyio.run(main)


def test_a_question_of_exactly_the_longest_length_is_accepted(workspace: OpenWorkspace) -> None:
    async def main() -> None:
        async with workspace(report=False) as ws, _questions(ws) as (questions, log):
            longest = ("revenue " * MAX_QUESTION)[: MAX_QUESTION - 1] + "?"
            info, new = await questions.ask("assistant", longest, client="client-a")
            assert new
            events = await read_to_end(log, info.stream_id)
            start = events[0].payload
            assert isinstance(start, Start)
            assert start.question == longest
            assert events[-1].event == "done"

    anyio.run(main)


@pytest.mark.parametrize("kind", ["expert", "assistant"])
def test_a_good_question_starts_a_stream_whose_start_names_kind_board_and_question(
    workspace: OpenWorkspace, kind: Kind
) -> None:
    async def main() -> None:
        async with workspace() as ws, _questions(ws) as (questions, log):
            info, new = await questions.ask(kind, f"  {QUESTION}\n", ws.board_id, client="client-a")
            assert new
            board_id = ws.board_id if kind == "expert" else None  # the assistant asks them all
            assert (info.kind, info.board_id, info.question, info.client) == (
                kind,
                board_id,
                QUESTION,
                "client-a",
            )
            events = await read_to_end(log, info.stream_id)
            assert events[0].payload == Start(info.stream_id, kind, board_id, QUESTION)
            done = events[-1].payload
            assert isinstance(done, Done)
            assert "[report.pdf p.1]" in done.answer
            assert await questions.stream(info.stream_id, kind) == await log.info(info.stream_id)
            other: Kind = "assistant" if kind == "expert" else "expert"
            with pytest.raises(StreamNotFound):
                await questions.stream(info.stream_id, other)
            history = await ws.boards.history(ws.board_id)
            assert len(history) == (1 if kind == "expert" else 0)

    anyio.run(main)
