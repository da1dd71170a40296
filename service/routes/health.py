"""`/healthz` for load balancers and `/metrics` in Prometheus text format."""

from __future__ import annotations

import time
from typing import Literal

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from typing_extensions import TypedDict

from service import __version__
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
    """Counters and gauges of the streams, in Prometheus text format."""
    runner = services(request).runner
    stats = runner.stats
    lines = [
        "# HELP boardroom_up Whether the service is serving.",
        "# TYPE boardroom_up gauge",
        "boardroom_up 1",
        "# HELP boardroom_uptime_seconds Seconds since the process started.",
        "# TYPE boardroom_uptime_seconds gauge",
        f"boardroom_uptime_seconds {time.monotonic() - _STARTED:.3f}",
        "# HELP boardroom_streams_started_total Generations started.",
        "# TYPE boardroom_streams_started_total counter",
        f"boardroom_streams_started_total {stats.started}",
        "# HELP boardroom_streams_running Generations running now.",
        "# TYPE boardroom_streams_running gauge",
        f"boardroom_streams_running {runner.running}",
        "# HELP boardroom_streams_ended_total Streams ended, by terminal event.",
        "# TYPE boardroom_streams_ended_total counter",
        *(f'boardroom_streams_ended_total{{event="{k}"}} {v}' for k, v in stats.ended.items()),
        "# HELP boardroom_streams_cancelled_total Cancelled streams, by reason.",
        "# TYPE boardroom_streams_cancelled_total counter",
        *(
            f'boardroom_streams_cancelled_total{{reason="{k}"}} {v}'
            for k, v in sorted(stats.cancelled.items())
        ),
    ]
    return PlainTextResponse(
        "\n".join(lines) + "\n", media_type="text/plain; version=0.0.4; charset=utf-8"
    )


routes = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/metrics", metrics, methods=["GET"]),
]
