"""Browser-facing safety as pure ASGI middleware, so streaming and disconnects pass untouched.

    SecurityHeaders   nosniff, no referrer, no framing, a CSP per kind of response
    AllowedHosts      400 bad_host for a Host not in ALLOWED_HOSTS (DNS rebinding)
    SameOrigin        403 forbidden_origin for another site's page that changes something,
                      starts a generation or opens the WebSocket shim

Plus `redact_tokens_in_logs`, which keeps `?token=` out of uvicorn's log lines.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import BadHost, BoardroomError, ForbiddenOrigin
from service.llm.questions import KINDS
from service.routes.responses import error_response
from service.settings import normalize_host

log = logging.getLogger(__name__)

# The web page: its own scripts only (no inline script, no eval); pdf.js compiles its
# image decoders from WebAssembly and runs a module worker from /vendor; its pages are
# drawn on canvases, and element.style (which CSP leaves alone) is all the styling it sets.
PAGE_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "worker-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# API answers are data, never documents: opened directly (a PDF/HTML polyglot from /raw,
# say), they run nothing, load nothing and get an origin of their own.
API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"

_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
_PAGE_HEADERS = [*_COMMON, (b"content-security-policy", PAGE_CSP.encode())]
# The page's own HTML only: a page an operator adds to web/ (examples/stream.html) has
# inline script of its own, and the page's modules and worker need no policy of theirs.
_PAGE_PATHS = frozenset({"/", "/index.html"})
_API_HEADERS = [
    *_COMMON,
    (b"content-security-policy", API_CSP.encode()),
    (b"cross-origin-resource-policy", b"same-origin"),
]

_CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_ONE_SHOT_PATHS = frozenset(f"/api/{kind}/stream" for kind in KINDS)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WS_SCHEMES = {"ws": "http", "wss": "https"}
_OPEN_PATHS = ("/healthz",)  # probes often name the host by address
_CLOSE_POLICY = 1008
_MAX_LOGGED_HOSTS = 32


class SecurityHeaders:
    """Adds the security headers to every HTTP response; a CSP to the page's and the API's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = _route_path(scope)
        if path.startswith("/api/"):
            extra = _API_HEADERS
        elif path in _PAGE_PATHS:
            extra = _PAGE_HEADERS
        else:
            extra = _COMMON

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(name).lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AllowedHosts:
    """Refuses a request whose Host (port aside) is not allowed: 400, or close 1008."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        names = {normalize_host(h) for h in hosts}
        self.any = "*" in names
        self.exact = frozenset(n for n in names if not n.startswith("*."))
        self.suffixes = tuple(n[1:] for n in names if n.startswith("*."))  # ".example.com"
        self.logged: set[str] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.any
            or scope["type"] not in ("http", "websocket")
            or _route_path(scope) in _OPEN_PATHS
        ):
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        name = normalize_host(host or "")
        # Without a Host header it is no browser, and only a browser can be rebound.
        if not host or self._allowed(name):
            await self.app(scope, receive, send)
            return
        if name not in self.logged and len(self.logged) < _MAX_LOGGED_HOSTS:
            self.logged.add(name)  # once per name: a rebinding page may ask thousands of times
            log.warning("refused Host %r: not in BOARDROOM_ALLOWED_HOSTS", name)
        await _refuse(
            scope,
            receive,
            send,
            BadHost(
                f"this service does not answer to {name!r}; name it in BOARDROOM_ALLOWED_HOSTS"
            ),
        )

    def _allowed(self, name: str) -> bool:
        return name in self.exact or any(name.endswith(s) for s in self.suffixes)


class SameOrigin:
    """Refuses another origin's browser request that changes something or starts work.

    Guarded: POST, PUT, PATCH, DELETE; the one-shot stream GET (no `stream_id`, no
    `Last-Event-ID`), which asks a question; the WebSocket shim. Allowed: no `Origin`
    (curl, scripts), the service's own origin, and `CORS_ORIGINS`. A request with no
    `Origin` that a browser marks `Sec-Fetch-Site: cross-site` or `same-site` (an `<img>`
    or a link on another page) is refused too.
    """

    def __init__(self, app: ASGIApp, origins: Iterable[str]) -> None:
        self.app = app
        listed = [o.strip() for o in origins]
        self.any = "*" in listed
        self.allowed = frozenset(k for k in map(_origin_key, listed) if k is not None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.any or not _guarded(scope):
            await self.app(scope, receive, send)
            return
        origin = _header(scope, b"origin")
        if origin is None:
            site = _header(scope, b"sec-fetch-site")
            if site not in ("cross-site", "same-site"):
                await self.app(scope, receive, send)
                return
            message = f"a request from another site's page ({site}) cannot do this"
        else:
            key = _origin_key(origin)
            if key is not None and (key in self.allowed or key == _own_origin(scope)):
                await self.app(scope, receive, send)
                return
            message = (
                f"a page of {origin[:100]!r} cannot do this here; "
                "name the origin in BOARDROOM_CORS_ORIGINS to allow it"
            )
        await _refuse(scope, receive, send, ForbiddenOrigin(message))


def _guarded(scope: Scope) -> bool:
    if scope["type"] == "websocket":
        return True  # browsers always send Origin with a handshake, and never preflight it
    if scope["type"] != "http":
        return False
    method = scope["method"]
    if method in _CHANGES:
        return True
    return method in ("GET", "HEAD") and _route_path(scope) in _ONE_SHOT_PATHS and _asks(scope)


def _asks(scope: Scope) -> bool:
    """Whether a stream GET submits a question, as `routes.questions` decides it."""
    if _header(scope, b"last-event-id"):
        return False
    # Parsed as Starlette parses it (blanks kept, the last value wins), so that no query
    # string reads as a resume here and as a question there.
    query = dict(
        parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    )
    return not query.get("stream_id") and not query.get("last_event_id")


def _own_origin(scope: Scope) -> tuple[str, str, int] | None:
    host = _header(scope, b"host")
    if not host:
        return None
    scheme = _WS_SCHEMES.get(scope["scheme"], scope["scheme"])
    return _origin_key(f"{scheme}://{host}")


def _origin_key(origin: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) with the default port filled in; None for "null" or junk."""
    try:
        parts = urlsplit(origin.strip().rstrip("/"))
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.rstrip("."), port or _DEFAULT_PORTS[scheme]


