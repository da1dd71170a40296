"""SSE framing: one `id`, `event` and JSON `data` per event, through sse-starlette."""

from __future__ import annotations

import json
from collections.abc import AsyncIterable
from typing import Any

from sse_starlette import EventSourceResponse, ServerSentEvent

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
RETRY_MS = 2000


def sse_event(
    event_id: str, event: str, data: dict[str, Any], *, first: bool = False
) -> ServerSentEvent:
    """One event; the first of a response also tells the client how soon to reconnect."""
    return ServerSentEvent(
        data=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        event=event,
        id=event_id,
        retry=RETRY_MS if first else None,
        sep="\n",
    )


def sse_response(
    events: AsyncIterable[ServerSentEvent], *, ping_s: float, send_timeout: float | None = 30.0
) -> EventSourceResponse:
    """A `text/event-stream` response with `: ping` comments in every `ping_s` of silence."""
    return EventSourceResponse(
        events,
        headers=SSE_HEADERS,
        ping=ping_s,
        sep="\n",
        send_timeout=send_timeout,
        ping_message_factory=lambda: ServerSentEvent(comment="ping", sep="\n"),
    )
