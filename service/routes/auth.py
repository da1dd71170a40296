"""Bearer-token check as pure ASGI middleware, so streaming and disconnects pass untouched."""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

from service.errors import Unauthorized
from service.routes.responses import error_response

_OPEN_PATHS = ("/healthz",)


class TokenAuth:
    """Requires `Authorization: Bearer <token>` (or `?token=`, for EventSource) on `/api/`."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not self._protected(scope["path"]):
            await self.app(scope, receive, send)
            return
        if self._authorized(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": "unauthorized"})
            return
        refusal = error_response(
            Unauthorized("a valid API token is required"),
            {"WWW-Authenticate": 'Bearer realm="boardroom"'},
        )
        await refusal(scope, receive, send)

    @staticmethod
    def _protected(path: str) -> bool:
        return path.startswith("/api/") and path not in _OPEN_PATHS

    def _authorized(self, scope: Scope) -> bool:
        for name, value in scope["headers"]:
            if name == b"authorization" and value[:7].lower() == b"bearer ":
                return hmac.compare_digest(value[7:].strip(), self.token)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        supplied = query.get("token", [""])[0].encode()
        return bool(supplied) and hmac.compare_digest(supplied, self.token)
