"""Streams by id: their status, the running ones of a board, and the stop button."""

from __future__ import annotations

from typing import cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from typing_extensions import TypedDict

from service.errors import BadRequest
from service.routes.openapi import Param, api
from service.routes.responses import json_response
from service.routes.state import owner, services
from service.streams.events import StreamInfo, StreamState

STATES = ("running", "done", "error", "cancelled")


class StreamList(TypedDict):
    """Your own streams."""

    streams: list[StreamInfo]


@api({200: StreamInfo}, errors=(503,))
async def stream_status(request: Request) -> Response:
    """A stream's state and counts."""
    stream_id = request.path_params["stream_id"]
    info = await services(request).questions.stream(stream_id, owner=owner(request))
    return json_response(info.to_dict())


@api(
    {200: StreamList},
    params=(
        Param("board_id", description="only this board's"),
        Param("state", type=StreamState, description="only those in this state"),
    ),
    errors=(503,),
)
async def list_streams(request: Request) -> Response:
    """Your streams, say a board's running one after a page reload."""
    state = request.query_params.get("state") or None
    if state is not None and state not in STATES:
        raise BadRequest("state must be running, done, error or cancelled")
    board_id = request.query_params.get("board_id") or None
    found = await services(request).events.streams(board_id, cast(StreamState | None, state))
    mine = owner(request)
    return json_response({"streams": [s.to_dict() for s in found if s.client == mine]})


@api({200: StreamInfo}, errors=(503,))
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
