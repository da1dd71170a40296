"""Parsing and validating request input; every failure is a 400 or 422 before work starts."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from service.errors import BadRequest, Unprocessable
from service.llm.questions import MAX_QUESTION

MAX_JSON_BYTES = 1024 * 1024


async def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object, or 400."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_JSON_BYTES:
            raise BadRequest("the JSON body is larger than 1 MiB")
    try:
        value = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise BadRequest("the body must be a JSON object")
    return value


def text(
    body: dict[str, Any],
    name: str,
    *,
    max_len: int,
    required: bool = True,
    allow_empty: bool = False,
    default: str = "",
) -> str:
    """A string field, stripped; 400 for a wrong type, 422 for empty or too long."""
    value = string(body, name)
    if value is None:
        if required:
            raise Unprocessable(f"'{name}' is required")
        return default
    value = value.strip()
    if not value and not allow_empty:
        raise Unprocessable(f"'{name}' must not be empty")
    return _bounded(name, value, max_len)


def string(body: dict[str, Any], name: str) -> str | None:
    """An optional string field as sent; 400 for another type."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"'{name}' must be a string")
    return value


def integer(body: dict[str, Any], name: str, *, minimum: int = 1) -> int:
    """An integer field (not a bool), at least `minimum`."""
    value = body.get(name)
    if value is None:
        raise Unprocessable(f"'{name}' is required")
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(f"'{name}' must be an integer")
    if value < minimum:
        raise Unprocessable(f"'{name}' must be at least {minimum}")
    return value


def query_text(request: Request, name: str, *, max_len: int = MAX_QUESTION) -> str:
    """A required, non-empty query parameter."""
    value = request.query_params.get(name, "").strip()
    if not value:
        raise Unprocessable(f"the query parameter '{name}' is required")
    return _bounded(name, value, max_len)


def flag(request: Request, name: str) -> bool:
    """A boolean query parameter: true, 1 or yes."""
    return request.query_params.get(name, "").lower() in ("1", "true", "yes")


def path_int(request: Request, name: str) -> int:
    """A positive integer path parameter; 400 otherwise."""
    return _int_within(request.path_params[name], name, 1, None, "a positive integer")


def query_int(request: Request, name: str, *, default: int, low: int, high: int) -> int:
    """An optional integer query parameter from `low` to `high`; 400 otherwise."""
    raw = request.query_params.get(name, "")
    if not raw:
        return default
    return _int_within(raw, name, low, high, f"an integer from {low} to {high}")


def _bounded(name: str, value: str, max_len: int) -> str:
    if len(value) > max_len:
        raise Unprocessable(f"'{name}' must be at most {max_len} characters")
    return value


def _int_within(raw: str, name: str, low: int, high: int | None, what: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        raise BadRequest(f"'{name}' must be {what}")
    return value
