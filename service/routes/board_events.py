"""`GET /api/boards/{board_id}/events`: a board's live events over SSE."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.routes.state import services
from service.streams.events import encode
from service.streams.feed import Feed
from service.streams.sse import PING, RETRY_LINE, SSEResponse


async def board_events(request: Request) -> Response:
    """`file.progress`, `file.ready`, `file.failed`, `context.updated`, `board.deleted`."""
    svc = services(request)
    board_id = request.path_params["board_id"]
    await svc.boards.get_board(board_id)
    feed = svc.feeds.feed(board_id)
    after = _last_event_id(request, feed)
    return SSEResponse(_events(feed, after, svc.settings.ping_s))


def _last_event_id(request: Request, feed: Feed) -> int:
    raw = request.headers.get("last-event-id") or request.query_params.get("last_event_id", "")
    tail = raw.rsplit(":", 1)[-1].strip()
    if not (tail.isascii() and tail.isdigit() and len(tail) <= 18):
        return feed.last  # A new reader wants what happens from now on.
    after = int(tail)
    return after if after <= feed.last else feed.last


async def _events(feed: Feed, after: int, ping_s: float) -> AsyncGenerator[bytes, None]:
    # An opening comment gets the headers and `retry:` through proxies before any event.
    yield b": connected\n" + RETRY_LINE + b"\n"
    async for item in feed.read(after, idle=ping_s):
        if item is None:
            yield PING
            continue
        yield encode(str(item.n), item.event, item.data)
        if item.event == "board.deleted":
            return


routes = [Route("/api/boards/{board_id}/events", board_events, methods=["GET"])]
