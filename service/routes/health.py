"""`/healthz` for load balancers and `/metrics` in Prometheus text format."""

from __future__ import annotations

import time
from typing import Literal

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from typing_extensions import TypedDict

from service import __version__
from service.metrics import CONTENT_TYPE
from service.routes.openapi import Content, api
from service.routes.responses import json_response
from service.routes.state import services

_STARTED = time.monotonic()


class Health(TypedDict):
    """The service is up: its version, engine, heartbeat period and whether it asks a token."""

    status: Literal["ok"]
    version: str
    engine: Literal["openai", "extractive"]
    ping_s: float
    auth: bool
    uptime_s: float


# Probes often name the host by address, so any Host is answered here.
@api({200: Health}, any_host=True)
async def healthz(request: Request) -> Response:
    """Answers from memory only, so it stays fast whatever the workers are doing."""
    settings = services(request).settings
    return json_response(
        Health(
            status="ok",
            version=__version__,
            engine=settings.engine,
            ping_s=settings.ping_s,  # a client's stall watchdog waits twice this
            auth=bool(settings.tokens),  # whether /api/ asks for a token
            uptime_s=round(time.monotonic() - _STARTED, 3),
        )
    )


@api({200: Content("text/plain", "Prometheus text exposition format 0.0.4.")})
async def metrics(request: Request) -> Response:
    """Every counter, gauge and histogram of the service, in Prometheus text format."""
    exported = services(request).metrics
    return Response(exported.exposition(), media_type=CONTENT_TYPE)


routes = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/metrics", metrics, methods=["GET"]),
]
