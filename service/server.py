"""uvicorn, told about shutdown early enough for streams to end properly."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable

import uvicorn


class StreamingServer(uvicorn.Server):
    """A uvicorn server that calls `on_started` once it serves, `on_shutdown` as it stops.

    uvicorn waits for open connections before it runs the lifespan's shutdown, and SSE
    connections stay open until their streams end; so the app has to hear of the
    shutdown first, to give running streams their grace and their terminal event.
    """

    def __init__(
        self,
        config: uvicorn.Config,
        on_shutdown: Callable[[], None],
        on_started: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(config)
        self._on_shutdown = on_shutdown
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if not self.should_exit:  # the lifespan started and the socket is listening
            self._on_started()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        with contextlib.suppress(AttributeError):  # the lifespan never started
            self._on_shutdown()
        await super().shutdown(sockets)
