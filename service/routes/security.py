"""Browser-facing safety as one pure ASGI middleware, so streaming and disconnects pass untouched.

    Security          the checks below, then the headers: nosniff, no referrer, no
                      framing, a CSP per kind of response
      HostCheck       400 bad_host for a Host not in ALLOWED_HOSTS (DNS rebinding)
      OriginCheck     403 forbidden_origin for another site's page that changes something,
                      starts a generation or opens the WebSocket shim

One layer, not three: each layer's frame and closures stay alive for as long as a stream
does (about 0.5 KiB a layer per open stream, bench/memory).

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


class Security:
    """Refuses what the checks refuse; adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str], origins: Iterable[str]) -> None:
        self.app = app
        self.hosts = HostCheck(hosts)
        self.origins = OriginCheck(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if kind == "http":
            send = _SendWithHeaders(send, _headers_for(_route_path(scope)))
        refused = self.hosts.refusal(scope) or self.origins.refusal(scope)
        if refused is not None:
            await _refuse(scope, receive, send, refused)
            return
        await self.app(scope, receive, send)


def _headers_for(path: str) -> list[tuple[bytes, bytes]]:
    if path.startswith("/api/"):
        return _API_HEADERS
    if path in _PAGE_PATHS:
        return _PAGE_HEADERS
    return _COMMON


class _SendWithHeaders:
    """`send`, adding the security headers a response does not set itself."""

    # An object rather than a closure: it lives as long as its response, a stream's too.
    __slots__ = ("extra", "send")

    def __init__(self, send: Send, extra: list[tuple[bytes, bytes]]) -> None:
        self.send = send
        self.extra = extra

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {bytes(name).lower() for name, _ in headers}
            headers += [(name, value) for name, value in self.extra if name not in present]
            message = {**message, "headers": headers}
        await self.send(message)


class HostCheck:
    """Refuses a request whose Host (port aside) is not allowed: 400, or close 1008."""

    def __init__(self, hosts: Iterable[str]) -> None:
        names = {normalize_host(h) for h in hosts}
        self.any = "*" in names
        self.exact = frozenset(n for n in names if not n.startswith("*."))
        self.suffixes = tuple(n[1:] for n in names if n.startswith("*."))  # ".example.com"
        self.logged: set[str] = set()

    def refusal(self, scope: Scope) -> BoardroomError | None:
        """Why this request is refused, or None."""
        if self.any or _route_path(scope) in _OPEN_PATHS:
            return None
        host = _header(scope, b"host")
        name = normalize_host(host or "")
        # Without a Host header it is no browser, and only a browser can be rebound.
        if not host or self._allowed(name):
            return None
        if name not in self.logged and len(self.logged) < _MAX_LOGGED_HOSTS:
            self.logged.add(name)  # once per name: a rebinding page may ask thousands of times
            log.warning("refused Host %r: not in BOARDROOM_ALLOWED_HOSTS", name)
        return BadHost(
            f"this service does not answer to {name!r}; name it in BOARDROOM_ALLOWED_HOSTS"
        )

    def _allowed(self, name: str) -> bool:
        return name in self.exact or any(name.endswith(s) for s in self.suffixes)


class OriginCheck:
    """Refuses another origin's browser request that changes something or starts work.

    Guarded: POST, PUT, PATCH, DELETE; the one-shot stream GET (no `stream_id`, no
    `Last-Event-ID`), which asks a question; the WebSocket shim. Allowed: no `Origin`
    (curl, scripts), the service's own origin, and `CORS_ORIGINS`. A request with no
    `Origin` that a browser marks `Sec-Fetch-Site: cross-site` or `same-site` (an `<img>`
    or a link on another page) is refused too.
    """

    def __init__(self, origins: Iterable[str]) -> None:
        listed = [o.strip() for o in origins]
        self.any = "*" in listed
        self.allowed = frozenset(k for k in map(_origin_key, listed) if k is not None)

    def refusal(self, scope: Scope) -> BoardroomError | None:
        """Why this request is refused, or None."""
        if self.any or not _guarded(scope):
            return None
        origin = _header(scope, b"origin")
        if origin is None:
            site = _header(scope, b"sec-fetch-site")
            if site not in ("cross-site", "same-site"):
                return None
            return ForbiddenOrigin(f"a request from another site's page ({site}) cannot do this")
        key = _origin_key(origin)
        if key is not None and (key in self.allowed or key == _own_origin(scope)):
            return None
        return ForbiddenOrigin(
            f"a page of {origin[:100]!r} cannot do this here; "
            "name the origin in BOARDROOM_CORS_ORIGINS to allow it"
        )


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
