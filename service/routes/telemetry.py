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
        counted = _CountedSend(self.metrics, scope, send)
        try:
            await self.app(scope, receive, counted)
        except BaseException:
            if not counted.started:
                counted.count(500)  # the server's error handler answers it outside this layer
            raise


class _CountedSend:
    """`send`, counting the response when it starts."""

    # An object rather than closures: it lives as long as its response, a stream's too.
    __slots__ = ("arrived", "metrics", "scope", "send", "started")

    def __init__(self, metrics: Metrics, scope: Scope, send: Send) -> None:
        self.metrics = metrics
        self.scope = scope
        self.send = send
        self.arrived = time.perf_counter()
        self.started = False

    def count(self, status: int) -> None:
        route = route_label(self.scope)
        self.metrics.http_requests.labels(route, self.scope["method"], str(status)).inc()
        self.metrics.http_response_start.labels(route).observe(time.perf_counter() - self.arrived)

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start" and not self.started:
            self.started = True
            self.count(message["status"])
        await self.send(message)
