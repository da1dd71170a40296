"""The events of a question's stream as types, their one wire encoding, and stream records.

Every event of the protocol in docs/API.md is a frozen dataclass here: the pipelines
make them, the runner times and completes them, the event logs keep their SSE bytes, and the
WebSocket shim turns them, read back, into old-protocol frames.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Literal

StreamState = Literal["running", "done", "error", "cancelled"]
CancelReason = Literal["stop", "disconnect", "shutdown", "timeout"]
StepStatus = Literal["info", "success", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Payload:
    """What one event says; `event` is its name on the wire."""

    event: ClassVar[str]
    state: ClassVar[StreamState | None] = None
    """The state a terminal event leaves its stream in; None for the others."""

    def data(self) -> dict[str, Any]:
        """The event's JSON object."""
        names: tuple[str, ...] = self.__match_args__
        return {name: getattr(self, name) for name in names}


@dataclass(frozen=True, slots=True)
class Start(Payload):
    """First: what was asked, and of whom."""

    event = "start"
    stream_id: str
    kind: str
    board_id: str | None
    question: str


@dataclass(frozen=True, slots=True)
class Step(Payload):
    """A processing step; the runner sets `elapsed_ms`."""

    event = "step"
    name: str
    status: StepStatus
    message: str
    elapsed_ms: int = 0


@dataclass(frozen=True, slots=True)
class Sources(Payload):
    """After retrieval: what the answer may cite (search records, best first)."""

    event = "context"
    sources: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Delta(Payload):
    """Answer text, in order."""

    event = "delta"
    text: str


@dataclass(frozen=True, slots=True)
class Done(Payload):
    """Terminal: the complete answer (the runner sets `answer` and `duration_ms`)."""

    event = "done"
    state = "done"
    answer: str = ""
    finish_reason: str = "stop"
    duration_ms: int = 0
    usage: dict[str, Any] | None = None
    command: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Failed(Payload):
    """Terminal: the answer failed."""

    event = "error"
    state = "error"
    code: str
    message: str
    retryable: bool


@dataclass(frozen=True, slots=True)
class Cancelled(Payload):
    """Terminal: the answer was stopped."""

    event = "cancelled"
    state = "cancelled"
    reason: CancelReason


PAYLOADS: dict[str, type[Payload]] = {
    cls.event: cls for cls in (Start, Step, Sources, Delta, Done, Failed, Cancelled)
}
"""Each event name's type, to read events back from their JSON (from Redis, say)."""

TERMINAL = frozenset(name for name, cls in PAYLOADS.items() if cls.state is not None)
"""The names of the events that end a stream."""


def decode(event: str, data: dict[str, Any]) -> Payload:
    """The typed event for a name and its JSON object."""
    return PAYLOADS[event](**data)


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """One event of a stream; `n` counts from 1 within the stream.

    It is kept as its SSE bytes alone, encoded once when the event is logged rather than
    once per subscriber: the readers send them as they are, and the few that need the
    typed event (the WebSocket shim) read it back from them.
    """

    stream_id: str
    n: int
    wire: bytes = field(repr=False)
    terminal: bool = False
    """Whether this event ends its stream."""

    @classmethod
    def make(cls, stream_id: str, n: int, payload: Payload) -> StreamEvent:
        """An event with its wire form."""
        wire = encode(f"{stream_id}:{n}", payload.event, payload.data())
        return cls(stream_id, n, wire, payload.state is not None)

    @property
    def event(self) -> str:
        """The event's name."""
        return split_body(self.wire)[0]

    @property
    def payload(self) -> Payload:
        """The typed event, decoded from its bytes."""
        name, data = split_body(self.wire)
        return decode(name, json.loads(data))

    @property
    def id(self) -> str:
        """The SSE id, `<stream_id>:<n>`."""
        return f"{self.stream_id}:{self.n}"


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


def to_json(data: dict[str, Any]) -> str:
    """An event's data as compact JSON, which never holds a newline."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def encode_body(event: str, data_json: str) -> bytes:
    """An SSE event but its `id` line: `event` and one `data` line."""
    return f"event: {event}\ndata: {data_json}\n\n".encode()


def with_id(event_id: str, body: bytes) -> bytes:
    """An encoded event body behind its `id` line."""
    return b"id: " + event_id.encode() + b"\n" + body


def split_body(wire: bytes) -> tuple[str, bytes]:
    """An encoded event's name and its JSON (with or without its `id` line)."""
    head, _, data = wire.partition(b"\ndata: ")
    return head.rpartition(b"event: ")[2].decode(), data


def encode(event_id: str, event: str, data: dict[str, Any]) -> bytes:
    """One whole SSE event: `id`, `event` and one `data` line."""
    return with_id(event_id, encode_body(event, to_json(data)))


def parse_event_id(raw: str, stream_id: str | None = None) -> tuple[str | None, int] | None:
    """Split `<stream_id>:<n>` (or a bare `n` when the stream is known); None if malformed."""
    raw = raw.strip()
    head, sep, tail = raw.rpartition(":")
    # ASCII digits, at most 18: int() takes "²" too, and refuses 4,300 digits with an error.
    if not (tail.isascii() and tail.isdigit() and len(tail) <= 18):
        return None
    if not sep:
        return (stream_id, int(tail)) if stream_id is not None else None
    return head, int(tail)
