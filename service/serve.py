"""One serving process: uvicorn on the app, draining its streams before it stops."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

from service.settings import Settings

STARTUP_FAILED = 3
"""The exit code of a process whose app did not start (uvicorn's own)."""


def serve(
    settings: Settings,
    log_level: str,
    *,
    access_log: bool = True,
    sock: socket.socket | None = None,
    on_started: Callable[[], None] | None = None,
) -> int:
    """Serve until SIGINT or SIGTERM: 0 after SIGTERM, 130 after Ctrl-C, 3 if the app failed
    to start; on `sock` when given (a supervisor's), else on the settings' host and port."""
    from service.app import create_app
    from service.routes.security import redact_tokens_in_logs
    from service.server import StreamingServer, server_config

    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    redact_tokens_in_logs()  # before anything is served or logged
    app = create_app(settings)
    config = server_config(app, settings, log_level=log_level, access_log=access_log)
    banner = f"Boardroom on http://{settings.host}:{settings.port}"
    server = StreamingServer(
        config,
        drain=lambda: app.state.drain(),
        on_started=on_started or (lambda: print(banner, flush=True)),
    )
    try:
        server.run(sockets=None if sock is None else [sock])
    except KeyboardInterrupt:
        # uvicorn stops gracefully on SIGINT, then raises the signal again, which asyncio
        # turns into KeyboardInterrupt. The server has stopped by then: end as a shell
        # reports Ctrl-C (128 + SIGINT), without a traceback.
        return 130
    return 0 if server.started else STARTUP_FAILED
