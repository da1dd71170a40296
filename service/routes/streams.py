"""Streams by id: their status, the running ones of a board, and the stop button."""

from __future__ import annotations

from typing import cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.errors import BadRequest
from service.routes.responses import json_response
from service.routes.state import services
from service.streams.events import StreamState

STATES = ("running", "done", "error", "cancelled")


async def stream_status(request: Request) -> Response:
    info = await services(request).questions.stream(request.path_params["stream_id"])
    return json_response(info.to_dict())


async def list_streams(request: Request) -> Response:
    state = request.query_params.get("state") or None
    if state is not None and state not in STATES:
        raise BadRequest("state must be running, done, error or cancelled")
    board_id = request.query_params.get("board_id") or None
    found = await services(request).events.streams(board_id, cast(StreamState | None, state))
    return json_response({"streams": [s.to_dict() for s in found]})


async def cancel_stream(request: Request) -> Response:
    """The stop button; answers the stream's state after the stop."""
    info = await services(request).runner.cancel(request.path_params["stream_id"])
    return json_response(info.to_dict())


routes = [
    Route("/api/streams", list_streams, methods=["GET"]),
    Route("/api/streams/{stream_id}", stream_status, methods=["GET"]),
    Route("/api/streams/{stream_id}/cancel", cancel_stream, methods=["POST"]),
]
