"""`POST /api/assistant/commands`: carry out a change the assistant proposed."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.errors import BadRequest
from service.llm import tools
from service.routes import inputs
from service.routes.responses import json_response
from service.routes.state import services


async def run_command(request: Request) -> Response:
    """Carry out a command the assistant proposed and the user confirmed."""
    body = await inputs.json_object(request)
    command = body.get("command")
    if not isinstance(command, dict):
        raise BadRequest('the body must be {"command": {...}} as the assistant proposed it')
    result = await tools.execute(services(request).boards, command)
    return json_response(result)


routes = [Route("/api/assistant/commands", run_command, methods=["POST"])]
