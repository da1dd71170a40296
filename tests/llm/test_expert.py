"""A board's expert, driven directly over real boards with the offline engine."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import aclosing

import anyio
import pytest

from service.llm.expert import expert
from service.llm.extractive import ExtractiveEngine
from service.streams.events import Delta, Done, Payload, Sources, Step
from tests.llm.conftest import OpenWorkspace, Workspace, add_pdf

QUESTION = "How did revenue grow?"


def _shape(events: Sequence[Payload]) -> list[str]:
    """Event names (steps by their own name), a run of deltas as one `delta`."""
    shape: list[str] = []
    for event in events:
        name = f"step:{event.name}" if isinstance(event, Step) else event.event
        if not (name == "delta" and shape and shape[-1] == "delta"):
            shape.append(name)
    return shape


def _answer(events: Sequence[Payload]) -> str:
    return "".join(e.text for e in events if isinstance(e, Delta))


def test_the_expert_streams_steps_sources_with_the_viewed_page_first_and_a_cited_answer(
    workspace: OpenWorkspace,
) -> None:
    async def main() -> tuple[str, list[Payload]]:
        async with workspace() as ws:
            assert ws.file_id is not None
            await ws.boards.set_view(ws.board_id, ws.file_id, 2)
            async with aclosing(
                expert(ws.boards, ExtractiveEngine(), ws.board_id, QUESTION)
            ) as pipeline:
                return ws.file_id, [event async for event in pipeline]

    file_id, events = anyio.run(main)
    assert _shape(events) == [
        "step:received",
        "step:context",
        "context",
        "step:engine",
        "step:first_token",
        "delta",
        "step:finished",
        "done",
    ]
    sources = next(e.sources for e in events if isinstance(e, Sources))
    viewed, *found = [(s["kind"], s["file_id"], s["filename"], s["page"]) for s in sources]
    assert viewed == ("page", file_id, "report.pdf", 2)
    assert ("page", file_id, "report.pdf", 1) in found
    assert viewed not in found
    context = next(e for e in events if isinstance(e, Step) and e.name == "context")
    noun = "source" if len(sources) == 1 else "sources"
    assert context.message == f"Context built with {len(sources)} {noun}"
    answer = _answer(events)
    assert "Revenue grew by twelve percent" in answer
    assert "[report.pdf p.1]" in answer
    assert events[-1] == Done(finish_reason="stop")


def test_the_exchange_lands_in_the_board_history(workspace: OpenWorkspace) -> None:
    async def main() -> None:
        async with workspace() as ws:
            async with aclosing(
                expert(ws.boards, ExtractiveEngine(), ws.board_id, QUESTION)
            ) as pipeline:
                events = [event async for event in pipeline]
            history = await ws.boards.history(ws.board_id)
        sources = next(e.sources for e in events if isinstance(e, Sources))
        assert [(h.question, h.answer, h.sources, h.finish_reason) for h in history] == [
            (QUESTION, _answer(events), sources, "stop")
        ]
        assert "[report.pdf p.1]" in history[0].answer

    anyio.run(main)


def test_an_expert_closed_after_its_first_delta_records_the_partial_answer_as_interrupted(
    workspace: OpenWorkspace,
) -> None:
    async def main() -> None:
        async with workspace() as ws:
            seen: list[Payload] = []
            async with aclosing(
                expert(ws.boards, ExtractiveEngine(), ws.board_id, QUESTION)
            ) as pipeline:
                async for event in pipeline:
                    seen.append(event)
                    if isinstance(event, Delta):
                        break  # the consumer stops: the stream was cancelled
            history = await ws.boards.history(ws.board_id)
        first = seen[-1]
        assert isinstance(first, Delta)
        assert not any(isinstance(e, Done) for e in seen)
        assert [(h.question, h.answer, h.finish_reason) for h in history] == [
            (QUESTION, first.text, "interrupted")
        ]

    anyio.run(main)


async def _ask(ws: Workspace, question: str) -> list[Payload]:
    async with aclosing(expert(ws.boards, ExtractiveEngine(), ws.board_id, question)) as pipeline:
        return [event async for event in pipeline]


def test_what_is_this_page_about_was_answered_with_nothing_found(
    workspace: OpenWorkspace,
) -> None:
    """With page 2 in view, 'What is this page about?' cited page 2, then found nothing."""

    async def main() -> list[Payload]:
        async with workspace() as ws:
            assert ws.file_id is not None
            await ws.boards.set_view(ws.board_id, ws.file_id, 2)
            return await _ask(ws, "What is this page about?")

    events = anyio.run(main)
    sources = next(e.sources for e in events if isinstance(e, Sources))
    assert (sources[0]["filename"], sources[0]["page"]) == ("report.pdf", 2)
    assert _answer(events) == (
        "This page (report.pdf, p. 2) says:\n"
        "- Risks. [report.pdf p.2]\n"
        "- The main supply chain risk is the single factory in Rotterdam; "
        "a second site is planned. [report.pdf p.2]"
    )


def test_a_chinese_question_about_the_viewed_page_is_answered_from_it(
    workspace: OpenWorkspace, chinese_pdf: bytes
) -> None:
    async def main() -> list[Payload]:
        async with workspace() as ws:
            file_id = await add_pdf(ws.boards, ws.board_id, "学习.pdf", chinese_pdf)
            await ws.boards.set_view(ws.board_id, file_id, 2)
            return await _ask(ws, "这一页讲了什么？")

    assert _answer(anyio.run(main)) == (
        "这一页（学习.pdf，第 2 页）的内容：\n"
        "- 深度学习使用多层神经网络。 [学习.pdf p.2]\n"
        "- 训练需要大量的数据和算力。 [学习.pdf p.2]"
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is this page about?", "No page is open on this board"),
        ("这一页讲了什么？", "这个看板上没有打开的页面"),
    ],
)
def test_a_question_about_this_page_with_no_page_open_says_none_is_open(
    workspace: OpenWorkspace, question: str, expected: str
) -> None:
    async def main() -> list[Payload]:
        async with workspace() as ws:
            return await _ask(ws, question)

    events = anyio.run(main)
    assert _answer(events).startswith(expected)
    assert events[-1] == Done(finish_reason="stop")