def _route_path(scope: Scope) -> str:
    """The path within the app, as the router sees it (without a proxy's sub-path)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        return path[len(root) :] or "/"
    return path


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return None


async def _refuse(scope: Scope, receive: Receive, send: Send, error: BoardroomError) -> None:
    if scope["type"] == "http":
        await error_response(error)(scope, receive, send)
        return
    # Accepted, then closed with a reason: refused before accepting, a client would see
    # only a bare 403 from the handshake. The frame is the shim's own error form.
    if (await receive())["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": json.dumps({"error": error.message})})
    await send({"type": "websocket.close", "code": _CLOSE_POLICY, "reason": error.code})


_TOKEN_IN_QUERY = re.compile(r"([?&](?:access_)?token=)[^&#\s\"']*", re.IGNORECASE)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """`text` with the value of every `token=` query parameter replaced."""
    return _TOKEN_IN_QUERY.sub(r"\1" + REDACTED, text) if "token=" in text.lower() else text


class RedactTokens(logging.Filter):
    """Rewrites a record's message and arguments so no `?token=` value is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {k: _redact_arg(v) for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(a) for a in record.args)
        return True


def _redact_arg(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


_REDACT_TOKENS = RedactTokens()
_LOGGERS_WITH_URLS = ("uvicorn.access", "uvicorn.error")  # request lines; WebSocket lines


def redact_tokens_in_logs() -> None:
    """Put the token filter on the loggers that write request URLs; calling again adds nothing."""
    for name in _LOGGERS_WITH_URLS:
        logging.getLogger(name).addFilter(_REDACT_TOKENS)
