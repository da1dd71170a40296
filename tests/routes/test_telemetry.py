"""The request counter: route templates as labels, and a crash counted as the 500 it becomes."""

from __future__ import annotations

import anyio
import pytest
from starlette.routing import Mount, Route
from starlette.types import Message, Receive, Scope, Send

from service.metrics import Metrics
from service.routes.telemetry import RequestMetrics, route_label
from tests.conftest import sampled


async def _crash(scope: Scope, receive: Receive, send: Send) -> None:
    scope["route"] = Route("/api/boards/{board_id}", lambda request: None)
    raise RuntimeError("a bug")


def test_a_handler_that_raised_before_answering_is_counted_as_a_500() -> None:
    """The server's error handler answers outside the counter, so the counter says 500 itself."""
    metrics = Metrics()
    counter = RequestMetrics(_crash, metrics)
    scope: Scope = {"type": "http", "method": "GET", "path": "/api/boards/brd_1"}

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        raise AssertionError("nothing was answered")

    with pytest.raises(RuntimeError):
        anyio.run(counter, scope, receive, send)
    assert (
        sampled(
            metrics,
            "boardroom_http_requests_total",
            route="/api/boards/{board_id}",
            method="GET",
            status="500",
        )
        == 1
    )


def test_labels_are_templates_so_ids_never_become_series() -> None:
    assert route_label({"route": Route("/api/boards/{board_id}", lambda r: None)}) == (
        "/api/boards/{board_id}"
    )
    assert route_label({"route": Mount("/", routes=[])}) == "/{path}"
    assert route_label({}) == "unmatched"
