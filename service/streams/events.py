"""The events of a question's stream, and what is known about a stream."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

StreamState = Literal["running", "done", "error", "cancelled"]
CancelReason = Literal["stop", "disconnect", "shutdown", "timeout"]

TERMINAL: dict[str, StreamState] = {"done": "done", "error": "error", "cancelled": "cancelled"}
"""Terminal event names and the state each one leaves the stream in."""


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """One event of a stream; `n` counts from 1 within the stream.

    `wire` is the event as SSE bytes, encoded once when the event is made rather than
    once per subscriber.
    """

    stream_id: str
    n: int
    event: str
    data: dict[str, Any]
    wire: bytes = field(default=b"", repr=False, compare=False)

    @classmethod
    def make(cls, stream_id: str, n: int, event: str, data: dict[str, Any]) -> StreamEvent:
        """An event with its wire form."""
        return cls(stream_id, n, event, data, encode(f"{stream_id}:{n}", event, data))

    @property
    def id(self) -> str:
        """The SSE id, `<stream_id>:<n>`."""
        return f"{self.stream_id}:{self.n}"

    @property
    def terminal(self) -> bool:
        """Whether this event ends its stream."""
        return self.event in TERMINAL


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """What `GET /api/streams/{id}` shows."""

    stream_id: str
    kind: str
    board_id: str | None
    question: str
    client: str
    state: StreamState
    events: int
    subscribers: int
    created_at: float
    finished_at: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the client's address stays private)."""
        data = asdict(self)
        del data["client"]
        return data


def encode(event_id: str, event: str, data: dict[str, Any]) -> bytes:
    """`id`, `event` and one `data` line: compact JSON never contains a newline."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event_id}\nevent: {event}\ndata: {payload}\n\n".encode()


def parse_event_id(raw: str, stream_id: str | None = None) -> tuple[str | None, int] | None:
    """Split `<stream_id>:<n>` (or a bare `n` when the stream is known); None if malformed."""
    raw = raw.strip()
    head, sep, tail = raw.rpartition(":")
    if not tail.isdigit():
        return None
    if not sep:
        return (stream_id, int(tail)) if stream_id is not None else None
    return head, int(tail)
