"""A board's expert, driven directly over real boards with the offline engine."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import aclosing

import anyio

from service.llm.expert import expert
from service.llm.extractive import ExtractiveEngine
from service.streams.events import Delta, Done, Payload, Sources, Step
from tests.llm.conftest import OpenWorkspace

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
