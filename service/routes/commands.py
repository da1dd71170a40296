"""`POST /api/assistant/commands`: carry out a change the assistant proposed."""

from __future__ import annotations

from typing import Literal, NotRequired

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from typing_extensions import TypedDict

from service.boards import Board
from service.errors import BadRequest
from service.llm import tools
from service.routes import inputs
from service.routes.openapi import api
from service.routes.responses import json_response
from service.routes.state import services


class Command(TypedDict):
    """A change the assistant proposed, as its `done` event carried it."""

    action: Literal["create_board", "rename_board", "delete_board"]
    board_id: NotRequired[str]
    name: NotRequired[str]


class CommandBody(TypedDict):
    """The command the user confirmed."""

    command: Command


class CommandDone(TypedDict):
    """What was done: the board created or renamed, or the id of the one deleted."""

    action: str
    board: NotRequired[Board]
    board_id: NotRequired[str]


@api({200: CommandDone}, body=CommandBody, errors=(404, 422))
async def run_command(request: Request) -> Response:
    """Carry out a command the assistant proposed and the user confirmed."""
    body = await inputs.json_object(request)
    command = body.get("command")
    if not isinstance(command, dict):
        raise BadRequest('the body must be {"command": {...}} as the assistant proposed it')
    result = await tools.execute(services(request).boards, command)
    return json_response(result)


routes = [Route("/api/assistant/commands", run_command, methods=["POST"])]
