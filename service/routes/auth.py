"""Bearer-token check as pure ASGI middleware, so streaming and disconnects pass untouched.

A request that shows a valid token carries that token's owner id in its scope's state;
streams belong to it (see `state.owner`). The id is a digest: a token never leaves here.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

from service.errors import Unauthorized
from service.routes.responses import error_response

_OPEN_PATHS = ("/healthz",)


def token_owner(token: bytes) -> str:
    """The owner id of a token: a short digest, safe to store and compare."""
    return "token:" + hashlib.sha256(token).hexdigest()[:16]


class TokenAuth:
    """Requires `Authorization: Bearer <token>` (or `?token=`, for EventSource) on `/api/`."""

    def __init__(self, app: ASGIApp, tokens: Sequence[str]) -> None:
        self.app = app
        self.tokens = [t.encode() for t in tokens]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not self._protected(scope["path"]):
            await self.app(scope, receive, send)
            return
        token = self._token(scope)
        if token is not None:
            scope.setdefault("state", {})["owner"] = token_owner(token)
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

    def _token(self, scope: Scope) -> bytes | None:
        supplied = b""
        for name, value in scope["headers"]:
            if name == b"authorization" and value[:7].lower() == b"bearer ":
                supplied = value[7:].strip()
                break
        else:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            supplied = query.get("token", [""])[0].encode()
        if not supplied:
            return None
        # Every token is compared, so the time taken says nothing of which one matched.
        matches = [t for t in self.tokens if hmac.compare_digest(supplied, t)]
        return matches[0] if matches else None
