"""JSON responses, and the one place where errors become HTTP responses."""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from service.errors import BoardroomError

log = logging.getLogger(__name__)

# Starlette's own refusals (unknown route, wrong method, …) in our error shape.
_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "upload_too_large",
}


def json_response(
    content: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    """JSON with UTF-8 kept readable (Chinese text stays Chinese)."""
    return _Json(content, status_code=status_code, headers=headers)


class _Json(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def error_response(exc: BoardroomError, headers: dict[str, str] | None = None) -> JSONResponse:
    """`{"error": {"code", "message"}}` with the status of the error's class."""
    headers = dict(headers or {})
    if exc.retry_after is not None:
        headers["Retry-After"] = str(max(1, round(exc.retry_after)))
    return json_response(exc.to_dict(), exc.status, headers or None)


async def on_boardroom_error(request: Request, exc: Exception) -> Response:
    """Exception handler for the whole tree."""
    assert isinstance(exc, BoardroomError)
    if exc.status == 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc.message)
    return error_response(exc)


async def on_http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (unknown route, wrong method) in our JSON shape."""
    assert isinstance(exc, HTTPException)
    status, headers = exc.status_code, dict(exc.headers or {})
    allowed = _methods_at(request) if status in (404, 405) else set()
    if allowed and request.method not in allowed:
        # The web page's mount matches every path, so a wrong method on an API route reached
        # it: its 405 named its own methods (GET, HEAD), and a GET on a POST route was a 404.
        status, headers["Allow"] = 405, ", ".join(sorted(allowed))
    code = _HTTP_CODES.get(status, f"http_{status}")
    message = "Method Not Allowed" if status != exc.status_code else exc.detail
    return json_response({"error": {"code": code, "message": message}}, status, headers or None)


def _methods_at(request: Request) -> set[str]:
    """The methods the app's routes take at the request's path (within the app, as routed)."""
    path: str = request.scope["path"]
    root: str = request.scope.get("root_path", "")
    path = path[len(root) :] if root and path.startswith(root) else path
    methods: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, Route) and route.methods and route.path_regex.match(path):
            methods |= route.methods
    return methods


async def on_unexpected(request: Request, exc: Exception) -> Response:
    """A bug: logged with its traceback, answered without one."""
    log.exception("%s %s crashed", request.method, request.url.path)
    return json_response({"error": {"code": "internal", "message": "internal server error"}}, 500)


EXCEPTION_HANDLERS = {
    BoardroomError: on_boardroom_error,
    HTTPException: on_http_exception,
    Exception: on_unexpected,
}
