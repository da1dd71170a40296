"""What an answer engine is: something that streams text for a prompt and its sources."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from service.boards import Note, Passage
from service.streams.events import StepStatus


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question with everything the engine may answer from."""

    question: str
    sources: list[Passage]
    notes: list[Note] = field(default_factory=list)
    scope: str = "board"  # "board" for an expert, "all boards" for the assistant
    board_names: dict[str, str] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)  # the prompt, for a model
    viewed: Passage | None = None  # the page the user is looking at, its text empty if none


@dataclass(frozen=True, slots=True)
class Notice:
    """Something worth a `step` event while answering (a retry, say)."""

    name: str
    status: StepStatus
    message: str


@dataclass(frozen=True, slots=True)
class Finish:
    """How the answer ended, and what it cost."""

    finish_reason: str
    usage: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ToolCall:
    """The model asks for a tool to be run."""

    id: str
    name: str
    arguments: dict[str, Any]


Chunk = str | Notice | Finish | ToolCall
"""What an engine yields: answer text, notices, tool calls, and at most one Finish last."""


class Engine(Protocol):
    """Streams an answer; closing the iterator stops the work behind it."""

    name: str

    def answer(self, prompt: Prompt) -> AsyncGenerator[Chunk, None]:
        """The answer, chunk by chunk."""
        ...


@runtime_checkable
class ToolEngine(Engine, Protocol):
    """An engine that can call tools: the assistant plans with it."""

    def chat(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]
    ) -> AsyncGenerator[Chunk, None]:
        """One model turn: text, or tool calls, then a Finish."""
        ...
