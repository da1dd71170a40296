"""uvicorn, told about shutdown early enough for streams to end properly."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Awaitable, Callable

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.settings import Settings

# A peer that vanished without a word (Wi-Fi gone, a laptop shut) is noticed by TCP:
# keepalive probes after 5 s of silence, every 5 s, three of them; and data unacknowledged
# for 15 s (a heartbeat, a delta) ends the connection. Its stream then gets the
# reconnect grace like any reader that left.
KEEPALIVE_IDLE_S = 5
KEEPALIVE_INTERVAL_S = 5
KEEPALIVE_PROBES = 3
UNACKNOWLEDGED_S = 15


def tune_socket(sock: socket.socket) -> None:
    """Keepalive and a user timeout on an accepted connection, where the system has them."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    options = (
        ("TCP_KEEPIDLE", KEEPALIVE_IDLE_S),
        ("TCP_KEEPINTVL", KEEPALIVE_INTERVAL_S),
        ("TCP_KEEPCNT", KEEPALIVE_PROBES),
        ("TCP_USER_TIMEOUT", UNACKNOWLEDGED_S * 1000),
    )
    for name, value in options:
        option = getattr(socket, name, None)
        if option is not None:
            sock.setsockopt(socket.IPPROTO_TCP, option, value)


class GuardedHttp(HttpToolsProtocol):
    """uvicorn's HTTP protocol, with dead peers detected and a deadline on request headers.

    uvicorn has no such deadline: a client that sends its headers a byte a minute (or
    never) held its connection forever.
    """

    header_timeout = 10.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            tune_socket(sock)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.header_timeout, self.transport.close)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None


def server_config(app: ASGIApp, settings: Settings, **options: object) -> uvicorn.Config:
    """uvicorn's settings for this service; `options` add to them (logging, sockets)."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        timeout_graceful_shutdown=int(settings.shutdown_grace_s) + 5,
        # X-Forwarded-For only from the proxies named: from anyone else (loopback
        # included) it would let a client pick its own address, and its limits.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies) or None,
        http=type("GuardedHttp", (GuardedHttp,), {"header_timeout": settings.header_timeout_s}),
        **options,  # type: ignore[arg-type]
    )


class StreamingServer(uvicorn.Server):
    """A uvicorn server that calls `on_started` once it serves, and drains as it stops.

    uvicorn closes its listening sockets first, then waits for open connections, then
    runs the lifespan's shutdown. Streams need their grace before any of that: `drain`
    (the app's) refuses new questions with 503 and waits until running streams have
    their terminal event, while the sockets still accept, so a client that asks in the
    grace hears `shutting_down` rather than "connection refused", and WebSocket readers
    get their answer's end instead of an abrupt 1012.
    """

    def __init__(
        self,
        config: uvicorn.Config,
        drain: Callable[[], Awaitable[None]],
        on_started: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(config)
        self._drain = drain
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if not self.should_exit:  # the lifespan started and the socket is listening
            self._on_started()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        with contextlib.suppress(AttributeError):  # the lifespan never started
            await self._drain()
        await super().shutdown(sockets)
