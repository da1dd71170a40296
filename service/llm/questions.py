"""Asking the expert or the assistant: the question checked, then its generation started.

The SSE routes and the WebSocket shim both ask through `Questions.ask`, so a question is
validated the same way and answered by the same pipeline whatever it came through.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

from service.boards import Boards
from service.errors import BadRequest, StreamNotFound, Unprocessable
from service.llm.assistant import assistant
from service.llm.engine import Engine
from service.llm.expert import expert
from service.streams.events import StreamInfo
from service.streams.runner import Pipeline, Runner

Kind = Literal["expert", "assistant"]
KINDS: tuple[Kind, ...] = ("expert", "assistant")
MAX_QUESTION = 4000


class Questions:
    """Starts answers with the pipeline of their kind, and finds their streams."""

    def __init__(self, boards: Boards, engine: Engine, runner: Runner) -> None:
        self.boards = boards
        self.engine = engine
        self.runner = runner

    async def ask(
        self,
        kind: Kind,
        question: str | None,
        board_id: str | None = None,
        *,
        client: str,
        idempotency_key: str | None = None,
    ) -> tuple[StreamInfo, bool]:
        """Check the question fully, then start its answer (or find the keyed one); True if new.

        Every refusal (422, the board's 404, the runner's 429 and 503) comes before
        anything starts, so a stream's first byte is always an event.
        """
        text = _checked(question)
        pipeline: Pipeline
        if kind == "expert":
            if not board_id:
                raise Unprocessable("'board_id' is required")
            await self.boards.get_board(board_id)
            pipeline = partial(expert, self.boards, self.engine, board_id, text)
        else:
            board_id = None
            pipeline = partial(assistant, self.boards, self.engine, text)
        return await self.runner.submit(kind, board_id, text, client, pipeline, idempotency_key)

    async def stream(
        self, stream_id: str, kind: Kind | None = None, *, owner: str | None = None
    ) -> StreamInfo:
        """A stream's record (of that kind, if given; of that owner, if given), or 404."""
        info = await self.runner.events.info(stream_id)
        if info is None or (kind is not None and info.kind != kind):
            raise StreamNotFound(stream_id)
        if owner is not None and info.client != owner:
            # Not 403: whether someone else's stream exists is not ours to tell.
            raise StreamNotFound(stream_id)
        return info


def _checked(question: str | None) -> str:
    text = (question or "").strip()
    if not text:
        raise Unprocessable("'question' must not be empty")
    if len(text) > MAX_QUESTION:
        raise Unprocessable(f"'question' must be at most {MAX_QUESTION} characters")
    if not _encodable(text):
        # A lone surrogate would fail the stream's first write, after it was registered.
        raise BadRequest("'question' must be valid Unicode text")
    return text


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
