"""Streams by id: their status, the running ones of a board, and the stop button."""

from __future__ import annotations

from typing import cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.errors import BadRequest
from service.routes.responses import json_response
from service.routes.state import owner, services
from service.streams.events import StreamState

STATES = ("running", "done", "error", "cancelled")


async def stream_status(request: Request) -> Response:
    stream_id = request.path_params["stream_id"]
    info = await services(request).questions.stream(stream_id, owner=owner(request))
    return json_response(info.to_dict())


async def list_streams(request: Request) -> Response:
    state = request.query_params.get("state") or None
    if state is not None and state not in STATES:
        raise BadRequest("state must be running, done, error or cancelled")
    board_id = request.query_params.get("board_id") or None
    found = await services(request).events.streams(board_id, cast(StreamState | None, state))
    mine = owner(request)
    return json_response({"streams": [s.to_dict() for s in found if s.client == mine]})


async def cancel_stream(request: Request) -> Response:
    """The stop button; answers the stream's state after the stop."""
    svc = services(request)
    stream_id = request.path_params["stream_id"]
    await svc.questions.stream(stream_id, owner=owner(request))
    info = await svc.runner.cancel(stream_id)
    return json_response(info.to_dict())


routes = [
    Route("/api/streams", list_streams, methods=["GET"]),
    Route("/api/streams/{stream_id}", stream_status, methods=["GET"]),
    Route("/api/streams/{stream_id}/cancel", cancel_stream, methods=["POST"]),
]
