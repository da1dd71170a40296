"""What an answer engine is: something that streams text for a question and its sources."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Protocol

from service.boards.models import Note, Passage


@dataclass(frozen=True, slots=True)
class Question:
    """A question with everything the engine may answer from."""

    text: str
    sources: list[Passage]
    notes: list[Note] = field(default_factory=list)
    scope: str = "board"  # "board" for an expert, "all boards" for the assistant
    board_names: dict[str, str] = field(default_factory=dict)


class Engine(Protocol):
    """Streams an answer as text chunks; closing the iterator stops the work behind it."""

    name: str

    def answer(self, question: Question) -> AsyncGenerator[str, None]:
        """The answer's text, chunk by chunk."""
        ...
