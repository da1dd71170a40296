"""SSE over ASGI: a lean streaming response, and the event stream of one subscriber.

sse-starlette's EventSourceResponse runs four tasks per connection (sender, pinger,
shutdown listener, disconnect listener). Measured in bench/stream, that cost half as
much memory again per idle stream as the whole of our pipeline, and a quarter of a
millisecond before the first event. Here the connection's one task sends, and waits for
the next event, the heartbeat's timeout (the event log's) and the client's disconnect
together; shutdown is the runner's business.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from functools import partial
from typing import NoReturn

import anyio
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from service.errors import BoardroomError
from service.metrics import ReaderMetrics
from service.streams.events import Failed, StreamInfo, encode_body, to_json
from service.streams.log import EventLog, subscription
from service.streams.wakeup import Until

log = logging.getLogger(__name__)

RETRY_MS = 2000
RETRY_LINE = f"retry: {RETRY_MS}\n".encode()
PING = b": ping\n\n"
SEND_TIMEOUT_S = 30.0

# The same tuples for every response; each has a list of its own, as middleware may add.
_HEADERS = (
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
    (b"content-type", b"text/event-stream; charset=utf-8"),
)

Body = Callable[[Until], AsyncGenerator[bytes, None]]
"""Makes a response's SSE bytes; it awaits `until` whenever it waits for more."""


class SSEResponse(Response):
    """Streams pre-encoded SSE bytes until they end or the client goes away.

    The connection's one task sends and notices the client leave: while the body waits
    for more, it awaits the client's next message too (`until`), and ends when that is
    the disconnect. A client that stops reading for `send_timeout` seconds (its window
    full) is cut off, so a frozen reader never holds the stream.
    """

    media_type = "text/event-stream"

    def __init__(self, body: Body, *, send_timeout: float = SEND_TIMEOUT_S) -> None:
        self.make_body = body
        self.send_timeout = send_timeout
        self.status_code = 200
        self.background = None
        self.raw_headers = list(_HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with aclosing(self.make_body(partial(_gone, receive))) as chunks:
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": self.raw_headers,
                }
            )
            if scope.get("method") == "HEAD":
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            try:
                await self._send_all(chunks, send)
            except (ClientDisconnect, OSError) as exc:  # the client went away
                log.debug("SSE client went away: %r", exc)

    async def _send_all(self, chunks: AsyncIterator[bytes], send: Send) -> None:
        # What is sent after the client left (before the body next waits) the server drops.
        async for chunk in chunks:
            with anyio.move_on_after(self.send_timeout) as timer:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            del chunk  # sent: a waiting reader keeps no copy of it
            if timer.cancelled_caught:
                log.info("cut off an SSE reader that stopped reading for %s s", self.send_timeout)
                return
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _gone(receive: Receive) -> NoReturn:
    """Wait for the client to leave, and say so."""
    while (await receive())["type"] != "http.disconnect":
        pass
    raise ClientDisconnect


def cut_off(exc: BoardroomError) -> bytes:
    """The terminal `error` event of a reader whose log failed under it (no `id:` line)."""
    return encode_body("error", to_json(Failed(exc.code, exc.message, retryable=True).data()))


async def stream_events(
    log_: EventLog,
    info: StreamInfo,
    after: int,
    ping_s: float,
    counts: ReaderMetrics,
    until: Until | None = None,
) -> AsyncGenerator[bytes, None]:
    """A subscriber's events of one stream, from after `after` to the terminal event.

    Every event was encoded once when it was logged; what a reader finds waiting goes
    out in one write; a silence of `ping_s` gets a `: ping` comment.
    """
    ended = False
    counts.attached.inc()
    if after:
        counts.resumed.inc()
    try:
        async with subscription(log_, info.stream_id, after, idle=ping_s, until=until) as batches:
            retry = RETRY_LINE
            if info.events <= after:
                # Nothing to send yet: the first write still tells the client its retry
                # delay.
                yield b": waiting\n" + retry + b"\n"
                retry = b""
            async for batch in batches:
                if not batch:
                    yield PING
                    continue
                yield retry + b"".join(item.wire for item in batch)
                counts.sent.inc(len(batch))
                ended = batch[-1].terminal
                retry = b""
                del batch  # a waiting reader keeps no events: the log has them
        ended = True
    except BoardroomError as exc:
        # Headers are out: a terminal `error` says what happened, without an `id:` as
        # it is not in the log, so a reconnect with the last id resumes exactly where
        # this reader was, should the stream still be there.
        log.warning("stream %s cut off: %s", info.stream_id, exc.message)
        ended = True  # by the error event below, not by the client leaving
        yield cut_off(exc)
    finally:
        counts.attached.dec()
        if not ended:
            counts.gone.inc()
