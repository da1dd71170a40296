"""Bearer-token check as pure ASGI middleware, so streaming and disconnects pass untouched."""

from __future__ import annotations

import hmac
import json
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

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
        body = json.dumps(
            {"error": {"code": "unauthorized", "message": "a valid API token is required"}}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b'Bearer realm="boardroom"'),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

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
