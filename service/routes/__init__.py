"""HTTP and WebSocket endpoints only: parse, validate, call down."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from service.routes import (
    board_events,
    boards,
    commands,
    files,
    health,
    openapi,
    questions,
    streams,
    ws,
)


def build_routes(web_dir: Path) -> list[BaseRoute]:
    """Every route of the service, the web client last."""
    routes: list[BaseRoute] = [
        *health.routes,
        *boards.routes,
        *files.routes,
        *board_events.routes,
        *questions.routes,
        *streams.routes,
        *commands.routes,
        *ws.routes,
    ]
    return [
        *routes,
        openapi.route(routes),
        Mount("/", StaticFiles(directory=web_dir, html=True, check_dir=False), name="web"),
    ]
