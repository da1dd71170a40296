"""One engine turn as stream events: the steps around it, its text as deltas."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

from service.boards import Passage
from service.llm.engine import Chunk, Finish, Notice, ToolCall
from service.streams.events import Delta, Sources, Step, StepStatus


def step(name: str, message: str, status: StepStatus = "info") -> Step:
    """A processing step; the runner sets `elapsed_ms`."""
    return Step(name, status, message)


def count(n: int, noun: str) -> str:
    """`1 source`, `3 sources`: a number with its English noun."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def sources(passages: list[Passage]) -> Sources:
    """The `context` event: what the answer may cite."""
    return Sources([p.to_dict() for p in passages])


@dataclass
class Outcome:
    """What a turn left behind: its text, the model's tool calls, how it finished."""

    text: list[str] = field(default_factory=list)
    finish: Finish = field(default_factory=lambda: Finish("stop"))
    calls: list[ToolCall] = field(default_factory=list)


async def turn(
    chunks: AsyncGenerator[Chunk, None], engine_name: str, outcome: Outcome
) -> AsyncGenerator[Step | Delta, None]:
    """The engine's chunks as events; text, tool calls and the finish land in `outcome`."""
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
                yield Delta(chunk)
            elif isinstance(chunk, Notice):
                yield step(chunk.name, chunk.message, chunk.status)
            elif isinstance(chunk, ToolCall):
                outcome.calls.append(chunk)
            elif isinstance(chunk, Finish):
                outcome.finish = chunk
    yield step("finished", "Answer finished", "success")


def brief(args: dict[str, Any]) -> str:
    """Tool arguments as a step message shows them, cut to a line."""
    text = ", ".join(f"{k}={v!r}" for k, v in args.items())
    return text if len(text) <= 120 else text[:117] + "…"
