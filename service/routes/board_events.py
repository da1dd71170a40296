"""`GET /api/boards/{board_id}/events`: a board's live events over SSE."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from contextlib import aclosing
from functools import partial

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.errors import BoardroomError
from service.routes.openapi import EventStream, Param, api
from service.routes.state import services
from service.streams.events import encode, parse_event_id
from service.streams.feed import Topics
from service.streams.sse import PING, RETRY_LINE, SSEResponse
from service.streams.wakeup import Until

log = logging.getLogger(__name__)

EVENTS = EventStream(
    "The board's events as they happen. Each has an `id:` counting within the board; the "
    "stream opens with a `: connected` comment and `retry:`, and `: ping` comments fill silence.",
    {
        "file.progress": "`{file_id, page, pages}`: page 0 when accepted",
        "file.ready": "`{file_id}`",
        "file.failed": "`{file_id, error}`",
        "file.embedding": "`{file_id, done, total}`: passages embedded so far",
        "file.embedded": "`{file_id, model, passages}`",
        "file.embedding_failed": "`{file_id, error}`: keywords still find the file",
        "context.updated": "`{reason, file_id?}`: a file, a note or the view changed",
        "board.deleted": "`{board_id}`; the stream ends after it",
    },
)


@api(
    {200: EVENTS},
    params=(
        Param("Last-Event-ID", "header", description="resume after this event id"),
        Param("last_event_id", description="the same, for clients that cannot set headers"),
    ),
)
async def board_events(request: Request) -> Response:
    """The board's live events over SSE: files ingested, context changed, board deleted."""
    svc = services(request)
    board_id = request.path_params["board_id"]
    await svc.boards.get_board(board_id)
    last = await svc.feeds.last(board_id)
    after = _last_event_id(request, last)
    return SSEResponse(partial(_events, svc.feeds, board_id, after, svc.settings.ping_s))


def _last_event_id(request: Request, last: int) -> int:
    raw = request.headers.get("last-event-id") or request.query_params.get("last_event_id", "")
    # Board event ids are plain numbers; an `<id>:<n>` form is read for its number too.
    parsed = parse_event_id(raw, stream_id="")
    if parsed is None:
        return last  # A new reader wants what happens from now on.
    return min(parsed[1], last)


async def _events(
    feeds: Topics, board_id: str, after: int, ping_s: float, until: Until
) -> AsyncGenerator[bytes, None]:
    # An opening comment gets the headers and `retry:` through proxies before any event.
    yield b": connected\n" + RETRY_LINE + b"\n"
    try:
        async with aclosing(feeds.read(board_id, after, idle=ping_s, until=until)) as items:
            async for item in items:
                if item is None:
                    yield PING
                    continue
                yield encode(str(item.n), item.event, item.data)
                if item.event == "board.deleted":
                    return
    except BoardroomError as exc:
        # Notifications, not answers: the client reconnects with its last id.
        log.warning("board %s events cut off: %s", board_id, exc.message)


routes = [Route("/api/boards/{board_id}/events", board_events, methods=["GET"])]
