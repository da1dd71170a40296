"""Counts every HTTP request by route template and status, as pure ASGI."""

from __future__ import annotations

import time

from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.metrics import Metrics

UNMATCHED = "unmatched"  # refused before routing (a foreign Host), or no route matched


def route_label(scope: Scope) -> str:
    """The template of the route that took the request (`/api/boards/{board_id}`)."""
    # Templates, not paths: a label per board id would grow without bound.
    route = scope.get("route")
    if route is None:
        return UNMATCHED
    if isinstance(route, Mount):
        return route.path + "/{path}"
    path: str = getattr(route, "path", UNMATCHED)
    return path


class RequestMetrics:
    """Counts each HTTP response when it starts, and how long it took to start."""

    # At the start, not the end: a stream's status is known at once and its end may be
    # an hour away; the time to the status line is what a slow handler shows.

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        arrived = time.perf_counter()
        started = False

        def count(status: int) -> None:
            route = route_label(scope)
            self.metrics.http_requests.labels(route, scope["method"], str(status)).inc()
            self.metrics.http_response_start.labels(route).observe(time.perf_counter() - arrived)

        async def send_counted(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start" and not started:
                started = True
                count(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_counted)
        except BaseException:
            if not started:
                count(500)  # the server's error handler answers it outside this middleware
            raise
